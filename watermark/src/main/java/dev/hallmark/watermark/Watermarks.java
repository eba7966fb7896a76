package dev.hallmark.watermark;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.internal.text.DetectorImpl;
import dev.hallmark.watermark.internal.text.MultiKeyDetectorImpl;
import dev.hallmark.watermark.internal.text.SchemeEngine;
import dev.hallmark.watermark.internal.text.WatermarkerImpl;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.TextDetector;
import dev.hallmark.watermark.text.TextWatermarker;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.List;

/** The watermark module's static-factory entry point. */
public final class Watermarks {
  private Watermarks() {}

  /**
   * A watermarker for one generating thread, embedding {@code params} under {@code key} for token
   * ids of {@code tokenizer}.
   */
  public static TextWatermarker textWatermarker(WatermarkKey key, WatermarkParameters params, Tokenizer tokenizer) {
    return new WatermarkerImpl(new SchemeEngine(key, checkKeyScheme(key, params)), tokenizer.vocabularySize(),
        tokenizer.name());
  }

  /**
   * A watermarker for a key that records its text scheme ({@link WatermarkParameters#ofKey}).
   *
   * @throws IllegalArgumentException when the key records no scheme
   */
  public static TextWatermarker textWatermarker(WatermarkKey key, Tokenizer tokenizer) {
    WatermarkParameters p = WatermarkParameters.ofKey(key).orElseThrow(() -> new IllegalArgumentException(
        "watermark key '" + key.name() + "' records no text scheme; name the scheme parameters"));
    return textWatermarker(key, p, tokenizer);
  }

  /**
   * Refuses to generate under parameters other than those the key records: detection tests such a
   * key under its recorded scheme only and would never find the text.
   */
  private static WatermarkParameters checkKeyScheme(WatermarkKey key, WatermarkParameters params) {
    WatermarkParameters own = WatermarkParameters.ofKey(key).orElse(null);
    if (own != null && !own.equals(params)) {
      throw new IllegalArgumentException("watermark key '" + key.name() + "' is for " + own
          + ", not " + params + "; detection would not find this text (use a key made for it)");
    }
    return params;
  }

  /**
   * A watermarker for an engine with its own vocabulary (ids {@code 0..vocabularySize-1});
   * {@code tokenizerName} is recorded in the watermark facts.
   */
  public static TextWatermarker textWatermarker(
      WatermarkKey key, WatermarkParameters params, int vocabularySize, String tokenizerName) {
    return new WatermarkerImpl(new SchemeEngine(key, checkKeyScheme(key, params)), vocabularySize, tokenizerName);
  }

  /**
   * A thread-safe detector for one key and scheme, deciding at {@code alpha}; with {@code windowed},
   * also scans windows for pasted passages (p-value corrected for the windows tried).
   */
  public static TextDetector textDetector(
      WatermarkKey key, WatermarkParameters params, Tokenizer tokenizer, double alpha, boolean windowed) {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
    }
    return new DetectorImpl(new SchemeEngine(key, params), Tokenizers.memoizing(tokenizer), alpha, windowed,
        TextDetectionSettings.DEFAULT_MAX_TOKENS);
  }

  /**
   * A thread-safe detector testing every key: a key that records its scheme under that scheme alone,
   * any other key under every scheme of {@code settings}.
   *
   * @throws IllegalArgumentException when a key records a scheme or parameters this build cannot read
   */
  public static MultiKeyTextDetector multiKeyTextDetector(TextDetectionSettings settings, List<WatermarkKey> keys) {
    return new MultiKeyDetectorImpl(settings, keys);
  }

  /**
   * As {@link #multiKeyTextDetector(TextDetectionSettings, List)}, tokenizing with {@code tokenizer}
   * (for example a model's own Hugging Face tokenizer) instead of {@code settings.tokenizer()}.
   */
  public static MultiKeyTextDetector multiKeyTextDetector(
      TextDetectionSettings settings, List<WatermarkKey> keys, Tokenizer tokenizer) {
    return new MultiKeyDetectorImpl(settings, keys, java.util.Objects.requireNonNull(tokenizer, "tokenizer"));
  }

  /** The keyed image watermarker (immutable, thread-safe); same as {@code ImageWatermarks.newWatermarker}. */
  public static dev.hallmark.watermark.image.ImageWatermarker imageWatermarker(
      dev.hallmark.watermark.image.ImageWatermarkParameters params) {
    return dev.hallmark.watermark.image.ImageWatermarks.newWatermarker(params);
  }
}
