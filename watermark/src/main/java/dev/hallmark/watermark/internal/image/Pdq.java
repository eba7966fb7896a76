package dev.hallmark.watermark.internal.image;

import java.util.Arrays;

/**
 * The PDQ-style 256-bit perceptual hash, written from Meta's published description ("The TMK+PDQF
 * video-hashing algorithm and the PDQ image similarity algorithm", 2019): BT.601 luminance, two
 * passes of a box ("Jarosz") filter and decimation to 64x64, the 16x16 lowest non-DC coefficients of
 * a 2-D DCT-II, one bit per coefficient set when it is above the median, and a quality score from
 * the gradient sum of the 64x64 buffer.
 */
public final class Pdq {
  private static final int N = 64;
  private static final int K = 16;
  private static final int MAX_SIDE = 1024;
  private static final double[][] DCT = dctMatrix();

  private Pdq() {}

  /** {@code out[0..31]} hash bytes; returns the quality score 0-100. */
  public static int hash(float[] luma, int w, int h, byte[] out) {
    int f = (Math.max(w, h) + MAX_SIDE - 1) / MAX_SIDE;
    double[] a;
    if (f <= 1) {
      a = new double[w * h];
      for (int i = 0; i < a.length; i++) {
        a[i] = luma[i];
      }
    } else {
      // Area-average very large images first, as PDQ's reference tools do; the result is the same
      // to within a few bits and memory stays bounded.
      int nw = (w + f - 1) / f;
      int nh = (h + f - 1) / f;
      a = new double[nw * nh];
      int[] cnt = new int[nw * nh];
      for (int y = 0; y < h; y++) {
        int o = (y / f) * nw;
        for (int x = 0; x < w; x++) {
          a[o + x / f] += luma[y * w + x];
          cnt[o + x / f]++;
        }
      }
      for (int i = 0; i < a.length; i++) {
        a[i] /= cnt[i];
      }
      w = nw;
      h = nh;
    }
    int wx = windowSize(w);
    int wy = windowSize(h);
    double[] tmp = new double[a.length];
    boxRows(a, tmp, w, h, wx);
    boxCols(tmp, a, w, h, wy);
    boxRows(a, tmp, w, h, wx);
    boxCols(tmp, a, w, h, wy);
    double[] b = new double[N * N];
    for (int i = 0; i < N; i++) {
      int yi = (int) (((2L * i + 1) * h) / (2 * N));
      for (int j = 0; j < N; j++) {
        int xj = (int) (((2L * j + 1) * w) / (2 * N));
        b[i * N + j] = a[yi * w + xj];
      }
    }
    int quality = quality(b);
    // D (16x64) * B (64x64) * D^T (64x16)
    double[] t = new double[K * N];
    for (int i = 0; i < K; i++) {
      for (int j = 0; j < N; j++) {
        double s = 0;
        for (int k = 0; k < N; k++) {
          s += DCT[i][k] * b[k * N + j];
        }
        t[i * N + j] = s;
      }
    }
    double[] c = new double[K * K];
    for (int i = 0; i < K; i++) {
      for (int j = 0; j < K; j++) {
        double s = 0;
        for (int k = 0; k < N; k++) {
          s += t[i * N + k] * DCT[j][k];
        }
        c[i * K + j] = s;
      }
    }
    double[] sorted = c.clone();
    Arrays.sort(sorted);
    double median = (sorted[127] + sorted[128]) / 2;
    Arrays.fill(out, 0, 32, (byte) 0);
    for (int k = 0; k < K * K; k++) {
      if (c[k] > median) {
        out[k >>> 3] |= (byte) (0x80 >>> (k & 7));
      }
    }
    return quality;
  }

  private static int quality(double[] b) {
    long sum = 0;
    for (int i = 0; i < N - 1; i++) {
      for (int j = 0; j < N; j++) {
        sum += Math.abs((int) ((b[i * N + j] - b[(i + 1) * N + j]) * 100 / 255));
      }
    }
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N - 1; j++) {
        sum += Math.abs((int) ((b[i * N + j] - b[i * N + j + 1]) * 100 / 255));
      }
    }
    return (int) Math.min(100, sum / 90);
  }

  private static int windowSize(int dim) {
    return (dim + 2 * N - 1) / (2 * N);
  }

  /** Centred moving average of width {@code win} along rows, truncated at the borders. */
  private static void boxRows(double[] in, double[] out, int w, int h, int win) {
    int half = (win - 1) / 2;
    for (int y = 0; y < h; y++) {
      int o = y * w;
      double s = 0;
      int lo = 0;
      int hi = -1;
      for (int x = 0; x < w; x++) {
        int nl = Math.max(0, x - half);
        int nh = Math.min(w - 1, x + win - 1 - half);
        while (hi < nh) {
          s += in[o + ++hi];
        }
        while (lo < nl) {
          s -= in[o + lo++];
        }
        out[o + x] = s / (hi - lo + 1);
      }
    }
  }

  private static void boxCols(double[] in, double[] out, int w, int h, int win) {
    int half = (win - 1) / 2;
    for (int x = 0; x < w; x++) {
      double s = 0;
      int lo = 0;
      int hi = -1;
      for (int y = 0; y < h; y++) {
        int nl = Math.max(0, y - half);
        int nh = Math.min(h - 1, y + win - 1 - half);
        while (hi < nh) {
          s += in[++hi * w + x];
        }
        while (lo < nl) {
          s -= in[lo++ * w + x];
        }
        out[y * w + x] = s / (hi - lo + 1);
      }
    }
  }

  private static double[][] dctMatrix() {
    double[][] d = new double[K][N];
    double scale = Math.sqrt(2.0 / N);
    for (int i = 0; i < K; i++) {
      for (int j = 0; j < N; j++) {
        d[i][j] = scale * Math.cos((Math.PI / 2 / N) * (i + 1) * (2 * j + 1));
      }
    }
    return d;
  }
}
