package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The box filters against plain running sums: {@link Filters#box} bit for bit (the same additions,
 * subtractions and divisions in the same order, whatever the radius against the image's sides), and
 * {@link Filters#boxSumsInPlace} against sums taken window by window.
 */
class FiltersTest {
  @ParameterizedTest(name = "{0}x{1} r{2}")
  @CsvSource({"200,150,2", "97,31,4", "5,9,4", "1,7,2", "9,1,3", "64,64,1", "3,3,5", "130,6,2"})
  void boxMatchesTheRunningSumExactly(int w, int h, int r) {
    long seed = 100L * w + 10L * h + r;
    System.out.println("FiltersTest seed " + seed);
    Random rnd = new Random(seed);
    float[] in = new float[w * h];
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) (rnd.nextGaussian() * 40);
    }
    float[] got = Filters.box(in, w, h, r);
    float[] want = reference(in, w, h, r);
    for (int i = 0; i < in.length; i++) {
      assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "pixel " + i);
    }
    float[] sums = in.clone();
    Filters.boxSumsInPlace(sums, new float[in.length], w, h, r);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double s = 0;
        for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
          for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
            s += in[yy * w + xx];
          }
        }
        assertEquals(s, sums[y * w + x], 1e-3 * (1 + Math.abs(s)), "sum at " + x + "," + y);
      }
    }
    float[] exact = referenceSums(in, w, h, r);
    for (int i = 0; i < in.length; i++) {
      assertEquals(Float.floatToIntBits(exact[i]), Float.floatToIntBits(sums[i]), "sum, pixel " + i);
    }
  }

  /**
   * Window sums one row at a time (running sum: takes x + r while inside, then gives back
   * x - r - 1), then per column the same: what boxSumsInPlace must equal bit for bit.
   */
  private static float[] referenceSums(float[] in, int w, int h, int r) {
    float[] tmp = new float[in.length];
    for (int y = 0; y < h; y++) {
      double s = 0;
      for (int k = 0; k <= Math.min(r, w - 1); k++) {
        s += in[y * w + k];
      }
      tmp[y * w] = (float) s;
      for (int x = 1; x < w; x++) {
        if (x + r < w) {
          s += in[y * w + x + r];
        }
        if (x - r - 1 >= 0) {
          s -= in[y * w + x - r - 1];
        }
        tmp[y * w + x] = (float) s;
      }
    }
    float[] out = new float[in.length];
    for (int x = 0; x < w; x++) {
      double s = 0;
      for (int k = 0; k <= Math.min(r, h - 1); k++) {
        s += tmp[k * w + x];
      }
      out[x] = (float) s;
      for (int y = 1; y < h; y++) {
        if (y + r < h) {
          s += tmp[(y + r) * w + x];
        }
        if (y - r - 1 >= 0) {
          s -= tmp[(y - r - 1) * w + x];
        }
        out[y * w + x] = (float) s;
      }
    }
    return out;
  }

  /** The running-sum box filter as first written: row sums with bounds tests per step, then columns. */
  private static float[] reference(float[] in, int w, int h, int r) {
    float[] tmp = new float[in.length];
    for (int y = 0; y < h; y++) {
      int o = y * w;
      double s = 0;
      int lo = 0;
      int hi = -1;
      for (int x = 0; x < w; x++) {
        int nh = Math.min(w - 1, x + r);
        int nl = Math.max(0, x - r);
        while (hi < nh) {
          s += in[o + ++hi];
        }
        while (lo < nl) {
          s -= in[o + lo++];
        }
        tmp[o + x] = (float) (s / (hi - lo + 1));
      }
    }
    float[] out = new float[in.length];
    double[] col = new double[w];
    int top = 0;
    int bottom = -1;
    for (int y = 0; y < h; y++) {
      int nh = Math.min(h - 1, y + r);
      int nl = Math.max(0, y - r);
      while (bottom < nh) {
        bottom++;
        for (int x = 0; x < w; x++) {
          col[x] += tmp[bottom * w + x];
        }
      }
      while (top < nl) {
        for (int x = 0; x < w; x++) {
          col[x] -= tmp[top * w + x];
        }
        top++;
      }
      double inv = 1.0 / (bottom - top + 1);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (float) (col[x] * inv);
      }
    }
    return out;
  }
}
