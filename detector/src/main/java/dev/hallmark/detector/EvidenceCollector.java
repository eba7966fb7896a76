package dev.hallmark.detector;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Hex;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageDetector;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import dev.hallmark.watermark.text.TextDetectionSettings;
import java.awt.image.BufferedImage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * The evidence that one piece of content carries by itself, computed the same way for {@code clean}
 * (through {@link Detector}) and for {@code verify}: its SHA-256, its fingerprints (text MinHash,
 * 256-bit image hash) and its keyed watermark tests. Ledger look-ups are the caller's, because a
 * corpus cleaner asks a local snapshot and a verifier may ask a served log; both feed them these
 * values.
 *
 * <p>Built once from the watermark keys (the per-key templates and PRF keys are derived here, not per
 * call); immutable and safe to use from many threads.
 */
public final class EvidenceCollector {
  /** Smallest side an image needs for the watermark search. */
  public static final int MIN_WATERMARK_SIDE = 64;

  private final List<WatermarkKey> keys;
  private final MultiKeyTextDetector text;
  private final ImageDetector images;

  private EvidenceCollector(List<WatermarkKey> keys, TextDetectionSettings textSettings,
      ImageWatermarkParameters imageParameters) {
    this.keys = List.copyOf(keys);
    this.text = this.keys.isEmpty() ? null : Watermarks.multiKeyTextDetector(textSettings, this.keys);
    this.images = this.keys.isEmpty() ? null : ImageWatermarks.newWatermarker(imageParameters).detector(this.keys);
  }

  /**
   * A collector testing {@code keys} (may be empty: then only hashes and fingerprints are computed)
   * with the given text detection settings and image watermark parameters.
   */
  public static EvidenceCollector create(List<WatermarkKey> keys, TextDetectionSettings textSettings,
      ImageWatermarkParameters imageParameters) {
    Objects.requireNonNull(textSettings, "textSettings");
    Objects.requireNonNull(imageParameters, "imageParameters");
    return new EvidenceCollector(Objects.requireNonNull(keys, "keys"), textSettings, imageParameters);
  }

  /** A collector with the default image parameters. */
  public static EvidenceCollector create(List<WatermarkKey> keys, TextDetectionSettings textSettings) {
    return create(keys, textSettings, ImageWatermarkParameters.DEFAULT);
  }

  /** Whether watermark keys are present (without them the watermark tests are not run). */
  public boolean keyed() {
    return !keys.isEmpty();
  }

  /**
   * How the text watermark test splits its false-positive budget among the (key, scheme) tests and
   * between whole text and windows, in words; null without keys.
   */
  public String textCorrection() {
    return text == null ? null : text.correction();
  }

  /** The keys tested. */
  public List<WatermarkKey> keys() {
    return keys;
  }

  /**
   * The evidence of one text.
   *
   * @param minHash whether to compute the MinHash fingerprint
   */
  public TextEvidence text(String t, boolean minHash) {
    Objects.requireNonNull(t, "text");
    MultiKeyTextResult r = text == null || t.isBlank() ? null : text.detect(t);
    return new TextEvidence(r, minHash ? TextFingerprint.minHash(t) : null);
  }

  /**
   * The evidence of one decoded image.
   *
   * @param alpha the false-positive rate the watermark test is judged at
   * @param fingerprint whether to compute the perceptual hash
   * @throws HallmarkException when the image cannot be examined
   */
  public ImageEvidence image(BufferedImage img, double alpha, boolean fingerprint) throws HallmarkException {
    Objects.requireNonNull(img, "image");
    return image(img, fingerprint ? ImageFingerprint.of(img) : null, alpha);
  }

  /**
   * The evidence of one image file: the watermark tested in its stored pixels, the perceptual hash
   * taken as a viewer shows it (its EXIF orientation applied; {@link ImageFingerprint#of(ImageFile)}).
   *
   * @throws HallmarkException when the image cannot be examined
   */
  public ImageEvidence image(dev.hallmark.watermark.image.ImageFile file, double alpha, boolean fingerprint)
      throws HallmarkException {
    Objects.requireNonNull(file, "image");
    return image(file.image(), fingerprint ? ImageFingerprint.of(file) : null, alpha);
  }

  private ImageEvidence image(BufferedImage img, ImageFingerprint fp, double alpha) throws HallmarkException {
    ImageDetection d = null;
    if (images != null && img.getWidth() >= MIN_WATERMARK_SIDE && img.getHeight() >= MIN_WATERMARK_SIDE) {
      d = images.detect(img, Math.min(alpha, 0.5));
    }
    return new ImageEvidence(fp, d);
  }

  /** Lower-case hex SHA-256 of {@code b}. */
  public static String sha256(byte[] b) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /**
   * What a text shows by itself.
   *
   * @param watermark the multi-key, multi-scheme test (null without keys or for blank text)
   * @param minHash the MinHash fingerprint (null when not asked for)
   */
  public record TextEvidence(MultiKeyTextResult watermark, int[] minHash) {
    /** Whether a watermark test ran and scored at least one token. */
    public boolean scored() {
      return watermark != null && watermark.best() != null && watermark.best().tokensScored() > 0;
    }
  }

  /**
   * What an image shows by itself.
   *
   * @param fingerprint the perceptual hash (null when not asked for)
   * @param watermark the keyed watermark search (null without keys or for an image too small to carry it)
   */
  public record ImageEvidence(ImageFingerprint fingerprint, ImageDetection watermark) {
    /** The fingerprint when it is good enough for a near-duplicate look-up. */
    public java.util.Optional<ImageFingerprint> usefulFingerprint() {
      return fingerprint != null && fingerprint.quality() >= ImageFingerprint.MIN_USEFUL_QUALITY
          ? java.util.Optional.of(fingerprint) : java.util.Optional.empty();
    }
  }
}
