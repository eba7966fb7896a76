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
    int y = 0;
    // Four rows in lockstep: independent running sums overlap their latency; every row still sees
    // exactly the additions and subtractions, in the same order, of a row on its own.
    for (; y + 4 <= h; y += 4) {
      int o0 = y * w;
      int o1 = o0 + w;
      int o2 = o1 + w;
      int o3 = o2 + w;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int lo = 0;
      int hi = -1;
      for (int x = 0; x < w; x++) {
        int nh = Math.min(w - 1, x + r);
        int nl = Math.max(0, x - r);
        while (hi < nh) {
          hi++;
          s0 += in[o0 + hi];
          s1 += in[o1 + hi];
          s2 += in[o2 + hi];
          s3 += in[o3 + hi];
        }
        while (lo < nl) {
          s0 -= in[o0 + lo];
          s1 -= in[o1 + lo];
          s2 -= in[o2 + lo];
          s3 -= in[o3 + lo];
          lo++;
        }
        double c = hi - lo + 1;
        tmp[o0 + x] = (float) (s0 / c);
        tmp[o1 + x] = (float) (s1 / c);
        tmp[o2 + x] = (float) (s2 / c);
        tmp[o3 + x] = (float) (s3 / c);
      }
    }
    for (; y < h; y++) {
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
    double[] col = new double[w];
    // Column pass, row by row for cache friendliness: running sums per column.
    int top = 0;
    int bottom = -1;
    for (y = 0; y < h; y++) {
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
}
