package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The texture mask (spec, embedding step 2): embedder 1.1 scales the pattern by the square root of
 * the activity ratio, the detector weights by the ratio itself (detection step 1), both clamped to
 * [0.35, 2.5].
 */
class MaskTest {
  private static final long SEED = 20261206L;

  /** Left half quiet (noise of 6 levels RMS), right half busy texture, seeded. */
  private static float[] halves(int w, int h, Random rnd) {
    float[] y = new float[w * h];
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        y[j * w + i] = (float) (i < w / 2 ? 100 + 6 * rnd.nextGaussian() : 128 + 40 * rnd.nextGaussian());
      }
    }
    return y;
  }

  @Test
  void rootMaskIsTheSquareRootOfTheRatioWithinTheClamps() {
    System.out.println("MaskTest seed " + SEED);
    int w = 256;
    int h = 160;
    Random rnd = new Random(SEED);
    float[] y = halves(w, h, rnd);
    // a smooth ramp across the middle rows, so that every regime of the clamp occurs
    for (int j = 60; j < 100; j++) {
      for (int i = 0; i < w; i++) {
        y[j * w + i] = 50 + i * 0.5f + (float) ((j - 60) * rnd.nextGaussian() * 0.4);
      }
    }
    float[] linear = TiledSpreadSpectrum.mask(y.clone(), w, h, 1);
    float[] root = TiledSpreadSpectrum.mask(y.clone(), w, h, 0.5);
    int inside = 0;
    int floor = 0;
    int cap = 0;
    for (int i = 0; i < linear.length; i++) {
      assertTrue(root[i] >= 0.35f && root[i] <= 2.5f, "root mask out of [0.35, 2.5] at " + i + ": " + root[i]);
      assertTrue(linear[i] >= 0.35f && linear[i] <= 2.5f, "linear mask out of [0.35, 2.5] at " + i + ": " + linear[i]);
      if (linear[i] > 0.36f && linear[i] < 2.49f) {
        inside++;
        assertEquals(Math.sqrt(linear[i]), root[i], 1e-5 * root[i], "pixel " + i);
      } else if (linear[i] <= 0.35f) {
        floor++; // ratio <= 0.35: its root is below 0.592, or the floor
        assertTrue(root[i] <= (float) Math.sqrt(0.35) + 1e-6f, "pixel " + i + ": " + root[i]);
      } else if (linear[i] >= 2.5f) {
        cap++; // ratio >= 2.5: its root is at least 1.58
        assertTrue(root[i] >= (float) Math.sqrt(2.5) - 1e-6f, "pixel " + i + ": " + root[i]);
      }
    }
    assertTrue(inside > 1000 && floor > 1000 && cap > 100, "regimes: " + inside + " inside, " + floor + " floor, " + cap + " cap");
  }

  @Test
  void embeddingFollowsTheRootMask() throws Exception {
    int w = 256;
    int h = 256;
    float[] y = halves(w, h, new Random(SEED + 1));
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) {
        img.getRaster().setSample(i, j, 0, Math.max(0, Math.min(255, Math.round(y[j * w + i]))));
      }
    }
    float[] luma = Luma.luma(img);
    float[] root = TiledSpreadSpectrum.mask(luma.clone(), w, h, 0.5);
    float[] linear = TiledSpreadSpectrum.mask(luma.clone(), w, h, 1);
    WatermarkKey key = WatermarkKey.generate("mask-test", new Random(SEED));
    BufferedImage marked = new TiledSpreadSpectrum(ImageWatermarkParameters.DEFAULT).embed(img, key, new byte[8]);
    BufferedImage linearMarked = new TiledSpreadSpectrum(ImageWatermarkParameters.builder().maskExponent(1).build())
        .embed(img, key, new byte[8]);
    // RMS change in the flat and the busy half, away from the seam (and from clipping: the busy
    // half's samples are far from 0 and 255 on most pixels, and clipped pixels count in both)
    double[] change = new double[2];
    double[] linearChange = new double[2];
    double[] rootMs = new double[2];
    double[] linearMs = new double[2];
    int[] n = new int[2];
    for (int j = 8; j < h - 8; j++) {
      for (int i = 8; i < w - 8; i++) {
        if (Math.abs(i - w / 2) < 16) {
          continue;
        }
        int side = i < w / 2 ? 0 : 1;
        int k = j * w + i;
        double d = marked.getRaster().getSample(i, j, 0) - img.getRaster().getSample(i, j, 0);
        change[side] += d * d;
        double e = linearMarked.getRaster().getSample(i, j, 0) - img.getRaster().getSample(i, j, 0);
        linearChange[side] += e * e;
        rootMs[side] += root[k] * root[k];
        linearMs[side] += linear[k] * linear[k];
        n[side]++;
      }
    }
    double measured = Math.sqrt(change[1] / n[1]) / Math.sqrt(change[0] / n[0]);
    double expectedRoot = Math.sqrt(rootMs[1] / n[1]) / Math.sqrt(rootMs[0] / n[0]);
    double expectedLinear = Math.sqrt(linearMs[1] / n[1]) / Math.sqrt(linearMs[0] / n[0]);
    double measuredLinear = Math.sqrt(linearChange[1] / n[1]) / Math.sqrt(linearChange[0] / n[0]);
    System.out.printf("busy / quiet RMS change: default %.3f (root mask %.3f), maskExponent 1 %.3f (linear mask %.3f)%n",
        measured, expectedRoot, measuredLinear, expectedLinear);
    assertTrue(expectedLinear > 1.5 * expectedRoot, "the two masks are not told apart on this image");
    assertEquals(expectedRoot, measured, 0.15 * expectedRoot);
    assertEquals(expectedLinear, measuredLinear, 0.15 * expectedLinear);
  }
}
