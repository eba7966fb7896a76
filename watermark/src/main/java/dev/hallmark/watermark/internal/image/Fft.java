package dev.hallmark.watermark.internal.image;

/** In-place iterative radix-2 complex FFT on split re/im arrays (length a power of two). */
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
      for (int i = 0; i < n; i += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = sgn * sin[k * step];
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

  /** 2-D transform of an n x n row-major array. */
  void transform2d(double[] re, double[] im, boolean inverse) {
    double[] r = new double[n];
    double[] i = new double[n];
    for (int y = 0; y < n; y++) {
      System.arraycopy(re, y * n, r, 0, n);
      System.arraycopy(im, y * n, i, 0, n);
      transform(r, i, inverse);
      System.arraycopy(r, 0, re, y * n, n);
      System.arraycopy(i, 0, im, y * n, n);
    }
    for (int x = 0; x < n; x++) {
      for (int y = 0; y < n; y++) {
        r[y] = re[y * n + x];
        i[y] = im[y * n + x];
      }
      transform(r, i, inverse);
      for (int y = 0; y < n; y++) {
        re[y * n + x] = r[y];
        im[y * n + x] = i[y];
      }
    }
  }
}
