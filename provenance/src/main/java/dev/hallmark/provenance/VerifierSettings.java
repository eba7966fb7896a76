package dev.hallmark.provenance;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.text.TextDetectionSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Verifier} uses: watermark keys to test (may be empty: then only metadata, hashes and
 * fingerprints are used), ledger sources, log keys trusted to sign checkpoints, and the decision
 * thresholds. Immutable; build with {@link #builder()}.
 */
public final class VerifierSettings {
  /**
   * Default family-wise false-positive rate of the image watermark test (a detected payload must
   * also pass its keyed 32-bit check and name a record).
   */
  public static final double DEFAULT_ALPHA = 1e-6;
  /**
   * Default family-wise false-positive rate of the text watermark test (over keys, schemes and
   * windows). A text watermark alone never establishes origin: the keyed lookup also needs a
   * registered text of that key with MinHash similarity of at least
   * {@link #DEFAULT_MIN_KEYED_TEXT_SIMILARITY}, whose signature and inclusion proof hold.
   */
  public static final double DEFAULT_TEXT_ALPHA = 1e-3;
  /** Largest image-hash distance taken as "the same picture" (PDQ's recommended 31 of 256 bits). */
  public static final int DEFAULT_MAX_IMAGE_DISTANCE = 31;
  /** Smallest MinHash similarity for a key-less text fingerprint match. */
  public static final double DEFAULT_MIN_TEXT_SIMILARITY = 0.5;
  /**
   * Smallest MinHash similarity to tie a text to a record of the key whose watermark was detected
   * in it (an edited copy with 20% of its words replaced keeps about 0.34).
   */
  public static final double DEFAULT_MIN_KEYED_TEXT_SIMILARITY = 0.15;

  private final List<WatermarkKey> keys;
  private final List<LedgerSource> sources;
  private final List<NoteVerifierKey> trustedLogKeys;
  private final double alpha;
  private final double textAlpha;
  private final int maxImageDistance;
  private final double minTextSimilarity;
  private final double minKeyedTextSimilarity;
  private final ImageWatermarkParameters imageParameters;
  private final TextDetectionSettings textSettings;
  private final dev.hallmark.c2pa.TrustAnchors c2paTrust;

  private VerifierSettings(Builder b) {
    this.c2paTrust = b.c2paTrust;
    this.keys = List.copyOf(b.keys);
    this.sources = List.copyOf(b.sources);
    this.trustedLogKeys = List.copyOf(b.trustedLogKeys);
    this.alpha = b.alpha;
    this.textAlpha = b.textAlpha;
    this.maxImageDistance = b.maxImageDistance;
    this.minTextSimilarity = b.minTextSimilarity;
    this.minKeyedTextSimilarity = b.minKeyedTextSimilarity;
    this.imageParameters = b.imageParameters;
    this.textSettings = b.textSettings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Trust anchors for C2PA signers (default none: manifests are at best Valid, never Trusted). */
  public dev.hallmark.c2pa.TrustAnchors c2paTrust() {
    return c2paTrust;
  }

  public List<WatermarkKey> keys() {
    return keys;
  }

  public List<LedgerSource> sources() {
    return sources;
  }

  /** Trusted log keys besides those of local ledger folders. */
  public List<NoteVerifierKey> trustedLogKeys() {
    return trustedLogKeys;
  }

  /** False-positive rate of the image watermark test. */
  public double alpha() {
    return alpha;
  }

  /** False-positive rate of the text watermark test. */
  public double textAlpha() {
    return textAlpha;
  }

  public int maxImageDistance() {
    return maxImageDistance;
  }

  public double minTextSimilarity() {
    return minTextSimilarity;
  }

  public double minKeyedTextSimilarity() {
    return minKeyedTextSimilarity;
  }

  public ImageWatermarkParameters imageParameters() {
    return imageParameters;
  }

  /** Text detection settings; the alpha used is {@link #textAlpha()}. */
  public TextDetectionSettings textSettings() {
    return textSettings.withAlpha(textAlpha);
  }

  /** Builder; {@link #build()} validates. */
  public static final class Builder {
    private final List<WatermarkKey> keys = new ArrayList<>();
    private final List<LedgerSource> sources = new ArrayList<>();
    private final List<NoteVerifierKey> trustedLogKeys = new ArrayList<>();
    private double alpha = DEFAULT_ALPHA;
    private double textAlpha = DEFAULT_TEXT_ALPHA;
    private int maxImageDistance = DEFAULT_MAX_IMAGE_DISTANCE;
    private double minTextSimilarity = DEFAULT_MIN_TEXT_SIMILARITY;
    private double minKeyedTextSimilarity = DEFAULT_MIN_KEYED_TEXT_SIMILARITY;
    private ImageWatermarkParameters imageParameters = ImageWatermarkParameters.DEFAULT;
    private TextDetectionSettings textSettings = TextDetectionSettings.DEFAULT;

    public Builder addKeys(List<WatermarkKey> k) {
      keys.addAll(k);
      return this;
    }

    public Builder addSource(LedgerSource s) {
      sources.add(s);
      return this;
    }

    public Builder trustLogKey(NoteVerifierKey k) {
      trustedLogKeys.add(k);
      return this;
    }

    public Builder alpha(double a) {
      this.alpha = a;
      return this;
    }

    public Builder textAlpha(double a) {
      this.textAlpha = a;
      return this;
    }

    public Builder maxImageDistance(int d) {
      this.maxImageDistance = d;
      return this;
    }

    public Builder minTextSimilarity(double s) {
      this.minTextSimilarity = s;
      return this;
    }

    public Builder minKeyedTextSimilarity(double s) {
      this.minKeyedTextSimilarity = s;
      return this;
    }

    public Builder imageParameters(ImageWatermarkParameters p) {
      this.imageParameters = p;
      return this;
    }

    public Builder textSettings(TextDetectionSettings s) {
      this.textSettings = s;
      return this;
    }

    private dev.hallmark.c2pa.TrustAnchors c2paTrust = dev.hallmark.c2pa.TrustAnchors.none();

    /** Trust anchors for the signers of C2PA manifests. */
    public Builder c2paTrust(dev.hallmark.c2pa.TrustAnchors anchors) {
      this.c2paTrust = java.util.Objects.requireNonNull(anchors, "anchors");
      return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public VerifierSettings build() {
      if (!(alpha > 0 && alpha < 1) || !(textAlpha > 0 && textAlpha < 1)) {
        throw new IllegalArgumentException("alpha and textAlpha must be in (0, 1), got " + alpha + " and " + textAlpha);
      }
      if (maxImageDistance < 0 || maxImageDistance > 31) {
        throw new IllegalArgumentException("maxImageDistance must be 0-31 (exact multi-index lookup), got " + maxImageDistance);
      }
      if (!(minTextSimilarity > 0 && minTextSimilarity <= 1) || !(minKeyedTextSimilarity > 0 && minKeyedTextSimilarity <= 1)) {
        throw new IllegalArgumentException("text similarity thresholds must be in (0, 1]");
      }
      if (imageParameters == null || textSettings == null) {
        throw new IllegalArgumentException("image and text watermark settings are required");
      }
      return new VerifierSettings(this);
    }
  }
}
