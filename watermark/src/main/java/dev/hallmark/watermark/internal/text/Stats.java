package dev.hallmark.watermark.internal.text;

/**
 * Exact tail probabilities in natural-log space (so p-values far below 1e-300 are still ordered
 * correctly). Stateless.
 */
public final class Stats {
  private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

  private Stats() {}

  /** ln Gamma(x) for x > 0: Stirling series for x >= 15 (error below 1e-15), recurrence below. */
  public static double logGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
    }
    double shift = 0;
    while (x < 15) {
      shift -= Math.log(x);
      x += 1;
    }
    double x2 = x * x;
    double series = 1.0 / (12 * x) - 1.0 / (360 * x * x2) + 1.0 / (1260 * x2 * x2 * x)
        - 1.0 / (1680 * x2 * x2 * x2 * x);
    return shift + (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  }

  /** ln C(n, k). */
  public static double logChoose(long n, long k) {
    return logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0);
  }

  /** ln of the binomial pmf P(X = k), X ~ Bin(n, p), 0 < p < 1. */
  public static double logBinomialPmf(long n, long k, double p) {
    return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
  }

  /** ln P(X >= k) for X ~ Bin(n, p), summed exactly term by term in log space. */
  public static double logBinomialUpperTail(long n, long k, double p) {
    if (k <= 0) {
      return 0.0;
    }
    if (k > n) {
      return Double.NEGATIVE_INFINITY;
    }
    double ratio = p / (1 - p);
    if (k > n * p) {
      // Terms decrease from j = k upward.
      double first = logBinomialPmf(n, k, p);
      double sum = 1.0;
      double term = 1.0;
      for (long j = k; j < n; j++) {
        term *= (double) (n - j) / (j + 1) * ratio;
        sum += term;
        if (term < sum * 1e-17) {
          break;
        }
      }
      return first + Math.log(sum);
    }
    // P(X >= k) = 1 - P(X <= k - 1), with the lower tail summed downward from k - 1 (terms decrease).
    double first = logBinomialPmf(n, k - 1, p);
    double sum = 1.0;
    double term = 1.0;
    for (long j = k - 1; j > 0; j--) {
      term *= (double) j / (n - j + 1) / ratio;
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    double lower = Math.exp(first + Math.log(sum));
    return Math.log1p(-Math.min(lower, 1.0));
  }

  /**
   * ln of the largest attainable binomial tail not above {@code x}: for X ~ Bin(n, p) and the exact
   * p-value Q(k) = P(X >= k), this is ln P(Q(X) <= x) = ln Q(k*) with k* the smallest k where
   * Q(k) <= x ({@code -Infinity} when even Q(n) > x; 0 when x >= 1). A discrete p-value reaches x
   * with probability at most this, often well below x: the discrete Bonferroni correction of
   * {@code MultiKeyDetectorImpl} charges each test only this much.
   */
  public static double logBinomialAttainable(long n, double p, double logX) {
    if (logX >= 0) {
      return 0.0;
    }
    long lo = 0;
    long hi = n + 1; // Q(n + 1) = 0 <= x
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (logBinomialUpperTail(n, mid, p) <= logX) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo > n ? Double.NEGATIVE_INFINITY : logBinomialUpperTail(n, lo, p);
  }

  /**
   * ln P(G >= s) for G ~ Gamma(n, 1) with integer shape n >= 1 (the sum of n independent Exp(1)):
   * ln(e^-s * sum_{k<n} s^k / k!), summed in log space.
   */
  public static double logGammaUpperTail(long n, double s) {
    if (n <= 0) {
      return 0.0;
    }
    if (s <= 0) {
      return 0.0;
    }
    // e^-s Σ_{k<n} s^k/k!: sum outward from the largest term, k* = min(n-1, floor(s)), by the ratios
    // a_{k+1}/a_k = s/(k+1). Terms fall monotonically on both sides, so once one no longer changes
    // the sum the rest (a geometric-bounded tail) cannot either: O(sqrt(s)) terms instead of n.
    long top = Math.min(n - 1, (long) Math.floor(s));
    double logTop = top * Math.log(s) - logGamma(top + 1.0);
    double sum = 1.0;
    double a = 1.0;
    for (long k = top; k > 0; k--) {
      a *= k / s;
      sum += a;
      if (a < sum * 1e-20) {
        break;
      }
    }
    a = 1.0;
    for (long k = top + 1; k < n; k++) {
      a *= s / k;
      sum += a;
      if (a < sum * 1e-20) {
        break;
      }
    }
    return Math.min(-s + logTop + Math.log(sum), 0.0);
  }

  /**
   * Chernoff upper bound on ln P(S >= s) where S is the sum over n tokens and all layers l of
   * w_l * B_{t,l} with independent fair bits B: min over lambda > 0 of
   * -lambda s + n * sum_l ln((1 + e^(lambda w_l)) / 2). Never below the true tail.
   */
  public static double logChernoffWeightedBits(long n, double s, double[] w) {
    double mean = 0;
    for (double x : w) {
      mean += x / 2;
    }
    mean *= n;
    if (s <= mean || n == 0) {
      return 0.0;
    }
    double lo = 0;
    double hi = 1;
    while (derivative(n, s, w, hi) < 0 && hi < 1e6) {
      hi *= 2;
    }
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      if (derivative(n, s, w, mid) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double lambda = 0.5 * (lo + hi);
    return Math.min(0.0, exponent(n, s, w, lambda));
  }

  private static double exponent(long n, double s, double[] w, double lambda) {
    double acc = 0;
    for (double x : w) {
      double a = lambda * x;
      // ln((1 + e^a) / 2) computed stably
      acc += (a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a))) - Math.log(2);
    }
    return -lambda * s + n * acc;
  }

  private static double derivative(long n, double s, double[] w, double lambda) {
    double acc = 0;
    for (double x : w) {
      acc += x / (1 + Math.exp(-lambda * x));
    }
    return -s + n * acc;
  }
}
