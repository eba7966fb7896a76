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
    return new WatermarkerImpl(new SchemeEngine(key, params), tokenizer.vocabularySize(), tokenizer.name());
  }

  /**
   * A watermarker for an engine with its own vocabulary (ids {@code 0..vocabularySize-1});
   * {@code tokenizerName} is recorded in the watermark facts.
   */
  public static TextWatermarker textWatermarker(
      WatermarkKey key, WatermarkParameters params, int vocabularySize, String tokenizerName) {
    return new WatermarkerImpl(new SchemeEngine(key, params), vocabularySize, tokenizerName);
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
    return new DetectorImpl(new SchemeEngine(key, params), tokenizer, alpha, windowed,
        TextDetectionSettings.DEFAULT_MAX_TOKENS);
  }

  /** A thread-safe detector testing every key against every scheme of {@code settings}. */
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
