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
