package dev.hallmark.watermark.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Empirical false-positive rate on 1.5 MB of real held-out human text (Moby-Dick and recent State of
 * the Union addresses, not used to train the built-in model): for every scheme and 4 random keys,
 * 300-token documents must be flagged at alpha 1e-3 no more often than alpha allows.
 */
class HumanTextFalsePositiveTest {
  static String readResource(String name) throws IOException {
    try (InputStream in = HumanTextFalsePositiveTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void falsePositiveRateWithinAlpha() throws IOException {
    long seed = 99L;
    System.out.println("seed=" + seed);
    Tokenizer tok = Tokenizers.r50k();
    List<int[]> docs = new ArrayList<>();
    for (String f : List.of("/text/human/moby-dick-chapters-1-45.txt", "/text/human/sotu-1990-2021.txt")) {
      int[] all = tok.encode(readResource(f));
      for (int i = 0; i + 300 <= all.length; i += 300) {
        docs.add(java.util.Arrays.copyOfRange(all, i, i + 300));
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    double alpha = 1e-3;
    int tests = 0;
    int positives = 0;
    int windowedPositives = 0;
    StringBuilder report = new StringBuilder();
    for (Scheme s : Scheme.values()) {
      int schemePositives = 0;
      for (int k = 0; k < 4; k++) {
        WatermarkKey key = WatermarkKey.generate("k" + k, new java.util.Random(r.nextLong()));
        TextDetector plain = Watermarks.textDetector(key, WatermarkParameters.defaults(s), tok, alpha, false);
        TextDetector windowed = Watermarks.textDetector(key, WatermarkParameters.defaults(s), tok, alpha, true);
        for (int[] d : docs) {
          tests++;
          if (plain.detectTokens(d).detected()) {
            positives++;
            schemePositives++;
          }
          if (windowed.detectTokens(d).detected()) {
            windowedPositives++;
          }
        }
      }
      report.append(s.label()).append('=').append(schemePositives).append(' ');
    }
    // Under H0 the count is at most Bin(tests, alpha); allow its 1 - 1e-6 quantile.
    double mean = tests * alpha;
    double limit = mean + 5 * Math.sqrt(mean) + 3;
    System.out.printf("human-text FPR: %d docs of 300 tokens, %d tests, %d positives (%.2e), windowed %d; %s%n",
        docs.size(), tests, positives, positives / (double) tests, windowedPositives, report);
    assertTrue(docs.size() > 900, "docs " + docs.size());
    assertTrue(positives <= limit, positives + " false positives in " + tests + " tests at alpha " + alpha);
    assertTrue(windowedPositives <= limit, windowedPositives + " windowed false positives in " + tests + " tests");
  }

  /**
   * The default path ({@link TextDetectionSettings#DEFAULT}: every key, windows on) on the same held-out
   * text, as {@code hallmark text detect} and {@code hallmark clean} run it: keyrings mixing keys that
   * record their scheme with keys that record none, documents of 300 and 1,200 tokens. Each document
   * and keyring is one family-wise test; the share flagged must not exceed alpha, at 1e-3 and 1e-6.
   */
  @Test
  void defaultPathFalsePositiveRateAtMostAlpha() throws IOException {
    long seed = 20261203L;
    System.out.println("seed=" + seed);
    Tokenizer tok = Tokenizers.r50k();
    List<String> docs = new ArrayList<>();
    for (String f : List.of("/text/human/moby-dick-chapters-1-45.txt", "/text/human/sotu-1990-2021.txt")) {
      int[] all = tok.encode(readResource(f));
      for (int len : new int[] {300, 1200}) {
        for (int i = 0; i + len <= all.length; i += len) {
          docs.add(tok.decode(all, i, i + len));
        }
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    List<List<WatermarkKey>> keyrings = new ArrayList<>();
    Scheme[] schemes = Scheme.values();
    for (int k = 0; k < 10; k++) {
      List<WatermarkKey> ring = new ArrayList<>();
      // Two keys that record their scheme (cycling through all five) and, in every other keyring, one
      // key that records none (tested under all five schemes).
      ring.add(WatermarkKey.generate("a" + k, new java.util.Random(r.nextLong()),
          WatermarkParameters.defaults(schemes[k % 5]).toKeyScheme()));
      ring.add(WatermarkKey.generate("b" + k, new java.util.Random(r.nextLong()),
          WatermarkParameters.defaults(schemes[(k + 2) % 5]).toKeyScheme()));
      if (k % 2 == 0) {
        ring.add(WatermarkKey.generate("c" + k, new java.util.Random(r.nextLong())));
      }
      keyrings.add(ring);
    }
    int tests = 0;
    int at3 = 0;
    int at6 = 0;
    for (List<WatermarkKey> ring : keyrings) {
      MultiKeyTextDetector d = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, ring);
      for (String doc : docs) {
        MultiKeyTextResult res = d.detect(doc);
        tests++;
        if (res.familyWisePValue() <= 1e-3) {
          at3++;
        }
        if (res.familyWisePValue() <= 1e-6) {
          at6++;
        }
      }
    }
    System.out.printf("default-path human-text FPR: %d documents x %d keyrings = %d tests; "
        + "flagged at 1e-3: %d (%.2e), at 1e-6: %d%n", docs.size(), keyrings.size(), tests, at3, at3 / (double) tests, at6);
    assertTrue(docs.size() > 1000, "docs " + docs.size());
    assertTrue(at3 <= 1e-3 * tests, at3 + " of " + tests + " human documents flagged at alpha 1e-3");
    // 1e-6 of the tests is below one document: none may be flagged.
    assertTrue(at6 == 0, at6 + " of " + tests + " human documents flagged at alpha 1e-6");
  }
}
