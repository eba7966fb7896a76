package dev.hallmark.watermark.text;

/** A next-token model: fills logits over its tokenizer's vocabulary. */
public interface LanguageModel {
  /** Name of the tokenizer whose ids this model uses. */
  String tokenizer();

  int vocabularySize();

  /**
   * Writes natural-log next-token probabilities (or any logits) for the context {@code tokens[0..length)}
   * into {@code out} (length {@link #vocabularySize()}); impossible tokens get {@code -Infinity}.
   */
  void logits(int[] tokens, int length, float[] out);
}
