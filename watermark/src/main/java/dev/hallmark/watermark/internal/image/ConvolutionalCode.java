package dev.hallmark.watermark.internal.image;

/**
 * The rate-1/3, constraint-length-7 convolutional code (generators 133, 171, 165 octal), terminated
 * with six zero tail bits, with a soft-decision Viterbi decoder.
 */
final class ConvolutionalCode {
  static final int K = 7;
  private static final int STATES = 1 << (K - 1);
  private static final int[] GEN = {0133, 0171, 0165};

  private ConvolutionalCode() {}

  static int codedLength(int infoBits) {
    return (infoBits + K - 1) * GEN.length;
  }

  static boolean[] encode(boolean[] info) {
    int n = info.length + K - 1;
    boolean[] out = new boolean[n * GEN.length];
    int reg = 0;
    for (int t = 0; t < n; t++) {
      int bit = t < info.length && info[t] ? 1 : 0;
      reg = ((reg << 1) | bit) & ((1 << K) - 1);
      for (int g = 0; g < GEN.length; g++) {
        out[t * GEN.length + g] = (Integer.bitCount(reg & GEN[g]) & 1) == 1;
      }
    }
    return out;
  }

  /**
   * Maximum-likelihood information bits for soft values {@code soft} (positive means coded bit 0,
   * magnitude is confidence).
   */
  static boolean[] decode(double[] soft, int infoBits) {
    int n = infoBits + K - 1;
    double[] metric = new double[STATES];
    double[] next = new double[STATES];
    java.util.Arrays.fill(metric, Double.NEGATIVE_INFINITY);
    metric[0] = 0;
    byte[][] from = new byte[n][STATES];
    int[] branch = new int[1 << K];
    for (int reg = 0; reg < (1 << K); reg++) {
      int o = 0;
      for (int g = 0; g < GEN.length; g++) {
        o = (o << 1) | (Integer.bitCount(reg & GEN[g]) & 1);
      }
      branch[reg] = o;
    }
    for (int t = 0; t < n; t++) {
      java.util.Arrays.fill(next, Double.NEGATIVE_INFINITY);
      double s0 = soft[t * 3];
      double s1 = soft[t * 3 + 1];
      double s2 = soft[t * 3 + 2];
      int maxBit = t < infoBits ? 1 : 0;
      for (int st = 0; st < STATES; st++) {
        double m = metric[st];
        if (m == Double.NEGATIVE_INFINITY) {
          continue;
        }
        for (int bit = 0; bit <= maxBit; bit++) {
          int reg = (st << 1) | bit;
          int o = branch[reg];
          double bm = ((o & 4) == 0 ? s0 : -s0) + ((o & 2) == 0 ? s1 : -s1) + ((o & 1) == 0 ? s2 : -s2);
          int ns = reg & (STATES - 1);
          double v = m + bm;
          if (v > next[ns]) {
            next[ns] = v;
            from[t][ns] = (byte) st;
          }
        }
      }
      double[] tmp = metric;
      metric = next;
      next = tmp;
    }
    boolean[] info = new boolean[infoBits];
    int st = 0;
    for (int t = n - 1; t >= 0; t--) {
      if (t < infoBits) {
        info[t] = (st & 1) == 1;
      }
      st = from[t][st] & 0xff;
    }
    return info;
  }
}
