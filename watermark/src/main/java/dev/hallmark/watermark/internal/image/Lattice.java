package dev.hallmark.watermark.internal.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Estimates the similarity transform (rotation and scale, up to the 8 symmetries of the square,
 * which the detector tries separately) that maps the 128-pixel tile lattice onto an image, from the
 * peaks the tiled pattern leaves in the 2-D autocorrelation of the whitened residual.
 *
 * <p>The pattern repeats along two orthogonal period vectors {@code s R(theta) (128, 0)} and
 * {@code s R(theta) (0, 128)}, so the autocorrelation has peaks on that lattice whatever the rotation,
 * flip or resize. The central (at most {@value #MAX_WINDOW} pixels a side) window of the residual
 * (averaged over 2x2 blocks when the image is at least 1024 pixels a side) is zero-padded to a power of two at least 1.6 times its longer side and transformed (FFT); its power
 * spectrum transformed back is the linear autocorrelation, divided by the square root of the number
 * of pixel pairs at each lag (unit variance for white noise), less its local mean. Its values are
 * summed at the ten shortest lattice vectors (those within the usable lags) for every (theta, s) on
 * a grid (theta in [0, 90) degrees, as a lattice rotated by 90 degrees is the same lattice). The
 * best few grid points are refined on a finer grid. Only the count of hypotheses returned matters
 * for the detector's p-value, never their scores. Pure.
 */
final class Lattice {
  private Lattice() {}

  static final int MAX_WINDOW = 640;
  private static final double COARSE_DEG = 0.2;
  private static final double COARSE_LOG_SCALE = 0.004;
  private static final int[][] VECTORS = {
    {1, 0}, {0, 1}, {1, 1}, {1, -1}, {2, 0}, {0, 2}, {2, 1}, {1, 2}, {2, -1}, {1, -2}};

  /** An estimated rotation (degrees, in [0, 90)) and scale, with its lattice score. */
  record Estimate(double degrees, double scale, double score) {}

  /** The detrended, normalised linear autocorrelation of a residual (n x n, lags mod n). */
  record Autocorrelation(float[] a, int n, double maxLag, int factor) {}

  /**
   * Up to {@code count} estimates with scale in [minScale, maxScale], strongest first, at least
   * 1.5 degrees or 3% of scale apart; empty when the image is too small for the scale range.
   */
  static List<Estimate> estimate(Autocorrelation ac, double minScale, double maxScale, int count) {
    if (ac == null) {
      return List.of();
    }
    float[] a = ac.a();
    int n = ac.n();
    double maxLag = ac.maxLag();
    // Scores are computed on the (possibly downsampled) lag grid: scale s there is s / factor.
    double f = ac.factor();
    minScale /= f;
    maxScale = Math.min(maxScale / f, maxLag / 128.0);
    if (maxScale <= minScale) {
      return List.of();
    }
    int nt = (int) Math.round(90 / COARSE_DEG);
    int ns = (int) Math.ceil(Math.log(maxScale / minScale) / COARSE_LOG_SCALE) + 1;
    double[] grid = new double[nt * ns];
    double[] scales = new double[ns];
    for (int s = 0; s < ns; s++) {
      scales[s] = minScale * Math.exp(s * COARSE_LOG_SCALE);
    }
    coarseGrid(a, n, nt, scales, maxLag, grid);
    List<Estimate> coarse = new ArrayList<>();
    boolean[] taken = new boolean[grid.length];
    while (coarse.size() < count) {
      int best = -1;
      for (int i = 0; i < grid.length; i++) {
        if (!taken[i] && (best < 0 || grid[i] > grid[best])) {
          best = i;
        }
      }
      if (best < 0 || grid[best] == Double.NEGATIVE_INFINITY) {
        break;
      }
      double deg = (best / ns) * COARSE_DEG;
      double sc = minScale * Math.exp((best % ns) * COARSE_LOG_SCALE);
      Estimate e = refine(a, n, deg, sc, maxLag);
      coarse.add(new Estimate(e.degrees(), e.scale() * f, e.score()));
      // Suppress the neighbourhood (angles wrap at 90 degrees).
      for (int t = 0; t < nt; t++) {
        double dd = Math.abs(t * COARSE_DEG - deg);
        dd = Math.min(dd, 90 - dd);
        if (dd > 1.5) {
          continue;
        }
        for (int s = 0; s < ns; s++) {
          if (Math.abs(Math.log(scales[s] / sc)) < 0.03) {
            taken[t * ns + s] = true;
          }
        }
      }
    }
    return coarse;
  }

  /**
   * {@link #score} at every (angle, scale) of the coarse grid, angle-major, into {@code grid}. In
   * its own method the loop measured about 4 ms faster at 1920x1080 than inlined in
   * {@link #estimate} (the same doubles); presumably the JIT compiles a small hot method better
   * than a loop it reaches by on-stack replacement.
   */
  private static void coarseGrid(float[] a, int n, int nt, double[] scales, double maxLag, double[] grid) {
    int ns = scales.length;
    for (int t = 0; t < nt; t++) {
      // The angle's cosine and sine once per angle, not per grid point (the same values score takes).
      double rad = Math.toRadians(t * COARSE_DEG);
      double cos = Math.cos(rad);
      double sin = Math.sin(rad);
      for (int s = 0; s < ns; s++) {
        grid[t * ns + s] = score(a, n, cos, sin, scales[s], maxLag);
      }
    }
  }

  private static Estimate refine(float[] a, int n, double deg, double sc, double maxLag) {
    double bestDeg = deg;
    double bestSc = sc;
    double best = Double.NEGATIVE_INFINITY;
    for (int i = -8; i <= 8; i++) {
      for (int j = -8; j <= 8; j++) {
        double d = deg + i * 0.025;
        double s = sc * Math.exp(j * 0.0005);
        double v = score(a, n, d, s, maxLag);
        if (v > best) {
          best = v;
          bestDeg = d;
          bestSc = s;
        }
      }
    }
    bestDeg = ((bestDeg % 90) + 90) % 90;
    return new Estimate(bestDeg, bestSc, best);
  }

  /** Sum of the detrended autocorrelation at the lattice vectors, over the square root of their count. */
  static double score(float[] a, int n, double deg, double scale, double maxLag) {
    double rad = Math.toRadians(deg);
    return score(a, n, Math.cos(rad), Math.sin(rad), scale, maxLag);
  }

  /** {@link #score(float[], int, double, double, double)} given the angle's cosine and sine. */
  private static double score(float[] a, int n, double cos, double sin, double scale, double maxLag) {
    double c = cos * scale * 128;
    double s = sin * scale * 128;
    double sum = 0;
    int used = 0;
    double maxLag2 = maxLag * maxLag;
    for (int[] v : VECTORS) {
      double x = c * v[0] - s * v[1];
      double y = s * v[0] + c * v[1];
      if (x * x + y * y > maxLag2) { // not Math.hypot: its care for overflow cost more than the look-ups
        continue;
      }
      sum += bilinear(a, n, x, y);
      used++;
    }
    return used == 0 ? Double.NEGATIVE_INFINITY : sum / Math.sqrt(used);
  }

  private static double bilinear(float[] a, int n, double x, double y) {
    double fx = Math.floor(x);
    double fy = Math.floor(y);
    double tx = x - fx;
    double ty = y - fy;
    int x0 = ((int) fx) & (n - 1);
    int y0 = ((int) fy) & (n - 1);
    int x1 = (x0 + 1) & (n - 1);
    int y1 = (y0 + 1) & (n - 1);
    return (1 - ty) * ((1 - tx) * a[y0 * n + x0] + tx * a[y0 * n + x1])
        + ty * ((1 - tx) * a[y1 * n + x0] + tx * a[y1 * n + x1]);
  }

  /**
   * Linear autocorrelation of the central window (at most {@value #MAX_WINDOW} a side), zero-padded
   * to n x n and indexed by lag mod n, over the square root of the pixel pairs at each lag, less its
   * 9x9 local mean and divided by its standard deviation; null when the window is under 96 pixels.
   */
  static Autocorrelation autocorrelation(float[] full, int fw, int fh) {
    // Images of 1024 pixels or more a side: 2x2 means of the residual keep the period structure
    // (128 becomes 64) over the same 640-pixel area at a quarter of the transform cost (the
    // estimate is a little less often right than at full resolution, about 45 ms instead of 170).
    int factor = Math.min(fw, fh) >= 1024 ? 2 : 1;
    int w = fw / factor;
    int h = fh / factor;
    float[] r = full;
    if (factor == 2) {
      r = new float[w * h];
      for (int y = 0; y < h; y++) {
        int o0 = 2 * y * fw;
        int o1 = o0 + fw;
        for (int x = 0; x < w; x++) {
          r[y * w + x] = 0.25f * (full[o0 + 2 * x] + full[o0 + 2 * x + 1] + full[o1 + 2 * x] + full[o1 + 2 * x + 1]);
        }
      }
    }
    int wc = Math.min(w, MAX_WINDOW / factor);
    int hc = Math.min(h, MAX_WINDOW / factor);
    if (Math.min(wc, hc) < 96) {
      return null;
    }
    int n = Integer.highestOneBit((int) Math.ceil(1.6 * Math.max(wc, hc)) - 1) << 1;
    // Lags stay linear (no wrap) up to n - side; pairs thin out beyond 60% of the shorter side.
    double maxLag = Math.min(n - Math.max(wc, hc), 0.6 * Math.min(wc, hc)) - 3;
    Fft fft = new Fft(n);
    double[][] tre = new double[n][n];
    double[][] tim = new double[n][n];
    int x0 = (w - wc) / 2;
    int y0 = (h - hc) / 2;
    for (int y = 0; y < hc; y++) {
      int o = (y0 + y) * w + x0;
      for (int x = 0; x < wc; x++) {
        tre[x][y] = r[o + x];
      }
    }
    double[][] re = new double[n][n];
    double[][] im = new double[n][n];
    fft.transform2dTransposed(tre, tim, re, im, false);
    // Power spectrum, transposed for the inverse transform (power is real and even).
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        tre[x][y] = re[y][x] * re[y][x] + im[y][x] * im[y][x];
        tim[x][y] = 0;
      }
    }
    tre[0][0] = 0; // drop the mean
    fft.transform2dTransposed(tre, tim, re, im, true);
    float[] a = new float[n * n];
    for (int y = 0; y < n; y++) {
      int ly = Math.min(y, n - y);
      double py = Math.max(1, hc - ly);
      for (int x = 0; x < n; x++) {
        int lx = Math.min(x, n - x);
        a[y * n + x] = (float) (re[y][x] / Math.sqrt(py * Math.max(1, wc - lx)));
      }
    }
    // Centre the lags so the box filter does not cross the wrap at lag 0, detrend, and move back.
    float[] centred = new float[n * n];
    int half = n / 2;
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        centred[((y + half) & (n - 1)) * n + ((x + half) & (n - 1))] = a[y * n + x];
      }
    }
    float[] mean = Filters.box(centred, n, n, 4);
    double ss = 0;
    for (int i = 0; i < centred.length; i++) {
      centred[i] -= mean[i];
      ss += (double) centred[i] * centred[i];
    }
    float sd = (float) Math.sqrt(ss / centred.length + 1e-30);
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        a[y * n + x] = centred[((y + half) & (n - 1)) * n + ((x + half) & (n - 1))] / sd;
      }
    }
    return new Autocorrelation(a, n, maxLag, factor);
  }
}
