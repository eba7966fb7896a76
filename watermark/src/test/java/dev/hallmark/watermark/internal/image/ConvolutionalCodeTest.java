package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvolutionalCodeTest {
  @Test
  void correctsScatteredHardErrorsAndNoisySoftValues() {
    long seed = 77;
    System.out.println("ConvolutionalCodeTest seed " + seed);
    Random rnd = new Random(seed);
    for (int trial = 0; trial < 50; trial++) {
      boolean[] info = new boolean[96];
      for (int i = 0; i < info.length; i++) {
        info[i] = rnd.nextBoolean();
      }
      boolean[] coded = ConvolutionalCode.encode(info);
      assertEquals(306, coded.length);
      double[] soft = new double[coded.length];
      for (int i = 0; i < soft.length; i++) {
        soft[i] = (coded[i] ? -1 : 1) + 0.6 * rnd.nextGaussian();
      }
      // Every 12th coded bit flipped outright on top of the noise.
      for (int i = 0; i < soft.length; i += 12) {
        soft[i] = -soft[i];
      }
      assertArrayEquals(info, ConvolutionalCode.decode(soft, 96), "trial " + trial);
    }
  }

  @Test
  void zeroTailAndLinearity() {
    boolean[] zero = new boolean[96];
    for (boolean b : ConvolutionalCode.encode(zero)) {
      assertTrue(!b);
    }
  }

  @Test
  void normalTailMatchesKnownValues() {
    assertEquals(0.5, Stats.upperTail(0), 1e-7);
    assertEquals(0.022750131948179, Stats.upperTail(2), 1e-8);
    assertEquals(2.866515718791939e-7, Stats.upperTail(5), 2e-13);
    assertEquals(1.279812543885835e-12, Stats.upperTail(7), 1e-12 * 1e-5 * 20);
  }
}
