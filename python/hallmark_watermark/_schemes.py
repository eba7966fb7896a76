"""The five schemes of docs/spec/text-watermark.md: parameters, key files, generation, scoring."""

import base64
import hashlib
import hmac as _hmac
import math
import operator
import re

import numpy as np

from . import _prf

SCHEME_IDS = {"kgw": 1, "kgw-selfhash": 2, "unigram": 3, "gumbel": 4, "synthid": 5}
CUTOFF = 50.0
KEY_FILE_MAGIC = "hallmark-watermark-key"
KEY_FILE_VERSION = 2


class KeyFileError(ValueError):
    """A watermark key file that is missing, corrupt, of an unsupported version, or that records a scheme
    or parameters this package does not know or accept."""


class WatermarkKey:
    """A 32-byte watermark secret with its public key id. The secret is never printed."""

    __slots__ = ("name", "key_id", "_secret", "text_scheme", "text_parameters", "parameters")

    def __init__(self, name, secret):
        if len(secret) != 32:
            raise ValueError("a watermark secret is 32 bytes, not %d" % len(secret))
        self.name = name
        self._secret = bytes(secret)
        self.key_id = _prf.key_id(self._secret)
        # The text scheme a version-2 key file records (None: a key of any scheme, as version 1), its
        # text-parameters line as written, and those parameters checked (a WatermarkParameters).
        self.text_scheme = None
        self.text_parameters = None
        self.parameters = None

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
        text_scheme = text_parameters = None
        if version >= 2:
            # Version 2 (docs/spec/text-watermark.md): a checksum line last, over every byte before it.
            if checksum_at is None:
                raise KeyFileError("%s: corrupt watermark key file (no checksum line)" % path)
            want = hashlib.sha256(raw[:len(text[:checksum_at].encode("utf-8"))]).hexdigest()[:16]
            if not _hmac.compare_digest(want, fields["checksum"]):
                raise KeyFileError("%s: corrupt watermark key file (checksum does not match)" % path)
            # As the Java reader (Keyring.watermarkKey): a text-scheme line, `any` without parameters.
            text_scheme = fields.get("text-scheme")
            text_parameters = fields.get("text-parameters")
            if text_scheme is None:
                raise KeyFileError("%s: corrupt watermark key file (no text-scheme line)" % path)
            if text_scheme == "any":
                if text_parameters is not None:
                    raise KeyFileError("%s: corrupt watermark key file (text-parameters without a text scheme)"
                                       % path)
                text_scheme = None
        try:
            secret = base64.b64decode(fields.get("secret", ""), validate=True)
        except ValueError:
            raise KeyFileError("%s: corrupt watermark key file (secret is not base64)" % path) from None
        if len(secret) != 32:
            raise KeyFileError("%s: corrupt watermark key file (secret has the wrong length)" % path)
        key = cls(fields.get("name", ""), secret)
        if not _hmac.compare_digest(key.key_id, fields.get("key-id", "")):
            raise KeyFileError("%s: corrupt watermark key file (key id does not match the secret)" % path)
        if text_scheme is not None:
            key.text_scheme = text_scheme
            key.text_parameters = text_parameters if text_parameters is not None else ""
            key.parameters = WatermarkParameters.from_key_file_fields(path, key.name, text_scheme,
                                                                      key.text_parameters)
        return key

    def secret_bytes(self):
        return self._secret

    def __repr__(self):
        return "WatermarkKey(name=%r, key_id=%s)" % (self.name, self.key_id)


_GREEN = ("kgw", "kgw-selfhash", "unigram")

#: The parameters a version-2 key file records for each scheme (names as in the file), exactly these.
KEY_FILE_PARAMETERS = {
    "kgw": ("contextWidth", "delta", "gamma"),
    "kgw-selfhash": ("contextWidth", "delta", "gamma"),
    "unigram": ("delta", "gamma"),
    "gumbel": ("contextWidth",),
    "synthid": ("contextWidth", "detector", "layers"),
}

# The syntax of a key file's text-scheme and text-parameters (Java's WatermarkKey.TextScheme).
_LABEL = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{0,31}")
_VALUE = re.compile(r"[A-Za-z0-9.+-]{1,32}")
# What Java's Double.parseDouble and Integer.parseInt accept of such values.
_JAVA_DECIMAL = re.compile(r"([+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?))[fFdD]?")
_JAVA_HEX = re.compile(r"([+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?")
_JAVA_INT = re.compile(r"[+-]?[0-9]+")


def _java_double(text):
    m = _JAVA_DECIMAL.fullmatch(text)
    if m:
        return float(m.group(1))
    m = _JAVA_HEX.fullmatch(text)
    if m:
        try:
            return float.fromhex(m.group(1))
        except OverflowError:
            return math.copysign(math.inf, -1.0 if text.startswith("-") else 1.0)
    raise ValueError("not a number")


def _java_int(text):
    if _JAVA_INT.fullmatch(text):
        v = int(text)
        if -(1 << 31) <= v < (1 << 31):
            return v
    raise ValueError("not an integer")


def _integer(name, v):
    """An int from an int-like value or an integral float (4.0); anything else is a ValueError."""
    if isinstance(v, bool):
        raise ValueError("%s must be an integer, got %r" % (name, v))
    try:
        return operator.index(v)
    except TypeError:
        pass
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise ValueError("%s must be an integer, got %r" % (name, v)) from None
    if not f.is_integer():
        raise ValueError("%s must be an integer, got %r" % (name, v))
    return int(f)


def _number(name, v):
    if isinstance(v, bool):
        raise ValueError("%s must be a number, got %r" % (name, v))
    try:
        return float(v)
    except (TypeError, ValueError):
        raise ValueError("%s must be a number, got %r" % (name, v)) from None


class WatermarkParameters:
    """Scheme parameters with the spec's presets (section 4), validated as Java's
    ``WatermarkParameters.Builder.build``: gamma in (0, 1) and delta in [0, 20] (kgw, kgw-selfhash,
    unigram), context_width 1 for kgw, 0 for unigram and 1..8 otherwise, layers 1..64 (synthid).
    ``layers`` and ``weighted`` are ignored by the schemes other than synthid, as in Java."""

    def __init__(self, scheme, gamma=None, delta=None, context_width=None, layers=None, weighted=False):
        if scheme not in SCHEME_IDS:
            raise ValueError("unknown scheme %r (kgw, kgw-selfhash, unigram, gumbel, synthid)" % (scheme,))
        self.scheme = scheme
        green = scheme in _GREEN
        if not green and (gamma is not None or delta is not None):
            raise ValueError("gamma and delta apply to kgw, kgw-selfhash and unigram only")
        self.gamma = (_number("gamma", gamma) if gamma is not None else (0.5 if scheme == "unigram" else 0.25)
                      ) if green else 0.0
        self.delta = (_number("delta", delta) if delta is not None else 2.0) if green else 0.0
        if green and not (0 < self.gamma < 1):
            raise ValueError("gamma must be in (0, 1), got %r" % self.gamma)
        if green and not (0 <= self.delta <= 20):
            raise ValueError("delta must be in [0, 20], got %r" % self.delta)
        default_h = {"kgw": 1, "kgw-selfhash": 4, "unigram": 0, "gumbel": 4, "synthid": 4}[scheme]
        self.h = default_h if context_width is None else _integer("context_width", context_width)
        if scheme == "unigram" and self.h != 0:
            raise ValueError("unigram has no context; context_width must be 0, got %d" % self.h)
        if scheme == "kgw" and self.h != 1:
            raise ValueError("KGW LeftHash uses context_width 1, got %d (use kgw-selfhash for wider contexts)"
                             % self.h)
        if scheme not in ("kgw", "unigram") and not (1 <= self.h <= 8):
            raise ValueError("context_width must be 1..8, got %d" % self.h)
        if scheme == "synthid":
            self.layers = 30 if layers is None else _integer("layers", layers)
            if not (1 <= self.layers <= 64):
                raise ValueError("layers must be 1..64, got %d" % self.layers)
        else:
            self.layers = 0
        self.weighted = bool(weighted) and scheme == "synthid"
        self.scheme_id = SCHEME_IDS[scheme]

    @classmethod
    def from_key_file_fields(cls, path, name, label, parameters_text):
        """The parameters a version-2 key file records in its ``text-scheme`` and ``text-parameters``
        lines, read as the Java reader reads them (``WatermarkKey.TextScheme.parse``, then
        ``WatermarkParameters.ofKey``): exactly the scheme's parameters, each valid. Raises
        KeyFileError naming the file."""
        corrupt = "%s: corrupt watermark key file (%%s)" % path
        if not _LABEL.fullmatch(label):
            raise KeyFileError(corrupt % ("malformed text scheme label %r" % label))
        recorded = {}
        if parameters_text:
            for pair in parameters_text.split(","):
                eq = pair.find("=")
                if eq <= 0:
                    raise KeyFileError(corrupt % ("malformed text scheme parameter %r" % pair))
                k, v = pair[:eq], pair[eq + 1:]
                if k in recorded:
                    raise KeyFileError(corrupt % ("text scheme parameter %r repeated" % k))
                if not _NAME.fullmatch(k):
                    raise KeyFileError(corrupt % ("malformed text scheme parameter name %r" % k))
                if not _VALUE.fullmatch(v):
                    raise KeyFileError(corrupt % ("malformed value of text scheme parameter %r" % k))
                recorded[k] = v
        where = "%s: watermark key %r" % (path, name)
        if label not in SCHEME_IDS:
            raise KeyFileError("%s records text scheme %r, which this package does not know; upgrade"
                               % (where, label))
        expected = KEY_FILE_PARAMETERS[label]
        args = {}
        for k in sorted(recorded):
            v = recorded[k]
            if k not in expected:
                raise KeyFileError("%s records parameter %r, which %s does not have" % (where, k, label))
            try:
                if k == "gamma":
                    args["gamma"] = _java_double(v)
                elif k == "delta":
                    args["delta"] = _java_double(v)
                elif k == "contextWidth":
                    args["context_width"] = _java_int(v)
                elif k == "layers":
                    args["layers"] = _java_int(v)
                elif v in ("mean", "weighted-mean"):  # detector
                    args["weighted"] = v == "weighted-mean"
                else:
                    raise ValueError("detector must be mean or weighted-mean")
            except ValueError:
                raise KeyFileError("%s: bad value %r for %s" % (where, v, k)) from None
        for k in expected:
            if k not in recorded:
                raise KeyFileError("%s does not record %s parameter %r" % (where, label, k))
        try:
            return cls(label, **args)
        except ValueError as e:
            raise KeyFileError("%s: %s" % (where, e)) from None

    def _identity(self):
        return (self.scheme, self.gamma, self.delta, self.h, self.layers, self.weighted)

    def __eq__(self, other):
        return isinstance(other, WatermarkParameters) and self._identity() == other._identity()

    def __hash__(self):
        return hash(self._identity())

    def __str__(self):
        if self.scheme in ("kgw", "kgw-selfhash"):
            detail = "gamma=%r, delta=%r, context_width=%d" % (self.gamma, self.delta, self.h)
        elif self.scheme == "unigram":
            detail = "gamma=%r, delta=%r" % (self.gamma, self.delta)
        elif self.scheme == "gumbel":
            detail = "context_width=%d" % self.h
        else:
            detail = "layers=%d, context_width=%d, %s" % (self.layers, self.h,
                                                          "weighted" if self.weighted else "mean")
        return "%s(%s)" % (self.scheme, detail)

    def __repr__(self):
        return "WatermarkParameters(%s, gamma=%s, delta=%s, h=%d, layers=%d, weighted=%s)" % (
            self.scheme, self.gamma, self.delta, self.h, self.layers, self.weighted)


def parameters_for_key(key, scheme=None, gamma=None, delta=None, context_width=None, layers=None, weighted=None):
    """The parameters to generate with under ``key``. A key that records its scheme (key file version 2)
    gives its own parameters; an explicit argument that differs from them is a ValueError, as Java's
    ``hallmark text generate`` and ``Watermarks.textWatermarker`` refuse it (detection tests such a key
    under its recorded parameters alone and would not find the text). A key of any scheme (``any``,
    or version 1) takes the arguments, with the spec's presets and ``kgw`` for what is not given."""
    own = getattr(key, "parameters", None)
    if own is None:
        return WatermarkParameters(scheme if scheme is not None else "kgw", gamma=gamma, delta=delta,
                                   context_width=context_width, layers=layers, weighted=bool(weighted))
    if scheme is not None and scheme != own.scheme:
        raise ValueError("watermark key %r is for %s; detection tests it under that alone, so generate with"
                         " it or use a key made for %s" % (key.name, own, scheme))
    given = {n: v for n, v in (("gamma", gamma), ("delta", delta), ("context_width", context_width),
                               ("layers", layers), ("weighted", weighted)) if v is not None}
    if not given:
        return own
    green = own.scheme in _GREEN
    try:
        asked = WatermarkParameters(
            own.scheme,
            gamma=given.get("gamma", own.gamma if green else None),
            delta=given.get("delta", own.delta if green else None),
            context_width=given.get("context_width", own.h),
            layers=given.get("layers", own.layers if own.scheme == "synthid" else None),
            weighted=given.get("weighted", own.weighted))
    except ValueError as e:
        raise ValueError("watermark key %r is for %s: %s" % (key.name, own, e)) from None
    if asked != own:
        raise ValueError("watermark key %r is for %s; detection tests it under those parameters alone, so"
                         " generate with them (drop %s) or use a key made for %s"
                         % (key.name, own, ", ".join(sorted(given)), asked))
    return own


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
