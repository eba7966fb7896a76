package dev.hallmark.watermark.internal.image;

import dev.hallmark.core.WatermarkKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * The secret layout of one key's watermark tile: chip signs, which chips carry the sync pattern and
 * which coded payload bit every other chip carries, all drawn from HMAC-SHA256 of the key.
 */
final class KeyedPattern {
  static final int TILE = 128;
  static final int CHIP = 4;
  static final int GRID = TILE / CHIP;
  static final int CHIPS = GRID * GRID;
  static final int SYNC_CHIPS = 256;
  static final int INFO_BITS = 96;
  static final int CODED_BITS = ConvolutionalCode.codedLength(INFO_BITS);

  private static final byte[] LAYOUT_LABEL = "hallmark/image-wm/v1/layout".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAC_LABEL = "hallmark/image-wm/v1/mac".getBytes(StandardCharsets.US_ASCII);

  /** +1 or -1 per chip. */
  final byte[] sign = new byte[CHIPS];
  /** -1 for a sync chip, else the coded bit index. */
  final short[] role = new short[CHIPS];
  /** 2-D FFT of the sync template, transposed ({@code syncRe[kx][ky]}), for cross-correlation. */
  final double[][] syncRe;
  final double[][] syncIm;
  /**
   * Pairs of payload chips that carry the same coded bit (detector 1.8): each bit's chips in chip
   * order, each paired with the next (one pair for a bit on 2 chips, two for a bit on 3; 462 in
   * all). Whatever the bit, a marked fold's values at a pair's chips, times the product of their
   * signs ({@code pairSign}), are on average positive; and for a random key the pairs' sign
   * products are independent fair coin flips, independent of the sync chips' signs. Indices in
   * the order of {@link #mapped} (payload chips from {@value #SYNC_CHIPS} on).
   */
  final int[] pairA;
  final int[] pairB;
  final byte[] pairSign;
  /**
   * Per symmetry g (see {@code TiledSpreadSpectrum.symmetryMatrix}), the chips' centres mapped by G
   * (mod TILE): the sync chips, then the payload chips, each in chip order, x and y interleaved
   * ({@code mapped[0]}: the centres themselves); G (p + t) = G p + G t.
   */
  final int[][] mapped = new int[8][];
  private final Mac mac;

  KeyedPattern(WatermarkKey key, Fft fft) {
    mac = key.newHmacSha256();
    byte[] stream = keystream(mac, CHIPS / 8 + CHIPS * 8);
    for (int c = 0; c < CHIPS; c++) {
      sign[c] = (byte) (((stream[c >>> 3] >>> (c & 7)) & 1) == 1 ? 1 : -1);
    }
    int[] perm = new int[CHIPS];
    for (int i = 0; i < CHIPS; i++) {
      perm[i] = i;
    }
    int off = CHIPS / 8;
    for (int i = CHIPS - 1; i > 0; i--) {
      long r = 0;
      for (int b = 0; b < 8; b++) {
        r = (r << 8) | (stream[off++] & 0xff);
      }
      int j = (int) Long.remainderUnsigned(r, i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    for (int k = 0; k < CHIPS; k++) {
      role[perm[k]] = (short) (k < SYNC_CHIPS ? -1 : (k - SYNC_CHIPS) % CODED_BITS);
    }
    float[] chips = new float[CHIPS];
    for (int c = 0; c < CHIPS; c++) {
      chips[c] = role[c] < 0 ? sign[c] : 0;
    }
    float[] s = upsample(chips);
    double[] re = new double[TILE * TILE];
    double[] im = new double[TILE * TILE];
    for (int i = 0; i < s.length; i++) {
      re[i] = s[i];
    }
    fft.transform2d(re, im, false);
    syncRe = new double[TILE][TILE];
    syncIm = new double[TILE][TILE];
    for (int y = 0; y < TILE; y++) {
      for (int x = 0; x < TILE; x++) {
        syncRe[x][y] = re[y * TILE + x];
        syncIm[x][y] = im[y * TILE + x];
      }
    }
    // Chip centres in the order sync chips, then payload chips (each in chip order), x and y
    // interleaved; for each payload chip its chip index.
    int[] centre = new int[2 * CHIPS];
    int[] chipOf = new int[CHIPS];
    int n = 0;
    int np = SYNC_CHIPS;
    int[] last = new int[CODED_BITS];
    java.util.Arrays.fill(last, -1);
    int[] a = new int[CHIPS - SYNC_CHIPS - CODED_BITS];
    int[] b = new int[a.length];
    byte[] ps = new byte[a.length];
    int pairs = 0;
    for (int c = 0; c < CHIPS; c++) {
      int k = role[c] < 0 ? n++ : np++;
      centre[2 * k] = (c % GRID) * CHIP;
      centre[2 * k + 1] = (c / GRID) * CHIP;
      chipOf[k] = c;
      if (role[c] >= 0) {
        int prev = last[role[c]];
        if (prev >= 0) {
          a[pairs] = prev;
          b[pairs] = k;
          ps[pairs] = (byte) (sign[chipOf[prev]] * sign[c]);
          pairs++;
        }
        last[role[c]] = k;
      }
    }
    pairA = a;
    pairB = b;
    pairSign = ps;
    for (int g = 0; g < mapped.length; g++) {
      int[] m = TiledSpreadSpectrum.symmetryMatrix(g);
      int[] out = new int[2 * CHIPS];
      for (int i = 0; i < CHIPS; i++) {
        int x = centre[2 * i];
        int y = centre[2 * i + 1];
        out[2 * i] = (m[0] * x + m[1] * y) & (TILE - 1);
        out[2 * i + 1] = (m[2] * x + m[3] * y) & (TILE - 1);
      }
      mapped[g] = out;
    }
  }

  /**
   * The DFT of one chip's kernel (the bilinear tent {@code (1 - |dx|/4)(1 - |dy|/4)}, |dx|, |dy| < 4,
   * centred at the origin of the 128-periodic tile) at frequency (kx, ky): real and even, so it is
   * the same in any layout.
   */
  static double[][] chipKernelSpectrum() {
    double[] k1 = new double[TILE];
    for (int k = 0; k < TILE; k++) {
      double s = 1;
      for (int d = 1; d < CHIP; d++) {
        s += 2 * (1 - d / (double) CHIP) * Math.cos(2 * Math.PI * k * d / TILE);
      }
      k1[k] = s;
    }
    double[][] out = new double[TILE][TILE];
    for (int a = 0; a < TILE; a++) {
      for (int b = 0; b < TILE; b++) {
        out[a][b] = k1[a] * k1[b];
      }
    }
    return out;
  }

  /** The 128x128 tile for {@code coded} payload bits, sync chips included. */
  float[] tile(boolean[] coded) {
    float[] chips = new float[CHIPS];
    for (int c = 0; c < CHIPS; c++) {
      chips[c] = role[c] < 0 ? sign[c] : (coded[role[c]] ? -sign[c] : sign[c]);
    }
    return upsample(chips);
  }

  /** 32-bit keyed check of the payload. */
  byte[] check(byte[] payload) {
    synchronized (mac) {
      mac.update(MAC_LABEL);
      mac.update(payload);
      return Arrays.copyOf(mac.doFinal(), 4);
    }
  }

  boolean checkMatches(byte[] payload, byte[] check) {
    return MessageDigest.isEqual(check(payload), check);
  }

  /** Periodic bilinear interpolation of the chip grid (chip centres at multiples of CHIP). */
  static float[] upsample(float[] chips) {
    float[] t = new float[TILE * TILE];
    for (int y = 0; y < TILE; y++) {
      int gy = y / CHIP;
      float fy = (y % CHIP) / (float) CHIP;
      int gy1 = (gy + 1) % GRID;
      for (int x = 0; x < TILE; x++) {
        int gx = x / CHIP;
        float fx = (x % CHIP) / (float) CHIP;
        int gx1 = (gx + 1) % GRID;
        float a = chips[gy * GRID + gx] * (1 - fx) + chips[gy * GRID + gx1] * fx;
        float b = chips[gy1 * GRID + gx] * (1 - fx) + chips[gy1 * GRID + gx1] * fx;
        t[y * TILE + x] = a * (1 - fy) + b * fy;
      }
    }
    return t;
  }

  private static byte[] keystream(Mac mac, int n) {
    byte[] out = new byte[n];
    int pos = 0;
    for (int counter = 0; pos < n; counter++) {
      mac.update(LAYOUT_LABEL);
      mac.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter});
      byte[] block = mac.doFinal();
      int k = Math.min(block.length, n - pos);
      System.arraycopy(block, 0, out, pos, k);
      pos += k;
    }
    return out;
  }
}
