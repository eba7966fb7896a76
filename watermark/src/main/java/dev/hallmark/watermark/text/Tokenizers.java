package dev.hallmark.watermark.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.List;
import java.util.Locale;

/** The BPE tokenizers Hallmark supports, through JTokkit (exact ports of OpenAI's tiktoken encodings). */
public final class Tokenizers {
  /** The tokenizer names accepted by {@link #byName}. */
  public static final List<String> NAMES = List.of("r50k_base", "cl100k_base", "o200k_base");

  private Tokenizers() {}

  /** GPT-2's {@code r50k_base} (50,257 tokens); the built-in language model uses it. */
  public static Tokenizer r50k() {
    return Holder.R50K;
  }

  /**
   * The tokenizer called {@code name}: {@code r50k_base}, {@code cl100k_base} or {@code o200k_base}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Tokenizer byName(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "r50k_base", "r50k", "gpt2" -> Holder.R50K;
      case "cl100k_base", "cl100k" -> Holder.CL100K;
      case "o200k_base", "o200k" -> Holder.O200K;
      default -> throw new IllegalArgumentException(
          "unknown tokenizer '" + name + "' (use r50k_base, cl100k_base or o200k_base)");
    };
  }

  /** Encodings are loaded once per JVM on first use; JTokkit encodings are immutable and thread-safe. */
  private static final class Holder {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    static final Tokenizer R50K = new Jtokkit(REGISTRY.getEncoding(EncodingType.R50K_BASE), "r50k_base", 50257);
    static final Tokenizer CL100K = new Jtokkit(REGISTRY.getEncoding(EncodingType.CL100K_BASE), "cl100k_base", 100277);
    static final Tokenizer O200K = new Jtokkit(REGISTRY.getEncoding(EncodingType.O200K_BASE), "o200k_base", 200019);
  }

  /**
   * The index of the first char of {@code text} whose UTF-8 encoding starts at or after byte
   * {@code target}; unpaired surrogates count as U+FFFD, three bytes (see {@link #wellFormed}).
   */
  static int charIndexAtByte(String text, long target) {
    long bytes = 0;
    int i = 0;
    int n = text.length();
    while (i < n && bytes < target) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
        i += 1;
      } else if (c < 0x800) {
        bytes += 2;
        i += 1;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i += 2;
      } else {
        bytes += 3;
        i += 1;
      }
    }
    return i;
  }

  /**
   * {@code text} with every unpaired UTF-16 surrogate replaced by U+FFFD, so that tokenizers only
   * ever see well-formed Unicode (JSON escapes such as {@code "\ud800"} can produce lone surrogates,
   * and some encodings reject them).
   */
  static String wellFormed(String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return replaceLoneSurrogates(text);
      }
    }
    return text;
  }

  private static String replaceLoneSurrogates(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        sb.append(c).append(text.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return sb.toString();
  }

  private static final class Jtokkit implements Tokenizer {
    private final Encoding encoding;
    private final String name;
    private final int vocab;
    /** UTF-8 byte length of every token id, computed whole on first use and never changed after. */
    private volatile int[] byteLengths;

    Jtokkit(Encoding encoding, String name, int vocab) {
      this.encoding = encoding;
      this.name = name;
      this.vocab = vocab;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public int vocabularySize() {
      return vocab;
    }

    @Override
    public int[] encode(String text) {
      return encoding.encodeOrdinary(wellFormed(text)).toArray();
    }

    @Override
    public String decode(int[] tokens, int from, int to) {
      if (from < 0 || to > tokens.length || from > to) {
        throw new IndexOutOfBoundsException("token range " + from + ".." + to + " outside 0.." + tokens.length);
      }
      IntArrayList l = new IntArrayList(Math.max(0, to - from));
      for (int i = from; i < to; i++) {
        l.add(tokens[i]);
      }
      return encoding.decode(l);
    }

    @Override
    public int charOffset(String text, int[] tokens, int index) {
      if (index >= tokens.length) {
        return text.length();
      }
      int[] lengths = byteLengths();
      long bytes = 0;
      for (int i = 0; i < index; i++) {
        int t = tokens[i];
        if (t < 0 || t >= vocab) {
          throw new IllegalArgumentException("token id " + t + " outside " + name + " (0.." + (vocab - 1) + ")");
        }
        bytes += lengths[t];
      }
      return charIndexAtByte(text, bytes);
    }

    /** The table, built once (about 50 ms for o200k_base); ids the encoding does not define get 0. */
    private int[] byteLengths() {
      int[] l = byteLengths;
      if (l == null) {
        synchronized (this) {
          l = byteLengths;
          if (l == null) {
            l = new int[vocab];
            IntArrayList one = new IntArrayList(1);
            for (int t = 0; t < vocab; t++) {
              one.clear();
              one.add(t);
              try {
                l[t] = encoding.decodeBytes(one).length;
              } catch (RuntimeException undefined) {
                l[t] = 0; // a gap in the vocabulary: encode never produces it
              }
            }
            byteLengths = l;
          }
        }
      }
      return l;
    }

    @Override
    public String toString() {
      return "Tokenizer{" + name + "}";
    }
  }
}
