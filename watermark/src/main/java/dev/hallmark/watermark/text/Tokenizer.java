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

  /**
   * The UTF-16 index in {@code text} where {@code tokens[index]} begins ({@code text.length()} for
   * {@code index == tokens.length}), where {@code tokens} is {@code encode(text)}. A code point whose
   * UTF-8 bytes are split between tokens belongs to the token holding its first byte. This default
   * decodes the prefix, which places split code points approximately; implementations should
   * override it with an exact, linear-time walk.
   */
  default int charOffset(String text, int[] tokens, int index) {
    if (index >= tokens.length) {
      return text.length();
    }
    return Math.min(text.length(), decode(tokens, 0, index).length());
  }
}
