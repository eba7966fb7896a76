package dev.hallmark.watermark.internal.image;

import java.awt.color.ColorSpace;

/**
 * A CMYK colour space with the textbook conversion {@code R = (1 - C)(1 - K)} and so on, used only
 * to label CMYK pixels held in memory (components are ink amounts, 0 = no ink). The file's own ICC
 * profile, if any, travels with the file unchanged; this conversion is used only when someone asks
 * a CMYK image for RGB values (for example to draw it), never when watermarking or writing it.
 */
public final class NaiveCmyk extends ColorSpace {
  private static final long serialVersionUID = 1L;
  public static final NaiveCmyk INSTANCE = new NaiveCmyk();
  private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);

  private NaiveCmyk() {
    super(ColorSpace.TYPE_CMYK, 4);
  }

  @Override
  public float[] toRGB(float[] v) {
    float k = 1 - v[3];
    return new float[] {(1 - v[0]) * k, (1 - v[1]) * k, (1 - v[2]) * k};
  }

  @Override
  public float[] fromRGB(float[] rgb) {
    float k = 1 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
    if (k >= 1) {
      return new float[] {0, 0, 0, 1};
    }
    float d = 1 - k;
    return new float[] {(1 - rgb[0] - k) / d, (1 - rgb[1] - k) / d, (1 - rgb[2] - k) / d, k};
  }

  @Override
  public float[] toCIEXYZ(float[] v) {
    return SRGB.toCIEXYZ(toRGB(v));
  }

  @Override
  public float[] fromCIEXYZ(float[] xyz) {
    return fromRGB(SRGB.fromCIEXYZ(xyz));
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
