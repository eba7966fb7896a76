package dev.hallmark.watermark.internal.image;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;

/**
 * Luminance access that keeps an image's own sample layout: 8- or 16-bit, gray or RGB, with or
 * without alpha. Luminance is on a 0-255 scale whatever the bit depth (BT.601 weights).
 */
public final class Luma {
  private Luma() {}

  /** True when {@link #addLuma} can write into this image type without converting it. */
  static boolean direct(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    if (cm instanceof IndexColorModel) {
      return false;
    }
    int t = img.getRaster().getTransferType();
    if (t != DataBuffer.TYPE_BYTE && t != DataBuffer.TYPE_USHORT && t != DataBuffer.TYPE_INT) {
      return false;
    }
    int cs = cm.getColorSpace().getType();
    int n = cm.getNumColorComponents();
    if (cm.isAlphaPremultiplied()) {
      return false;
    }
    return (cs == ColorSpace.TYPE_RGB && n == 3) || (cs == ColorSpace.TYPE_GRAY && n == 1);
  }

  /** The image itself when {@link #direct}, else an 8-bit (A)RGB copy. */
  public static BufferedImage normalized(BufferedImage img) {
    if (direct(img)) {
      return img;
    }
    boolean alpha = img.getColorModel().hasAlpha();
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(),
        alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static double scale(BufferedImage img, int band) {
    int bits = img.getSampleModel().getSampleSize(band);
    return 255.0 / ((1L << bits) - 1);
  }

  /** Row-major luminance, 0-255. */
  public static float[] luma(BufferedImage src) {
    BufferedImage img = normalized(src);
    int w = img.getWidth();
    int h = img.getHeight();
    float[] y = new float[w * h];
    WritableRaster r = img.getRaster();
    int n = img.getColorModel().getNumColorComponents();
    int[] a = new int[w];
    int[] b = new int[w];
    int[] c = new int[w];
    if (n == 1) {
      double s = scale(img, 0);
      for (int row = 0; row < h; row++) {
        r.getSamples(0, row, w, 1, 0, a);
        for (int x = 0; x < w; x++) {
          y[row * w + x] = (float) (a[x] * s);
        }
      }
    } else {
      double s0 = scale(img, 0) * 0.299;
      double s1 = scale(img, 1) * 0.587;
      double s2 = scale(img, 2) * 0.114;
      for (int row = 0; row < h; row++) {
        r.getSamples(0, row, w, 1, 0, a);
        r.getSamples(0, row, w, 1, 1, b);
        r.getSamples(0, row, w, 1, 2, c);
        for (int x = 0; x < w; x++) {
          y[row * w + x] = (float) (a[x] * s0 + b[x] * s1 + c[x] * s2);
        }
      }
    }
    return y;
  }

  /**
   * A copy of {@code src} (same type when {@link #direct}) with {@code delta} (0-255 scale, row-major)
   * added to every colour channel, which changes luminance by {@code delta} and leaves chroma alone.
   * Alpha is copied unchanged; samples are rounded and clamped to their range.
   */
  public static BufferedImage addLuma(BufferedImage src, float[] delta) {
    BufferedImage base = normalized(src);
    ColorModel cm = base.getColorModel();
    WritableRaster raster = base.copyData(null);
    BufferedImage out = new BufferedImage(cm, raster, cm.isAlphaPremultiplied(), null);
    int w = out.getWidth();
    int h = out.getHeight();
    int n = cm.getNumColorComponents();
    int[] s = new int[w];
    for (int band = 0; band < n; band++) {
      int bits = out.getSampleModel().getSampleSize(band);
      int max = (int) ((1L << bits) - 1);
      double k = max / 255.0;
      for (int row = 0; row < h; row++) {
        raster.getSamples(0, row, w, 1, band, s);
        int o = row * w;
        for (int x = 0; x < w; x++) {
          long v = Math.round(s[x] + delta[o + x] * k);
          s[x] = (int) (v < 0 ? 0 : (v > max ? max : v));
        }
        raster.setSamples(0, row, w, 1, band, s);
      }
    }
    return out;
  }
}
