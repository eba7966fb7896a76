package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SipHash-2-4 against the 64 official reference vectors, and the word-oriented fast paths against it. */
class SipHashTest {
  static final long K0 = 0x0706050403020100L;
  static final long K1 = 0x0f0e0d0c0b0a0908L;

  static Stream<Arguments> vectors() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = SipHashTest.class.getResourceAsStream("/text/siphash24-vectors.txt")) {
      int i = 0;
      for (String l : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (l.startsWith("#") || l.isBlank()) {
          continue;
        }
        out.add(Arguments.of(i++, l.trim()));
      }
    }
    assertEquals(64, out.size());
    return out.stream();
  }

  @ParameterizedTest(name = "message length {0}")
  @MethodSource("vectors")
  void referenceVector(int len, String hexLe) {
    byte[] m = new byte[len];
    for (int i = 0; i < len; i++) {
      m[i] = (byte) i;
    }
    long h = SipHash.hash(K0, K1, m);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      sb.append(String.format("%02x", (h >>> (8 * i)) & 0xff));
    }
    assertEquals(hexLe, sb.toString());
  }

  @Test
  void wordPathsEqualBytePath() {
    long seed = 7L;
    System.out.println("seed=" + seed);
    SplittableRandom r = new SplittableRandom(seed);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + r.nextInt(8);
      long[] w = new long[n];
      byte[] b = new byte[8 * n];
      for (int i = 0; i < n; i++) {
        w[i] = r.nextLong();
        for (int j = 0; j < 8; j++) {
          b[8 * i + j] = (byte) (w[i] >>> (8 * j));
        }
      }
      long k0 = r.nextLong();
      long k1 = r.nextLong();
      assertEquals(SipHash.hash(k0, k1, b), SipHash.hashWords(k0, k1, w, n));
      if (n == 3) {
        assertEquals(SipHash.hash(k0, k1, b), SipHash.hash3(k0, k1, w[0], w[1], w[2]));
      }
    }
  }
}
