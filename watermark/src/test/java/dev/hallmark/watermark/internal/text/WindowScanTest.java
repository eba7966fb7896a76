package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hallmark.watermark.text.TextDetectionResult;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window scan evaluates only the highest-scoring window of each length; this checks it against
 * an exhaustive scan of every window (same windows counted, same split-corrected p-value and span) on
 * seeded random scores with and without a planted watermarked stretch.
 */
class WindowScanTest {
  static Stream<WatermarkParameters> schemes() {
    return Stream.of(WatermarkParameters.KGW_DEFAULT, WatermarkParameters.KGW_SELFHASH_DEFAULT,
        WatermarkParameters.UNIGRAM_DEFAULT, WatermarkParameters.GUMBEL_DEFAULT,
        WatermarkParameters.SYNTHID_DEFAULT);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void matchesAnExhaustiveScan(WatermarkParameters params) {
    long seed = 20261125L;
    System.out.println("WindowScanTest " + params.scheme() + " seed=" + seed);
    Random rnd = new Random(seed);
    SchemeEngine engine = new SchemeEngine(dev.hallmark.core.WatermarkKey.fromSecret("test", new byte[32]), params);
    DetectorImpl detector = new DetectorImpl(engine, null, 1e-3, true, 1 << 20);
    for (int trial = 0; trial < 60; trial++) {
      int n = 1 + rnd.nextInt(900);
      double[] scores = new double[n];
      int plantFrom = rnd.nextInt(n);
      int plantTo = Math.min(n, plantFrom + rnd.nextInt(300));
      boolean plant = trial % 2 == 0;
      for (int i = 0; i < n; i++) {
        scores[i] = score(params, rnd, plant && i >= plantFrom && i < plantTo);
      }
      int[] positions = new int[n];
      for (int i = 0; i < n; i++) {
        positions[i] = i;
      }
      TextDetectionResult got = detector.fromScores(new DetectorImpl.Scored(positions, scores, n), positions, false, null);
      double[] want = exhaustive(engine, scores);
      String what = params.scheme() + " trial " + trial + " n=" + n;
      assertEquals((int) want[0], got.windowsTried(), what);
      double wantLog10 = Math.min(0.0, want[1]) / Math.log(10);
      assertEquals(wantLog10, got.log10PValue(), 1e-9 * Math.max(1, Math.abs(wantLog10)), what);
      int start = got.span() == null ? 0 : got.span().startToken();
      int end = got.span() == null ? n : got.span().endToken();
      assertEquals((int) want[2], start, what + " span start");
      assertEquals((int) want[3], end, what + " span end");
    }
  }

  /**
   * The product's windows score window-local first occurrences (spec step 4): on token sequences
   * with many repeats (a 300-token vocabulary) and, in half the trials, a stretch of tokens chosen
   * green under the key, the detector's p-value and span equal a brute-force scan written from the
   * spec: the whole text at half the budget; when some first-occurrence window reaches p <= 0.05 with
   * its share, every window rescored over the pairs first seen inside its extent.
   */
  @org.junit.jupiter.api.Test
  void localWindowsMatchABruteForceScan() {
    long seed = 20261206L;
    System.out.println("WindowScanTest local seed=" + seed);
    Random rnd = new Random(seed);
    WatermarkParameters params = WatermarkParameters.KGW_DEFAULT;
    SchemeEngine engine = new SchemeEngine(dev.hallmark.core.WatermarkKey.fromSecret("test", new byte[32]), params);
    DetectorImpl detector = new DetectorImpl(engine, null, 1e-3, true, 1 << 20);
    int passed = 0;
    for (int trial = 0; trial < 40; trial++) {
      int len = 300 + rnd.nextInt(1500);
      int[] x = new int[len];
      boolean plant = trial % 2 == 0;
      int from = rnd.nextInt(len);
      int to = Math.min(len, from + 150 + rnd.nextInt(250));
      long[] scratch = new long[16];
      for (int t = 0; t < len; t++) {
        x[t] = rnd.nextInt(300);
        if (plant && t >= from && t < to && t >= 1) {
          for (int k = 0; k < 40 && engine.score(engine.contextSeed(x, t, scratch), x[t]) == 0; k++) {
            x[t] = rnd.nextInt(50_000);
          }
        }
      }
      TextDetectionResult got = detector.detectTokens(x);
      double[] want = bruteForceLocal(engine, x);
      passed += want[4] > 0 ? 1 : 0;
      String what = "trial " + trial + " len=" + len + (plant ? " planted " + from + ".." + to : "");
      assertEquals(Math.min(0.0, want[0]) / Math.log(10), got.log10PValue(), 1e-9 * Math.max(1, Math.abs(want[0])), what);
      assertEquals((int) want[1], got.windowsTried(), what);
      assertEquals((int) want[2], got.span() == null ? -1 : got.span().startToken(), what + " span start");
      assertEquals((int) want[3], got.span() == null ? -1 : got.span().endToken(), what + " span end");
    }
    System.out.println("WindowScanTest local: the screen passed in " + passed + " of 40 trials");
    org.junit.jupiter.api.Assertions.assertTrue(passed >= 10 && passed < 40, passed + " screens passed: both branches must be met");
  }

  /** {ln p, windows tried, span start (-1: none), span end, screen passed (1/0)}. */
  private static double[] bruteForceLocal(SchemeEngine engine, int[] x) {
    long[] scratch = new long[16];
    int first = engine.firstPosition();
    java.util.List<Integer> pos = new java.util.ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    double[] score = new double[x.length];
    String[] pair = new String[x.length];
    for (int t = first; t < x.length; t++) {
      long c = engine.contextSeed(x, t, scratch);
      pair[t] = c + "/" + x[t];
      score[t] = engine.score(c, x[t]);
      if (seen.add(pair[t])) {
        pos.add(t);
      }
    }
    int n = pos.size();
    double whole = 0;
    for (int t : pos) {
      whole += score[t];
    }
    int windows = DetectorImpl.windowCount(n);
    double f = windows > 0 ? 0.5 : 1.0;
    double best = engine.logPValue(n, whole) - Math.log(f);
    int bs = -1;
    int be = -1;
    boolean screen = false;
    if (windows > 0) {
      double cost = Math.log(windows) - Math.log(1 - f);
      for (int w = DetectorImpl.MIN_WINDOW; w + DetectorImpl.MIN_WINDOW <= n; w *= 2) {
        for (int a = 0; a + w <= n; a += w / 2) {
          double sum = 0;
          for (int i = a; i < a + w; i++) {
            sum += score[pos.get(i)];
          }
          screen |= engine.logPValue(w, sum) + cost <= Math.log(DetectorImpl.LOCAL_SCREEN);
        }
      }
      if (screen) {
        for (int w = DetectorImpl.MIN_WINDOW; w + DetectorImpl.MIN_WINDOW <= n; w *= 2) {
          for (int a = 0; a + w <= n; a += w / 2) {
            int ra = pos.get(a);
            int rb = pos.get(a + w - 1);
            java.util.Set<String> inside = new java.util.HashSet<>();
            int m = 0;
            double sum = 0;
            for (int t = ra; t <= rb; t++) {
              if (inside.add(pair[t])) {
                m++;
                sum += score[t];
              }
            }
            double lp = engine.logPValue(m, sum) + cost;
            if (lp < best) {
              best = lp;
              bs = ra;
              be = rb + 1;
            }
          }
        }
      }
    }
    return new double[] {best, windows + 1, bs, be, screen ? 1 : 0};
  }

  @org.junit.jupiter.api.Test
  void windowCountVectors() {
    // docs/spec/text-watermark.md, section 3.4.
    assertEquals(0, DetectorImpl.windowCount(64));
    assertEquals(0, DetectorImpl.windowCount(255));
    assertEquals(25, DetectorImpl.windowCount(256));
    assertEquals(52, DetectorImpl.windowCount(500));
    assertEquals(113, DetectorImpl.windowCount(1000));
  }

  private static double score(WatermarkParameters p, Random rnd, boolean marked) {
    switch (p.scheme()) {
      case GUMBEL:
        double u = rnd.nextDouble();
        return -Math.log1p(-(marked ? Math.sqrt(u) : u));
      case SYNTHID:
        int bits = 0;
        for (int l = 0; l < p.layers(); l++) {
          bits += rnd.nextDouble() < (marked ? 0.6 : 0.5) ? 1 : 0;
        }
        return bits;
      default:
        return rnd.nextDouble() < (marked ? 0.6 : p.gamma()) ? 1 : 0;
    }
  }

  /**
   * {statistics tested, corrected ln p, start, end} from every window (lengths 32, 64, ... leaving at
   * least 32 scored tokens outside, stride half the length; none under 256 scored tokens), first strictly best kept; the whole text is judged at
   * half the budget and the W windows at (1/2)/W each, or the whole text at all of it without windows.
   */
  private static double[] exhaustive(SchemeEngine engine, double[] scores) {
    int n = scores.length;
    double[] prefix = new double[n + 1];
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = prefix[i] + scores[i];
    }
    int windows = 0;
    for (int w = DetectorImpl.MIN_WINDOW; n >= DetectorImpl.MIN_SCAN && w + DetectorImpl.MIN_WINDOW <= n; w *= 2) {
      for (int a = 0; a + w <= n; a += w / 2) {
        windows++;
      }
    }
    double best = engine.logPValue(n, prefix[n]) + (windows > 0 ? Math.log(2) : 0);
    int bs = 0;
    int be = n;
    for (int w = DetectorImpl.MIN_WINDOW; n >= DetectorImpl.MIN_SCAN && w + DetectorImpl.MIN_WINDOW <= n; w *= 2) {
      for (int a = 0; a + w <= n; a += w / 2) {
        double lp = engine.logPValue(w, prefix[a + w] - prefix[a]) + Math.log(windows) + Math.log(2);
        if (lp < best) {
          best = lp;
          bs = a;
          be = a + w;
        }
      }
    }
    return new double[] {windows + 1, best, bs, be};
  }
}
