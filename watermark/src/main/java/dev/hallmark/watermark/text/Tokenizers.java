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

  private static final class Jtokkit implements Tokenizer {
    private final Encoding encoding;
    private final String name;
    private final int vocab;

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
      return encoding.encodeOrdinary(text).toArray();
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
    public String toString() {
      return "Tokenizer{" + name + "}";
    }
  }
}
