package dev.hallmark.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The wNAF recoding of the batch check's scalars (split at 2^128, or whole on a key's first batch), at each width it uses. */
class Ed25519BatchWnafTest {
  private static final long SEED = 20261205L;

  @Test
  void digitsAreOddSpacedAndSumToTheScalar() {
    System.out.println("Ed25519BatchWnafTest seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    // Split scalars (below 2^128, 130 digits) at each width, and full scalars below L (a key's first
    // batch: 253 bits, 256 digits).
    int[][] cases = {{5, 130, 128}, {6, 130, 128}, {8, 130, 128}, {5, 256, 253}};
    for (int[] c : cases) {
      int w = c[0];
      int len = c[1];
      int bits = c[2];
      BigInteger max = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
      for (int round = 0; round < 2000; round++) {
        BigInteger s = switch (round) {
          case 0 -> BigInteger.ZERO;
          case 1 -> BigInteger.ONE;
          case 2 -> max;
          case 3 -> BigInteger.ONE.shiftLeft(bits - 1);
          default -> new BigInteger(1 + rnd.nextInt(bits), new java.util.Random(rnd.nextLong()));
        };
        byte[] naf = Ed25519Batch.wnaf(s, w, len);
        assertEquals(len, naf.length);
        BigInteger sum = BigInteger.ZERO;
        int last = -w;
        for (int i = 0; i < naf.length; i++) {
          int d = naf[i];
          if (d == 0) {
            continue;
          }
          assertTrue((d & 1) != 0 && Math.abs(d) < (1 << (w - 1)), "digit " + d + " at " + i + ", width " + w);
          assertTrue(i - last >= w, "digits at " + last + " and " + i + " closer than width " + w);
          last = i;
          sum = sum.add(BigInteger.valueOf(d).shiftLeft(i));
        }
        assertEquals(s, sum, "width " + w + ", scalar " + s.toString(16));
      }
    }
  }

  @Test
  void scalarsOf129BitsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Ed25519Batch.wnaf(BigInteger.ONE.shiftLeft(128), 5, 130));
    assertThrows(IllegalArgumentException.class, () -> Ed25519Batch.wnaf(BigInteger.ONE.shiftLeft(254), 5, 256));
  }
}
