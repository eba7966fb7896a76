package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Detector 1.6's colour step ({@link TiledSpreadSpectrum#removeColourPrediction}): it removes the
 * luminance texture that colour predicts, keeps a luminance-only mark, leaves clipped pixels alone,
 * and does not depend on how the rows are banded; and the colour reader ({@link Luma.Chroma}) reads
 * every RGB layout alike.
 */
class ColourPredictionTest {
  private static final long SEED = 20261205L;

  /** A colour texture t (luminance and both colour differences follow it) plus a luminance-only mark. */
  private static BufferedImage textured(int w, int h, float[] mark, Random rnd) {
    float[] t = new float[w * h];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) rnd.nextGaussian();
    }
    t = Filters.box(t, w, h, 1); // some spatial structure, as a picture's texture has
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float m = mark == null ? 0 : mark[i];
        int r = Math.round(128 + 60 * t[i] + m);
        int g = Math.round(120 + 35 * t[i] + m);
        int b = Math.round(128 - 45 * t[i] + m);
        img.setRGB(x, y, clamp(r) << 16 | clamp(g) << 8 | clamp(b));
      }
    }
    return img;
  }

  private static int clamp(int v) {
    return Math.max(1, Math.min(254, v)); // away from both ends: nothing clips
  }

  private static float[] bandPass(float[] y, int w, int h) {
    float[] e = Filters.box(y, w, h, 2);
    float[] out = new float[y.length];
    for (int i = 0; i < y.length; i++) {
      out[i] = y[i] - e[i];
    }
    return out;
  }

  @Test
  void removesTheTextureColourPredictsAndKeepsALuminanceOnlyMark() {
    System.out.println("ColourPredictionTest seed " + SEED);
    Random rnd = new Random(SEED);
    int w = 240;
    int h = 200;
    float[] mark = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        mark[y * w + x] = ((x / 4 + y / 4) % 2 == 0) ^ (((x / 4) * 31 + (y / 4) * 17) % 3 == 0) ? 3f : -3f;
      }
    }
    BufferedImage img = textured(w, h, mark, rnd);
    float[] hp = bandPass(Luma.luma(img), w, h);
    float[] markHp = bandPass(mark, w, h);
    float[] before = hp.clone();
    float[] sq = new float[w * h];
    TiledSpreadSpectrum.removeColourPrediction(hp, sq, w, h, Luma.Chroma.of(img));
    double noiseBefore = 0;
    double noiseAfter = 0;
    double markBefore = 0;
    double markAfter = 0;
    double markPower = 0;
    for (int i = 0; i < hp.length; i++) {
      assertEquals(hp[i] * hp[i], sq[i], 1e-3 * (1 + sq[i]));
      noiseBefore += Math.pow(before[i] - markHp[i], 2);
      noiseAfter += Math.pow(hp[i] - markHp[i], 2);
      markBefore += before[i] * markHp[i];
      markAfter += hp[i] * markHp[i];
      markPower += markHp[i] * markHp[i];
    }
    // The texture is a linear function of colour: nearly all of it goes (rounding to 8 bits stays).
    System.out.printf("texture left %.4f, mark kept %.4f%n", noiseAfter / noiseBefore, markAfter / markPower);
    assertTrue(noiseAfter < 0.05 * noiseBefore, "texture left: " + noiseAfter / noiseBefore);
    // The mark is in luminance alone: the fit takes a few percent of it at most.
    assertTrue(markAfter > 0.95 * markPower, "mark kept: " + markAfter / markPower);
    assertTrue(markBefore > 0.9 * markPower && markBefore < 1.1 * markPower, "mark before: " + markBefore / markPower);
  }

  @Test
  void clippedPixelsAreLeftOutOfTheFit() {
    // Blue at its maximum: a luminance change moves red and green only, so the colour differences
    // carry the mark there, and fitting them would remove it. Such pixels predict nothing.
    int w = 64;
    int h = 64;
    Random rnd = new Random(SEED + 1);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = 100 + rnd.nextInt(7) - 3;
        img.setRGB(x, y, v << 16 | v << 8 | 255);
      }
    }
    float[] hp = bandPass(Luma.luma(img), w, h);
    float[] before = hp.clone();
    TiledSpreadSpectrum.removeColourPrediction(hp, new float[w * h], w, h, Luma.Chroma.of(img));
    assertArrayEquals(before, hp, 0f);
  }

  @Test
  void bandsDoNotChangeTheResult() {
    Random rnd = new Random(SEED + 2);
    int w = 97;
    int h = 301;
    BufferedImage img = textured(w, h, null, rnd);
    float[] one = bandPass(Luma.luma(img), w, h);
    float[] many = one.clone();
    TiledSpreadSpectrum.removeColourPrediction(one, new float[w * h], w, h, Luma.Chroma.of(img), h);
    TiledSpreadSpectrum.removeColourPrediction(many, new float[w * h], w, h, Luma.Chroma.of(img), 7);
    for (int i = 0; i < one.length; i++) {
      // Each pixel sees its whole window in either banding; only the box filters' running sums
      // start at other rows, which changes float rounding.
      assertEquals(one[i], many[i], 1e-4f * (1 + Math.abs(one[i])), "pixel " + i);
    }
  }

  @Test
  void everyRgbLayoutReadsTheSameAndGrayHasNoColour() {
    int w = 37;
    int h = 11;
    Random rnd = new Random(SEED + 3);
    BufferedImage packed = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    BufferedImage bgr = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    BufferedImage abgr = new BufferedImage(w, h, BufferedImage.TYPE_4BYTE_ABGR);
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster r16 = cm.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] px = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
        if ((x + y) % 9 == 0) {
          px[(x + y) % 3] = 255; // some clipped pixels
        }
        int rgb = px[0] << 16 | px[1] << 8 | px[2];
        packed.setRGB(x, y, rgb);
        bgr.setRGB(x, y, rgb);
        abgr.setRGB(x, y, 0xff000000 | rgb);
        r16.setPixel(x, y, new int[] {px[0] * 257, px[1] * 257, px[2] * 257});
      }
    }
    BufferedImage sixteen = new BufferedImage(cm, r16, false, null);
    float[][] want = read(packed, 2, 9);
    for (BufferedImage img : new BufferedImage[] {bgr, abgr, sixteen}) {
      float[][] got = read(img, 2, 9);
      for (int k = 0; k < 3; k++) {
        assertArrayEquals(want[k], got[k], 1e-3f, "type " + img.getType() + " plane " + k);
      }
    }
    assertTrue(hasClipped(want[2]), "some pixels are read as clipped");
    assertNull(Luma.Chroma.of(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY)));
    assertNull(Luma.Chroma.of(new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY)));
    assertNotNull(Luma.Chroma.of(packed));
  }

  private static boolean hasClipped(float[] flags) {
    for (float f : flags) {
      if (f > 0) {
        return true;
      }
    }
    return false;
  }

  /** Blue and red differences and clipped flags (1 or 0) of rows [y0, y1). */
  private static float[][] read(BufferedImage img, int y0, int y1) {
    int n = (y1 - y0) * img.getWidth();
    float[] b = new float[n];
    float[] r = new float[n];
    boolean[] c = new boolean[n];
    Luma.Chroma.of(img).rows(y0, y1, b, r, c);
    float[] cf = new float[n];
    for (int i = 0; i < n; i++) {
      cf[i] = c[i] ? 1 : 0;
    }
    return new float[][] {b, r, cf};
  }
}
