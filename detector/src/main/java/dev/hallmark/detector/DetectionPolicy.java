package dev.hallmark.detector;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.List;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.WatermarkParameters;

/**
 * The decision policy: one false-positive budget per document for all statistical tests, and the
 * thresholds for ledger near-duplicate matches. Immutable and {@link Serializable}, so it can be
 * shipped to Spark executors; validated in {@link Builder#build()}.
 *
 * <p>The budget {@link #alpha()} bounds the probability that a document which carries no watermark
 * is removed because of a watermark test. It is split by Bonferroni over the document's text (one
 * share, spent across keys, schemes and copy-paste windows by the watermark detector's family-wise
 * control) and each scanned image (one share each). Ledger matches are not statistical: exact hashes
 * match or not, near-duplicates match when they pass {@link #textJaccardThreshold()} or
 * {@link #imageHammingThreshold()}.
 */
public final class DetectionPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * alpha 1e-6; every text scheme preset with the r50k_base tokenizer and copy-paste windows;
   * Jaccard 0.6 on texts of 200+ characters; Hamming 31 of 256 bits (PDQ's match threshold); 64
   * images per document.
   */
  public static final DetectionPolicy DEFAULT = builder().build();

  private final double alpha;
  private final double textJaccardThreshold;
  private final int minNearDuplicateChars;
  private final int imageHammingThreshold;
  private final int maxImagesPerDocument;
  private final TextDetectionSettings textSettings;
  private final boolean removeC2paAiGenerated;

  private DetectionPolicy(Builder b) {
    this.textSettings = b.textSettings.withAlpha(b.alpha);
    this.alpha = b.alpha;
    this.textJaccardThreshold = b.textJaccardThreshold;
    this.minNearDuplicateChars = b.minNearDuplicateChars;
    this.imageHammingThreshold = b.imageHammingThreshold;
    this.maxImagesPerDocument = b.maxImagesPerDocument;
    this.removeC2paAiGenerated = b.removeC2paAiGenerated;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    return new Builder()
        .alpha(alpha)
        .textJaccardThreshold(textJaccardThreshold)
        .minNearDuplicateChars(minNearDuplicateChars)
        .imageHammingThreshold(imageHammingThreshold)
        .maxImagesPerDocument(maxImagesPerDocument)
        .removeC2paAiGenerated(removeC2paAiGenerated)
        .textSettings(textSettings);
  }

  /**
   * Tokenizer, schemes, windowing and token limit for the text watermark test; its alpha is this
   * policy's {@link #alpha()} (the per-document share is applied by the detector).
   */
  public TextDetectionSettings textSettings() {
    return textSettings;
  }

  /** Per-document false-positive budget for watermark tests, in (0, 0.5]. */
  public double alpha() {
    return alpha;
  }

  /** Minimum estimated Jaccard similarity for a text near-duplicate match, in (0, 1]. */
  public double textJaccardThreshold() {
    return textJaccardThreshold;
  }

  /** Texts shorter than this (in characters) are not looked up as near-duplicates. */
  public int minNearDuplicateChars() {
    return minNearDuplicateChars;
  }

  /** Maximum Hamming distance (of 256 bits) for an image near-duplicate match. */
  public int imageHammingThreshold() {
    return imageHammingThreshold;
  }

  /**
   * Images beyond this many per document are not scanned (and not counted in the budget split); a
   * document with more, in whose scanned part nothing is found, cannot be declared clean and is
   * reported as not examinable.
   */
  public int maxImagesPerDocument() {
    return maxImagesPerDocument;
  }

  /** The share of {@link #alpha()} given to the text when {@code images} images are scanned. */
  public double textAlpha(int images) {
    return alpha / (1 + Math.min(images, maxImagesPerDocument));
  }

  /** The share of {@link #alpha()} given to each image when {@code images} images are scanned. */
  public double imageAlpha(int images) {
    return alpha / (1 + Math.min(images, maxImagesPerDocument));
  }

  /**
   * Whether an image whose C2PA manifest (signature verified; signer not required to be trusted)
   * declares {@code trainedAlgorithmicMedia} is removed, whoever made it. Default false.
   */
  public boolean removeC2paAiGenerated() {
    return removeC2paAiGenerated;
  }

  /** The policy as plain values, for reports. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alpha", alpha);
    m.put("alphaSplit", "Bonferroni: text and each scanned image get alpha/(1+images); the text share is family-wise across keys, schemes and windows");
    List<String> schemes = new java.util.ArrayList<>();
    for (WatermarkParameters w : textSettings.schemes()) {
      schemes.add(w.toString());
    }
    m.put("textSchemes", schemes);
    m.put("tokenizer", textSettings.tokenizer());
    m.put("copyPasteWindows", textSettings.windowed());
    m.put("maxTokens", textSettings.maxTokens());
    m.put("textJaccardThreshold", textJaccardThreshold);
    m.put("minNearDuplicateChars", minNearDuplicateChars);
    m.put("imageHammingThreshold", imageHammingThreshold);
    m.put("maxImagesPerDocument", maxImagesPerDocument);
    m.put("removeC2paAiGenerated", removeC2paAiGenerated);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DetectionPolicy)) {
      return false;
    }
    DetectionPolicy p = (DetectionPolicy) o;
    return Double.compare(alpha, p.alpha) == 0
        && Double.compare(textJaccardThreshold, p.textJaccardThreshold) == 0
        && minNearDuplicateChars == p.minNearDuplicateChars
        && imageHammingThreshold == p.imageHammingThreshold
        && maxImagesPerDocument == p.maxImagesPerDocument
        && removeC2paAiGenerated == p.removeC2paAiGenerated
        && textSettings.equals(p.textSettings);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(alpha, textJaccardThreshold, minNearDuplicateChars, imageHammingThreshold, maxImagesPerDocument, textSettings, removeC2paAiGenerated);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "DetectionPolicy{alpha=%s, jaccard>=%s (texts>=%d chars), hamming<=%d, images<=%d}",
        alpha, textJaccardThreshold, minNearDuplicateChars, imageHammingThreshold, maxImagesPerDocument);
  }

  /** Builder; every setter validates in {@link #build()}. */
  public static final class Builder {
    private double alpha = 1e-6;
    private double textJaccardThreshold = 0.6;
    private int minNearDuplicateChars = 200;
    private int imageHammingThreshold = 31;
    private int maxImagesPerDocument = 64;
    private TextDetectionSettings textSettings = TextDetectionSettings.DEFAULT;
    private boolean removeC2paAiGenerated;

    private Builder() {}

    /** See {@link DetectionPolicy#removeC2paAiGenerated()}. */
    public Builder removeC2paAiGenerated(boolean v) {
      this.removeC2paAiGenerated = v;
      return this;
    }

    public Builder alpha(double v) {
      this.alpha = v;
      return this;
    }

    public Builder textJaccardThreshold(double v) {
      this.textJaccardThreshold = v;
      return this;
    }

    public Builder minNearDuplicateChars(int v) {
      this.minNearDuplicateChars = v;
      return this;
    }

    public Builder imageHammingThreshold(int v) {
      this.imageHammingThreshold = v;
      return this;
    }

    public Builder maxImagesPerDocument(int v) {
      this.maxImagesPerDocument = v;
      return this;
    }

    /** Tokenizer, schemes, windows and token limit of the text test (its alpha is replaced by {@link #alpha}). */
    public Builder textSettings(TextDetectionSettings v) {
      this.textSettings = java.util.Objects.requireNonNull(v, "textSettings");
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first value out of range
     */
    public DetectionPolicy build() {
      if (!(alpha > 0 && alpha <= 0.5)) {
        throw new IllegalArgumentException("alpha must be in (0, 0.5], not " + alpha);
      }
      if (!(textJaccardThreshold > 0 && textJaccardThreshold <= 1)) {
        throw new IllegalArgumentException("textJaccardThreshold must be in (0, 1], not " + textJaccardThreshold);
      }
      if (minNearDuplicateChars < 0) {
        throw new IllegalArgumentException("minNearDuplicateChars must be >= 0, not " + minNearDuplicateChars);
      }
      if (imageHammingThreshold < 0 || imageHammingThreshold > 31) {
        throw new IllegalArgumentException("imageHammingThreshold must be in [0, 31] (the ledger's exact-recall range), not " + imageHammingThreshold);
      }
      if (maxImagesPerDocument < 0) {
        throw new IllegalArgumentException("maxImagesPerDocument must be >= 0, not " + maxImagesPerDocument);
      }
      return new DetectionPolicy(this);
    }
  }
}
