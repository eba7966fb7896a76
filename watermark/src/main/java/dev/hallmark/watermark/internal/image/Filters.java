package dev.hallmark.watermark.internal.image;

/** Separable box filters with clamped borders, O(1) per pixel whatever the radius. */
final class Filters {
  private Filters() {}

  /** Mean over a (2r+1)x(2r+1) window, the window clipped at the image border. */
  static float[] box(float[] in, int w, int h, int r) {
    float[] out = new float[in.length];
    boxInto(in, out, w, h, r);
    return out;
  }

  /** {@link #box} written over its input, with one temporary plane instead of two. */
  static void boxInPlace(float[] a, int w, int h, int r) {
    boxInto(a, a, w, h, r);
  }

  /** {@code out} may be {@code in}: the row pass reads {@code in} into a temporary plane first. */
  private static void boxInto(float[] in, float[] out, int w, int h, int r) {
    float[] tmp = new float[in.length];
    // Row pass. The window of x is [max(0, x - r), min(w - 1, x + r)]: at x = 0 the sum takes in
    // [0, min(r, w - 1)] in order; at each later x it takes in x + r (while inside) and then gives
    // back x - r - 1 (once inside), and is divided by the window's count. The loops below do
    // exactly that with two comparisons per step instead of the plain running sum's window bounds
    // (the same additions, subtractions and divisions, in the same order).
    int[] pixels = windowCounts(w, r);
    double[] count = new double[w]; // as doubles: the divisor of the running sum below
    for (int x = 0; x < w; x++) {
      count[x] = pixels[x];
    }
    rowPasses(in, tmp, w, h, r, count);
    double[] col = new double[w];
    // Column pass, row by row for cache friendliness: running sums per column.
    int top = 0;
    int bottom = -1;
    for (int y = 0; y < h; y++) {
      int nh = Math.min(h - 1, y + r);
      int nl = Math.max(0, y - r);
      while (bottom < nh) {
        bottom++;
        int o = bottom * w;
        for (int x = 0; x < w; x++) {
          col[x] += tmp[o + x];
        }
      }
      while (top < nl) {
        int o = top * w;
        for (int x = 0; x < w; x++) {
          col[x] -= tmp[o + x];
        }
        top++;
      }
      double inv = 1.0 / (bottom - top + 1);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        out[o + x] = (float) (col[x] * inv);
      }
    }
  }

  /**
   * Window sums (not means) over (2r+1)x(2r+1) windows clipped at the border, of the first
   * {@code w * h} entries of {@code a}, written over them; {@code tmp} is scratch of at least that
   * size. Rows then columns, running sums in double, no divisions: the colour step of detection
   * (detector 1.6) needs seven of these per image, and the regression it feeds needs sums only.
   */
  static void boxSumsInPlace(float[] a, float[] tmp, int w, int h, int r) {
    rowPasses(a, tmp, w, h, r, null);
    double[] col = new double[w];
    for (int y = 0; y <= Math.min(r, h - 1); y++) {
      int o = y * w;
      for (int x = 0; x < w; x++) {
        col[x] += tmp[o + x];
      }
    }
    for (int y = 0; y < h; y++) {
      if (y > 0) {
        int add = y + r;
        int sub = y - r - 1;
        if (add < h) {
          int o = add * w;
          for (int x = 0; x < w; x++) {
            col[x] += tmp[o + x];
          }
        }
        if (sub >= 0) {
          int o = sub * w;
          for (int x = 0; x < w; x++) {
            col[x] -= tmp[o + x];
          }
        }
      }
      int o = y * w;
      for (int x = 0; x < w; x++) {
        a[o + x] = (float) col[x];
      }
    }
  }

  /**
   * {@link #rowPass} of every row of {@code in} into {@code out} (which must not be {@code in}),
   * four rows in lockstep: independent running sums overlap their latency, and every row still sees
   * exactly the additions, subtractions and divisions, in the same order, of a row on its own.
   */
  private static void rowPasses(float[] in, float[] out, int w, int h, int r, double[] count) {
    int first = Math.min(r, w - 1);
    int addEnd = Math.max(1, w - r); // x < addEnd: x + r < w
    int subStart = Math.min(w, r + 1); // x >= subStart: x - r - 1 >= 0
    // The running sums go to double rows first, then to out in one pass per row (divided by count
    // unless null): the same doubles and the same roundings as dividing inside the running loop,
    // while the divisions run vectorised, away from the sums' dependency chains.
    double[] b0 = new double[w];
    double[] b1 = new double[w];
    double[] b2 = new double[w];
    double[] b3 = new double[w];
    int y = 0;
    for (; y + 4 <= h; y += 4) {
      int o0 = y * w;
      int o1 = o0 + w;
      int o2 = o1 + w;
      int o3 = o2 + w;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int k = 0; k <= first; k++) {
        s0 += in[o0 + k];
        s1 += in[o1 + k];
        s2 += in[o2 + k];
        s3 += in[o3 + k];
      }
      b0[0] = s0;
      b1[0] = s1;
      b2[0] = s2;
      b3[0] = s3;
      for (int x = 1; x < w; x++) {
        if (x < addEnd) {
          int q = x + r;
          s0 += in[o0 + q];
          s1 += in[o1 + q];
          s2 += in[o2 + q];
          s3 += in[o3 + q];
        }
        if (x >= subStart) {
          int q = x - r - 1;
          s0 -= in[o0 + q];
          s1 -= in[o1 + q];
          s2 -= in[o2 + q];
          s3 -= in[o3 + q];
        }
        b0[x] = s0;
        b1[x] = s1;
        b2[x] = s2;
        b3[x] = s3;
      }
      emit(b0, out, o0, count);
      emit(b1, out, o1, count);
      emit(b2, out, o2, count);
      emit(b3, out, o3, count);
    }
    for (; y < h; y++) { // the last rows, one at a time: the same steps for a single row
      rowPass(in, out, y * w, w, r, count);
    }
  }

  /** {@code out[o + x] = (float) (sums[x] / count[x])}, or {@code (float) sums[x]} when count is null. */
  private static void emit(double[] sums, float[] out, int o, double[] count) {
    if (count == null) {
      for (int x = 0; x < sums.length; x++) {
        out[o + x] = (float) sums[x];
      }
    } else {
      for (int x = 0; x < sums.length; x++) {
        out[o + x] = (float) (sums[x] / count[x]);
      }
    }
  }

  /**
   * One row's running sum over windows of radius r, from {@code in[o..o+w)} into {@code out[o..o+w)}:
   * at x = 0 it takes [0, min(r, w - 1)] in order, at each later x it takes x + r (while inside) and
   * then gives back x - r - 1 (once inside); divided by {@code count[x]}, the window's pixel count,
   * unless {@code count} is null (sums).
   */
  private static void rowPass(float[] in, float[] out, int o, int w, int r, double[] count) {
    int addEnd = Math.max(1, w - r); // x < addEnd: x + r < w
    int subStart = Math.min(w, r + 1); // x >= subStart: x - r - 1 >= 0
    double s = 0;
    for (int k = 0; k <= Math.min(r, w - 1); k++) {
      s += in[o + k];
    }
    out[o] = (float) (count == null ? s : s / count[0]);
    for (int x = 1; x < w; x++) {
      if (x < addEnd) {
        s += in[o + x + r];
      }
      if (x >= subStart) {
        s -= in[o + x - r - 1];
      }
      out[o + x] = (float) (count == null ? s : s / count[x]);
    }
  }

  /** Pixels in the window of radius r around each of {@code 0..n-1} along a side of n, clipped. */
  static int[] windowCounts(int n, int r) {
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = Math.min(n - 1, i + r) - Math.max(0, i - r) + 1;
    }
    return c;
  }

  /** {@code 1 / windowCounts(n, r)}, as floats. */
  static float[] reciprocalCounts(int n, int r) {
    int[] c = windowCounts(n, r);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = 1f / c[i];
    }
    return out;
  }
}
