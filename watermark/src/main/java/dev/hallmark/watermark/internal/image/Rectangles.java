package dev.hallmark.watermark.internal.image;

import java.util.Arrays;

/**
 * Finds an upright rectangle whose sides are step edges: where a picture pasted into another (a
 * collage) probably is. The pasted picture's four sides are long straight discontinuities between
 * two different photos, localised at one pixel boundary, which a photo's own edges rarely are. The
 * estimate reads the luminance only, never a key, so the hypothesis it yields is chosen from the
 * image alone (spec, detection step 5, "Pasted rectangle").
 *
 * <ol>
 *   <li>Step points: the boundary between columns x - 1 and x is a step at row y when
 *       {@code g(x) = |Y(x, y) - Y(x - 1, y)|} is at least {@value #MIN_STEP} and at least
 *       {@value #RATIO} times both {@code g(x - 1)} and {@code g(x + 1)} (0 outside the image);
 *       likewise the boundary between rows y - 1 and y at column x.
 *   <li>Lines: a boundary's score is the largest sum, over a run of consecutive positions along it,
 *       of 1 per step point and -{@value #GAP_COST} per other position. The {@value #LINES}
 *       best-scoring boundaries each way with a score of at least {@value #MIN_SCORE}, at least
 *       {@value #BORDER} pixels from the image border (scanner and codec artefacts line the
 *       borders) and {@value #MIN_APART} apart, plus the image's two borders, are the candidate
 *       sides.
 *   <li>Rectangle: every pair of vertical and pair of horizontal candidates at least
 *       {@value #MIN_SIDE} pixels apart, covering at most {@value #MAX_AREA} of the image, whose
 *       sides not on the image border each have step points at {@value #MIN_SUPPORT} or more of
 *       their positions between the corners. The one with the most step points on its sides (none
 *       on a border) per pixel of perimeter wins; ties go to the first in (left, right, top,
 *       bottom) order of the candidates.
 * </ol>
 *
 * Pure and static.
 */
final class Rectangles {
  private Rectangles() {}

  static final float MIN_STEP = 6;
  static final float RATIO = 1.5f;
  static final float GAP_COST = 0.3f;
  static final int LINES = 8;
  static final int MIN_SCORE = 32;
  static final int BORDER = 8;
  static final int MIN_APART = 3;
  static final int MIN_SIDE = 128;
  static final double MAX_AREA = 0.8;
  static final double MIN_SUPPORT = 0.4;

  /** The rectangle {x0, y0, x1, y1} (ends exclusive: the picture's pixels are x0 <= x < x1), or null. */
  static int[] find(float[] y, int w, int h) {
    if (w < MIN_SIDE || h < MIN_SIDE) {
      return null;
    }
    int[] xs = withBorders(best(verticalScores(y, w, h), w), w);
    int[] ys = withBorders(best(horizontalScores(y, w, h), h), h);
    // Step points along each candidate line, as prefix counts.
    int[][] vp = new int[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      vp[i] = verticalPrefix(y, w, h, xs[i]);
    }
    int[][] hp = new int[ys.length][];
    for (int j = 0; j < ys.length; j++) {
      hp[j] = horizontalPrefix(y, w, h, ys[j]);
    }
    double maxArea = MAX_AREA * w * h;
    double bestScore = -1;
    int[] best = null;
    for (int a = 0; a < xs.length; a++) {
      for (int b = 0; b < xs.length; b++) {
        int x0 = xs[a];
        int x1 = xs[b];
        if (x1 - x0 < MIN_SIDE) {
          continue;
        }
        for (int c = 0; c < ys.length; c++) {
          for (int d = 0; d < ys.length; d++) {
            int y0 = ys[c];
            int y1 = ys[d];
            if (y1 - y0 < MIN_SIDE || (double) (x1 - x0) * (y1 - y0) > maxArea) {
              continue;
            }
            int left = x0 == 0 ? -1 : vp[a][y1] - vp[a][y0];
            int right = x1 == w ? -1 : vp[b][y1] - vp[b][y0];
            int top = y0 == 0 ? -1 : hp[c][x1] - hp[c][x0];
            int bottom = y1 == h ? -1 : hp[d][x1] - hp[d][x0];
            if (weak(left, y1 - y0) || weak(right, y1 - y0) || weak(top, x1 - x0) || weak(bottom, x1 - x0)) {
              continue;
            }
            double score = (Math.max(0, left) + Math.max(0, right) + Math.max(0, top) + Math.max(0, bottom))
                / (2.0 * ((x1 - x0) + (y1 - y0)));
            if (score > bestScore) {
              bestScore = score;
              best = new int[] {x0, y0, x1, y1};
            }
          }
        }
      }
    }
    return best;
  }

  /** A side off the border (count >= 0) with step points at fewer than MIN_SUPPORT of its positions. */
  private static boolean weak(int count, int length) {
    return count >= 0 && count < MIN_SUPPORT * length;
  }

  /** The candidate lines in increasing order, then the two borders in their place. */
  private static int[] withBorders(int[] lines, int extent) {
    int[] out = Arrays.copyOf(lines, lines.length + 2);
    out[lines.length] = 0;
    out[lines.length + 1] = extent;
    Arrays.sort(out);
    return out;
  }

  /**
   * Per vertical boundary x (between columns x - 1 and x; index 0 unused), the largest run sum
   * down the rows of 1 per step point, -GAP_COST otherwise.
   */
  static float[] verticalScores(float[] y, int w, int h) {
    float[] g = new float[w + 1];
    float[] run = new float[w];
    float[] score = new float[w];
    for (int r = 0; r < h; r++) {
      int o = r * w;
      for (int x = 1; x < w; x++) {
        g[x] = Math.abs(y[o + x] - y[o + x - 1]);
      }
      for (int x = 1; x < w; x++) {
        float v = g[x];
        boolean step = v >= MIN_STEP && v >= RATIO * g[x - 1] && v >= RATIO * g[x + 1];
        float s = Math.max(0f, run[x]) + (step ? 1f : -GAP_COST);
        run[x] = s;
        score[x] = Math.max(score[x], s);
      }
    }
    return score;
  }

  /** Per horizontal boundary y (between rows y - 1 and y; index 0 unused), likewise along the columns. */
  static float[] horizontalScores(float[] y, int w, int h) {
    float[] score = new float[h];
    float[] prev = new float[w];
    float[] cur = new float[w];
    float[] next = new float[w];
    if (h > 1) {
      gradientRow(y, w, 1, cur);
    }
    for (int r = 1; r < h; r++) {
      if (r + 1 < h) {
        gradientRow(y, w, r + 1, next);
      } else {
        Arrays.fill(next, 0f);
      }
      float run = 0;
      float best = 0;
      for (int x = 0; x < w; x++) {
        float v = cur[x];
        boolean step = v >= MIN_STEP && v >= RATIO * prev[x] && v >= RATIO * next[x];
        run = Math.max(0f, run) + (step ? 1f : -GAP_COST);
        best = Math.max(best, run);
      }
      score[r] = best;
      float[] t = prev;
      prev = cur;
      cur = next;
      next = t;
    }
    return score;
  }

  /** {@code out[x] = |Y(x, r) - Y(x, r - 1)|}. */
  private static void gradientRow(float[] y, int w, int r, float[] out) {
    int o = r * w;
    for (int x = 0; x < w; x++) {
      out[x] = Math.abs(y[o + x] - y[o - w + x]);
    }
  }

  /**
   * The {@value #LINES} best-scoring boundaries (score at least MIN_SCORE, at least BORDER from the
   * image border, MIN_APART apart), in increasing order.
   */
  static int[] best(float[] score, int extent) {
    int[] out = new int[LINES];
    int k = 0;
    boolean[] taken = new boolean[extent + 1];
    while (k < LINES) {
      int arg = -1;
      for (int i = BORDER; i <= extent - BORDER; i++) {
        if (!taken[i] && (arg < 0 || score[i] > score[arg])) {
          arg = i;
        }
      }
      if (arg < 0 || score[arg] < MIN_SCORE) {
        break;
      }
      out[k++] = arg;
      for (int i = Math.max(0, arg - MIN_APART + 1); i < Math.min(extent + 1, arg + MIN_APART); i++) {
        taken[i] = true;
      }
    }
    int[] lines = Arrays.copyOf(out, k);
    Arrays.sort(lines);
    return lines;
  }

  private static boolean step(float v, float before, float after) {
    return v >= MIN_STEP && v >= RATIO * before && v >= RATIO * after;
  }

  /** out[r] = the number of rows above r where vertical boundary x is a step (all 0 on a border). */
  private static int[] verticalPrefix(float[] y, int w, int h, int x) {
    int[] out = new int[h + 1];
    for (int r = 0; r < h; r++) {
      int o = r * w;
      boolean s = false;
      if (x > 0 && x < w) {
        float v = Math.abs(y[o + x] - y[o + x - 1]);
        float before = x >= 2 ? Math.abs(y[o + x - 1] - y[o + x - 2]) : 0;
        float after = x + 1 < w ? Math.abs(y[o + x + 1] - y[o + x]) : 0;
        s = step(v, before, after);
      }
      out[r + 1] = out[r] + (s ? 1 : 0);
    }
    return out;
  }

  /** out[c] = the number of columns left of c where horizontal boundary r is a step (all 0 on a border). */
  private static int[] horizontalPrefix(float[] y, int w, int h, int r) {
    int[] out = new int[w + 1];
    for (int x = 0; x < w; x++) {
      boolean s = false;
      if (r > 0 && r < h) {
        int o = r * w + x;
        float v = Math.abs(y[o] - y[o - w]);
        float before = r >= 2 ? Math.abs(y[o - w] - y[o - 2 * w]) : 0;
        float after = r + 1 < h ? Math.abs(y[o + w] - y[o]) : 0;
        s = step(v, before, after);
      }
      out[x + 1] = out[x] + (s ? 1 : 0);
    }
    return out;
  }
}
