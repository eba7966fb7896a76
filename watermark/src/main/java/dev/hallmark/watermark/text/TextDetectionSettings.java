package dev.hallmark.watermark.text;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Serializable, immutable settings for multi-key detection (plain values only, so they can be
 * shipped to Spark executors). Keys are not part of the settings: each executor loads its own.
 *
 * @param tokenizer tokenizer name ({@link Tokenizers#NAMES})
 * @param schemes the schemes to test: a key that records no scheme is tested under each of these; a
 *     key that records its scheme is tested under its own parameters alone, if its scheme is listed
 * @param alpha family-wise false-positive rate over all keys, schemes and windows
 * @param windowed scan windows for watermarked passages pasted into other text
 * @param maxTokens only the first {@code maxTokens} tokens of a text are read
 */
public record TextDetectionSettings(
    String tokenizer, List<WatermarkParameters> schemes, double alpha, boolean windowed, int maxTokens)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default bound on tokens read per document (about 4 MB of English). */
  public static final int DEFAULT_MAX_TOKENS = 1 << 20;

  /** All five scheme presets, r50k_base, family-wise alpha 1e-3, windowed. */
  public static final TextDetectionSettings DEFAULT = new TextDetectionSettings("r50k_base",
      List.of(WatermarkParameters.KGW_DEFAULT, WatermarkParameters.KGW_SELFHASH_DEFAULT,
          WatermarkParameters.UNIGRAM_DEFAULT, WatermarkParameters.GUMBEL_DEFAULT,
          WatermarkParameters.SYNTHID_DEFAULT),
      1e-3, true, DEFAULT_MAX_TOKENS);

  /** @throws IllegalArgumentException naming the bad value */
  public TextDetectionSettings {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Tokenizers.canonicalName(tokenizer); // checks the name; the vocabulary is loaded when a detector needs it
    schemes = List.copyOf(schemes);
    if (schemes.isEmpty()) {
      throw new IllegalArgumentException("at least one scheme is needed");
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
    }
  }

  public TextDetectionSettings withAlpha(double a) {
    return new TextDetectionSettings(tokenizer, schemes, a, windowed, maxTokens);
  }

  public TextDetectionSettings withSchemes(List<WatermarkParameters> s) {
    return new TextDetectionSettings(tokenizer, s, alpha, windowed, maxTokens);
  }

  public TextDetectionSettings withTokenizer(String t) {
    return new TextDetectionSettings(t, schemes, alpha, windowed, maxTokens);
  }

  public TextDetectionSettings withWindowed(boolean w) {
    return new TextDetectionSettings(tokenizer, schemes, alpha, w, maxTokens);
  }
}
