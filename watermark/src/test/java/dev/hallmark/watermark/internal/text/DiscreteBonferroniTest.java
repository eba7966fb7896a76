package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The discrete Bonferroni correction over (key, scheme) tests (docs/spec/text-watermark.md, section
 * 3.5): the attainable levels against brute force, the spec's vectors, and the family-wise
 * false-positive rate under the null by simulation, where a correction that charged a test less than
 * its true null probability would show more detections than alpha allows.
 */
class DiscreteBonferroniTest {
  static final long SEED = 20261203L;

  /** P(Q(X) <= x) summed from the pmf, X ~ Bin(n, p), Q(k) = P(X >= k). */
  static double bruteAttainable(int n, double p, double x) {
    double[] pmf = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      pmf[k] = Math.exp(Stats.logBinomialPmf(n, k, p));
    }
    double total = 0;
    for (int k = 0; k <= n; k++) {
      double q = 0;
      for (int j = k; j <= n; j++) {
        q += pmf[j];
      }
      if (q <= x * (1 + 1e-12)) {
        total += pmf[k];
      }
    }
    return total;
  }

  @Test
  void attainableLevelsMatchBruteForce() {
    for (int n : new int[] {1, 2, 7, 30, 64, 120}) {
      for (double p : new double[] {0.25, 0.5}) {
        for (double x : new double[] {0.9, 0.3, 0.05, 1e-3, 1e-6, 1e-9}) {
          double want = bruteAttainable(n, p, x);
          double got = Math.exp(Stats.logBinomialAttainable(n, p, Math.log(x)));
          assertEquals(want, got, 1e-9 * Math.max(want, 1e-300) + 1e-300, "n=" + n + " p=" + p + " x=" + x);
          assertTrue(got <= x * (1 + 1e-12), "attainable level above x: n=" + n + " p=" + p + " x=" + x);
        }
      }
    }
    assertEquals(0.0, Stats.logBinomialAttainable(10, 0.25, 0.0));
    assertEquals(Double.NEGATIVE_INFINITY, Stats.logBinomialAttainable(3, 0.5, Math.log(0.1)));
  }

  /** The vectors of docs/spec/text-watermark.md, section 3.5. */
  @Test
  void specVectors() {
    // F for KGW (gamma 0.25) over 199 scored tokens and Unigram (gamma 0.5) over 120, at x = 1e-6.
    double fk = Math.exp(Stats.logBinomialAttainable(199, 0.25, Math.log(1e-6)));
    double fu = Math.exp(Stats.logBinomialAttainable(120, 0.5, Math.log(1e-6)));
    System.out.printf("spec vectors: F_kgw(199)(1e-6) = %.6g, F_unigram(120)(1e-6) = %.6g%n", fk, fu);
    assertEquals(8.49562e-7, fk, 1e-12);
    assertEquals(4.34025e-7, fu, 1e-12);
    // A KGW key and a Unigram key, no windows: 93 of 199 KGW tokens green is the best p-value m.
    double m = Stats.logBinomialUpperTail(199, 93, 0.25);
    double fw = Math.exp(MultiKeyDetectorImpl.familyWiseLogP(List.of(detector(WatermarkParameters.KGW_DEFAULT, false),
        detector(WatermarkParameters.UNIGRAM_DEFAULT, false)), m, new int[] {199, 120}));
    System.out.printf("spec vectors: m = %.6g, family-wise p = %.6g (Bonferroni %.6g)%n", Math.exp(m), fw, 2 * Math.exp(m));
    assertEquals(2.75421e-11, Math.exp(m), 1e-16);
    assertEquals(3.83532e-11, fw, 1e-16);
  }

  static DetectorImpl detector(WatermarkParameters p, boolean windowed) {
    return new DetectorImpl(new SchemeEngine(WatermarkKey.fromSecret("t", new byte[32]), p), null, 1e-3, windowed, 1 << 20);
  }

  /**
   * Null simulation: a KGW and a Unigram test with windows on independent fair scores (each test's
   * scored-token count drawn from 1..600, so short texts with coarse attainable levels and long ones
   * with windows both occur). The share of family-wise p-values at or below alpha must stay within
   * alpha's binomial bound, every family-wise p-value is at most T times the best p-value, and without
   * windows at least the best p-value.
   */
  @Test
  void familyWiseRateUnderTheNullStaysAtAlpha() {
    System.out.println("DiscreteBonferroniTest seed=" + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    List<DetectorImpl> ds = List.of(detector(WatermarkParameters.KGW_DEFAULT, true),
        detector(WatermarkParameters.UNIGRAM_DEFAULT, true), detector(WatermarkParameters.UNIGRAM_DEFAULT, true));
    double[] gammas = {0.25, 0.5, 0.5};
    double[] alphas = {0.2, 0.05, 0.01};
    int trials = 30000;
    int[] hits = new int[alphas.length];
    int[] bonferroniHits = new int[alphas.length];
    for (int t = 0; t < trials; t++) {
      int[] scored = new int[ds.size()];
      boolean windows = false;
      double min = 0;
      for (int i = 0; i < ds.size(); i++) {
        int n = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(600) : rnd.nextInt(40));
        double[] sc = new double[n];
        int[] pos = new int[n];
        for (int j = 0; j < n; j++) {
          sc[j] = rnd.nextDouble() < gammas[i] ? 1 : 0;
          pos[j] = j;
        }
        DetectorImpl.Run r = ds.get(i).fromScoresRun(new DetectorImpl.Scored(pos, sc, n), pos, false, null, false);
        scored[i] = r.scored();
        windows |= DetectorImpl.windowCount(n) > 0;
        min = Math.min(min, r.logP());
      }
      double fw = MultiKeyDetectorImpl.familyWiseLogP(ds, min, scored);
      assertTrue(fw <= Math.min(0, min + Math.log(ds.size())) + 1e-12, "above Bonferroni: " + fw + " vs " + min);
      // Whole-text tests: the best p-value is attainable for its own test, so the family pays at least
      // it. (A windowed test's own p-value is plain Bonferroni over its windows, which the attainable
      // levels can undercut.)
      assertTrue(windows || fw >= min - 1e-12, "below the best p-value: " + fw + " vs " + min);
      for (int a = 0; a < alphas.length; a++) {
        hits[a] += fw <= Math.log(alphas[a]) ? 1 : 0;
        bonferroniHits[a] += min + Math.log(ds.size()) <= Math.log(alphas[a]) ? 1 : 0;
      }
    }
    for (int a = 0; a < alphas.length; a++) {
      double mean = alphas[a] * trials;
      double bound = mean + 4.5 * Math.sqrt(mean * (1 - alphas[a]));
      System.out.printf("alpha %.2f: %d of %d null trials detected (bound %.0f; plain Bonferroni %d)%n", alphas[a],
          hits[a], trials, bound, bonferroniHits[a]);
      assertTrue(hits[a] <= bound, "alpha " + alphas[a] + ": " + hits[a] + " > " + bound);
      assertTrue(hits[a] >= bonferroniHits[a]);
    }
  }

  /**
   * The windows' attainable levels (window-local first occurrences counted per window) under the
   * null, on token sequences with many repeats, two KGW keys with windows: never above the looser
   * bound, and the share of family-wise p-values at or below alpha stays at most alpha.
   */
  @Test
  void windowAttainableLevelsKeepTheRateUnderTheNull() {
    System.out.println("DiscreteBonferroniTest windows seed=" + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    List<DetectorImpl> ds = List.of(
        new DetectorImpl(new SchemeEngine(WatermarkKey.fromSecret("a", new byte[32]), WatermarkParameters.KGW_DEFAULT), null, 1e-3, true, 1 << 20),
        new DetectorImpl(new SchemeEngine(WatermarkKey.fromSecret("b", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}), WatermarkParameters.KGW_DEFAULT), null, 1e-3, true, 1 << 20));
    double[] alphas = {0.2, 0.05};
    int trials = 1500;
    int[] hits = new int[alphas.length];
    for (int t = 0; t < trials; t++) {
      int len = 300 + rnd.nextInt(700);
      int[] x = new int[len];
      for (int j = 0; j < len; j++) {
        x[j] = rnd.nextInt(400);
      }
      int[] scored = new int[ds.size()];
      double min = 0;
      for (int i = 0; i < ds.size(); i++) {
        DetectorImpl.Run r = ds.get(i).runScored(x, false, null);
        scored[i] = r.scored();
        min = Math.min(min, r.logP());
      }
      double loose = MultiKeyDetectorImpl.familyWiseLogP(ds, min, scored);
      double refined = MultiKeyDetectorImpl.familyWiseLogP(ds, min, scored, x);
      assertTrue(refined <= loose + 1e-12, "refined above the loose bound: " + refined + " vs " + loose);
      for (int a = 0; a < alphas.length; a++) {
        hits[a] += refined <= Math.log(alphas[a]) ? 1 : 0;
      }
    }
    for (int a = 0; a < alphas.length; a++) {
      double mean = alphas[a] * trials;
      System.out.printf("alpha %.2f: %d of %d (at most %.0f expected)%n", alphas[a], hits[a], trials, mean);
      assertTrue(hits[a] <= mean + 3 * Math.sqrt(mean), "alpha " + alphas[a] + ": " + hits[a] + " of " + trials);
    }
  }
}
