package dev.hallmark.watermark.internal.image;

import java.util.ArrayList;
import java.util.List;

/** Finds the period of a tiled pattern from the mean autocorrelation of rows and of columns. */
final class Periods {
  private static final int MAX_LINES = 512;
  private static final int LINE_BLOCK = 32;

  private Periods() {}

  /**
   * Up to {@code count} periods in [{@code minP}, {@code maxP}], strongest first (sub-pixel). A
   * period's strength is the detrended autocorrelation summed over its first harmonics (P, 2P, 3P
   * while they fit), divided by the square root of their number, so a true tile period, which
   * repeats, beats a one-off texture peak.
   */
  static double[] strongest(float[] r, int w, int h, double minP, double maxP, int count) {
    return strongest(r, w, h, minP, maxP, count, MAX_LINES);
  }

  /** {@link #strongest(float[], int, int, double, double, int)} from at most about {@code maxLines} rows and as many columns. */
  static double[] strongest(float[] r, int w, int h, double minP, double maxP, int count, int maxLines) {
    int lo = Math.max(9, (int) Math.floor(minP) - 1);
    int hiP = (int) Math.ceil(maxP) + 1;
    int hi = Math.max(hiP, Math.min(3 * hiP, Math.max(w, h) - 16)) + 4;
    double[] ax = autocorr(r, w, h, true, hi, maxLines);
    double[] ay = autocorr(r, w, h, false, hi, maxLines);
    int linesX = (h + Math.max(1, h / maxLines) - 1) / Math.max(1, h / maxLines);
    int linesY = (w + Math.max(1, w / maxLines) - 1) / Math.max(1, w / maxLines);
    double[] a = new double[hi + 1];
    // Standard error of a[d] (in units of the per-pair noise): fewer pairs at long lags are noisier,
    // so scores are compared as z-values, not raw correlations.
    double[] se = new double[hi + 1];
    for (int d = 0; d <= hi; d++) {
      boolean okx = d < w - 16;
      boolean oky = d < h - 16;
      a[d] = !okx && !oky ? Double.NaN : (okx ? ax[d] : 0) + (oky ? ay[d] : 0);
      se[d] = Math.sqrt((okx ? 1.0 / ((double) linesX * (w - d)) : 0) + (oky ? 1.0 / ((double) linesY * (h - d)) : 0));
    }
    double[] sm = new double[hi + 1];
    java.util.Arrays.fill(sm, Double.NaN);
    for (int d = 2; d <= hi - 2; d++) {
      sm[d] = (a[d - 2] + 2 * a[d - 1] + 3 * a[d] + 2 * a[d + 1] + a[d + 2]) / 9;
    }
    double[] score = new double[hi + 1];
    java.util.Arrays.fill(score, Double.NaN);
    for (int d = 8; d <= hi - 2; d++) {
      int inner = Math.max(2, d / 16);
      int outer = Math.max(inner + 3, d / 5);
      double s = 0;
      int n = 0;
      for (int k = inner; k <= outer; k++) {
        if (d - k >= 2 && !Double.isNaN(sm[d - k])) {
          s += sm[d - k];
          n++;
        }
        if (d + k <= hi - 2 && !Double.isNaN(sm[d + k])) {
          s += sm[d + k];
          n++;
        }
      }
      score[d] = n == 0 || Double.isNaN(sm[d]) || se[d] == 0 ? Double.NaN : (sm[d] - s / n) / se[d];
    }
    // Robust scale of the score, so harmonics at different lags are comparable.
    double[] harm = new double[hiP + 2];
    java.util.Arrays.fill(harm, Double.NaN);
    for (int d = lo; d <= hiP && d < score.length; d++) {
      double s = 0;
      int n = 0;
      for (int k = 1; k <= 3; k++) {
        double kd = k * (double) d;
        int i = (int) Math.floor(kd);
        if (i + 1 >= score.length || Double.isNaN(score[i]) || Double.isNaN(score[i + 1])) {
          break;
        }
        double f = kd - i;
        s += score[i] * (1 - f) + score[i + 1] * f;
        n++;
      }
      if (n > 0) {
        harm[d] = s / Math.sqrt(n);
      }
    }
    List<double[]> peaks = new ArrayList<>();
    for (int d = lo + 1; d < hiP; d++) {
      if (Double.isNaN(harm[d]) || Double.isNaN(harm[d - 1]) || Double.isNaN(harm[d + 1])) {
        continue;
      }
      if (harm[d] > 0 && harm[d] >= harm[d - 1] && harm[d] > harm[d + 1]) {
        double den = harm[d - 1] - 2 * harm[d] + harm[d + 1];
        double off = den < 0 ? 0.5 * (harm[d - 1] - harm[d + 1]) / den : 0;
        peaks.add(new double[] {d + Math.max(-0.5, Math.min(0.5, off)), harm[d]});
      }
    }
    peaks.sort((p, q) -> Double.compare(q[1], p[1]));
    double[] out = new double[Math.min(count, peaks.size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = peaks.get(i)[0];
    }
    return out;
  }

  /**
   * Mean autocorrelation (per pair) of up to MAX_LINES evenly spaced rows or columns, for lags up to
   * {@code maxLag} (and below the line length), from the summed power spectra of the zero-padded
   * lines. Lines go through the FFT two at a time, one as the real and one as the imaginary part:
   * for Z = FFT(a + ib) of real a and b, |A[k]|^2 + |B[k]|^2 = (|Z[k]|^2 + |Z[-k]|^2) / 2.
   */
  private static double[] autocorr(float[] r, int w, int h, boolean rows, int maxLag, int maxLines) {
    int len = rows ? w : h;
    int lines = rows ? h : w;
    // Padding to len + lag keeps every lag below the line length free of wrap-around.
    int n = Integer.highestOneBit(Math.max(2, len + Math.min(maxLag, len - 1)) - 1) << 1;
    Fft fft = new Fft(n);
    double[] power = new double[n];
    int step = Math.max(1, lines / maxLines);
    double[][] re = new double[n][LINE_BLOCK];
    double[][] im = new double[n][LINE_BLOCK];
    int[] block = new int[2 * LINE_BLOCK];
    for (int l = 0; l < lines; ) {
      int cnt = 0;
      for (; cnt < 2 * LINE_BLOCK && l < lines; l += step) {
        block[cnt++] = l;
      }
      int pairs = (cnt + 1) / 2;
      if (pairs < LINE_BLOCK) {
        re = new double[n][pairs];
        im = new double[n][pairs];
      }
      for (int i = 0; i < n; i++) {
        java.util.Arrays.fill(re[i], 0);
        java.util.Arrays.fill(im[i], 0);
      }
      for (int j = 0; j < cnt; j++) {
        double[][] dst = (j & 1) == 0 ? re : im;
        int col = j >> 1;
        int line = block[j];
        if (rows) {
          int o = line * w;
          for (int i = 0; i < len; i++) {
            dst[i][col] = r[o + i];
          }
        } else {
          for (int i = 0; i < len; i++) {
            dst[i][col] = r[i * w + line];
          }
        }
      }
      fft.transformLines(re, im, false);
      for (int i = 0; i < n; i++) {
        double[] a = re[i];
        double[] b = im[i];
        double[] c = re[(n - i) & (n - 1)];
        double[] d = im[(n - i) & (n - 1)];
        double p = 0;
        for (int j = 0; j < pairs; j++) {
          p += a[j] * a[j] + b[j] * b[j] + c[j] * c[j] + d[j] * d[j];
        }
        power[i] += 0.5 * p;
      }
    }
    fft.transform(power, new double[n], true);
    double[] out = new double[maxLag + 1];
    double zero = power[0];
    for (int d = 0; d <= maxLag && d < len; d++) {
      out[d] = power[d] / zero * len / (double) (len - d);
    }
    return out;
  }
}
