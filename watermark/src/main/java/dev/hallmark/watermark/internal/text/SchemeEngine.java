package dev.hallmark.watermark.internal.text;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;

/**
 * The keyed pseudo-random functions of every scheme (docs/spec/text-watermark.md, "PRF"), shared
 * by generation and detection. Immutable and thread-safe: it holds only the derived SipHash key.
 */
public final class SchemeEngine {
  static final byte[] SUBKEY_LABEL = "hallmark/text-watermark/v1".getBytes(StandardCharsets.US_ASCII);
  static final long TOKEN_TAG_BASE = 0x686d2d746f6b0000L; // "hm-tok" << 16

  private final long k0;
  private final long k1;
  final WatermarkParameters params;
  final Scheme scheme;
  final String keyId;
  final int h;
  final long tokenTag;
  final double gamma;
  final double[] weights;

  public SchemeEngine(WatermarkKey key, WatermarkParameters params) {
    Mac mac = key.newHmacSha256();
    byte[] d = mac.doFinal(SUBKEY_LABEL);
    this.k0 = le64(d, 0);
    this.k1 = le64(d, 8);
    java.util.Arrays.fill(d, (byte) 0);
    this.params = params;
    this.scheme = params.scheme();
    this.keyId = key.keyId();
    this.h = params.contextWidth();
    this.tokenTag = TOKEN_TAG_BASE | scheme.id();
    this.gamma = params.gamma();
    if (scheme == Scheme.SYNTHID && params.weighted()) {
      weights = new double[params.layers()];
      for (int l = 0; l < weights.length; l++) {
        weights[l] = params.layers() - l;
      }
    } else {
      weights = null;
    }
  }

  static long le64(byte[] b, int off) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  long k0() {
    return k0;
  }

  long k1() {
    return k1;
  }

  /** Positions before this index have too little context and are neither watermarked nor scored. */
  int firstPosition() {
    return h;
  }

  /**
   * Context seed for position t: SipHash(K, LE64(schemeId) || LE64(x[t-h]) ... LE64(x[t-1])); 0 for
   * Unigram. For KGW SelfHash this is unused (see {@link #selfHashMinContext}).
   */
  long contextSeed(int[] x, int t, long[] scratch) {
    if (h == 0) {
      return 0;
    }
    scratch[0] = scheme.id();
    for (int i = 0; i < h; i++) {
      scratch[1 + i] = x[t - h + i] & 0xffffffffL;
    }
    return SipHash.hashWords(k0, k1, scratch, h + 1);
  }

  /** Per-token hash for SelfHash's min-hash: SipHash(K, LE64(schemeId) || LE64(u)). */
  long selfTokenHash(int u, long[] scratch) {
    scratch[0] = scheme.id();
    scratch[1] = u & 0xffffffffL;
    return SipHash.hashWords(k0, k1, scratch, 2);
  }

  /** Unsigned minimum of the SelfHash token hashes of x[t-h..t-1]. */
  long selfHashMinContext(int[] x, int t, long[] scratch) {
    long m = -1L;
    for (int i = t - h; i < t; i++) {
      long v = selfTokenHash(x[i], scratch);
      if (Long.compareUnsigned(v, m) < 0) {
        m = v;
      }
    }
    return m;
  }

  /** r(c, v) = SipHash(K, LE64(c) || LE64(v) || LE64(tokenTag)). */
  long tokenValue(long c, int v) {
    return SipHash.hash3(k0, k1, c, v & 0xffffffffL, tokenTag);
  }

  /** {@code out[i] = r(c, vs[i])} for {@code i < n} (vs holds token ids zero-extended to 64 bits). */
  void tokenValues(long c, long[] vs, int n, long[] out, SipHash.Batch batch) {
    batch.hash3(k0, k1, c, vs, tokenTag, n, out);
  }

  /** {@code out[i] = r(cs[i], vs[i])} for {@code i < n}: a seed per token (SelfHash). */
  void tokenValues(long[] cs, long[] vs, int n, long[] out, SipHash.Batch batch) {
    batch.hash3(k0, k1, cs, vs, tokenTag, n, out);
  }

  /** {@code out[i] =} {@link #selfTokenHash}{@code (vs[i])} for {@code i < n}. */
  void selfTokenHashes(long[] vs, int n, long[] out, SipHash.Batch batch) {
    batch.hash2(k0, k1, scheme.id(), vs, n, out);
  }

  /** The top 53 bits as a double in [0, 1). */
  static double u53(long r) {
    return (r >>> 11) * 0x1.0p-53;
  }

  /** The top 53 bits as a double in (0, 1), centred: ((r >>> 11) + 0.5) / 2^53. */
  static double uOpen(long r) {
    return ((r >>> 11) + 0.5) * 0x1.0p-53;
  }

  boolean green(long c, int v) {
    return u53(tokenValue(c, v)) < gamma;
  }

  /** SelfHash greenness of candidate v given the context's min hash. */
  boolean selfGreen(long ctxMin, int v, long[] scratch) {
    long hv = selfTokenHash(v, scratch);
    long s = Long.compareUnsigned(hv, ctxMin) < 0 ? hv : ctxMin;
    return u53(tokenValue(s, v)) < gamma;
  }

  /**
   * For KGW SelfHash, the per-token hashes of every position of {@code x}, so that detection
   * computes each once instead of once per context it appears in; null for other schemes.
   */
  long[] selfTokenHashes(int[] x, long[] scratch) {
    if (scheme != Scheme.KGW_SELFHASH) {
      return null;
    }
    long[] th = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      th[i] = selfTokenHash(x[i], scratch);
    }
    return th;
  }

  /**
   * The PRF seed under which SelfHash chose token x[t], from precomputed {@link #selfTokenHashes}:
   * the unsigned minimum of the context's and the token's own hashes, x[t-h..t]. (Other schemes use
   * {@link #contextSeed}.) Detection scores each distinct (seed, token) pair once, which makes the
   * scored PRF outputs independent under the null.
   */
  long selfHashSeed(long[] th, int t) {
    long m = th[t];
    for (int i = t - h; i < t; i++) {
      if (Long.compareUnsigned(th[i], m) < 0) {
        m = th[i];
      }
    }
    return m;
  }

  /** The detection score of token v chosen under PRF seed c. */
  double score(long c, int v) {
    switch (scheme) {
      case KGW, KGW_SELFHASH, UNIGRAM -> {
        return green(c, v) ? 1 : 0;
      }
      case GUMBEL -> {
        // 1 - U°(r) = U°(~r) exactly (((2^53 - 1 - k) + 0.5) / 2^53), so -ln(1 - u) needs no log1p.
        return -Math.log(uOpen(~tokenValue(c, v)));
      }
      case SYNTHID -> {
        long r = tokenValue(c, v);
        int m = params.layers();
        if (weights == null) {
          long bits = m == 64 ? r : r & ((1L << m) - 1);
          return Long.bitCount(bits);
        }
        double s = 0;
        for (int l = 0; l < m; l++) {
          if (((r >>> l) & 1) != 0) {
            s += weights[l];
          }
        }
        return s;
      }
      default -> throw new IllegalStateException();
    }
  }

  /** ln p-value of the total score {@code sum} over {@code n} scored tokens. */
  double logPValue(int n, double sum) {
    if (n == 0) {
      return 0.0;
    }
    return switch (scheme) {
      case KGW, KGW_SELFHASH, UNIGRAM -> Stats.logBinomialUpperTail(n, Math.round(sum), gamma);
      case GUMBEL -> Stats.logGammaUpperTail(n, sum);
      case SYNTHID -> weights == null
          ? Stats.logBinomialUpperTail((long) n * params.layers(), Math.round(sum), 0.5)
          : Stats.logChernoffWeightedBits(n, sum, weights);
    };
  }

  /**
   * ln of an upper bound on P(p-value <= x) under the null for a test over {@code n} scored tokens
   * ({@code logX = ln x}): exactly the largest attainable p-value not above x for the binomial
   * statistics (KGW, SelfHash, Unigram, SynthID mean), x itself for Gumbel (continuous) and weighted
   * SynthID (its Chernoff p-value never falls below the true tail). Depends on the text only through
   * {@code n}, never on the scores.
   */
  double logNullAtMost(int n, double logX) {
    if (logX >= 0) {
      return 0.0;
    }
    if (n == 0) {
      return Double.NEGATIVE_INFINITY; // the p-value is 1
    }
    return switch (scheme) {
      case KGW, KGW_SELFHASH, UNIGRAM -> Stats.logBinomialAttainable(n, gamma, logX);
      case GUMBEL -> logX;
      case SYNTHID -> weights == null ? Stats.logBinomialAttainable((long) n * params.layers(), 0.5, logX) : logX;
    };
  }

  /**
   * A cheap lower bound on {@link #logPValue}: the window scan skips windows whose bound already
   * rules out beating the best p-value so far, so the minimum it finds is unchanged. Uses: P(X >= k)
   * >= 1/2 at or below the binomial median and P(X >= k) >= P(X = k) above it; for Gamma(n, 1),
   * P(G >= s) >= 1/2 for s <= n - 1 (the median exceeds n - 1/3) and >= e^-s s^(n-1)/(n-1)!.
   */
  double logPValueLowerBound(int n, double sum) {
    if (n == 0) {
      return 0.0;
    }
    final double half = -Math.log(2);
    return switch (scheme) {
      case KGW, KGW_SELFHASH, UNIGRAM -> {
        long k = Math.round(sum);
        yield k <= Math.floor(n * gamma) ? half : Stats.logBinomialPmf(n, Math.min(k, n), gamma);
      }
      case GUMBEL -> sum <= n - 1 ? half : -sum + (n - 1) * Math.log(sum) - Stats.logGamma(n);
      case SYNTHID -> {
        if (weights == null) {
          long trials = (long) n * params.layers();
          long k = Math.round(sum);
          yield k <= trials / 2 ? half : Stats.logBinomialPmf(trials, Math.min(k, trials), 0.5);
        }
        double mean = 0;
        for (double w : weights) {
          mean += w / 2;
        }
        yield sum <= mean * n ? half : Double.NEGATIVE_INFINITY;
      }
    };
  }

  /** The per-token mean score reported in results. */
  double normalizedScore(int n, double sum) {
    if (n == 0) {
      return 0;
    }
    if (scheme == Scheme.SYNTHID) {
      double total = 0;
      if (weights == null) {
        total = params.layers();
      } else {
        for (double w : weights) {
          total += w;
        }
      }
      return sum / n / total;
    }
    return sum / n;
  }

}
