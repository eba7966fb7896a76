package dev.hallmark.watermark.internal.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The localisation windows of one image (docs/spec/image-watermark.md, detection step 5; detector 1.7).
 * The image is cut into {@value #CELLS} x {@value #CELLS} cells (column boundaries
 * {@code floor(i w / CELLS)}, rows likewise); the windows are the rectangles of whole cells, of any
 * aspect ratio, covering at most {@value #MAX_CELLS} cells (half the image), at every cell position,
 * kept when at least one tile (128 pixels) wide and high. Which windows exist depends on the image
 * size only, so their number, which enters the p-value, is fixed before the data are looked at.
 * Detectors 1.2 to 1.6 used the squares of 2, 3 and 4 cells a side; a picture pasted into another
 * has any aspect ratio, and a long narrow one fills no square.
 *
 * <p>A window's fold is the sum, per bin, of its pixels' residuals less the image's mean residual
 * (scale 1, no rotation). That is linear in its cells' folds, and so are its sync correlation at
 * every offset and its chip sums: the cells are transformed once (36 tiles, not one per window), and
 * each window's correlation and chip sums are read from prefix sums over the cell grid.
 *
 * <p>Not thread-safe: one instance per detection.
 */
final class Windows {
  static final int CELLS = 6;
  /** A window covers at most this many cells (half the image): larger ones add little to the whole image's fold. */
  static final int MAX_CELLS = CELLS * CELLS / 2;
  private static final int T = KeyedPattern.TILE;
  private static final int TT = T * T;
  private static final int P = CELLS + 1;

  /** One window: its rectangle in pixels and in cells, and whether it is scored. */
  static final class Window {
    final int x;
    final int y;
    final int width;
    final int height;
    final int cellX;
    final int cellY;
    final int cellsWide;
    final int cellsHigh;
    /**
     * False for a mostly flat window (fewer than {@code max(half its pixels, 16384)} pixels with a
     * residual other than exactly 0: the black border of a perspective warp or rotation, padding,
     * clipped highlights). Its few live pixels fill few bins, and the correlation of such a tile is
     * far from normal (z of 6.4 on unmarked photos), so it is never scored (z 0, p 1); it still
     * counts in the number of windows.
     */
    final boolean scored;

    Window(int x, int y, int width, int height, int cellX, int cellY, int cellsWide, int cellsHigh,
        boolean scored) {
      this.x = x;
      this.y = y;
      this.width = width;
      this.height = height;
      this.cellX = cellX;
      this.cellY = cellY;
      this.cellsWide = cellsWide;
      this.cellsHigh = cellsHigh;
      this.scored = scored;
    }
  }

  final List<Window> list;
  final int[] xs;
  final int[] ys;
  /** Per cell ({@code j * CELLS + i}), its fold: per bin, the sum of its pixels' residuals less the mean. */
  private final double[][] cellFolds;
  /** Prefix sums over the cell grid of the cells' chip sums (after {@link #prepare}). */
  private double[][] chipPrefix;
  private List<TiledSpreadSpectrum.PairSpectrum> spectra;
  /** Per key, the cells' correlations and their prefix sums (reused across keys). */
  private double[][] cellCorr;
  private double[][] corrPrefix;

  private Windows(List<Window> list, int[] xs, int[] ys, double[][] cellFolds) {
    this.list = list;
    this.xs = xs;
    this.ys = ys;
    this.cellFolds = cellFolds;
  }

  int size() {
    return list.size();
  }

  /** No windows (a search at known geometry). */
  static Windows none() {
    return new Windows(List.of(), new int[0], new int[0], null);
  }

  /** The windows of an image of w x h pixels with residual {@code r} (row-major), and its cells' folds. */
  static Windows of(float[] r, int w, int h) {
    int[] xs = new int[CELLS + 1];
    int[] ys = new int[CELLS + 1];
    for (int i = 0; i <= CELLS; i++) {
      xs[i] = (int) ((long) i * w / CELLS);
      ys[i] = (int) ((long) i * h / CELLS);
    }
    List<int[]> specs = new ArrayList<>();
    for (int sh = CELLS; sh >= 1; sh--) {
      for (int sw = CELLS; sw >= 1; sw--) {
        for (int cy = 0; cy + sh <= CELLS; cy++) {
          for (int cx = 0; cx + sw <= CELLS; cx++) {
            if (xs[cx + sw] - xs[cx] >= T && ys[cy + sh] - ys[cy] >= T && sw * sh <= MAX_CELLS) {
              specs.add(new int[] {cx, cy, sw, sh});
            }
          }
        }
      }
    }
    if (specs.isEmpty()) {
      return new Windows(List.of(), xs, ys, null);
    }
    float[][][] cell = new float[CELLS * CELLS][T][T];
    int[][] cntX = new int[CELLS][T];
    int[][] cntY = new int[CELLS][T];
    for (int c = 0; c < CELLS; c++) {
      for (int x = xs[c]; x < xs[c + 1]; x++) {
        cntX[c][x & (T - 1)]++;
      }
      for (int y = ys[c]; y < ys[c + 1]; y++) {
        cntY[c][y & (T - 1)]++;
      }
    }
    float[] stage = new float[T];
    long[] live = new long[CELLS * CELLS];
    double total = 0;
    int cr = 0;
    for (int y = 0; y < h; y++) {
      while (y >= ys[cr + 1]) {
        cr++;
      }
      int by = y & (T - 1);
      int o = y * w;
      for (int cc = 0; cc < CELLS; cc++) {
        float[] row = cell[cr * CELLS + cc][by];
        int end = xs[cc + 1];
        int n = 0;
        double s = 0;
        for (int x = xs[cc]; x < end; x++) {
          float v = r[o + x];
          n += v != 0f ? 1 : 0;
          s += v;
        }
        live[cr * CELLS + cc] += n;
        total += s;
        for (int x = xs[cc]; x < end; ) {
          int bin = x & (T - 1);
          int len = Math.min(end - x, T - bin);
          TiledSpreadSpectrum.addChunk(row, bin, len, r, o + x, stage);
          x += len;
        }
      }
    }
    double mean = total / ((double) w * h);
    double[][] folds = new double[CELLS * CELLS][];
    for (int j = 0; j < CELLS; j++) {
      for (int i = 0; i < CELLS; i++) {
        float[][] c = cell[j * CELLS + i];
        double[] f = new double[TT];
        for (int by = 0; by < T; by++) {
          double my = mean * cntY[j][by];
          float[] row = c[by];
          int o = by * T;
          for (int bx = 0; bx < T; bx++) {
            f[o + bx] = row[bx] - my * cntX[i][bx];
          }
        }
        folds[j * CELLS + i] = f;
      }
    }
    List<Window> out = new ArrayList<>();
    for (int[] sp : specs) {
      int cx0 = sp[0];
      int cy0 = sp[1];
      int ww = xs[cx0 + sp[2]] - xs[cx0];
      int wh = ys[cy0 + sp[3]] - ys[cy0];
      long alive = 0;
      for (int j = cy0; j < cy0 + sp[3]; j++) {
        for (int i = cx0; i < cx0 + sp[2]; i++) {
          alive += live[j * CELLS + i];
        }
      }
      boolean scored = alive >= Math.max((long) ww * wh / 2, TT);
      out.add(new Window(xs[cx0], ys[cy0], ww, wh, cx0, cy0, sp[2], sp[3], scored));
    }
    return new Windows(List.copyOf(out), xs, ys, folds);
  }

  /** The fold of the cells in columns [i0, i1) and rows [j0, j1), row-major. */
  double[] fold(int i0, int j0, int i1, int j1) {
    double[] acc = new double[TT];
    for (int j = j0; j < j1; j++) {
      for (int i = i0; i < i1; i++) {
        double[] c = cellFolds[j * CELLS + i];
        for (int b = 0; b < TT; b++) {
          acc[b] += c[b];
        }
      }
    }
    return acc;
  }

  /** A window's fold. */
  double[] fold(Window win) {
    return fold(win.cellX, win.cellY, win.cellX + win.cellsWide, win.cellY + win.cellsHigh);
  }

  /**
   * Transforms the cells' folds and sums their chip sums over the grid (what every key's search
   * shares); {@code filter} is the spectral weight times the chip kernel.
   */
  void prepare(double[][] filter, Fft fft) {
    if (list.isEmpty()) {
      return;
    }
    List<TiledSpreadSpectrum.Fold> cells = new ArrayList<>();
    for (double[] f : cellFolds) {
      cells.add(new TiledSpreadSpectrum.Fold(1.0, 0, f));
    }
    spectra = TiledSpreadSpectrum.spectra(cells, fft);
    chipPrefix = prefix(TiledSpreadSpectrum.chipSums(spectra, cells.size(), filter, fft));
  }

  /** A window's chip sums (see {@link TiledSpreadSpectrum#chipSums}), row-major. */
  double[] chipSum(Window win) {
    double[] out = new double[TT];
    int[] q = corners(win);
    double[] a = chipPrefix[q[0]];
    double[] b = chipPrefix[q[1]];
    double[] c = chipPrefix[q[2]];
    double[] d = chipPrefix[q[3]];
    for (int t = 0; t < TT; t++) {
      out[t] = a[t] - b[t] - c[t] + d[t];
    }
    return out;
  }

  /** Prefix-sum indices {(i1, j1), (i1, j0), (i0, j1), (i0, j0)} of a window. */
  private static int[] corners(Window win) {
    int i0 = win.cellX;
    int j0 = win.cellY;
    int i1 = i0 + win.cellsWide;
    int j1 = j0 + win.cellsHigh;
    return new int[] {j1 * P + i1, j0 * P + i1, j1 * P + i0, j0 * P + i0};
  }

  /** {@code out[j * P + i]} = the sum of {@code cells[j' * CELLS + i']} over j' < j, i' < i. */
  private static double[][] prefix(List<double[]> cells) {
    return prefix(cells.toArray(new double[0][]), null);
  }

  private static double[][] prefix(double[][] cells, double[][] into) {
    double[][] out = into != null ? into : new double[P * P][TT];
    for (int i = 0; i < P; i++) {
      Arrays.fill(out[i], 0); // row j = 0
      Arrays.fill(out[i * P], 0); // column i = 0
    }
    for (int j = 0; j < CELLS; j++) {
      for (int i = 0; i < CELLS; i++) {
        double[] up = out[j * P + i + 1];
        double[] left = out[(j + 1) * P + i];
        double[] diag = out[j * P + i];
        double[] c = cells[j * CELLS + i];
        double[] o = out[(j + 1) * P + i + 1];
        for (int t = 0; t < TT; t++) {
          o[t] = up[t] + left[t] - diag[t] + c[t];
        }
      }
    }
    return out;
  }

  /**
   * Every window's sync statistic for one key (identity symmetry): as {@code peak} does for a fold,
   * the largest z over the {@code offsets} offsets with the largest raw correlation, and that offset;
   * z 0 for a window that is not scored.
   */
  void scan(KeyedPattern pattern, double[][] weight, Fft fft, int offsets, double[] wz, int[] wshift) {
    if (list.isEmpty()) {
      return;
    }
    if (cellCorr == null) {
      cellCorr = new double[CELLS * CELLS][TT];
      corrPrefix = new double[P * P][TT];
    }
    double[][] zr = new double[T][T];
    double[][] zi = new double[T][T];
    double[][] cr = new double[T][T];
    double[][] ci = new double[T][T];
    for (TiledSpreadSpectrum.PairSpectrum pair : spectra) {
      TiledSpreadSpectrum.crossSpectrum(pattern.syncRe, pattern.syncIm, pair, 0, weight, zr, zi);
      fft.transform2dTransposed(zr, zi, cr, ci, true);
      for (int y = 0; y < T; y++) {
        System.arraycopy(cr[y], 0, cellCorr[pair.first], y * T, T);
        if (pair.second >= 0) {
          System.arraycopy(ci[y], 0, cellCorr[pair.second], y * T, T);
        }
      }
    }
    prefix(cellCorr, corrPrefix);
    double[] val = new double[offsets];
    int[] top = new int[offsets];
    TiledSpreadSpectrum.ChipValues chips = new TiledSpreadSpectrum.ChipValues();
    for (int n = 0; n < list.size(); n++) {
      Window win = list.get(n);
      wz[n] = 0;
      wshift[n] = 0;
      if (!win.scored) {
        continue;
      }
      int[] q = corners(win);
      double[] a = corrPrefix[q[0]];
      double[] b = corrPrefix[q[1]];
      double[] c = corrPrefix[q[2]];
      double[] d = corrPrefix[q[3]];
      Arrays.fill(val, Double.NEGATIVE_INFINITY);
      Arrays.fill(top, -1);
      double floor = Double.NEGATIVE_INFINITY;
      for (int t = 0; t < TT; t++) {
        double v = a[t] - b[t] - c[t] + d[t];
        if (v > floor) {
          floor = TiledSpreadSpectrum.offerTop(v, t, val, top);
        }
      }
      double[] va = chipPrefix[q[0]];
      double[] vb = chipPrefix[q[1]];
      double[] vc = chipPrefix[q[2]];
      double[] vd = chipPrefix[q[3]];
      double best = 0;
      int arg = top[0];
      for (int k = 0; k < offsets && top[k] >= 0 && val[k] > 0; k++) {
        int[] at = chips.locate(pattern, 0, top[k]).at;
        for (int chip = 0; chip < at.length; chip++) {
          int i = at[chip];
          chips.v[chip] = va[i] - vb[i] - vc[i] + vd[i];
        }
        double z = TiledSpreadSpectrum.statistic(pattern, val[k] / TT, chips);
        if (z > best) {
          best = z;
          arg = top[k];
        }
      }
      wz[n] = best;
      wshift[n] = Math.max(arg, 0);
    }
  }

  /**
   * A border row or column of a found window's cells is cut off while its own sync z is below this
   * (detector 1.6; 2 before). Up to four strips are tested at each step, and an unmarked strip's z,
   * about standard normal, passes 2 with probability 2.3% but 3 with 0.13%; a strip of a marked
   * picture found in the window carries several units of z.
   */
  static final double TRIM_Z = 3.0;

  /**
   * The rectangle reported for a window found marked: the window less the border rows and columns
   * of cells that do not carry the mark themselves. While the window has more than one cell, the
   * border strip (top or bottom row, left or right column of cells) with the smallest sync z at the
   * window's offset ({@link TiledSpreadSpectrum#syncZAt} of the strip's own fold) is cut off if that
   * z is below {@value #TRIM_Z}: an unmarked strip's z is about standard normal, a strip of a marked
   * picture carries a share of the window's z. A window that a marked picture covers only in part
   * is cut down to about that part; its p-value stays the window's. {x, y, width, height}.
   */
  int[] trim(KeyedPattern pattern, Window win, int shift) {
    int i0 = win.cellX;
    int j0 = win.cellY;
    int i1 = i0 + win.cellsWide;
    int j1 = j0 + win.cellsHigh;
    while ((i1 - i0) * (j1 - j0) > 1) {
      // The strips' z: top and bottom rows, left and right columns (infinite where there is none).
      double[] z = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
          Double.POSITIVE_INFINITY};
      if (j1 - j0 > 1) {
        z[0] = TiledSpreadSpectrum.syncZAt(pattern, fold(i0, j0, i1, j0 + 1), shift);
        z[1] = TiledSpreadSpectrum.syncZAt(pattern, fold(i0, j1 - 1, i1, j1), shift);
      }
      if (i1 - i0 > 1) {
        z[2] = TiledSpreadSpectrum.syncZAt(pattern, fold(i0, j0, i0 + 1, j1), shift);
        z[3] = TiledSpreadSpectrum.syncZAt(pattern, fold(i1 - 1, j0, i1, j1), shift);
      }
      int which = 0;
      for (int k = 1; k < z.length; k++) {
        if (z[k] < z[which]) {
          which = k;
        }
      }
      if (!(z[which] < TRIM_Z)) {
        break;
      }
      switch (which) {
        case 0 -> j0++;
        case 1 -> j1--;
        case 2 -> i0++;
        default -> i1--;
      }
    }
    return new int[] {xs[i0], ys[j0], xs[i1] - xs[i0], ys[j1] - ys[j0]};
  }
}
