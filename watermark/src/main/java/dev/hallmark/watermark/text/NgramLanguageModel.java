package dev.hallmark.watermark.text;

import dev.hallmark.core.HallmarkException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A token trigram model with interpolated absolute discounting (discount 0.75), pruned for size: the
 * small demo model Hallmark ships so {@code hallmark text generate} works anywhere. Its logits are
 * {@code ln p(v | a, b) / temperature}, except that a token which would repeat an n-gram
 * ({@link #DEFAULT_NO_REPEAT_NGRAM} tokens by default) already present in the last
 * {@link #NO_REPEAT_WINDOW} tokens gets probability 0: a trigram model otherwise falls into loops
 * such as {@code ,000,000,000} that no real language model produces. Immutable and thread-safe apart
 * from the caller's buffers.
 *
 * <p>On disk (format version 1, gzip-compressed): magic {@code HMLM}, version, tokenizer name,
 * vocabulary size, discount, unigram table, bigram and trigram tables (varint, delta-coded token ids),
 * then a CRC-32 of everything before it. See {@code docs/spec/text-watermark.md}.
 */
public final class NgramLanguageModel implements LanguageModel {
  /** Classpath location of the built-in model. */
  public static final String BUILT_IN_RESOURCE = "/dev/hallmark/watermark/text/ngram-r50k-v1.bin.gz";
  /** Default temperature of the built-in model (see docs/BENCHMARKS.md for its entropy). */
  public static final double DEFAULT_TEMPERATURE = 0.62;
  /** Default no-repeat n-gram size (0 turns the rule off). */
  public static final int DEFAULT_NO_REPEAT_NGRAM = 4;
  /** How many preceding tokens the no-repeat rule looks back over. */
  public static final int NO_REPEAT_WINDOW = 1024;
  static final int FORMAT_VERSION = 1;
  private static final byte[] MAGIC = {'H', 'M', 'L', 'M'};

  private final String tokenizer;
  private final int vocab;
  private final double discount;
  private final double temperature;
  private final int noRepeat;
  private final int[] uniTokens;
  private final double[] uniProb;
  private final Map<Integer, Ctx> bigrams;
  private final Map<Long, Ctx> trigrams;
  /** Raw unigram counts, kept so a model can be written back. */
  private final long[] uniCounts;

  /** Continuations of one context: sorted token ids, their counts, the context's total count. */
  private record Ctx(int[] tokens, int[] counts, long total) {
    double backoffWeight(double d) {
      double kept = 0;
      for (int c : counts) {
        kept += Math.max(c - d, 0);
      }
      return 1 - kept / total;
    }
  }

  private NgramLanguageModel(String tokenizer, int vocab, double discount, double temperature, int noRepeat,
      int[] uniTokens, double[] uniProb, long[] uniCounts, Map<Integer, Ctx> bigrams, Map<Long, Ctx> trigrams) {
    this.noRepeat = noRepeat;
    this.uniCounts = uniCounts;
    this.tokenizer = tokenizer;
    this.vocab = vocab;
    this.discount = discount;
    this.temperature = temperature;
    this.uniTokens = uniTokens;
    this.uniProb = uniProb;
    this.bigrams = bigrams;
    this.trigrams = trigrams;
  }

  /** The model shipped in the jar, at {@link #DEFAULT_TEMPERATURE}. */
  public static NgramLanguageModel builtIn() {
    try (InputStream in = NgramLanguageModel.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("built-in language model " + BUILT_IN_RESOURCE + " missing from the jar");
      }
      return read(in, BUILT_IN_RESOURCE);
    } catch (IOException | HallmarkException e) {
      throw new IllegalStateException("built-in language model unreadable: " + e.getMessage(), e);
    }
  }

  /** The same model sampled at {@code t} (logits divided by t); t in [0.05, 5]. */
  public NgramLanguageModel withTemperature(double t) {
    if (!(t >= 0.05 && t <= 5)) {
      throw new IllegalArgumentException("temperature must be in [0.05, 5], got " + t);
    }
    return new NgramLanguageModel(tokenizer, vocab, discount, t, noRepeat, uniTokens, uniProb, uniCounts, bigrams,
        trigrams);
  }

  /**
   * The same model with no-repeat n-gram size {@code n}: 0 turns the rule off (pure trigram
   * sampling), otherwise n in [2, 8].
   */
  public NgramLanguageModel withNoRepeatNgram(int n) {
    if (n != 0 && (n < 2 || n > 8)) {
      throw new IllegalArgumentException("no-repeat n-gram size must be 0 (off) or 2..8, got " + n);
    }
    return new NgramLanguageModel(tokenizer, vocab, discount, temperature, n, uniTokens, uniProb, uniCounts, bigrams,
        trigrams);
  }

  public double temperature() {
    return temperature;
  }

  /** The no-repeat n-gram size; 0 when the rule is off. */
  public int noRepeatNgram() {
    return noRepeat;
  }

  @Override
  public String tokenizer() {
    return tokenizer;
  }

  @Override
  public int vocabularySize() {
    return vocab;
  }

  @Override
  public void logits(int[] tokens, int length, float[] out) {
    if (out.length != vocab) {
      throw new IllegalArgumentException("out has " + out.length + " entries, vocabulary is " + vocab);
    }
    Arrays.fill(out, Float.NEGATIVE_INFINITY);
    Ctx tri = length >= 2 ? trigrams.get(pair(tokens[length - 2], tokens[length - 1])) : null;
    Ctx bi = length >= 1 ? bigrams.get(tokens[length - 1]) : null;
    double l3 = tri == null ? 1 : tri.backoffWeight(discount);
    double l2 = bi == null ? 1 : bi.backoffWeight(discount);
    // Accumulate probabilities in out (as float), then convert to logits.
    double w1 = l3 * l2;
    for (int i = 0; i < uniTokens.length; i++) {
      out[uniTokens[i]] = (float) (w1 * uniProb[i]);
    }
    if (bi != null) {
      for (int i = 0; i < bi.tokens.length; i++) {
        int v = bi.tokens[i];
        float base = out[v] == Float.NEGATIVE_INFINITY ? 0f : out[v];
        out[v] = (float) (base + l3 * Math.max(bi.counts[i] - discount, 0) / bi.total);
      }
    }
    if (tri != null) {
      for (int i = 0; i < tri.tokens.length; i++) {
        int v = tri.tokens[i];
        float base = out[v] == Float.NEGATIVE_INFINITY ? 0f : out[v];
        out[v] = (float) (base + Math.max(tri.counts[i] - discount, 0) / tri.total);
      }
    }
    double invT = 1 / temperature;
    int support = 0;
    for (int v = 0; v < out.length; v++) {
      float x = out[v];
      if (x > 0) {
        out[v] = (float) (Math.log(x) * invT);
        support++;
      } else if (x == 0) {
        out[v] = Float.NEGATIVE_INFINITY;
      }
    }
    banRepeats(tokens, length, out, support);
  }

  /**
   * Sets to -inf every token that would complete an n-gram already present in the last
   * {@link #NO_REPEAT_WINDOW} tokens, unless that would empty the support.
   */
  private void banRepeats(int[] tokens, int length, float[] out, int support) {
    int k = noRepeat - 1;
    if (noRepeat == 0 || length < noRepeat) {
      return;
    }
    int from = Math.max(0, length - NO_REPEAT_WINDOW);
    int matches = 0;
    for (int j = from; j + k < length; j++) {
      matches += endsWith(tokens, j, length, k) ? 1 : 0;
    }
    if (matches == 0 || matches >= support) {
      return; // nothing to ban, or banning could leave no token at all
    }
    for (int j = from; j + k < length; j++) {
      if (endsWith(tokens, j, length, k)) {
        out[tokens[j + k]] = Float.NEGATIVE_INFINITY;
      }
    }
  }

  /** Whether tokens[j..j+k) equals the last k tokens before {@code length}. */
  private static boolean endsWith(int[] tokens, int j, int length, int k) {
    for (int i = 0; i < k; i++) {
      if (tokens[j + i] != tokens[length - k + i]) {
        return false;
      }
    }
    return true;
  }

  private static long pair(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }

  // ---------------------------------------------------------------- training

  /**
   * Trains a model on {@code documents} tokenized with {@code tokenizer}, keeping the
   * {@code unigramSize} most frequent tokens as the backoff floor and bigram/trigram continuations
   * seen at least {@code minCount} times.
   */
  public static NgramLanguageModel train(Iterable<String> documents, Tokenizer tokenizer, int unigramSize, int minCount) {
    Map<Integer, long[]> uni = new HashMap<>();
    Map<Integer, Map<Integer, int[]>> bi = new HashMap<>();
    Map<Long, Map<Integer, int[]>> tri = new HashMap<>();
    Map<Integer, long[]> biTotal = new HashMap<>();
    Map<Long, long[]> triTotal = new HashMap<>();
    for (String doc : documents) {
      int[] t = tokenizer.encode(doc);
      for (int i = 0; i < t.length; i++) {
        uni.computeIfAbsent(t[i], k -> new long[1])[0]++;
        if (i >= 1) {
          bi.computeIfAbsent(t[i - 1], k -> new HashMap<>()).computeIfAbsent(t[i], k -> new int[1])[0]++;
          biTotal.computeIfAbsent(t[i - 1], k -> new long[1])[0]++;
        }
        if (i >= 2) {
          long p = pair(t[i - 2], t[i - 1]);
          tri.computeIfAbsent(p, k -> new HashMap<>()).computeIfAbsent(t[i], k -> new int[1])[0]++;
          triTotal.computeIfAbsent(p, k -> new long[1])[0]++;
        }
      }
    }
    List<Map.Entry<Integer, long[]>> u = new ArrayList<>(uni.entrySet());
    u.sort((x, y) -> x.getValue()[0] != y.getValue()[0]
        ? Long.compare(y.getValue()[0], x.getValue()[0]) : Integer.compare(x.getKey(), y.getKey()));
    int k = Math.min(unigramSize, u.size());
    int[] uniTokens = new int[k];
    long[] uniCounts = new long[k];
    for (int i = 0; i < k; i++) {
      uniTokens[i] = u.get(i).getKey();
      uniCounts[i] = u.get(i).getValue()[0];
    }
    Map<Integer, Ctx> bigrams = new HashMap<>();
    for (Map.Entry<Integer, Map<Integer, int[]>> e : bi.entrySet()) {
      Ctx c = prune(e.getValue(), biTotal.get(e.getKey())[0], minCount);
      if (c != null) {
        bigrams.put(e.getKey(), c);
      }
    }
    Map<Long, Ctx> trigrams = new HashMap<>();
    for (Map.Entry<Long, Map<Integer, int[]>> e : tri.entrySet()) {
      Ctx c = prune(e.getValue(), triTotal.get(e.getKey())[0], minCount);
      if (c != null) {
        trigrams.put(e.getKey(), c);
      }
    }
    return fromCounts(tokenizer.name(), tokenizer.vocabularySize(), 0.75, uniTokens, uniCounts, bigrams, trigrams);
  }

  private static Ctx prune(Map<Integer, int[]> cont, long total, int minCount) {
    int[] toks = cont.entrySet().stream().filter(e -> e.getValue()[0] >= minCount)
        .mapToInt(Map.Entry::getKey).sorted().toArray();
    if (toks.length == 0) {
      return null;
    }
    int[] counts = new int[toks.length];
    for (int i = 0; i < toks.length; i++) {
      counts[i] = cont.get(toks[i])[0];
    }
    return new Ctx(toks, counts, total);
  }

  private static NgramLanguageModel fromCounts(String tok, int vocab, double discount, int[] uniTokens, long[] uniCounts,
      Map<Integer, Ctx> bigrams, Map<Long, Ctx> trigrams) {
    long sum = 0;
    for (long c : uniCounts) {
      sum += c;
    }
    double[] prob = new double[uniCounts.length];
    for (int i = 0; i < prob.length; i++) {
      prob[i] = uniCounts[i] / (double) sum;
    }
    return new NgramLanguageModel(tok, vocab, discount, DEFAULT_TEMPERATURE, DEFAULT_NO_REPEAT_NGRAM, uniTokens, prob,
        uniCounts,
        bigrams, trigrams);
  }

  // ---------------------------------------------------------------- serialization

  /** Writes the model (format version 1, gzip). */
  public void writeTo(OutputStream out) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(raw);
    d.write(MAGIC);
    d.writeShort(FORMAT_VERSION);
    d.writeUTF(tokenizer);
    d.writeInt(vocab);
    d.writeDouble(discount);
    d.writeInt(uniTokens.length);
    for (int i = 0; i < uniTokens.length; i++) {
      varint(d, uniTokens[i]);
      varint(d, uniCounts[i]);
    }
    Integer[] biKeys = bigrams.keySet().toArray(new Integer[0]);
    Arrays.sort(biKeys);
    d.writeInt(biKeys.length);
    int prev = 0;
    for (Integer key : biKeys) {
      varint(d, key - prev);
      prev = key;
      writeCtx(d, bigrams.get(key));
    }
    Long[] triKeys = trigrams.keySet().toArray(new Long[0]);
    Arrays.sort(triKeys);
    d.writeInt(triKeys.length);
    long prevK = 0;
    for (Long key : triKeys) {
      varint(d, key - prevK);
      prevK = key;
      writeCtx(d, trigrams.get(key));
    }
    d.flush();
    byte[] body = raw.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(body);
    GZIPOutputStream gz = new GZIPOutputStream(out);
    gz.write(body);
    new DataOutputStream(gz).writeInt((int) crc.getValue());
    gz.finish();
  }

  private static void writeCtx(DataOutputStream d, Ctx c) throws IOException {
    varint(d, c.total);
    varint(d, c.tokens.length);
    int prev = 0;
    for (int i = 0; i < c.tokens.length; i++) {
      varint(d, c.tokens[i] - prev);
      prev = c.tokens[i];
      varint(d, c.counts[i]);
    }
  }

  private static void varint(DataOutputStream d, long v) throws IOException {
    if (v < 0) {
      throw new IllegalStateException("negative varint");
    }
    while ((v & ~0x7fL) != 0) {
      d.writeByte((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    d.writeByte((int) v);
  }

  private static long readVarint(DataInputStream d) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = d.readUnsignedByte();
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("varint too long");
  }

  /**
   * Reads a model written by {@link #writeTo}.
   *
   * @throws HallmarkException if the data is corrupt, truncated, or of another format version
   */
  public static NgramLanguageModel read(InputStream in, String name) throws IOException, HallmarkException {
    byte[] all;
    try (GZIPInputStream gz = new GZIPInputStream(new BufferedInputStream(in))) {
      all = gz.readAllBytes();
    } catch (java.util.zip.ZipException | EOFException e) {
      throw new HallmarkException(name + ": not a Hallmark language model (bad gzip data: " + e.getMessage() + ")");
    }
    if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 4), MAGIC)) {
      throw new HallmarkException(name + ": not a Hallmark language model (bad magic)");
    }
    int version = ((all[4] & 0xff) << 8) | (all[5] & 0xff);
    if (version > FORMAT_VERSION) {
      throw new HallmarkException(name + ": language model format version " + version
          + " is newer than this Hallmark supports (" + FORMAT_VERSION + "); upgrade Hallmark");
    }
    if (version < FORMAT_VERSION) {
      throw new HallmarkException(name + ": language model format version " + version + " is too old; retrain it");
    }
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 4);
    int stored = ((all[all.length - 4] & 0xff) << 24) | ((all[all.length - 3] & 0xff) << 16)
        | ((all[all.length - 2] & 0xff) << 8) | (all[all.length - 1] & 0xff);
    if ((int) crc.getValue() != stored) {
      throw new HallmarkException(name + ": language model is corrupt (CRC-32 mismatch)");
    }
    try {
      DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(all, 6, all.length - 10));
      String tok = d.readUTF();
      int vocab = d.readInt();
      double discount = d.readDouble();
      int nu = d.readInt();
      int[] uniTokens = new int[nu];
      long[] uniCounts = new long[nu];
      for (int i = 0; i < nu; i++) {
        uniTokens[i] = (int) readVarint(d);
        uniCounts[i] = readVarint(d);
      }
      int nb = d.readInt();
      Map<Integer, Ctx> bigrams = new HashMap<>(nb * 2);
      int prev = 0;
      for (int i = 0; i < nb; i++) {
        prev += (int) readVarint(d);
        bigrams.put(prev, readCtx(d));
      }
      int nt = d.readInt();
      Map<Long, Ctx> trigrams = new HashMap<>(nt * 2);
      long prevK = 0;
      for (int i = 0; i < nt; i++) {
        prevK += readVarint(d);
        trigrams.put(prevK, readCtx(d));
      }
      if (!(discount > 0 && discount < 1)) {
        throw new HallmarkException(name + ": language model is corrupt (discount " + discount + ")");
      }
      return fromCounts(tok, vocab, discount, uniTokens, uniCounts, bigrams, trigrams);
    } catch (EOFException e) {
      throw new HallmarkException(name + ": language model is truncated");
    }
  }

  private static Ctx readCtx(DataInputStream d) throws IOException {
    long total = readVarint(d);
    int n = (int) readVarint(d);
    int[] toks = new int[n];
    int[] counts = new int[n];
    int prev = 0;
    for (int i = 0; i < n; i++) {
      prev += (int) readVarint(d);
      toks[i] = prev;
      counts[i] = (int) readVarint(d);
    }
    return new Ctx(toks, counts, total);
  }

  /** Name for messages: tokenizer and size. */
  @Override
  public String toString() {
    return "NgramLanguageModel{tokenizer=" + tokenizer + ", unigrams=" + uniTokens.length + ", bigramContexts="
        + bigrams.size() + ", trigramContexts=" + trigrams.size() + ", temperature=" + temperature
        + ", noRepeatNgram=" + noRepeat + "}";
  }

}
