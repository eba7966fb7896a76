package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CandidateScalesTest {
  /**
   * A texture-biased period estimate can be a lag pixel off; around the strongest peak the scale
   * hypotheses must reach about +-1 pixel of period with no gap wider than one fine step.
   */
  @Test
  void strongestShortPeriodIsSearchedAboutOnePixelEitherSide() {
    long seed = 71;
    System.out.println("CandidateScalesTest seed " + seed);
    Random rnd = new Random(seed);
    int p = 63;
    int w = 400;
    int h = 300;
    float[] cell = new float[p * p];
    for (int i = 0; i < cell.length; i++) {
      cell[i] = (float) rnd.nextGaussian();
    }
    float[] r = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r[y * w + x] = cell[(y % p) * p + (x % p)] + 0.5f * (float) rnd.nextGaussian();
      }
    }
    double[] scales = new TiledSpreadSpectrum(ImageWatermarkParameters.DEFAULT).candidateScales(r, w, h);
    double[] periods = Arrays.stream(scales).map(s -> s * KeyedPattern.TILE).sorted().toArray();
    for (double target = p - 1.0; target <= p + 1.0; target += 0.05) {
      double nearest = Double.POSITIVE_INFINITY;
      for (double q : periods) {
        nearest = Math.min(nearest, Math.abs(q / target - 1));
      }
      assertTrue(nearest <= 0.0016, "period " + target + " is " + nearest + " from the nearest hypothesis in "
          + Arrays.toString(periods));
    }
  }
}
