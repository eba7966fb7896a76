package dev.hallmark.models.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Hex;
import dev.hallmark.watermark.text.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.Map;

/**
 * A {@link Tokenizer} over a model's own Hugging Face {@code tokenizer.json} (BPE, WordPiece,
 * WordLevel or Unigram, through the Rust {@code tokenizers} library), so that detection tokenizes
 * exactly as the model generated. No special tokens are added when encoding. Its {@link #name()} is
 * {@code hf-} plus the first 16 hex digits of the file's SHA-256, so a watermark record names the
 * exact tokenizer. Thread-safe (the native tokenizer is immutable); {@link #close()} frees it.
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {
  /** Largest tokenizer.json read (Qwen's is ~7 MB). */
  public static final long MAX_FILE_BYTES = 256L << 20;

  private final HuggingFaceTokenizer tokenizer;
  private final String name;
  private final int vocabularySize;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, String name, int vocabularySize) {
    this.tokenizer = tokenizer;
    this.name = name;
    this.vocabularySize = vocabularySize;
  }

  /**
   * Loads {@code tokenizer.json}.
   *
   * @throws HallmarkException naming the file when it is missing, unreadable or not a tokenizer
   */
  public static HfTokenizer load(Path file) throws HallmarkException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new HallmarkException(file + ": larger than " + (MAX_FILE_BYTES >> 20) + " MB; not a tokenizer.json");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new HallmarkException(file + ": no such tokenizer file (give the model's tokenizer.json)");
    } catch (IOException e) {
      throw new HallmarkException(file + ": cannot read the tokenizer (" + e.getMessage() + ")");
    }
    int vocab;
    try {
      vocab = vocabularySize(new ObjectMapper().readTree(bytes));
    } catch (IOException | RuntimeException e) {
      throw new HallmarkException(file + ": not a Hugging Face tokenizer.json (" + e.getMessage() + ")");
    }
    HuggingFaceTokenizer t;
    try {
      t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes),
          Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new HallmarkException(file + ": the tokenizers library rejected it (" + e.getMessage() + ")");
    }
    return new HfTokenizer(t, "hf-" + sha256Prefix(bytes), vocab);
  }

  private static String sha256Prefix(byte[] bytes) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One more than the largest id in the model vocabulary or the added tokens. */
  static int vocabularySize(JsonNode root) {
    long max = -1;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
        max = Math.max(max, it.next().asLong(-1));
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1; // Unigram: a list of [piece, score]
    } else {
      throw new IllegalArgumentException("no model.vocab");
    }
    for (JsonNode t : root.path("added_tokens")) {
      max = Math.max(max, t.path("id").asLong(-1));
    }
    if (max < 1 || max >= (1 << 24)) {
      throw new IllegalArgumentException("vocabulary size " + (max + 1) + " outside 2..16777216");
    }
    return (int) (max + 1);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  /**
   * Decodes {@code tokens[from..to)} as the tail of {@code tokens[0..to)}: decoders that depend on
   * the position (SentencePiece drops the first token's leading space; WordLevel puts spaces between
   * words) then give exactly the text that follows the prefix.
   */
  @Override
  public String decode(int[] tokens, int from, int to) {
    if (from < 0 || to > tokens.length || from > to) {
      throw new IndexOutOfBoundsException("range " + from + ".." + to + " of " + tokens.length);
    }
    if (from == to) {
      return "";
    }
    String whole = tokenizer.decode(ids(tokens, 0, to), false);
    if (from == 0) {
      return whole;
    }
    String prefix = tokenizer.decode(ids(tokens, 0, from), false);
    if (whole.startsWith(prefix)) {
      return whole.substring(prefix.length());
    }
    return tokenizer.decode(ids(tokens, from, to), false);
  }

  private static long[] ids(int[] tokens, int from, int to) {
    long[] ids = new long[to - from];
    for (int i = from; i < to; i++) {
      ids[i - from] = tokens[i];
    }
    return ids;
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  @Override
  public String toString() {
    return "HfTokenizer[" + name + ", vocabulary " + vocabularySize + "]";
  }
}
