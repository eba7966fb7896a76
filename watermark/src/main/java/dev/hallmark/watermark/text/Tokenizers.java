package dev.hallmark.watermark.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.hallmark.watermark.internal.text.BytePairMerger;
import dev.hallmark.watermark.internal.text.R50kPreTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The BPE tokenizers Hallmark supports, through JTokkit (exact ports of OpenAI's tiktoken encodings). */
public final class Tokenizers {
  /** The tokenizer names accepted by {@link #byName}. */
  public static final List<String> NAMES = List.of("r50k_base", "cl100k_base", "o200k_base");

  private Tokenizers() {}

  /** GPT-2's {@code r50k_base} (50,257 tokens); the built-in language model uses it. */
  public static Tokenizer r50k() {
    return R50K;
  }

  /**
   * The tokenizer called {@code name}: {@code r50k_base}, {@code cl100k_base} or {@code o200k_base}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Tokenizer byName(String name) {
    return switch (canonicalName(name)) {
      case "r50k_base" -> R50K;
      case "cl100k_base" -> CL100K;
      default -> O200K;
    };
  }

  /**
   * The name {@link #byName} knows {@code name} by ({@code r50k_base}, {@code cl100k_base} or
   * {@code o200k_base}), without loading the tokenizer: checking a setting costs nothing, while
   * loading a vocabulary takes a few tenths of a second.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static String canonicalName(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "r50k_base", "r50k", "gpt2" -> "r50k_base";
      case "cl100k_base", "cl100k" -> "cl100k_base";
      case "o200k_base", "o200k" -> "o200k_base";
      default -> throw new IllegalArgumentException(
          "unknown tokenizer '" + name + "' (use r50k_base, cl100k_base or o200k_base)");
    };
  }

  /**
   * A tokenizer with exactly the output of {@code base} that is faster on many texts: for
   * {@code r50k_base} it cuts the text into GPT-2's pre-tokenizer pieces by hand (no regex) and keeps
   * the token ids of up to {@value #MEMO_ENTRIES} short pieces it has seen; it merges the others with
   * tiktoken's byte-pair merge over JTokkit's r50k_base vocabulary (pieces over
   * {@value #MERGE_MAX_BYTES} UTF-8 bytes with JTokkit itself). The memo (up to about 2 MB) belongs to
   * the returned instance alone, not to the JVM: create one per detector. Thread-safe. Other
   * tokenizers are returned unchanged.
   */
  public static Tokenizer memoizing(Tokenizer base) {
    if (base instanceof Jtokkit j && j.name.equals("r50k_base")) {
      return new R50kMemo(j);
    }
    return base;
  }

  /** log2 of the slots of {@link R50kMemo}'s direct-mapped table. */
  static final int MEMO_BITS = 15;
  /** Slots of {@link R50kMemo}'s direct-mapped table. */
  static final int MEMO_ENTRIES = 1 << MEMO_BITS;
  /** Pieces longer than this (chars) are never remembered (they rarely repeat, and keys stay inline). */
  static final int MEMO_MAX_PIECE = 12;

  /**
   * {@code r50k_base} through {@link R50kPreTokenizer} and a direct-mapped table from piece to token
   * ids. A slot holds an immutable {@link Memo}; threads may overwrite each other's slots (the table
   * only ever holds correct entries, whose final fields make them safe to publish by a plain store),
   * so there is no lock and no shared mutable state beyond this instance.
   */
  private static final class R50kMemo implements Tokenizer {
    private final Jtokkit base;
    private final Memo[] table = new Memo[MEMO_ENTRIES];

    R50kMemo(Jtokkit base) {
      this.base = base;
    }

    /**
     * One remembered piece of up to {@value #MEMO_MAX_PIECE} chars, packed 4 UTF-16 chars to a long
     * (with its length, so that trailing U+0000 cannot be confused with padding), and its token ids:
     * a single id inline, more in {@code ids}. One object per slot, so a hit costs one memory hop.
     */
    private static final class Memo {
      final long k0;
      final long k1;
      final long k2;
      final int len;
      final int id;
      final int[] ids;

      Memo(long k0, long k1, long k2, int len, int[] ids) {
        this.k0 = k0;
        this.k1 = k1;
        this.k2 = k2;
        this.len = len;
        this.id = ids[0];
        this.ids = ids.length == 1 ? null : ids;
      }
    }

    @Override
    public String name() {
      return base.name();
    }

    @Override
    public int vocabularySize() {
      return base.vocabularySize();
    }

    @Override
    public int[] encode(String text) {
      String s = wellFormed(text);
      int n = s.length();
      int[] out = new int[Math.max(16, n / 3)];
      int size = 0;
      int i = 0;
      while (i < n) {
        int end = R50kPreTokenizer.next(s, i);
        int len = end - i;
        int[] ids;
        if (len <= MEMO_MAX_PIECE) {
          long k0 = 0;
          long k1 = 0;
          long k2 = 0;
          for (int k = 0; k < len; k++) {
            long c = s.charAt(i + k);
            int shift = (k & 3) << 4;
            if (k < 4) {
              k0 |= c << shift;
            } else if (k < 8) {
              k1 |= c << shift;
            } else {
              k2 |= c << shift;
            }
          }
          long h = k0 * 0x9E3779B97F4A7C15L + k1 * 0xC2B2AE3D27D4EB4FL + k2 * 0x165667B19E3779F9L + len;
          h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
          int slot = (int) (h >>> (64 - MEMO_BITS));
          Memo m = table[slot];
          if (m == null || m.k0 != k0 || m.k1 != k1 || m.k2 != k2 || m.len != len) {
            m = new Memo(k0, k1, k2, len, merge(s.substring(i, end)));
            table[slot] = m;
          }
          if (m.ids == null) {
            if (size == out.length) {
              out = Arrays.copyOf(out, out.length * 2);
            }
            out[size++] = m.id;
            i = end;
            continue;
          }
          ids = m.ids;
        } else {
          ids = merge(s.substring(i, end));
        }
        if (size + ids.length > out.length) {
          out = Arrays.copyOf(out, Math.max(out.length * 2, size + ids.length));
        }
        System.arraycopy(ids, 0, out, size, ids.length);
        size += ids.length;
        i = end;
      }
      return size == out.length ? out : Arrays.copyOf(out, size);
    }

    /** One piece: tiktoken's merge for short pieces, JTokkit for long ones (its merge is not quadratic). */
    private int[] merge(String piece) {
      byte[] b = piece.getBytes(StandardCharsets.UTF_8);
      if (b.length > MERGE_MAX_BYTES) {
        return base.encoding().encodeOrdinary(piece).toArray();
      }
      return R50kMerger.MERGER.encode(b);
    }

    @Override
    public String decode(int[] tokens, int from, int to) {
      return base.decode(tokens, from, to);
    }

    @Override
    public int charOffset(String text, int[] tokens, int index) {
      return base.charOffset(text, tokens, index);
    }

    @Override
    public String toString() {
      return "Tokenizer{" + base.name() + ", memoizing}";
    }
  }

  /** Pieces of more UTF-8 bytes than this go to JTokkit's own merge. */
  static final int MERGE_MAX_BYTES = 128;
  /** r50k_base's one special token, {@code <|endoftext|>}; ids below it are the mergeable ranks. */
  static final int R50K_END_OF_TEXT = 50256;

  /** r50k_base's ranks (immutable), read from JTokkit's vocabulary once, on first use. */
  private static final class R50kMerger {
    static final BytePairMerger MERGER;

    static {
      Jtokkit r50k = R50K;
      IntArrayList one = new IntArrayList(1);
      MERGER = new BytePairMerger(t -> {
        one.clear();
        one.add(t);
        return r50k.encoding().decodeBytes(one);
      }, R50K_END_OF_TEXT);
    }
  }

  private static final Jtokkit R50K = new Jtokkit(EncodingType.R50K_BASE, "r50k_base", 50257);
  private static final Jtokkit CL100K = new Jtokkit(EncodingType.CL100K_BASE, "cl100k_base", 100277);
  private static final Jtokkit O200K = new Jtokkit(EncodingType.O200K_BASE, "o200k_base", 200019);

  /** The vocabularies this JVM has loaded (for a test that start-up paths load none they do not use). */
  private static final Set<EncodingType> LOADED = ConcurrentHashMap.newKeySet();

  private static Encoding load(EncodingType type) {
    Encoding e = Encodings.newLazyEncodingRegistry().getEncoding(type);
    LOADED.add(type);
    return e;
  }

  /** The names of the vocabularies loaded so far in this JVM. */
  static Set<String> loadedVocabularies() {
    Set<String> names = new TreeSet<>();
    for (EncodingType t : LOADED) {
      names.add(t.getName());
    }
    return names;
  }

  /*
   * A vocabulary is loaded once per JVM, when a text is first encoded or decoded with it, each in its
   * own holder: building o200k_base's takes about 0.4 s and cl100k_base's 0.2 s, which a run that
   * only uses r50k_base (or only checks a tokenizer's name, or reads images) should not pay. JTokkit
   * encodings are immutable and thread-safe.
   */
  private static final class R50kEncoding {
    static final Encoding ENCODING = load(EncodingType.R50K_BASE);
  }

  private static final class Cl100kEncoding {
    static final Encoding ENCODING = load(EncodingType.CL100K_BASE);
  }

  private static final class O200kEncoding {
    static final Encoding ENCODING = load(EncodingType.O200K_BASE);
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
    private final EncodingType type;
    private final String name;
    private final int vocab;
    /** UTF-8 byte length of every token id, computed whole on first use and never changed after. */
    private volatile int[] byteLengths;

    Jtokkit(EncodingType type, String name, int vocab) {
      this.type = type;
      this.name = name;
      this.vocab = vocab;
    }

    /** The vocabulary, loaded on first use. */
    Encoding encoding() {
      return switch (type) {
        case R50K_BASE -> R50kEncoding.ENCODING;
        case CL100K_BASE -> Cl100kEncoding.ENCODING;
        case O200K_BASE -> O200kEncoding.ENCODING;
        default -> throw new IllegalStateException("no vocabulary for " + type);
      };
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
      return encoding().encodeOrdinary(wellFormed(text)).toArray();
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
      return encoding().decode(l);
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
                l[t] = encoding().decodeBytes(one).length;
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
