package dev.hallmark.watermark.image;

import dev.hallmark.watermark.internal.image.Containers;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.imageio.plugins.jpeg.JPEGQTable;

/**
 * A decoded image file: its pixels exactly as stored (no colour conversion: an Adobe RGB or Display
 * P3 photo keeps its own values, a CMYK JPEG its ink values, a 16-bit PNG its 16-bit samples) plus
 * what {@link Images#encode(ImageFile, Images.Format, int)} needs to write a copy that looks the same:
 * the embedded ICC profile, the EXIF block (with its orientation tag), other descriptive metadata,
 * and for JPEGs the quantisation tables and chroma sampling.
 *
 * <p>Obtain one from {@link Images#readFile}; {@link #withImage} gives the same file metadata over
 * new pixels (the watermarked ones). The metadata is immutable; the {@link BufferedImage} is the
 * caller's, as everywhere in AWT.
 */
public final class ImageFile {
  private final BufferedImage image;
  private final int frames;
  private final String format;
  private final Containers.Carried carried;
  private final JpegTables jpegTables;
  private final int cmykTransform;

  /** The source JPEG's quantisation tables and per-component sampling factors (H, V). */
  record JpegTables(JPEGQTable[] tables, int[] componentTable, int[] h, int[] v) {}

  ImageFile(BufferedImage image, String format, Containers.Carried carried, JpegTables jpegTables,
      int cmykTransform) {
    this(image, format, carried, jpegTables, cmykTransform, 1);
  }

  ImageFile(BufferedImage image, String format, Containers.Carried carried, JpegTables jpegTables,
      int cmykTransform, int frames) {
    this.frames = frames;
    this.image = image;
    this.format = format;
    this.carried = carried;
    this.jpegTables = jpegTables;
    this.cmykTransform = cmykTransform;
  }

  /** The pixels, as stored in the file. */
  public BufferedImage image() {
    return image;
  }

  /**
   * The same file metadata over {@code pixels}, which must have this image's size and layout; an
   * image of fewer than 8 bits a sample (a 1-, 2- or 4-bit palette or gray PNG) may come back with 8,
   * as the watermark needs (8-bit palettes already come back as RGB).
   */
  public ImageFile withImage(BufferedImage pixels) {
    int bits = image.getSampleModel().getSampleSize(0);
    int newBits = pixels.getSampleModel().getSampleSize(0);
    if (pixels.getWidth() != image.getWidth() || pixels.getHeight() != image.getHeight()
        || pixels.getColorModel().getNumComponents() != image.getColorModel().getNumComponents()
        || (newBits != bits && !(bits < 8 && newBits == 8))) {
      throw new IllegalArgumentException("pixels must have the file's size, components and bit depth");
    }
    return new ImageFile(pixels, format, carried, jpegTables, cmykTransform, frames);
  }

  /**
   * The number of images the file holds (frames of an animated GIF or WebP, pages of a TIFF); only
   * the first is read, watermarked and written. 1 for single-image formats.
   */
  public int frames() {
    return frames;
  }

  /** Lower-case format name of the source ("png", "jpeg", "gif", ...). */
  public String format() {
    return format;
  }

  /** The embedded ICC profile (a copy), or null when the file has none (then it is taken as sRGB). */
  public byte[] iccProfile() {
    return carried.icc() == null ? null : carried.icc().clone();
  }

  /**
   * The profile's description (for example "Adobe RGB (1998)"), "sRGB (untagged)" without a
   * profile, or "unreadable ICC profile" when it cannot be parsed (it is still carried unchanged).
   */
  public String colourProfileName() {
    if (carried.icc() == null) {
      return isCmyk() ? "CMYK (untagged)" : "sRGB (untagged)";
    }
    try {
      byte[] desc = ICC_Profile.getInstance(carried.icc()).getData(ICC_Profile.icSigProfileDescriptionTag);
      return desc == null ? "ICC profile without a description" : descriptionText(desc);
    } catch (RuntimeException e) {
      return "unreadable ICC profile";
    }
  }

  private static String descriptionText(byte[] d) {
    String type = new String(d, 0, 4, StandardCharsets.ISO_8859_1);
    if (type.equals("desc") && d.length >= 12) {
      int n = ((d[8] & 0xff) << 24) | ((d[9] & 0xff) << 16) | ((d[10] & 0xff) << 8) | (d[11] & 0xff);
      n = Math.max(0, Math.min(n, d.length - 12));
      return new String(d, 12, n, StandardCharsets.ISO_8859_1).replace("\0", "").strip();
    }
    if (type.equals("mluc") && d.length >= 28) {
      int len = ((d[20] & 0xff) << 24) | ((d[21] & 0xff) << 16) | ((d[22] & 0xff) << 8) | (d[23] & 0xff);
      int off = ((d[24] & 0xff) << 24) | ((d[25] & 0xff) << 16) | ((d[26] & 0xff) << 8) | (d[27] & 0xff);
      if (off >= 0 && len >= 0 && off + len <= d.length) {
        return new String(d, off, len, StandardCharsets.UTF_16BE).replace("\0", "").strip();
      }
    }
    return "ICC profile";
  }

  /** The EXIF orientation tag (1-8; 1, upright, when absent). Pixels are as stored, not rotated. */
  public int exifOrientation() {
    return Containers.exifOrientation(carried.exif());
  }

  /**
   * The pixels as a viewer shows them: {@link #image()} with the EXIF orientation applied (a new
   * image for orientations 2-8, the stored one for 1). What a perceptual fingerprint is taken of, so
   * that a copy whose pixels a viewer or an upload pipeline rotated ("baked" the orientation) still
   * matches the original. The watermark is embedded and detected in the stored pixels.
   */
  public java.awt.image.BufferedImage displayed() {
    int o = exifOrientation();
    if (o < 2 || o > 8) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    boolean swap = o >= 5;
    int ow = swap ? h : w;
    int oh = swap ? w : h;
    java.awt.image.Raster src = image.getRaster();
    java.awt.image.WritableRaster dst = image.getColorModel().createCompatibleWritableRaster(ow, oh);
    Object px = null;
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sx;
        int sy;
        switch (o) {
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; } // 8
        }
        px = src.getDataElements(sx, sy, px);
        dst.setDataElements(x, y, px);
      }
    }
    return new java.awt.image.BufferedImage(image.getColorModel(), dst, image.getColorModel().isAlphaPremultiplied(), null);
  }

  /** Bits per sample (8 or 16 for the formats written). */
  public int bitDepth() {
    return image.getSampleModel().getSampleSize(0);
  }

  public boolean hasAlpha() {
    return image.getColorModel().hasAlpha();
  }

  /** True when the pixels are CMYK ink values (a CMYK JPEG). */
  public boolean isCmyk() {
    return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK;
  }

  Containers.Carried carried() {
    return carried;
  }

  JpegTables jpegTables() {
    return jpegTables;
  }

  /** Adobe transform of a CMYK source (0 plain, 2 YCCK), -1 when not CMYK. */
  int cmykTransform() {
    return cmykTransform;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ImageFile{%s, %dx%d, %d-bit, %s%s, orientation %d}", format,
        image.getWidth(), image.getHeight(), bitDepth(), colourProfileName(), hasAlpha() ? ", alpha" : "",
        exifOrientation());
  }
}
