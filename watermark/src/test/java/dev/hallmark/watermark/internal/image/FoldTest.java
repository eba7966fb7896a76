package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The folds against the plain pixel-by-pixel scatter (each bin summing its pixels in raster order
 * in float): bit for bit for rotations and for scales near 1 (added in chunks, same order), and up to
 * float rounding elsewhere (rows summed before columns).
 */
class FoldTest {
  private static final int T = KeyedPattern.TILE;

  static List<Arguments> sizes() {
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of(200, 150));
    out.add(Arguments.of(333, 257));
    out.add(Arguments.of(64, 700));
    out.add(Arguments.of(1001, 96));
    return out;
  }

  private static float[] residual(int w, int h, long seed) {
    System.out.println("FoldTest seed " + seed + " size " + w + "x" + h);
    Random rnd = new Random(seed);
    float[] r = new float[w * h];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) Math.max(-3, Math.min(3, rnd.nextGaussian()));
    }
    return r;
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void scaledFoldsMatchThePlainScatterExactly(int w, int h) {
    float[] r = residual(w, h, 1000L * w + h);
    double[] scales = {0.4, 0.5, 0.5008, 0.75, 0.997, 1.0, 1.003, 1.1, 1.37, 2.0, 2.2};
    List<TiledSpreadSpectrum.Fold> folds = TiledSpreadSpectrum.folds(r, w, h, scales);
    for (int i = 0; i < scales.length; i++) {
      double[] want = finish(scatterScaled(r, w, h, scales[i]));
      String what = "scale " + scales[i] + " at " + w + "x" + h;
      if (Math.abs(scales[i] - 1) < 0.01) {
        assertTilesEqual(want, folds.get(i).tile, what);
      } else {
        // Away from scale 1 rows are summed before columns: the same sums in another order.
        double worst = 0;
        for (int k = 0; k < want.length; k++) {
          worst = Math.max(worst, Math.abs(want[k] - folds.get(i).tile[k]));
        }
        assertTrue(worst < 1e-5, what + ": largest difference " + worst);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void rotatedFoldsMatchThePlainScatterExactly(int w, int h) {
    float[] r = residual(w, h, 7L * w + h);
    double[] angles = {-2, -1.75, -0.5, -0.25, 0.25, 0.75, 1.25, 2, 10, -30};
    List<TiledSpreadSpectrum.Fold> folds = TiledSpreadSpectrum.foldsRotated(r, w, h, angles);
    for (int i = 0; i < angles.length; i++) {
      double[] want = finish(scatterRotated(r, w, h, angles[i]));
      assertTilesEqual(want, folds.get(i).tile, "angle " + angles[i] + " at " + w + "x" + h);
    }
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void pairedSimilarityFoldsMatchSingleOnesExactly(int w, int h) {
    float[] r = residual(w, h, 7000L * w + h);
    List<double[]> geometries = new ArrayList<>();
    double[][] g = {{1.0, 30.1}, {0.8715, -12.35}, {1.0015, 44.9}, {2.3, 7.0}, {0.45, -0.15}};
    for (double[] x : g) {
      geometries.add(x);
    }
    List<TiledSpreadSpectrum.Fold> paired = TiledSpreadSpectrum.foldsSimilarity(r, w, h, geometries);
    assertEquals(g.length, paired.size());
    for (int i = 0; i < g.length; i++) {
      TiledSpreadSpectrum.Fold one = TiledSpreadSpectrum.foldSimilarity(r, w, h, g[i][0], g[i][1]);
      assertEquals(one.scale, paired.get(i).scale);
      assertEquals(one.angle, paired.get(i).angle);
      assertTilesEqual(one.tile, paired.get(i).tile, "geometry " + i + " at " + w + "x" + h);
    }
  }

  /**
   * Similarity folds track bin coordinates in fixed point along each row; against the exact map
   * (each pixel's coordinates computed on their own in double and rounded), a pixel may change bin
   * only when it lies within {@link TiledSpreadSpectrum#FIXED_ERROR_PIXELS} of a bin edge: a
   * handful of bins in the whole tile, never a systematic shift (which would move thousands).
   */
  @ParameterizedTest
  @MethodSource("sizes")
  void similarityFoldsFollowTheExactMap(int w, int h) {
    float[] r = residual(w, h, 9000L * w + h);
    double[][] g = {{1.0, 30.1}, {0.8715, -12.35}, {1.0015, 44.9}, {2.3, 7.0}, {0.45, -0.15}, {0.31, 89.0}};
    List<double[]> geometries = new ArrayList<>(List.of(g));
    List<TiledSpreadSpectrum.Fold> folds = TiledSpreadSpectrum.foldsSimilarity(r, w, h, geometries);
    for (int i = 0; i < g.length; i++) {
      double[] want = finish(scatterSimilarity(r, w, h, g[i][0], g[i][1]));
      double[] got = folds.get(i).tile;
      int differ = 0;
      for (int b = 0; b < want.length; b++) {
        if (Math.abs(want[b] - got[b]) > 1e-4) {
          differ++;
        }
      }
      assertTrue(differ <= 8, "geometry " + i + " at " + w + "x" + h + ": " + differ + " bins differ");
    }
  }

  private static Acc scatterSimilarity(float[] r, int w, int h, double scale, double degrees) {
    double a = Math.toRadians(degrees);
    double cos = Math.cos(a) / scale;
    double sin = Math.sin(a) / scale;
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    float[] acc = new float[T * T];
    int[] cnt = new int[T * T];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = cos * (x - cx) + sin * (y - cy);
        double v = -sin * (x - cx) + cos * (y - cy);
        int bin = (((int) Math.floor(v + 0.5)) & (T - 1)) * T + (((int) Math.floor(u + 0.5)) & (T - 1));
        acc[bin] += r[y * w + x];
        cnt[bin]++;
      }
    }
    return new Acc(acc, cnt);
  }

  private static void assertTilesEqual(double[] want, double[] got, String what) {
    int bad = 0;
    String first = null;
    for (int i = 0; i < want.length; i++) {
      if (Double.doubleToLongBits(want[i] + 0.0) != Double.doubleToLongBits(got[i] + 0.0)) {
        if (bad++ == 0) {
          first = "bin " + i + ": want " + want[i] + ", got " + got[i];
        }
      }
    }
    assertEquals(0, bad, what + ": " + bad + " bins differ, first " + first);
  }

  /** Per-bin float sums and pixel counts, pixel by pixel in raster order. */
  private record Acc(float[] sum, int[] count) {}

  private static Acc scatterScaled(float[] r, int w, int h, double scale) {
    double inv = 1 / scale;
    float[] acc = new float[T * T];
    int[] cnt = new int[T * T];
    for (int y = 0; y < h; y++) {
      int by = ((int) Math.floor(y * inv + 0.5)) & (T - 1);
      for (int x = 0; x < w; x++) {
        int bin = by * T + (((int) Math.floor(x * inv + 0.5)) & (T - 1));
        acc[bin] += r[y * w + x];
        cnt[bin]++;
      }
    }
    return new Acc(acc, cnt);
  }

  private static Acc scatterRotated(float[] r, int w, int h, double degrees) {
    double a = Math.toRadians(degrees);
    double cos = Math.cos(a);
    double sin = Math.sin(a);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    double off = 64.0 * T;
    float[] acc = new float[T * T];
    int[] cnt = new int[T * T];
    for (int y = 0; y < h; y++) {
      double dy = y - cy;
      double u0 = sin * dy + off - cos * cx;
      double v0 = cos * dy + off + sin * cx;
      for (int x = 0; x < w; x++) {
        int bx = ((int) (u0 + cos * x + 0.5)) & (T - 1);
        int by = ((int) (v0 - sin * x + 0.5)) & (T - 1);
        acc[by * T + bx] += r[y * w + x];
        cnt[by * T + bx]++;
      }
    }
    return new Acc(acc, cnt);
  }

  /** Per filled bin, (sum - mean pixel x count) / sqrt(count); empty bins 0. */
  private static double[] finish(Acc a) {
    double total = 0;
    long pixels = 0;
    for (int i = 0; i < a.sum().length; i++) {
      total += a.sum()[i];
      pixels += a.count()[i];
    }
    double mean = total / Math.max(1, pixels);
    double[] out = new double[T * T];
    for (int i = 0; i < out.length; i++) {
      int c = a.count()[i];
      if (c > 0) {
        out[i] = (a.sum()[i] - mean * c) / Math.sqrt(c);
      }
    }
    return out;
  }
}
