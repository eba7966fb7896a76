package dev.hallmark.watermark.text;

/**
 * Tests texts for one key and one scheme. Implementations are immutable and thread-safe.
 */
public interface TextDetector {
  /** Tokenizes {@code text} with the detector's tokenizer and tests it. Never throws on odd text. */
  TextDetectionResult detect(String text);

  /** Tests already-tokenized text ({@code span} character offsets are then token offsets). */
  TextDetectionResult detectTokens(int[] tokens);
}
