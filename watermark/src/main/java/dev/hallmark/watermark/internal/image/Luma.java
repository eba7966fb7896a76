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
    return (cs == ColorSpace.TYPE_RGB && n == 3) || (cs == ColorSpace.TYPE_GRAY && n == 1)
        || (cs == ColorSpace.TYPE_CMYK && n == 4 && !cm.hasAlpha());
  }

  /** True for CMYK images: components are ink amounts and luminance falls as they rise. */
  static boolean cmyk(BufferedImage img) {
    return img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK;
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
    float[] fast = lumaFast(src);
    if (fast != null) {
      return fast;
    }
    BufferedImage img = normalized(src);
    int w = img.getWidth();
    int h = img.getHeight();
    float[] y = new float[w * h];
    WritableRaster r = img.getRaster();
    int n = img.getColorModel().getNumColorComponents();
    int[] a = new int[w];
    int[] b = new int[w];
    int[] c = new int[w];
    if (n == 4 && cmyk(img)) {
      // Luminance of the textbook conversion R = (1 - C)(1 - K), ... on the 0-255 scale.
      double[] s = {scale(img, 0), scale(img, 1), scale(img, 2), scale(img, 3)};
      int[] k = new int[w];
      for (int row = 0; row < h; row++) {
        r.getSamples(0, row, w, 1, 0, a);
        r.getSamples(0, row, w, 1, 1, b);
        r.getSamples(0, row, w, 1, 2, c);
        r.getSamples(0, row, w, 1, 3, k);
        for (int x = 0; x < w; x++) {
          double white = 255 - 0.299 * a[x] * s[0] - 0.587 * b[x] * s[1] - 0.114 * c[x] * s[2];
          y[row * w + x] = (float) (white * (1 - k[x] * s[3] / 255));
        }
      }
      return y;
    }
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

  /** Direct array access for the common packed and interleaved 8-bit RGB layouts, else null. */
  private static float[] lumaFast(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] px = packedPixels(img);
    if (px != null) {
      float[] y = new float[w * h];
      for (int i = 0; i < y.length; i++) {
        int p = px[i];
        y[i] = 0.299f * ((p >>> 16) & 0xff) + 0.587f * ((p >>> 8) & 0xff) + 0.114f * (p & 0xff);
      }
      return y;
    }
    byte[] bytes = interleavedBytes(img);
    if (bytes != null) {
      int n = img.getType() == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
      int b0 = n == 3 ? 0 : 1;
      float[] y = new float[w * h];
      for (int i = 0, o = 0; i < y.length; i++, o += n) {
        y[i] = 0.114f * (bytes[o + b0] & 0xff) + 0.587f * (bytes[o + b0 + 1] & 0xff) + 0.299f * (bytes[o + b0 + 2] & 0xff);
      }
      return y;
    }
    return null;
  }

  /** The pixels of a TYPE_INT_RGB or TYPE_INT_ARGB image, row after row with no gaps; else null. */
  private static int[] packedPixels(BufferedImage img) {
    int type = img.getType();
    WritableRaster r = img.getRaster();
    if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
        && r.getDataBuffer() instanceof java.awt.image.DataBufferInt
        && r.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel
        && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0
        && ((java.awt.image.SinglePixelPackedSampleModel) r.getSampleModel()).getScanlineStride() == img.getWidth()) {
      return ((java.awt.image.DataBufferInt) r.getDataBuffer()).getData();
    }
    return null;
  }

  /** The samples of a TYPE_3BYTE_BGR or TYPE_4BYTE_ABGR image, row after row with no gaps; else null. */
  private static byte[] interleavedBytes(BufferedImage img) {
    int type = img.getType();
    WritableRaster r = img.getRaster();
    if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
        && r.getDataBuffer() instanceof java.awt.image.DataBufferByte
        && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0) {
      byte[] px = ((java.awt.image.DataBufferByte) r.getDataBuffer()).getData();
      int n = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
      return px.length == img.getWidth() * img.getHeight() * n ? px : null;
    }
    return null;
  }

  /**
   * An RGB image's two colour differences, blue less luminance and red less luminance (0-255 scale,
   * the BT.601 weights of {@link #luma}), read a band of rows at a time from the image's own samples,
   * with a flag for pixels where a colour sample sits at either end of its range. The watermark adds
   * the same amount to every colour channel, which changes luminance and leaves both differences
   * alone except where a sample clips; the detector uses them to predict, and remove, the part of
   * the picture's texture that colour shares with luminance. Null for gray and CMYK images.
   */
  static final class Chroma {
    private final BufferedImage img;
    private final double[] scale = new double[3];
    private final int[] max = new int[3];

    private Chroma(BufferedImage img) {
      this.img = img;
      for (int b = 0; b < 3; b++) {
        int bits = img.getSampleModel().getSampleSize(b);
        max[b] = (int) ((1L << bits) - 1);
        scale[b] = 255.0 / max[b];
      }
    }

    /** The reader for {@code src}, or null when it has no RGB colour (gray, CMYK). */
    static Chroma of(BufferedImage src) {
      BufferedImage img = normalized(src);
      ColorModel cm = img.getColorModel();
      if (cm.getColorSpace().getType() != ColorSpace.TYPE_RGB || cm.getNumColorComponents() != 3) {
        return null;
      }
      return new Chroma(img);
    }

    /**
     * Rows {@code [y0, y1)}, row-major from index 0: blue less luminance into {@code blue}, red less
     * luminance into {@code red}, and whether any colour sample is 0 or its maximum into
     * {@code clipped}.
     */
    void rows(int y0, int y1, float[] blue, float[] red, boolean[] clipped) {
      int w = img.getWidth();
      int[] packed = packedPixels(img);
      if (packed != null) {
        for (int i = 0, o = y0 * w; o < y1 * w; i++, o++) {
          int p = packed[o];
          put(i, (p >>> 16) & 0xff, (p >>> 8) & 0xff, p & 0xff, blue, red, clipped);
        }
        return;
      }
      byte[] bytes = interleavedBytes(img);
      if (bytes != null) {
        int n = img.getType() == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
        int b0 = n == 3 ? 0 : 1;
        for (int i = 0, o = y0 * w * n; i < (y1 - y0) * w; i++, o += n) {
          put(i, bytes[o + b0 + 2] & 0xff, bytes[o + b0 + 1] & 0xff, bytes[o + b0] & 0xff, blue, red, clipped);
        }
        return;
      }
      WritableRaster r = img.getRaster();
      int[] a = new int[w];
      int[] b = new int[w];
      int[] c = new int[w];
      for (int row = y0; row < y1; row++) {
        r.getSamples(0, row, w, 1, 0, a);
        r.getSamples(0, row, w, 1, 1, b);
        r.getSamples(0, row, w, 1, 2, c);
        int o = (row - y0) * w;
        for (int x = 0; x < w; x++) {
          float rr = (float) (a[x] * scale[0]);
          float gg = (float) (b[x] * scale[1]);
          float bb = (float) (c[x] * scale[2]);
          float lum = 0.299f * rr + 0.587f * gg + 0.114f * bb;
          blue[o + x] = bb - lum;
          red[o + x] = rr - lum;
          clipped[o + x] = a[x] == 0 || b[x] == 0 || c[x] == 0 || a[x] == max[0] || b[x] == max[1] || c[x] == max[2];
        }
      }
    }

    /** One 8-bit pixel. */
    private static void put(int i, int rr, int gg, int bb, float[] blue, float[] red, boolean[] clipped) {
      float lum = 0.299f * rr + 0.587f * gg + 0.114f * bb;
      blue[i] = bb - lum;
      red[i] = rr - lum;
      clipped[i] = rr == 0 || gg == 0 || bb == 0 || rr == 255 || gg == 255 || bb == 255;
    }
  }

  /**
   * A copy of {@code src} (same type when {@link #direct}) with {@code delta} (0-255 scale, row-major)
   * added to every colour channel, which changes luminance by {@code delta} and leaves chroma alone.
   * Alpha is copied unchanged; samples are rounded and clamped to their range.
   */
  public static BufferedImage addLuma(BufferedImage src, float[] delta) {
    BufferedImage fast = addLumaFast(src, delta);
    if (fast != null) {
      return fast;
    }
    BufferedImage base = normalized(src);
    ColorModel cm = base.getColorModel();
    WritableRaster raster = base.copyData(null);
    BufferedImage out = new BufferedImage(cm, raster, cm.isAlphaPremultiplied(), null);
    int w = out.getWidth();
    int h = out.getHeight();
    int n = cm.getNumColorComponents();
    int[] s = new int[w];
    if (cmyk(out)) {
      addInk(raster, delta);
      return out;
    }
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

  /**
   * CMYK: brighten by taking ink off C, M and Y, darken by adding it, {@code delta} (0-255 scale) of
   * ink in all, shared by the BT.601 weights of {@link #luma}'s white term. An ink that cannot move
   * (none to take off, or full) passes its share to the other two, and what C, M and Y cannot take
   * goes to K. CMYK from a colour conversion with full grey replacement (ImageMagick's, most
   * print workflows) has no C, M or Y ink at all in at least one channel of every pixel and in every
   * grey or black one, where taking ink off C, M and Y alone lost most of the mark.
   */
  private static void addInk(WritableRaster raster, float[] delta) {
    inkPass(raster, delta, true);
  }

  /**
   * The root mean square, over all four channels on the 0-255 scale, of the change {@link #addLuma}
   * makes to a CMYK image's samples for {@code delta} (before rounding): the embedder scales the mark
   * to its PSNR target on the file's own samples with it, since an ink that cannot move passes its
   * share to the others. 0 for an image that is not CMYK.
   */
  public static double inkChangeRms(BufferedImage img, float[] delta) {
    if (!cmyk(img) || img.getColorModel().getNumComponents() != 4) {
      return 0;
    }
    return Math.sqrt(inkPass(img.getRaster(), delta, false) / (4.0 * img.getWidth() * img.getHeight()));
  }

  /** Applies (with {@code write}) or measures the ink change; returns the sum of squared sample changes (0-255 scale). */
  private static double inkPass(WritableRaster raster, float[] delta, boolean write) {
    int w = raster.getWidth();
    int h = raster.getHeight();
    double[] weight = {0.299, 0.587, 0.114};
    int[][] rows = new int[4][w];
    double[] scale = new double[4];
    int[] max = new int[4];
    for (int band = 0; band < 4; band++) {
      max[band] = (int) ((1L << raster.getSampleModel().getSampleSize(band)) - 1);
      scale[band] = max[band] / 255.0;
    }
    double[] v = new double[3];
    double squares = 0;
    for (int row = 0; row < h; row++) {
      for (int band = 0; band < 4; band++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + row, w, 1, band, rows[band]);
      }
      for (int x = 0; x < w; x++) {
        // Ink to take off, weighted (0-255 scale): positive brightens.
        double need = delta[row * w + x];
        for (int c = 0; c < 3; c++) {
          v[c] = rows[c][x] / scale[c];
        }
        for (int pass = 0; pass < 3 && Math.abs(need) > 1e-9; pass++) {
          double free = 0;
          for (int c = 0; c < 3; c++) {
            if (need > 0 ? v[c] > 0 : v[c] < 255) {
              free += weight[c];
            }
          }
          if (free == 0) {
            break;
          }
          double t = need / free;
          for (int c = 0; c < 3; c++) {
            if (need > 0 ? v[c] > 0 : v[c] < 255) {
              double nv = Math.max(0, Math.min(255, v[c] - t));
              need -= weight[c] * (v[c] - nv);
              v[c] = nv;
            }
          }
        }
        for (int c = 0; c < 3; c++) {
          double d = v[c] - rows[c][x] / scale[c];
          squares += d * d;
          long q = Math.round(v[c] * scale[c]);
          rows[c][x] = (int) Math.max(0, Math.min(max[c], q));
        }
        if (Math.abs(need) > 1e-9) {
          double k = rows[3][x] / scale[3];
          double nk = Math.max(0, Math.min(255, k - need));
          squares += (nk - k) * (nk - k);
          long q = Math.round(nk * scale[3]);
          rows[3][x] = (int) Math.max(0, Math.min(max[3], q));
        }
      }
      if (write) {
        for (int band = 0; band < 4; band++) {
          raster.setSamples(raster.getMinX(), raster.getMinY() + row, w, 1, band, rows[band]);
        }
      }
    }
    return squares;
  }

  private static BufferedImage addLumaFast(BufferedImage src, float[] delta) {
    int type = src.getType();
    int w = src.getWidth();
    int h = src.getHeight();
    if (type != BufferedImage.TYPE_INT_RGB && type != BufferedImage.TYPE_INT_ARGB
        && type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_4BYTE_ABGR) {
      return null;
    }
    if (lumaFast(src) == null) {
      return null;
    }
    // The source's own colour model and sample layout: new BufferedImage(w, h, type) would label the
    // samples sRGB, and an image read with its ICC profile (Adobe RGB, Display P3) would come back
    // with its samples unchanged but shown as if they were sRGB.
    WritableRaster raster = src.getRaster().createCompatibleWritableRaster(w, h);
    src.copyData(raster);
    BufferedImage out = new BufferedImage(src.getColorModel(), raster, src.isAlphaPremultiplied(), null);
    if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
      int[] px = ((java.awt.image.DataBufferInt) raster.getDataBuffer()).getData();
      for (int i = 0; i < px.length; i++) {
        int p = px[i];
        float d = delta[i];
        px[i] = (p & 0xff000000) | (add8((p >>> 16) & 0xff, d) << 16) | (add8((p >>> 8) & 0xff, d) << 8)
            | add8(p & 0xff, d);
      }
    } else {
      int n = type == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
      int b0 = n == 3 ? 0 : 1;
      byte[] px = ((java.awt.image.DataBufferByte) raster.getDataBuffer()).getData();
      for (int i = 0, o = b0; i < delta.length; i++, o += n) {
        float d = delta[i];
        px[o] = (byte) add8(px[o] & 0xff, d);
        px[o + 1] = (byte) add8(px[o + 1] & 0xff, d);
        px[o + 2] = (byte) add8(px[o + 2] & 0xff, d);
      }
    }
    return out;
  }

  private static int add8(int v, float d) {
    int r = Math.round(v + d);
    return r < 0 ? 0 : (r > 255 ? 255 : r);
  }
}
