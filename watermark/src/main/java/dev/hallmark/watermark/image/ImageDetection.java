package dev.hallmark.watermark.image;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a watermark detection over one or more keys. Immutable.
 *
 * <p>{@link #pValue()} is the family-wise p-value of "this image carries a watermark under one of
 * the keys tried": the smallest per-key p-value times the number of keys (Bonferroni), capped at 1.
 * Each per-key p-value already accounts for every geometry (scale and offset) searched. The image is
 * {@link #detected()} when {@code pValue <= alpha}, so an unwatermarked image is reported as
 * watermarked with probability at most {@code alpha} whatever the number of keys. {@link #keyId()}
 * names the key that detected; {@link #payload()} is present only when the decoded payload passed
 * the keyed integrity check ({@link #payloadValid()}).
 */
public final class ImageDetection {
  private final boolean detected;
  private final double pValue;
  private final double alpha;
  private final int keysTried;
  private final String keyId;
  private final byte[] payload;
  private final boolean payloadValid;
  private final double syncScore;
  private final double scale;
  private final int bitsUsed;
  private final int codedBitErrors;
  private final long geometriesSearched;
  private final byte[] rawPayload;
  private final double rotationDegrees;
  private final boolean mirrored;
  private final double[] transform;
  private final List<ImageRegion> regions;
  private final double[][] outline;

  /** For implementations; callers receive instances from {@link ImageWatermarker#detect}. */
  public ImageDetection(boolean detected, double pValue, double alpha, int keysTried, String keyId,
      byte[] payload, boolean payloadValid, double syncScore, double scale, int bitsUsed,
      int codedBitErrors, long geometriesSearched, byte[] rawPayload, double rotationDegrees) {
    this(detected, pValue, alpha, keysTried, keyId, payload, payloadValid, syncScore, scale, bitsUsed,
        codedBitErrors, geometriesSearched, rawPayload, rotationDegrees, false, null);
  }

  /**
   * For implementations: as above, plus whether the image is a mirror image of the original and the
   * estimated tile-to-image map {a, b, c, d} (null: a rotation by {@code rotationDegrees} and resize
   * by {@code scale}).
   */
  public ImageDetection(boolean detected, double pValue, double alpha, int keysTried, String keyId,
      byte[] payload, boolean payloadValid, double syncScore, double scale, int bitsUsed,
      int codedBitErrors, long geometriesSearched, byte[] rawPayload, double rotationDegrees,
      boolean mirrored, double[] transform) {
    this(detected, pValue, alpha, keysTried, keyId, payload, payloadValid, syncScore, scale, bitsUsed,
        codedBitErrors, geometriesSearched, rawPayload, rotationDegrees, mirrored, transform, List.of());
  }

  /** For implementations: as above, plus the regions found by the localisation windows. */
  public ImageDetection(boolean detected, double pValue, double alpha, int keysTried, String keyId,
      byte[] payload, boolean payloadValid, double syncScore, double scale, int bitsUsed,
      int codedBitErrors, long geometriesSearched, byte[] rawPayload, double rotationDegrees,
      boolean mirrored, double[] transform, List<ImageRegion> regions) {
    this(detected, pValue, alpha, keysTried, keyId, payload, payloadValid, syncScore, scale, bitsUsed,
        codedBitErrors, geometriesSearched, rawPayload, rotationDegrees, mirrored, transform, regions, null);
  }

  /**
   * For implementations: as above, plus where the original's four corners are in this image when
   * the mark was found along the picture's outline (a perspective edit), else null.
   */
  public ImageDetection(boolean detected, double pValue, double alpha, int keysTried, String keyId,
      byte[] payload, boolean payloadValid, double syncScore, double scale, int bitsUsed,
      int codedBitErrors, long geometriesSearched, byte[] rawPayload, double rotationDegrees,
      boolean mirrored, double[] transform, List<ImageRegion> regions, double[][] outline) {
    if (outline != null && (outline.length != 4 || Arrays.stream(outline).anyMatch(c -> c.length != 2))) {
      throw new IllegalArgumentException("outline must have 4 corners of 2 coordinates");
    }
    this.outline = copy(outline);
    this.regions = List.copyOf(regions);
    this.detected = detected;
    this.pValue = pValue;
    this.alpha = alpha;
    this.keysTried = keysTried;
    this.keyId = keyId;
    this.payload = payload == null ? null : payload.clone();
    this.payloadValid = payloadValid;
    this.syncScore = syncScore;
    this.scale = scale;
    this.bitsUsed = bitsUsed;
    this.codedBitErrors = codedBitErrors;
    this.geometriesSearched = geometriesSearched;
    this.rawPayload = rawPayload == null ? null : rawPayload.clone();
    this.rotationDegrees = rotationDegrees;
    this.mirrored = mirrored;
    if (transform == null) {
      double r = Math.toRadians(rotationDegrees);
      transform = new double[] {scale * Math.cos(r), -scale * Math.sin(r), scale * Math.sin(r), scale * Math.cos(r)};
    }
    if (transform.length != 4) {
      throw new IllegalArgumentException("transform must have 4 entries");
    }
    this.transform = transform.clone();
  }

  /** True when the image is a mirror image of the watermarked original (for example a horizontal flip). */
  public boolean mirrored() {
    return mirrored;
  }

  /**
   * The estimated linear map from the original's pixel grid to this image's, {a, b, c, d}: a
   * displacement (u, v) in the original appears as (a u + b v, c u + d v) here (x right, y down).
   * A resize by s is {s, 0, 0, s}; a horizontal flip {-1, 0, 0, 1}. A copy.
   */
  public double[] transform() {
    return transform.clone();
  }

  /**
   * The rectangles in which a key's watermark was found on its own (localisation windows, see
   * {@link ImageRegion}), smallest p-value first; possibly several keys. Empty when no window alone
   * reached alpha, which is normal for a whole watermarked image found through its full-image
   * search, and for images below 256 pixels a side (too small to split). A region implies
   * {@link #detected()}. Immutable.
   */
  public List<ImageRegion> regions() {
    return regions;
  }

  /**
   * Where the watermarked original's corners (top-left, top-right, bottom-right, bottom-left, as
   * {x, y} pixel coordinates) are in this image, when the mark was found by undoing a perspective
   * edit traced from the picture's outline against a uniform fill; null otherwise. {@link
   * #transform()} is then the perspective map's linear part at the image centre. A copy.
   */
  public double[][] outline() {
    return copy(outline);
  }

  private static double[][] copy(double[][] corners) {
    return corners == null ? null : Arrays.stream(corners).map(double[]::clone).toArray(double[][]::new);
  }

  /** Estimated rotation of the image relative to the watermarked original, in degrees. */
  public double rotationDegrees() {
    return rotationDegrees;
  }

  /** True when {@link #pValue()} is at most {@link #alpha()}. */
  public boolean detected() {
    return detected;
  }

  /** Family-wise p-value across {@link #keysTried()} keys (see the class description). */
  public double pValue() {
    return pValue;
  }

  /** The family-wise false-positive rate the decision was taken at. */
  public double alpha() {
    return alpha;
  }

  public int keysTried() {
    return keysTried;
  }

  /** Key id of the detecting key, or null when nothing was detected. */
  public String keyId() {
    return keyId;
  }

  /** The 8-byte payload (a copy) when detected and valid, else null. */
  public byte[] payload() {
    return payload == null ? null : payload.clone();
  }

  /** True when the payload decoded and its keyed 32-bit check matched. */
  public boolean payloadValid() {
    return payloadValid;
  }

  /**
   * Synchronisation z-score of the best key and geometry: the sync correlation, plus the payload
   * chips' pairs (detector 1.8), over its standard deviation over the key's chip signs, so that
   * without the key's mark P(z >= x) <= 3.18 Q(x) at a given geometry and offset, for any image; at
   * most 26.8 (spec, detection step 6).
   */
  public double syncScore() {
    return syncScore;
  }

  /** Estimated resize factor of the image relative to the watermarked original. */
  public double scale() {
    return scale;
  }

  /** Number of coded payload bits read (each spread over many pixels). */
  public int bitsUsed() {
    return bitsUsed;
  }

  /** Coded bits whose hard decision disagreed with the re-encoded payload (-1 if not decoded). */
  public int codedBitErrors() {
    return codedBitErrors;
  }

  /**
   * Number of (geometry, symmetry, offset) hypotheses searched per key. The p-value is corrected
   * for all of them (a weighted Bonferroni bound: see docs/spec/image-watermark.md).
   */
  public long geometriesSearched() {
    return geometriesSearched;
  }

  /**
   * The 8 payload bytes the decoder produced at the best geometry of the best key, whether or not
   * they passed the integrity check or anything was detected (a copy; null if nothing was decoded).
   * Only for diagnostics and bit-accuracy measurements: never trust it without {@link #payloadValid()}.
   */
  public byte[] rawPayload() {
    return rawPayload == null ? null : rawPayload.clone();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "ImageDetection{detected=%s, pValue=%.3g, alpha=%.3g, keysTried=%d, keyId=%s, payloadValid=%s,"
            + " syncScore=%.2f, scale=%.4f, rotation=%.2f%s%s, bitsUsed=%d, codedBitErrors=%d, regions=%d}",
        detected, pValue, alpha, keysTried, keyId, payloadValid, syncScore, scale, rotationDegrees,
        mirrored ? " (mirrored)" : "", outline == null ? "" : ", along the outline", bitsUsed, codedBitErrors,
        regions.size());
  }
}
