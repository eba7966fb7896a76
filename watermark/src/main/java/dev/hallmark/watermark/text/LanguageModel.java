package dev.hallmark.watermark.text;

/**
 * A next-token model: fills logits over its tokenizer's vocabulary. Every sampler (all five schemes
 * through {@link TextWatermarker}, and plain sampling) runs on this interface through
 * {@link TextGenerator}; adapters for real models (e.g. {@code hallmark-models-onnx}) implement it.
 *
 * <p>Thread-safety: implementations are thread-safe: {@link #logits} and {@link #newSession} may be
 * called from many threads at once. A {@link Session} holds per-sequence state (a transformer's
 * key/value cache) and is NOT thread-safe: use one per generating thread.
 */
public interface LanguageModel {
  /** Name of the tokenizer whose ids this model uses. */
  String tokenizer();

  int vocabularySize();

  /**
   * Writes natural-log next-token probabilities (or any logits) for the context {@code tokens[0..length)}
   * into {@code out} (length {@link #vocabularySize()}); impossible tokens get {@code -Infinity}.
   * Stateless: a model with a cache recomputes the whole context (use a {@link Session} to reuse it).
   */
  void logits(int[] tokens, int length, float[] out);

  /**
   * A session for generating one sequence. The default, for models without state, calls
   * {@link #logits} for every step.
   */
  default Session newSession() {
    LanguageModel self = this;
    return new Session() {
      @Override
      public void logits(int[] tokens, int length, float[] out) {
        self.logits(tokens, length, out);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * One sequence being generated. It keeps whatever the model caches about the context it last saw
   * (a transformer's past keys and values), so that a call whose context extends the previous one
   * by a token costs one step, not a pass over the whole context. A context that does not extend
   * the previous one (a new prompt, an edit) is handled correctly by recomputing from the longest
   * common prefix or from scratch. Not thread-safe; close it to free native memory.
   */
  interface Session extends AutoCloseable {
    /** As {@link LanguageModel#logits}, reusing the cache of the previous call where it applies. */
    void logits(int[] tokens, int length, float[] out);

    /** Frees the cache; the session must not be used afterwards. Never throws. */
    @Override
    void close();
  }
}
