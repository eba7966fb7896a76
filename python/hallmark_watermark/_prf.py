"""Keyed PRF of docs/spec/text-watermark.md section 1: SipHash-2-4, subkeys, seeds, token values.

Scalar functions use Python integers; ``token_values`` is vectorised over candidate tokens with
NumPy uint64 arithmetic (wrapping modulo 2**64, as the spec requires).
"""

import hashlib
import hmac

import numpy as np

M64 = (1 << 64) - 1
SUBKEY_LABEL = b"hallmark/text-watermark/v1"
KEY_ID_LABEL = b"hallmark/watermark-key-id/v1"
TOKEN_TAG_BASE = 0x686D2D746F6B0000  # "hm-tok" << 16


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & M64


def _sipround(v0, v1, v2, v3):
    v0 = (v0 + v1) & M64
    v1 = _rotl(v1, 13) ^ v0
    v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & M64
    v3 = _rotl(v3, 16) ^ v2
    v0 = (v0 + v3) & M64
    v3 = _rotl(v3, 21) ^ v0
    v2 = (v2 + v1) & M64
    v1 = _rotl(v1, 17) ^ v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash24(k0, k1, data):
    """SipHash-2-4 of the bytes ``data`` under the 64-bit keys k0, k1 (integers)."""
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    n = len(data)
    end = n - n % 8
    for i in range(0, end, 8):
        m = int.from_bytes(data[i:i + 8], "little")
        v3 ^= m
        for _ in range(2):
            v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
        v0 ^= m
    b = ((n & 0xFF) << 56) | int.from_bytes(data[end:], "little")
    v3 ^= b
    for _ in range(2):
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    v0 ^= b
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sipround(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def hash_words(k0, k1, words):
    """SipHash of LE64(w0) || LE64(w1) || ...; words are taken modulo 2**64."""
    return siphash24(k0, k1, b"".join((w & M64).to_bytes(8, "little") for w in words))


def subkeys(secret):
    """(k0, k1) from the 32-byte watermark secret."""
    d = hmac.new(secret, SUBKEY_LABEL, hashlib.sha256).digest()
    return int.from_bytes(d[0:8], "little"), int.from_bytes(d[8:16], "little")


def key_id(secret):
    return hmac.new(secret, KEY_ID_LABEL, hashlib.sha256).digest()[:8].hex()


# ---------------------------------------------------------------- vectorised over candidates

_U64 = np.uint64


def _vround(v0, v1, v2, v3, t):
    """One SipRound in place on uint64 arrays (t: scratch of the same shape)."""
    np.add(v0, v1, out=v0)
    _vrotl_inplace(v1, 13, t)
    v1 ^= v0
    _vrotl_inplace(v0, 32, t)
    np.add(v2, v3, out=v2)
    _vrotl_inplace(v3, 16, t)
    v3 ^= v2
    np.add(v0, v3, out=v0)
    _vrotl_inplace(v3, 21, t)
    v3 ^= v0
    np.add(v2, v1, out=v2)
    _vrotl_inplace(v1, 17, t)
    v1 ^= v2
    _vrotl_inplace(v2, 32, t)


_SHIFTS = {b: (_U64(b), _U64(64 - b)) for b in (13, 16, 17, 21, 32)}


def _vrotl_inplace(x, b, t):
    left, right = _SHIFTS[b]
    np.right_shift(x, right, out=t)
    np.left_shift(x, left, out=x)
    x |= t


def _vhash(k0, k1, words, nbytes):
    """SipHash-2-4 of LE64(w0) || LE64(w1) || ... where each word is a Python int or a uint64 array.

    Leading scalar words are absorbed once with Python integers; only the rest runs over arrays.
    """
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573
    i = 0
    while i < len(words) and not isinstance(words[i], np.ndarray):
        m = int(words[i]) & M64
        v3 ^= m
        v0, v1, v2, v3 = _sipround(*_sipround(v0, v1, v2, v3))
        v0 ^= m
        i += 1
    shape = next((w.shape for w in words if isinstance(w, np.ndarray)), None)
    if shape is None:
        return hash_words(k0, k1, [int(w) for w in words])
    a0 = np.full(shape, v0, dtype=_U64)
    a1 = np.full(shape, v1, dtype=_U64)
    a2 = np.full(shape, v2, dtype=_U64)
    a3 = np.full(shape, v3, dtype=_U64)
    t = np.empty(shape, dtype=_U64)
    with np.errstate(over="ignore"):
        for w in words[i:]:
            m = w if isinstance(w, np.ndarray) else _U64(int(w) & M64)
            a3 ^= m
            _vround(a0, a1, a2, a3, t)
            _vround(a0, a1, a2, a3, t)
            a0 ^= m
        fin = _U64(nbytes << 56)
        a3 ^= fin
        _vround(a0, a1, a2, a3, t)
        _vround(a0, a1, a2, a3, t)
        a0 ^= fin
        a2 ^= _U64(0xFF)
        for _ in range(4):
            _vround(a0, a1, a2, a3, t)
        a0 ^= a1
        a0 ^= a2
        a0 ^= a3
    return a0


def _as_word(x):
    if isinstance(x, np.ndarray) and x.ndim > 0:
        return np.ascontiguousarray(x, dtype=_U64)
    return int(x)


def hash3_vec(k0, k1, a, b, c):
    """SipHash of LE64(a) || LE64(b) || LE64(c) for uint64 arrays (or scalars) a, b, c, broadcast."""
    words = [_as_word(a), _as_word(b), _as_word(c)]
    arrays = [w for w in words if isinstance(w, np.ndarray)]
    if len(arrays) > 1:
        shape = np.broadcast_shapes(*(w.shape for w in arrays))
        words = [np.ascontiguousarray(np.broadcast_to(w, shape)) if isinstance(w, np.ndarray) else w for w in words]
    return _vhash(k0, k1, words, 24)


def u53(r):
    """U(r) = (r >>> 11) * 2**-53 for uint64 arrays or ints."""
    if isinstance(r, np.ndarray):
        return (r >> _U64(11)).astype(np.float64) * 2.0 ** -53
    return (r >> 11) * 2.0 ** -53


def u_open(r):
    """U°(r) = ((r >>> 11) + 0.5) * 2**-53."""
    if isinstance(r, np.ndarray):
        return ((r >> _U64(11)).astype(np.float64) + 0.5) * 2.0 ** -53
    return ((r >> 11) + 0.5) * 2.0 ** -53


def hash3_vec_words2(k0, k1, a, b):
    """SipHash of LE64(a) || LE64(b) (16 bytes) for uint64 arrays/scalars a, b, broadcast."""
    return _vhash(k0, k1, [_as_word(a), _as_word(b)], 16)
