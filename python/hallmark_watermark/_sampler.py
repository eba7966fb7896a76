"""Generation-side sampling (spec section 2) and the transformers / vLLM logits processor."""

import math
import os

import numpy as np

from . import _prf
from ._random import SplittableRandom
from ._schemes import CUTOFF, SchemeEngine, WatermarkKey, context_seen_before, parameters_for_key

_GREEN = ("kgw", "kgw-selfhash", "unigram")


def _seq_sum(a):
    """Left-to-right sum, as Java's loop (NumPy's sum is pairwise and can differ in the last bit)."""
    return float(np.add.accumulate(a)[-1]) if len(a) else 0.0


#: SynthID's layer sum G is taken in this many interleaved lanes (spec section 2, sampler revision 2).
LANES = 64


def _column_sums_reduce(m):
    return np.add.reduce(m, axis=0)


def _column_sums_accumulate(m):
    return np.add.accumulate(m, axis=0)[-1]


def _pick_column_sums():
    """``np.add.reduce(m, axis=0)`` of a C-contiguous matrix adds the rows one after the other (each
    column left to right), 8x faster than ``accumulate``; NumPy does not promise that order, so it is
    checked here once against plain Python additions on values where any other order gives another
    result, with ``accumulate`` (sequential by definition) as the fallback."""
    rows = [[(1.0 + j / 7.0) * 2.0 ** -((i * 13 + j * 5) % 60) * (1 + ((i + j) % 3)) for j in range(LANES)]
            for i in range(40)]
    want = [0.0] * LANES
    for row in rows:
        for j in range(LANES):
            want[j] += row[j]
    got = _column_sums_reduce(np.array(rows, dtype=np.float64))
    return _column_sums_reduce if got.tolist() == want else _column_sums_accumulate


_column_sums = _pick_column_sums()


def lane_sum(q):
    """The spec's SynthID layer sum of ``q`` (float64, support order): lane j adds the entries at
    positions i = j mod 64 in increasing i, then the 64 lanes are added in order."""
    n = len(q)
    pad = -n % LANES
    if pad:
        q = np.concatenate((q, np.zeros(pad)))  # +0.0 terms change no lane
    lanes = _column_sums(q.reshape(-1, LANES)) if len(q) else np.zeros(LANES)
    return float(np.add.accumulate(lanes)[-1])


def synthid_reweight(p, r, m):
    """SynthID's m layers on the support distribution ``p`` (float64, modified in place) with PRF
    values ``r`` (uint64); returns ``p`` and the layer sums G_0..G_{m-1}."""
    # One layer's bits at a time (a few support-sized buffers, not m of them: the step stays in cache).
    n = len(p)
    padded = np.zeros(n + (-n % LANES))  # the tail stays +0.0: lane_sum's padding, allocated once
    masked = padded[:n]
    rows = padded.reshape(-1, LANES)
    shifted = np.empty_like(r)
    bit = np.empty(n)
    factor = np.empty(n)
    gs = []
    for layer in range(m):
        np.right_shift(r, np.uint64(layer), out=shifted)
        np.bitwise_and(shifted, np.uint64(1), out=shifted)
        bit[:] = shifted  # exactly 0.0 or 1.0
        np.multiply(p, bit, out=masked)  # p or a zero: the same sums
        g = float(np.add.accumulate(_column_sums(rows))[-1]) if n else 0.0
        gs.append(g)
        np.add(bit, 1.0, out=factor)  # exactly 1 or 2, so (1 + g_l(v)) - G rounds as in Java
        np.subtract(factor, g, out=factor)
        p *= factor
    return p, gs


class WatermarkSampler:
    """Chooses the next token exactly as the Java ``TextWatermarker.sample`` (spec section 2).

    Logits are taken as float32 (as the Java API's ``float[]``) and compared in float64. A NaN logit
    counts as ``-inf``, as in Java: it is never in the support and never drawn.
    Not thread-safe only in the sense that the RNG passed in is stateful.

    ``params`` None: the parameters ``key`` records (a version-2 key file); for such a key, other
    parameters are a ValueError, as in Java's ``Watermarks.textWatermarker``.
    """

    def __init__(self, key, params=None):
        own = getattr(key, "parameters", None)
        if params is None:
            if own is None:
                raise ValueError("watermark key %r records no text scheme; give the parameters" % key.name)
            params = own
        elif own is not None and params != own:
            raise ValueError("watermark key %r is for %s, not %s; detection would not find this text (use a key"
                             " made for it)" % (key.name, own, params))
        self.engine = SchemeEngine(key, params)
        self.params = params
        #: SynthID: the layer sums and the reweighted support distribution of the last watermarked step.
        self.last_layer_sums = None
        self.last_distribution = None

    def _support(self, logits):
        l32 = np.ascontiguousarray(logits, dtype=np.float32)
        l = l32.astype(np.float64)
        # As Java's sampler (WatermarkerImpl.collectSupport): the maximum skips NaN (its `f > max` is
        # false for NaN) and `l >= max - 50` is false for NaN, so a NaN logit is treated as -inf.
        mx = float(np.fmax.reduce(l)) if l.size else -math.inf
        if not (mx > -math.inf):
            nan = int(np.count_nonzero(np.isnan(l)))
            raise ValueError("logits have no finite entry (%s)" % (
                "empty" if not l.size else "all %d are NaN" % nan if nan == l.size
                else "all %d are -inf or NaN, %d of them NaN" % (l.size, nan)))
        support = np.flatnonzero(l >= mx - CUTOFF)
        return l32, l, support

    @staticmethod
    def _softmax(values):
        e = np.exp(values - values.max())
        z = _seq_sum(e)
        return e / z

    @staticmethod
    def _draw(support, p, rng):
        u = rng.next_double()
        acc = np.add.accumulate(p)
        hit = np.flatnonzero(u < acc)
        if hit.size:
            return int(support[hit[0]])
        nz = np.flatnonzero(p > 0)
        return int(support[nz[-1]]) if nz.size else int(support[-1])

    def sample(self, logits, tokens, rng):
        """The next token after ``tokens`` (prompt and generated so far) for 1-D ``logits``."""
        tokens = [int(t) for t in tokens]
        length = len(tokens)
        _, l, support = self._support(logits)
        e = self.engine
        no_context = length < e.h
        scheme = self.params.scheme
        if scheme in _GREEN:
            if no_context:
                return self._draw(support, self._softmax(l[support]), rng)
            g = e.greens(tokens, length, support)
            biased = l[support] + np.where(g, self.params.delta, 0.0)
            return self._draw(support, self._softmax(biased), rng)
        p = self._softmax(l[support])
        if scheme == "gumbel":
            if no_context or context_seen_before(tokens, length, e.h):
                return self._draw(support, p, rng)
            c = np.uint64(e.context_seed(tokens, length))
            r = e.token_values(c, support)
            with np.errstate(divide="ignore"):
                keys = np.where(p > 0, np.log(_prf.u_open(r)) / np.where(p > 0, p, 1.0), -np.inf)
            if not np.any(keys > -np.inf):
                return int(support[0])
            return int(support[int(np.argmax(keys))])
        # synthid
        if no_context:
            return self._draw(support, p, rng)
        c = np.uint64(e.context_seed(tokens, length))
        r = e.token_values(c, support)
        p, self.last_layer_sums = synthid_reweight(p, r, self.params.layers)
        self.last_distribution = p
        return self._draw(support, p, rng)

    def bias(self, logits, tokens):
        """KGW / Unigram: float32 logits with delta added to the green support tokens (a copy)."""
        if self.params.scheme not in _GREEN:
            raise ValueError("only kgw, kgw-selfhash and unigram bias logits; %s chooses the token"
                             % self.params.scheme)
        tokens = [int(t) for t in tokens]
        l32, _, support = self._support(logits)
        out = l32.copy()
        if len(tokens) < self.engine.h:
            return out
        g = self.engine.greens(tokens, len(tokens), support)
        out[support[g]] += np.float32(self.params.delta)
        return out

    def generate(self, next_logits, prompt, count, rng):
        """Java's ``TextGenerator`` loop: ``next_logits(tokens)`` gives 1-D logits; returns new tokens."""
        tokens = [int(t) for t in prompt]
        out = []
        for _ in range(count):
            t = self.sample(next_logits(tokens), tokens, rng)
            tokens.append(t)
            out.append(t)
        return out


def _is_torch(x):
    return type(x).__module__.split(".")[0] == "torch"


class LogitsProcessor:
    """A Hugging Face ``LogitsProcessor`` (``__call__(input_ids, scores)``) and vLLM processor.

    ``scheme``: kgw, kgw-selfhash, unigram, gumbel or synthid (spec presets; ``gamma``, ``delta``,
    ``context_width``, ``layers``, ``weighted`` override them). A key that records its scheme and
    parameters (key file version 2) generates with those: they are the default, and a scheme or
    parameter that differs from them is a ValueError, as in Java's ``hallmark text generate``. A key
    of any scheme (``any``, version 1, or built with ``WatermarkKey(name, secret)``) defaults to kgw.
    ``seed``: seeds the ``SplittableRandom`` used when the processor chooses the token (always for
    gumbel and synthid; for the others only when a seed is given, which makes the output identical to
    Java's sampler); None draws a seed from os.urandom.

    NaN logits count as ``-inf`` (never chosen, never biased), as in Java's sampler; a row with no
    finite logit is a ValueError naming the row.
    """

    def __init__(self, key, scheme=None, *, gamma=None, delta=None, context_width=None, layers=None,
                 weighted=None, seed=None):
        if not isinstance(key, WatermarkKey):
            raise TypeError("key must be a WatermarkKey (see LogitsProcessor.from_key_file)")
        self.params = parameters_for_key(key, scheme, gamma=gamma, delta=delta, context_width=context_width,
                                         layers=layers, weighted=weighted)
        self.sampler = WatermarkSampler(key, self.params)
        self.key_id = key.key_id
        self.chooses = self.params.scheme not in _GREEN or seed is not None
        if seed is None:
            seed = int.from_bytes(os.urandom(8), "little")
        self.rng = SplittableRandom(seed)

    @classmethod
    def from_key_file(cls, path, scheme=None, **kwargs):
        """Reads a key file written by ``hallmark keys new --type watermark`` (``NAME.watermark``).

        A key that records its scheme and parameters (key file version 2) generates with exactly
        those, as the Java generator does: detection tests it under them alone. They are the default;
        a ``scheme`` or parameter (``gamma=``, ``delta=``, ``context_width=``, ``layers=``,
        ``weighted=``) that differs from them is a ValueError. A key of any scheme takes them, with
        ``kgw`` and the spec's presets as defaults. A key file recording an unknown scheme or
        parameter, or an invalid value, is a KeyFileError naming the file.
        """
        key = WatermarkKey.from_file(os.path.expanduser(str(path)))
        return cls(key, scheme, **kwargs)

    def _row(self, ids, row):
        if self.chooses:
            t = self.sampler.sample(row, ids, self.rng)
            out = np.full(row.shape, -np.inf, dtype=np.float32)
            out[t] = np.float32(row[t]) if np.isfinite(row[t]) else np.float32(0)
            return out
        return self.sampler.bias(row, ids)

    def __call__(self, input_ids, scores):
        if _is_torch(scores):
            import torch

            ids = input_ids.detach().cpu().numpy() if _is_torch(input_ids) else np.asarray(input_ids)
            s = scores.detach().to(torch.float32).cpu().numpy()
            out = self._process(ids, s)
            return torch.from_numpy(out).to(device=scores.device, dtype=scores.dtype)
        return self._process(np.asarray(input_ids), np.asarray(scores)).astype(np.asarray(scores).dtype, copy=False)

    def _process(self, ids, scores):
        if scores.ndim != 2 or ids.ndim != 2 or ids.shape[0] != scores.shape[0]:
            raise ValueError("expected input_ids (batch x length) and scores (batch x vocabulary), got %s and %s"
                             % (ids.shape, scores.shape))
        rows = []
        for b in range(scores.shape[0]):
            try:
                rows.append(self._row(ids[b], scores[b]))
            except ValueError as e:
                raise ValueError("scores row %d: %s" % (b, e)) from None
        return np.stack(rows)

    def vllm(self):
        """A vLLM (v0 sampling-params) logits processor: ``f(prompt_ids, output_ids, logits) -> logits``."""

        def processor(prompt_token_ids, output_token_ids, logits):
            ids = np.asarray(list(prompt_token_ids) + list(output_token_ids), dtype=np.int64)[None, :]
            return self(ids, logits[None, :])[0]

        return processor

    def __repr__(self):
        return "LogitsProcessor(%s, key_id=%s)" % (self.params, self.key_id)


def score_tokens(key, params, tokens):
    """Detection scoring (spec section 3) of a token list: positions, scores, n, total, ln p-value."""
    e = SchemeEngine(key, params)
    positions, scores = e.score_all([int(t) for t in tokens])
    total = float(sum(scores))
    return {"positions": positions, "scores": scores, "n": len(scores), "sum": total,
            "log_p_value": e.log_p_value(len(scores), total)}
