package dev.hallmark.watermark.internal.text;

/**
 * GPT-2's pre-tokenizer ({@code r50k_base}) written out by hand: the pieces that JTokkit 1.1.0's
 * pattern {@code '(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}, compiled
 * with {@code Pattern.UNICODE_CHARACTER_CLASS} and applied with {@code Matcher.find()}, cuts a text
 * into, with the same Unicode semantics on the running JDK: letters are {@link Character#isLetter(int)}
 * (categories Lu, Ll, Lt, Lm, Lo), numbers categories Nd, Nl, No, white space the Unicode
 * White_Space property as {@code java.util.regex} defines it (categories Zs, Zl, Zp, U+0009..U+000D
 * and U+0085), all by code point. Case-sensitive, like JTokkit's r50k pattern. A pure function;
 * {@code R50kPreTokenizerTest} checks it against the regex on every code point and on random and real
 * texts.
 */
public final class R50kPreTokenizer {
  static final int LETTER = 0;
  static final int NUMBER = 1;
  static final int OTHER = 2;
  static final int SPACE = 3;

  /** The class of each ASCII char. */
  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII[c] = (byte) classOf0(c);
    }
  }

  private R50kPreTokenizer() {}

  /** {@link #LETTER}, {@link #NUMBER}, {@link #SPACE} or {@link #OTHER}. */
  static int classOf(int cp) {
    return cp < 128 ? ASCII[cp] : classOf0(cp);
  }

  private static int classOf0(int cp) {
    int type = Character.getType(cp);
    switch (type) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
        return LETTER;
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        return NUMBER;
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
        return SPACE;
      default:
        return (cp >= 0x9 && cp <= 0xd) || cp == 0x85 ? SPACE : OTHER;
    }
  }

  /**
   * The end (exclusive) of the piece that starts at {@code i}, where {@code 0 <= i < s.length()} and
   * {@code i} is the end of the previous piece (or 0).
   */
  public static int next(String s, int i) {
    int n = s.length();
    char c = s.charAt(i);
    if (c == '\'' && i + 1 < n) { // '(?:[sdmt]|ll|ve|re)
      char d = s.charAt(i + 1);
      if (d == 's' || d == 'd' || d == 'm' || d == 't') {
        return i + 2;
      }
      if (i + 2 < n) {
        char e = s.charAt(i + 2);
        if ((d == 'l' && e == 'l') || (d == 'v' && e == 'e') || (d == 'r' && e == 'e')) {
          return i + 3;
        }
      }
    }
    if (c == ' ' && i + 1 < n) { // ' ?' taken: a letter, number or other run after one space
      int cls = classOfAt(s, i + 1);
      if (cls != SPACE) {
        return run(s, i + 1, cls);
      }
    }
    int cls = classOfAt(s, i);
    if (cls != SPACE) {
      return run(s, i, cls);
    }
    int end = run(s, i, SPACE);
    if (end == n) {
      return end; // \s+(?!\S) at the end of the text
    }
    // \s+(?!\S) gives back the last white-space code point, so that a non-space follows none;
    // when that leaves nothing, \s+ takes the single code point.
    int last = end - Character.charCount(s.codePointBefore(end));
    return last > i ? last : end;
  }

  private static int classOfAt(String s, int i) {
    char c = s.charAt(i);
    if (c < 128) {
      return ASCII[c];
    }
    return classOf0(s.codePointAt(i));
  }

  /** The end of the run of code points of class {@code cls} that starts at {@code i}. */
  private static int run(String s, int i, int cls) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c < 128) {
        if (ASCII[c] != cls) {
          return i;
        }
        i++;
      } else {
        int cp = s.codePointAt(i);
        if (classOf0(cp) != cls) {
          return i;
        }
        i += Character.charCount(cp);
      }
    }
    return i;
  }
}
