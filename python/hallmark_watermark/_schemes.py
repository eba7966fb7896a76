"""The five schemes of docs/spec/text-watermark.md: parameters, key files, generation, scoring."""

import base64
import hashlib
import hmac as _hmac
import math

import numpy as np

from . import _prf

SCHEME_IDS = {"kgw": 1, "kgw-selfhash": 2, "unigram": 3, "gumbel": 4, "synthid": 5}
CUTOFF = 50.0
KEY_FILE_MAGIC = "hallmark-watermark-key"
KEY_FILE_VERSION = 2


class KeyFileError(ValueError):
    """A watermark key file that is missing, corrupt, or of an unsupported version."""


class WatermarkKey:
    """A 32-byte watermark secret with its public key id. The secret is never printed."""

    __slots__ = ("name", "key_id", "_secret", "text_scheme", "text_parameters")

    def __init__(self, name, secret):
        if len(secret) != 32:
            raise ValueError("a watermark secret is 32 bytes, not %d" % len(secret))
        self.name = name
        self._secret = bytes(secret)
        self.key_id = _prf.key_id(self._secret)
        # The text scheme a version-2 key file records (None: a key of any scheme, as version 1).
        self.text_scheme = None
        self.text_parameters = None

    @classmethod
    def from_file(cls, path):
        """Reads a CLI key file (``NAME.watermark``: magic line, then ``field: value`` lines)."""
        path = str(path)
        try:
            with open(path, "rb") as f:
                raw = f.read(1 << 16)
        except OSError as e:
            raise KeyFileError("%s: cannot read the watermark key file (%s)" % (path, e.strerror)) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise KeyFileError("%s: not a Hallmark watermark key file" % path) from None
        lines = text.split("\n")
        if not lines or lines[0].strip() != KEY_FILE_MAGIC:
            raise KeyFileError("%s: not a Hallmark watermark key file" % path)
        fields = {}
        checksum_at = None
        offset = len(lines[0]) + 1
        for i, line in enumerate(lines[1:], start=2):
            start = offset
            offset += len(line) + 1
            line = line.strip()
            if not line:
                continue
            if ":" not in line:
                raise KeyFileError("%s: corrupt watermark key file (line %d)" % (path, i))
            k, v = line.split(":", 1)
            k = k.strip()
            if checksum_at is not None:
                raise KeyFileError("%s: corrupt watermark key file (a field after the checksum line)" % path)
            if k in fields:
                raise KeyFileError("%s: corrupt watermark key file (field %s repeated)" % (path, k))
            if k == "checksum":
                checksum_at = start
            fields[k] = v.strip()
        try:
            version = int(fields.get("version", ""))
        except ValueError:
            raise KeyFileError("%s: corrupt watermark key file (no valid version line)" % path) from None
        if version > KEY_FILE_VERSION:
            raise KeyFileError("%s: watermark key file version %d is newer than this package reads (%d); upgrade"
                               % (path, version, KEY_FILE_VERSION))
        if version < 1:
            raise KeyFileError("%s: watermark key file version %d is too old; no longer supported" % (path, version))
        text_scheme = None
        if version >= 2:
            # Version 2 (docs/spec/text-watermark.md): a checksum line last, over every byte before it.
            if checksum_at is None:
                raise KeyFileError("%s: corrupt watermark key file (no checksum line)" % path)
            want = hashlib.sha256(raw[:len(text[:checksum_at].encode("utf-8"))]).hexdigest()[:16]
            if not _hmac.compare_digest(want, fields["checksum"]):
                raise KeyFileError("%s: corrupt watermark key file (checksum does not match)" % path)
            ts = fields.get("text-scheme")
            if ts is not None and ts != "any":
                if ts not in SCHEME_IDS:
                    raise KeyFileError("%s: watermark key records scheme %r, which this package does not know; upgrade"
                                       % (path, ts))
                text_scheme = ts
        try:
            secret = base64.b64decode(fields.get("secret", ""), validate=True)
        except ValueError:
            raise KeyFileError("%s: corrupt watermark key file (secret is not base64)" % path) from None
        if len(secret) != 32:
            raise KeyFileError("%s: corrupt watermark key file (secret has the wrong length)" % path)
        key = cls(fields.get("name", ""), secret)
        key.text_scheme = text_scheme
        key.text_parameters = fields.get("text-parameters") if text_scheme else None
        if not _hmac.compare_digest(key.key_id, fields.get("key-id", "")):
            raise KeyFileError("%s: corrupt watermark key file (key id does not match the secret)" % path)
        return key

    def secret_bytes(self):
        return self._secret

    def __repr__(self):
        return "WatermarkKey(name=%r, key_id=%s)" % (self.name, self.key_id)


class WatermarkParameters:
    """Scheme parameters with the spec's presets (section 4)."""

    def __init__(self, scheme, gamma=None, delta=None, context_width=None, layers=None, weighted=False):
        if scheme not in SCHEME_IDS:
            raise ValueError("unknown scheme %r (kgw, kgw-selfhash, unigram, gumbel, synthid)" % scheme)
        self.scheme = scheme
        green = scheme in ("kgw", "kgw-selfhash", "unigram")
        if not green and (gamma is not None or delta is not None):
            raise ValueError("gamma and delta apply to kgw, kgw-selfhash and unigram only")
        self.gamma = (gamma if gamma is not None else (0.5 if scheme == "unigram" else 0.25)) if green else 0.0
        self.delta = (delta if delta is not None else 2.0) if green else 0.0
        if green and not (0 < self.gamma < 1):
            raise ValueError("gamma must be in (0, 1), got %r" % self.gamma)
        if green and not (0 <= self.delta <= 20):
            raise ValueError("delta must be in [0, 20], got %r" % self.delta)
        default_h = {"kgw": 1, "kgw-selfhash": 4, "unigram": 0, "gumbel": 4, "synthid": 4}[scheme]
        self.h = default_h if context_width is None else int(context_width)
        if scheme == "unigram":
            self.h = 0
        self.layers = (30 if layers is None else int(layers)) if scheme == "synthid" else 0
        if scheme == "synthid" and not (1 <= self.layers <= 64):
            raise ValueError("layers must be 1..64, got %r" % self.layers)
        self.weighted = bool(weighted) and scheme == "synthid"
        self.scheme_id = SCHEME_IDS[scheme]

    def __repr__(self):
        return "WatermarkParameters(%s, gamma=%s, delta=%s, h=%d, layers=%d, weighted=%s)" % (
            self.scheme, self.gamma, self.delta, self.h, self.layers, self.weighted)


class SchemeEngine:
    """The keyed functions of one key and scheme (port of the Java SchemeEngine). Immutable apart
    from a cache of per-token values (_per_token), which is only ever replaced by a complete, larger
    array, so sharing an instance between threads stays safe."""

    def __init__(self, key, params):
        self.params = params
        self.scheme = params.scheme
        self.h = params.h
        self.k0, self.k1 = _prf.subkeys(key.secret_bytes())
        self.key_id = key.key_id
        self.token_tag = _prf.TOKEN_TAG_BASE | params.scheme_id
        self.weights = (np.arange(params.layers, 0, -1, dtype=np.float64)
                        if params.scheme == "synthid" and params.weighted else None)
        self._token_cache = None  # see _per_token

    def context_seed(self, x, t):
        if self.h == 0:
            return 0
        return _prf.hash_words(self.k0, self.k1, [self.params.scheme_id] + [int(v) for v in x[t - self.h:t]])

    def self_token_hash(self, u):
        return _prf.hash_words(self.k0, self.k1, [self.params.scheme_id, int(u)])

    def self_hash_min_context(self, x, t):
        return min(self.self_token_hash(v) for v in x[t - self.h:t])

    def token_value(self, c, v):
        return _prf.hash_words(self.k0, self.k1, [c, int(v), self.token_tag])

    def token_values(self, c, vs):
        """r(c, v) for a uint64 array (or scalar) of seeds c and an array of tokens vs."""
        return _prf.hash3_vec(self.k0, self.k1, c, np.asarray(vs, dtype=np.uint64), self.token_tag)

    def _per_token(self, vs):
        """Unigram's green(0, v), or SelfHash's e(v), for every v < max(vs) + 1: they depend on the
        token alone, so they are computed once (the Java sampler does the same) instead of per step."""
        need = int(vs.max()) + 1 if len(vs) else 0
        cache = self._token_cache
        if cache is None or len(cache) < need:
            every = np.arange(need, dtype=np.uint64)
            if self.scheme == "unigram":
                cache = _prf.u53(self.token_values(np.uint64(0), every)) < self.params.gamma
            else:
                cache = _prf.hash3_vec_words2(self.k0, self.k1, np.uint64(self.params.scheme_id), every)
            self._token_cache = cache
        return cache[vs]

    def greens(self, x, t, vs):
        """Boolean array: is each candidate in vs green at position t (kgw, kgw-selfhash, unigram)."""
        vs = np.asarray(vs, dtype=np.int64)
        if self.scheme == "unigram":
            return self._per_token(vs)
        if self.scheme == "kgw-selfhash":
            ctx_min = np.uint64(self.self_hash_min_context(x, t))
            seeds = np.minimum(self._per_token(vs), ctx_min)
            r = self.token_values(seeds, vs)
        else:
            r = self.token_values(np.uint64(self.context_seed(x, t)), vs)
        return _prf.u53(r) < self.params.gamma

    # ------------------------------------------------------------ detection scoring

    def score(self, c, v):
        r = self.token_value(c, v)
        if self.scheme in ("kgw", "kgw-selfhash", "unigram"):
            return 1.0 if _prf.u53(r) < self.params.gamma else 0.0
        if self.scheme == "gumbel":
            return -math.log(_prf.u_open(~r & _prf.M64))
        m = self.params.layers
        if self.weights is None:
            return float(bin(r & ((1 << m) - 1)).count("1"))
        return float(sum(self.weights[l] for l in range(m) if (r >> l) & 1))

    def score_all(self, x):
        """(positions, scores) of the first occurrence of every (seed, token) pair (spec section 3.2)."""
        seen = set()
        positions, scores = [], []
        th = [self.self_token_hash(v) for v in x] if self.scheme == "kgw-selfhash" else None
        for t in range(self.h, len(x)):
            c = min(th[t - self.h:t + 1]) if th is not None else self.context_seed(x, t)
            if (c, int(x[t])) in seen:
                continue
            seen.add((c, int(x[t])))
            positions.append(t)
            scores.append(self.score(c, x[t]))
        return positions, scores

    def log_p_value(self, n, total):
        if n == 0:
            return 0.0
        if self.scheme in ("kgw", "kgw-selfhash", "unigram"):
            return _stats_binomial_upper(n, int(round(total)), self.params.gamma)
        if self.scheme == "gumbel":
            return _stats_gamma_upper(n, total)
        if self.weights is None:
            return _stats_binomial_upper(n * self.params.layers, int(round(total)), 0.5)
        return _stats_chernoff(n, total, self.weights)


# ---------------------------------------------------------------- statistics (port of Stats.java)

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _log_gamma(x):
    shift = 0.0
    while x < 15:
        shift -= math.log(x)
        x += 1
    x2 = x * x
    series = 1.0 / (12 * x) - 1.0 / (360 * x * x2) + 1.0 / (1260 * x2 * x2 * x) - 1.0 / (1680 * x2 * x2 * x2 * x)
    return shift + (x - 0.5) * math.log(x) - x + _HALF_LOG_2PI + series


def _log_binomial_pmf(n, k, p):
    return (_log_gamma(n + 1.0) - _log_gamma(k + 1.0) - _log_gamma(n - k + 1.0)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def _stats_binomial_upper(n, k, p):
    if k <= 0:
        return 0.0
    if k > n:
        return -math.inf
    ratio = p / (1 - p)
    if k > n * p:
        first = _log_binomial_pmf(n, k, p)
        total = term = 1.0
        for j in range(k, n):
            term *= (n - j) / (j + 1) * ratio
            total += term
            if term < total * 1e-17:
                break
        return first + math.log(total)
    first = _log_binomial_pmf(n, k - 1, p)
    total = term = 1.0
    for j in range(k - 1, 0, -1):
        term *= j / (n - j + 1) / ratio
        total += term
        if term < total * 1e-17:
            break
    lower = math.exp(first + math.log(total))
    return math.log1p(-min(lower, 1.0))


def _stats_gamma_upper(n, s):
    if n <= 0 or s <= 0:
        return 0.0
    top = min(n - 1, int(math.floor(s)))
    log_top = top * math.log(s) - _log_gamma(top + 1.0)
    total = a = 1.0
    for k in range(top, 0, -1):
        a *= k / s
        total += a
        if a < total * 1e-20:
            break
    a = 1.0
    for k in range(top + 1, n):
        a *= s / k
        total += a
        if a < total * 1e-20:
            break
    return min(-s + log_top + math.log(total), 0.0)


def _stats_chernoff(n, s, w):
    mean = sum(x / 2 for x in w) * n
    if s <= mean or n == 0:
        return 0.0

    def derivative(lam):
        return -s + n * sum(x / (1 + math.exp(-lam * x)) for x in w)

    def exponent(lam):
        acc = 0.0
        for x in w:
            a = lam * x
            acc += (a + math.log1p(math.exp(-a)) if a > 0 else math.log1p(math.exp(a))) - math.log(2)
        return -lam * s + n * acc

    lo, hi = 0.0, 1.0
    while derivative(hi) < 0 and hi < 1e6:
        hi *= 2
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if derivative(mid) < 0:
            lo = mid
        else:
            hi = mid
    return min(0.0, exponent(0.5 * (lo + hi)))


def context_seen_before(x, length, h):
    """True if x[length-h..length) also ends at some earlier position j (h <= j < length)."""
    tail = list(x[length - h:length])
    for j in range(length - 1, h - 1, -1):
        if list(x[j - h:j]) == tail:
            return True
    return False
