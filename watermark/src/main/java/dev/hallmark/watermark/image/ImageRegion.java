package dev.hallmark.watermark.image;

import java.util.Locale;

/**
 * A rectangle of the tested image in which the watermark of one key was found on its own: a
 * localisation window, or a pasted rectangle traced from its edges, whose own p-value, corrected
 * for every window, rectangle, offset and key tried (see docs/spec/image-watermark.md,
 * "Localisation" and "Regions"), is at most the detection's alpha. Immutable.
 *
 * <p>Coordinates are pixels of the tested image, x right and y down, {@code x + width} and
 * {@code y + height} exclusive. A window is reported when the part of it a marked picture covers
 * carries the mark strongly enough, cut down to the rows and columns of its grid cells that carry
 * the mark themselves; a picture pasted in place into another, whose four sides show as straight
 * steps, is reported as its traced rectangle. Overlapping regions of the same key are reported
 * once, as the one with the smallest p-value.
 */
public final class ImageRegion {
  private final int x;
  private final int y;
  private final int width;
  private final int height;
  private final String keyId;
  private final double pValue;
  private final double syncScore;
  private final byte[] payload;

  /** For implementations; callers receive instances from {@link ImageDetection#regions()}. */
  public ImageRegion(int x, int y, int width, int height, String keyId, double pValue, double syncScore,
      byte[] payload) {
    if (x < 0 || y < 0 || width <= 0 || height <= 0) {
      throw new IllegalArgumentException("bad region " + x + "," + y + " " + width + "x" + height);
    }
    if (keyId == null) {
      throw new IllegalArgumentException("a region needs the id of the key that found it");
    }
    this.x = x;
    this.y = y;
    this.width = width;
    this.height = height;
    this.keyId = keyId;
    this.pValue = pValue;
    this.syncScore = syncScore;
    this.payload = payload == null ? null : payload.clone();
  }

  public int x() {
    return x;
  }

  public int y() {
    return y;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Id of the key whose watermark this region carries. */
  public String keyId() {
    return keyId;
  }

  /** The region's own p-value, corrected for every window, offset and key tried. */
  public double pValue() {
    return pValue;
  }

  /** Synchronisation z-score of the key's pattern in this window alone. */
  public double syncScore() {
    return syncScore;
  }

  /**
   * The 8-byte payload decoded from this window alone when it passed the key's integrity check (a
   * copy), else null (too few pixels to decode it).
   */
  public byte[] payload() {
    return payload == null ? null : payload.clone();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "ImageRegion{x=%d, y=%d, %dx%d, keyId=%s, pValue=%.3g, syncScore=%.2f, payload=%s}",
        x, y, width, height, keyId, pValue, syncScore, payload == null ? "not recovered" : "valid");
  }
}
