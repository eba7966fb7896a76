package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tail probabilities against exact big-number sums, including far below 1e-12. */
class StatsTest {
  private static final MathContext MC = new MathContext(60);

  /** Exact P(X >= k), X ~ Bin(n, p = a/b), with BigDecimal arithmetic; returns log10. */
  static double exactLog10BinomialTail(int n, int k, int a, int b) {
    BigDecimal p = BigDecimal.valueOf(a).divide(BigDecimal.valueOf(b), MC);
    BigDecimal q = BigDecimal.ONE.subtract(p);
    BigDecimal sum = BigDecimal.ZERO;
    BigInteger c = BigInteger.ONE;
    for (int j = 0; j <= n; j++) {
      if (j > 0) {
        c = c.multiply(BigInteger.valueOf(n - j + 1)).divide(BigInteger.valueOf(j));
      }
      if (j >= k) {
        sum = sum.add(new BigDecimal(c).multiply(p.pow(j, MC)).multiply(q.pow(n - j, MC)), MC);
      }
    }
    return log10(sum);
  }

  static double log10(BigDecimal x) {
    int scale = x.precision() - x.scale() - 1;
    BigDecimal m = x.movePointLeft(scale);
    return scale + Math.log10(m.doubleValue());
  }

  @ParameterizedTest(name = "Bin({0}, {2}/{3}) >= {1}")
  @CsvSource({
    "10,0,1,4", "10,3,1,4", "10,10,1,4", "200,50,1,4", "200,90,1,4", "200,150,1,4", "200,200,1,4",
    "400,180,1,2", "400,300,1,2", "1000,250,1,4", "1000,240,1,4", "1000,500,1,4", "3000,1600,1,2",
    "3000,1400,1,2", "37,36,1,2"
  })
  void binomialTailMatchesExactSum(int n, int k, int a, int b) {
    double got = Stats.logBinomialUpperTail(n, k, a / (double) b) / Math.log(10);
    double want = exactLog10BinomialTail(n, k, a, b);
    assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), "log10 p");
  }

  @Test
  void binomialTailValidFarBelow1e12() {
    double l = Stats.logBinomialUpperTail(200, 120, 0.25) / Math.log(10);
    assertEquals(exactLog10BinomialTail(200, 120, 1, 4), l, 1e-8);
    assertTrue(l < -12);
  }

  /** Gamma(n,1) upper tail = Poisson(s) lower tail P(N <= n-1), summed exactly here. */
  static double exactLog10GammaTail(int n, double s) {
    BigDecimal bs = new BigDecimal(s);
    BigDecimal term = BigDecimal.ONE;
    BigDecimal sum = BigDecimal.ONE;
    for (int k = 1; k < n; k++) {
      term = term.multiply(bs, MC).divide(BigDecimal.valueOf(k), MC);
      sum = sum.add(term, MC);
    }
    return log10(sum) - s / Math.log(10);
  }

  @ParameterizedTest(name = "Gamma({0}) >= {1}")
  @CsvSource({"1,0.5", "1,30", "5,2", "5,40", "50,50", "50,120", "200,200", "200,330", "400,700", "3,0.01",
      "60,0.5", "2000,1900", "2000,2300", "5000,5000", "10000,9500", "10000,11000", "20000,24000", "20000,3"})
  void gammaTailMatchesExactSum(int n, double s) {
    double got = Stats.logGammaUpperTail(n, s) / Math.log(10);
    double want = Math.min(0, exactLog10GammaTail(n, s));
    assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)));
  }

  @Test
  void chernoffIsAnUpperBoundOnTheExactTail() {
    // Unit weights: the weighted sum is Bin(n*m, 1/2); the bound must not undercut the exact tail.
    double[] w = {1, 1, 1};
    for (int s = 31; s <= 90; s += 7) {
      double bound = Stats.logChernoffWeightedBits(30, s, w);
      double exact = Stats.logBinomialUpperTail(90, s, 0.5);
      assertTrue(bound >= exact - 1e-12, "s=" + s + " bound " + bound + " exact " + exact);
    }
    assertEquals(0.0, Stats.logChernoffWeightedBits(30, 40, w));
  }

  @Test
  void logGammaMatchesFactorials() {
    double f = 0;
    for (int n = 1; n < 200; n++) {
      f += Math.log(n);
      assertEquals(f, Stats.logGamma(n + 1.0), 1e-10 * Math.max(1, f));
    }
    assertEquals(Math.log(Math.sqrt(Math.PI)), Stats.logGamma(0.5), 1e-13);
  }

  @Test
  void windowSkipBoundsAreLowerBounds() {
    java.util.List<dev.hallmark.watermark.text.WatermarkParameters> ps = java.util.List.of(
        dev.hallmark.watermark.text.WatermarkParameters.KGW_DEFAULT,
        dev.hallmark.watermark.text.WatermarkParameters.UNIGRAM_DEFAULT,
        dev.hallmark.watermark.text.WatermarkParameters.GUMBEL_DEFAULT,
        dev.hallmark.watermark.text.WatermarkParameters.SYNTHID_DEFAULT,
        dev.hallmark.watermark.text.WatermarkParameters.builder(dev.hallmark.watermark.text.Scheme.SYNTHID).weighted(true).build());
    for (dev.hallmark.watermark.text.WatermarkParameters p : ps) {
      SchemeEngine e = new SchemeEngine(dev.hallmark.core.WatermarkKey.fromSecret("test", new byte[32]), p);
      for (int n : new int[] {1, 2, 5, 32, 64, 200, 1000}) {
        double max = p.scheme() == dev.hallmark.watermark.text.Scheme.GUMBEL ? 4.0 * n
            : p.scheme() == dev.hallmark.watermark.text.Scheme.SYNTHID ? (p.weighted() ? 465.0 : 30.0) * n : n;
        for (int i = 0; i <= 40; i++) {
          double sum = Math.rint(max * i / 40);
          double lb = e.logPValueLowerBound(n, sum);
          double exact = e.logPValue(n, sum);
          assertTrue(lb <= exact + 1e-9, p + " n=" + n + " sum=" + sum + " bound " + lb + " > " + exact);
        }
      }
    }
  }
}
