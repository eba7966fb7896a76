package dev.hallmark.watermark.text;

/**
 * A text tokenizer shared by generation and detection, so detection sees exactly the token ids the
 * generator produced. Implementations are immutable and thread-safe.
 */
public interface Tokenizer {
  /** The encoding name, e.g. {@code r50k_base}. */
  String name();

  /** One more than the largest token id this tokenizer can produce. */
  int vocabularySize();

  /** Token ids of {@code text} (special tokens are encoded as ordinary text). */
  int[] encode(String text);

  /** The text of {@code tokens[from..to)}; invalid UTF-8 at cut points becomes U+FFFD. */
  String decode(int[] tokens, int from, int to);
}
