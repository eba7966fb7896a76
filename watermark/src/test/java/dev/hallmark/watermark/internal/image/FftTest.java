package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The FFT against a direct DFT, and its batched and 2-D forms against the single-line transform,
 * which they must reproduce bit for bit (detection results must not depend on the layout).
 */
class FftTest {
  private static final long SEED = 20261125L;

  private static double[] gaussian(Random rnd, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextGaussian();
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 8, 64, 128, 1024})
  void matchesTheDirectDft(int n) {
    System.out.println("FftTest seed " + SEED);
    Random rnd = new Random(SEED + n);
    double[] re = gaussian(rnd, n);
    double[] im = gaussian(rnd, n);
    double[] r = re.clone();
    double[] i = im.clone();
    new Fft(n).transform(r, i, false);
    double worst = 0;
    for (int k = 0; k < n; k++) {
      double sr = 0;
      double si = 0;
      for (int t = 0; t < n; t++) {
        double a = -2 * Math.PI * ((long) k * t % n) / n;
        sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
        si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
      }
      worst = Math.max(worst, Math.hypot(sr - r[k], si - i[k]));
    }
    assertTrue(worst < 1e-9 * n, "largest error " + worst);
    new Fft(n).transform(r, i, true);
    for (int k = 0; k < n; k++) {
      assertEquals(re[k], r[k] / n, 1e-12, "round trip at " + k);
    }
  }

  /**
   * The straightforward radix-2 transform (bit reversal, then butterflies group by group) whose
   * results the detection figures were first recorded with.
   */
  private static void textbook(double[] re, double[] im, boolean inverse) {
    int n = re.length;
    int bits = Integer.numberOfTrailingZeros(n);
    for (int i = 0; i < n; i++) {
      int j = Integer.reverse(i) >>> (32 - bits);
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double sgn = inverse ? 1 : -1;
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int step = n / len;
      for (int i = 0; i < n; i += len) {
        for (int k = 0; k < half; k++) {
          double wr = Math.cos(2 * Math.PI * (k * step) / n);
          double wi = sgn * Math.sin(2 * Math.PI * (k * step) / n);
          int a = i + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {128, 1024})
  void singleTransformIsBitIdenticalToTheTextbookOrder(int n) {
    Random rnd = new Random(SEED - n);
    double[] re = gaussian(rnd, n);
    double[] im = gaussian(rnd, n);
    double[] r = re.clone();
    double[] i = im.clone();
    new Fft(n).transform(r, i, false);
    textbook(re, im, false);
    for (int k = 0; k < n; k++) {
      assertEquals(Double.doubleToLongBits(re[k]), Double.doubleToLongBits(r[k]), "re " + k);
      assertEquals(Double.doubleToLongBits(im[k]), Double.doubleToLongBits(i[k]), "im " + k);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 32})
  void linesAreBitIdenticalToSingleTransforms(int lines) {
    int n = 256;
    Random rnd = new Random(SEED + lines);
    Fft fft = new Fft(n);
    double[][] re = new double[n][lines];
    double[][] im = new double[n][lines];
    double[][] want = new double[lines][];
    double[][] wantIm = new double[lines][];
    for (int j = 0; j < lines; j++) {
      double[] r = gaussian(rnd, n);
      double[] i = gaussian(rnd, n);
      for (int k = 0; k < n; k++) {
        re[k][j] = r[k];
        im[k][j] = i[k];
      }
      textbook(r, i, j % 2 == 1);
      want[j] = r;
      wantIm[j] = i;
    }
    // Lines are transformed with one direction at a time; redo the odd ones inverse separately.
    double[][] re2 = new double[n][lines];
    double[][] im2 = new double[n][lines];
    for (int k = 0; k < n; k++) {
      re2[k] = re[k].clone();
      im2[k] = im[k].clone();
    }
    fft.transformLines(re, im, false);
    fft.transformLines(re2, im2, true);
    for (int j = 0; j < lines; j++) {
      double[][] gr = j % 2 == 1 ? re2 : re;
      double[][] gi = j % 2 == 1 ? im2 : im;
      for (int k = 0; k < n; k++) {
        assertEquals(Double.doubleToLongBits(want[j][k]), Double.doubleToLongBits(gr[k][j]), "line " + j + " re " + k);
        assertEquals(Double.doubleToLongBits(wantIm[j][k]), Double.doubleToLongBits(gi[k][j]), "line " + j + " im " + k);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void twoDimensionalFormsAreBitIdenticalToRowsThenColumns(boolean inverse) {
    int n = 128;
    Random rnd = new Random(SEED + (inverse ? 1 : 0));
    Fft fft = new Fft(n);
    double[] re = gaussian(rnd, n * n);
    double[] im = gaussian(rnd, n * n);
    // Reference: every row with the single-line transform, then every column.
    double[] wr = re.clone();
    double[] wi = im.clone();
    double[] lr = new double[n];
    double[] li = new double[n];
    for (int y = 0; y < n; y++) {
      System.arraycopy(wr, y * n, lr, 0, n);
      System.arraycopy(wi, y * n, li, 0, n);
      textbook(lr, li, inverse);
      System.arraycopy(lr, 0, wr, y * n, n);
      System.arraycopy(li, 0, wi, y * n, n);
    }
    for (int x = 0; x < n; x++) {
      for (int y = 0; y < n; y++) {
        lr[y] = wr[y * n + x];
        li[y] = wi[y * n + x];
      }
      textbook(lr, li, inverse);
      for (int y = 0; y < n; y++) {
        wr[y * n + x] = lr[y];
        wi[y * n + x] = li[y];
      }
    }
    double[] fr = re.clone();
    double[] fi = im.clone();
    fft.transform2d(fr, fi, inverse);
    double[][] tr = new double[n][n];
    double[][] ti = new double[n][n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        tr[x][y] = re[y * n + x];
        ti[x][y] = im[y * n + x];
      }
    }
    double[][] or = new double[n][n];
    double[][] oi = new double[n][n];
    fft.transform2dTransposed(tr, ti, or, oi, inverse);
    for (int i = 0; i < n * n; i++) {
      assertEquals(Double.doubleToLongBits(wr[i]), Double.doubleToLongBits(fr[i]), "transform2d re " + i);
      assertEquals(Double.doubleToLongBits(wi[i]), Double.doubleToLongBits(fi[i]), "transform2d im " + i);
      assertEquals(Double.doubleToLongBits(wr[i]), Double.doubleToLongBits(or[i / n][i % n]), "transposed re " + i);
      assertEquals(Double.doubleToLongBits(wi[i]), Double.doubleToLongBits(oi[i / n][i % n]), "transposed im " + i);
    }
  }
}
