package dev.hallmark.watermark.internal.text;

/**
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) with a 128-bit key
 * given as two little-endian 64-bit halves. Stateless.
 */
public final class SipHash {
  private SipHash() {}

  /** SipHash-2-4 of an arbitrary byte string. */
  public static long hash(long k0, long k1, byte[] m) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    int len = m.length;
    int end = len - (len % 8);
    for (int i = 0; i < end; i += 8) {
      long w = 0;
      for (int j = 7; j >= 0; j--) {
        w = (w << 8) | (m[i + j] & 0xffL);
      }
      v3 ^= w;
      for (int r = 0; r < 2; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= w;
    }
    long b = ((long) len) << 56;
    for (int j = len - 1; j >= end; j--) {
      b |= (m[j] & 0xffL) << (8 * (j - end));
    }
    return finish(v0, v1, v2, v3, b);
  }

  /**
   * SipHash-2-4 of the little-endian encoding of {@code words[0..n)} (a message of 8n bytes). Equal
   * to {@link #hash(long, long, byte[])} of those bytes.
   */
  public static long hashWords(long k0, long k1, long[] words, int n) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    for (int i = 0; i < n; i++) {
      long w = words[i];
      v3 ^= w;
      for (int r = 0; r < 2; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= w;
    }
    return finish(v0, v1, v2, v3, ((long) (8 * n)) << 56);
  }

  /** SipHash-2-4 of the 24-byte message LE64(a) || LE64(b) || LE64(c), without allocation. */
  public static long hash3(long k0, long k1, long a, long b, long c) {
    long v0 = 0x736f6d6570736575L ^ k0;
    long v1 = 0x646f72616e646f6dL ^ k1;
    long v2 = 0x6c7967656e657261L ^ k0;
    long v3 = 0x7465646279746573L ^ k1;
    for (int i = 0; i < 3; i++) {
      long w = i == 0 ? a : i == 1 ? b : c;
      v3 ^= w;
      for (int r = 0; r < 2; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= w;
    }
    return finish(v0, v1, v2, v3, 24L << 56);
  }

  private static long finish(long v0, long v1, long v2, long v3, long b) {
    v3 ^= b;
    for (int r = 0; r < 2; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    v0 ^= b;
    v2 ^= 0xff;
    for (int r = 0; r < 4; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
