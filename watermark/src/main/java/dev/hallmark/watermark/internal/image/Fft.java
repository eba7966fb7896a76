package dev.hallmark.watermark.internal.image;

/**
 * In-place iterative radix-2 complex FFT on split re/im arrays (length a power of two).
 *
 * <p>Every entry point performs, for each element, exactly the same floating-point operations in the
 * same order as the textbook single-line decimation-in-time transform ({@link #transform}), so all
 * of them give bit-identical results; the batched forms only lay the work out so that the innermost
 * loop runs over many independent lines with one twiddle factor (cache-friendly, vectorisable).
 * Immutable and thread-safe; the 2-D transform allocates its own scratch.
 */
final class Fft {
  private final int n;
  private final double[] cos;
  private final double[] sin;
  private final int[] rev;

  Fft(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT length must be a power of two: " + n);
    }
    this.n = n;
    cos = new double[n / 2];
    sin = new double[n / 2];
    for (int i = 0; i < n / 2; i++) {
      cos[i] = Math.cos(2 * Math.PI * i / n);
      sin[i] = Math.sin(2 * Math.PI * i / n);
    }
    rev = new int[n];
    int bits = Integer.numberOfTrailingZeros(n);
    for (int i = 0; i < n; i++) {
      rev[i] = Integer.reverse(i) >>> (32 - bits);
    }
  }

  int size() {
    return n;
  }

  /** Forward transform (sign -1) when {@code inverse} is false; the inverse is unscaled. */
  void transform(double[] re, double[] im, boolean inverse) {
    for (int i = 0; i < n; i++) {
      int j = rev[i];
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
      for (int k = 0; k < half; k++) {
        double wr = cos[k * step];
        double wi = sgn * sin[k * step];
        for (int a = k; a < n; a += len) {
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

  /**
   * Transforms many lines at once along the first index: element {@code i} of line {@code j} is
   * {@code re[i][j]} (all rows the same length, {@code re.length == size()}). Same result as
   * {@link #transform} on each line separately. Rows are permuted by reference, so callers must read
   * the result through {@code re} and {@code im} afterwards.
   */
  void transformLines(double[][] re, double[][] im, boolean inverse) {
    for (int i = 0; i < n; i++) {
      int j = rev[i];
      if (j > i) {
        double[] t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double sgn = inverse ? 1 : -1;
    // The first stages only combine rows within aligned blocks: run them block by block while the
    // block is in the L1 cache (butterflies of different blocks are independent, so every element
    // still sees the same operations in the same order).
    int width = re[0].length;
    int block = Math.min(n, Integer.highestOneBit(Math.max(2, L1_BYTES / (16 * Math.max(1, width)))));
    for (int base = 0; base < n; base += block) {
      for (int len = 2; len <= block; len <<= 1) {
        int half = len >> 1;
        int step = n / len;
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = sgn * sin[k * step];
          for (int a = base + k; a < base + block; a += len) {
            butterflies(re[a], im[a], re[a + half], im[a + half], wr, wi);
          }
        }
      }
    }
    for (int len = 2 * block; len <= n; len <<= 1) {
      int half = len >> 1;
      int step = n / len;
      for (int k = 0; k < half; k++) {
        double wr = cos[k * step];
        double wi = sgn * sin[k * step];
        for (int a = k; a < n; a += len) {
          butterflies(re[a], im[a], re[a + half], im[a + half], wr, wi);
        }
      }
    }
  }

  /** Working-set budget for the blocked first stages (the L1 data cache of common x86 cores). */
  private static final int L1_BYTES = 32 * 1024;

  /** One butterfly per column; separate row arrays let the JIT vectorise the loop. */
  private static void butterflies(double[] ar, double[] ai, double[] br, double[] bi, double wr, double wi) {
    for (int j = 0; j < ar.length; j++) {
      double xr = br[j] * wr - bi[j] * wi;
      double xi = br[j] * wi + bi[j] * wr;
      double a0 = ar[j];
      double a1 = ai[j];
      br[j] = a0 - xr;
      bi[j] = a1 - xi;
      ar[j] = a0 + xr;
      ai[j] = a1 + xi;
    }
  }

  /**
   * 2-D transform of an n x n array given as rows (rows first, then columns, like
   * {@link #transform2d}), of {@code tre}/{@code tim}, which hold the input TRANSPOSED
   * ({@code tre[x][y]}); the result is written untransposed to {@code re}/{@code im}. Both pairs
   * are overwritten.
   */
  void transform2dTransposed(double[][] tre, double[][] tim, double[][] re, double[][] im, boolean inverse) {
    transformLines(tre, tim, inverse);
    transpose(tre, re);
    transpose(tim, im);
    transformLines(re, im, inverse);
  }

  /** 2-D transform of an n x n row-major array: rows first, then columns. */
  void transform2d(double[] re, double[] im, boolean inverse) {
    double[][] tr = new double[n][n];
    double[][] ti = new double[n][n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        tr[x][y] = re[y * n + x];
        ti[x][y] = im[y * n + x];
      }
    }
    double[][] r = new double[n][];
    double[][] i = new double[n][];
    for (int y = 0; y < n; y++) {
      r[y] = new double[n];
      i[y] = new double[n];
    }
    transform2dTransposed(tr, ti, r, i, inverse);
    for (int y = 0; y < n; y++) {
      System.arraycopy(r[y], 0, re, y * n, n);
      System.arraycopy(i[y], 0, im, y * n, n);
    }
  }

  /** {@code dst[x][y] = src[y][x]} for square arrays. */
  static void transpose(double[][] src, double[][] dst) {
    int m = src.length;
    final int block = 16;
    for (int y0 = 0; y0 < m; y0 += block) {
      for (int x0 = 0; x0 < m; x0 += block) {
        int y1 = Math.min(m, y0 + block);
        int x1 = Math.min(m, x0 + block);
        for (int y = y0; y < y1; y++) {
          double[] row = src[y];
          for (int x = x0; x < x1; x++) {
            dst[x][y] = row[x];
          }
        }
      }
    }
  }
}
