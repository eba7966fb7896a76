package dev.hallmark.watermark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Generation and detection through the public API, with the built-in model. */
class TextWatermarkTest {
  static final long SEED = 20261125L;
  static NgramLanguageModel lm;
  static Tokenizer tok;
  static WatermarkKey key;
  static WatermarkKey otherKey;

  @BeforeAll
  static void setUp() {
    System.out.println("seed=" + SEED);
    lm = NgramLanguageModel.builtIn();
    tok = Tokenizers.r50k();
    SplittableRandom r = new SplittableRandom(SEED);
    key = WatermarkKey.generate("alice", new java.util.Random(r.nextLong()));
    otherKey = WatermarkKey.generate("bob", new java.util.Random(r.nextLong()));
  }

  static String generate(WatermarkParameters p, WatermarkKey k, int n, long seed) {
    TextGenerator g = new TextGenerator(lm, tok, Watermarks.textWatermarker(k, p, tok));
    return g.generate("The", n, new SplittableRandom(seed)).text();
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void detectsOwnKeyOnlyAt300Tokens(Scheme s) {
    WatermarkParameters p = WatermarkParameters.defaults(s);
    for (int i = 0; i < 3; i++) {
      String text = generate(p, key, 300, SEED + i);
      TextDetectionResult r = Watermarks.textDetector(key, p, tok, 1e-6, false).detect(text);
      assertTrue(r.detected(), s + " sample " + i + ": " + r);
      assertEquals(s.label(), r.scheme());
      assertEquals(key.keyId(), r.keyId());
      assertTrue(r.pValue() < 1e-6);
      TextDetectionResult wrong = Watermarks.textDetector(otherKey, p, tok, 1e-6, false).detect(text);
      assertFalse(wrong.detected(), s + " other key: " + wrong);
    }
  }

  @Test
  void unwatermarkedModelTextIsNotDetected() {
    TextGenerator g = new TextGenerator(lm, tok, null);
    String text = g.generate("The", 300, new SplittableRandom(SEED)).text();
    // One sample per scheme: judged at 1e-6, where a detection would mean a broken p-value. (At 1e-3
    // one text in a thousand is flagged by design: this seed's Unigram p-value is 7.8e-4, and a
    // 300-token text is now tested whole with the full budget. The rate at 1e-3 is checked on
    // thousands of human texts by HumanTextFalsePositiveTest.)
    for (Scheme s : Scheme.values()) {
      TextDetectionResult r = Watermarks.textDetector(key, WatermarkParameters.defaults(s), tok, 1e-6, true).detect(text);
      assertFalse(r.detected(), r.toString());
    }
  }

  @Test
  void repeatedTextDoesNotInflateTheScore() {
    String text = generate(WatermarkParameters.KGW_DEFAULT, key, 100, SEED);
    TextDetector d = Watermarks.textDetector(key, WatermarkParameters.KGW_DEFAULT, tok, 1e-6, false);
    TextDetectionResult once = d.detect(text);
    TextDetectionResult many = d.detect((text + " ").repeat(10));
    // Only pairs at the seams are new.
    assertTrue(many.tokensScored() <= once.tokensScored() + 10, once + " vs " + many);
    assertTrue(many.tokensTotal() > 9 * once.tokensTotal());
    assertTrue(many.log10PValue() > once.log10PValue() - 4, once + " vs " + many);
  }

  @Test
  void windowedDetectorFindsPastedPassage() throws Exception {
    String human = HumanTextFalsePositiveTest.readResource("/text/human/sotu-1990-2021.txt").substring(0, 12000);
    String wm = generate(WatermarkParameters.KGW_DEFAULT, key, 300, SEED + 7);
    String mixed = human.substring(0, 6000) + " " + wm + " " + human.substring(6000);
    TextDetectionResult r = Watermarks.textDetector(key, WatermarkParameters.KGW_DEFAULT, tok, 1e-3, true).detect(mixed);
    assertTrue(r.detected(), r.toString());
    assertNotNull(r.span());
    assertTrue(r.windowsTried() > 10);
    int wmStart = mixed.indexOf(wm);
    int wmEnd = wmStart + wm.length();
    int overlap = Math.min(wmEnd, r.span().endChar()) - Math.max(wmStart, r.span().startChar());
    assertTrue(overlap > (r.span().endChar() - r.span().startChar()) / 2,
        "span " + r.span() + " vs watermarked chars " + wmStart + ".." + wmEnd);
    TextDetectionResult whole = Watermarks.textDetector(key, WatermarkParameters.KGW_DEFAULT, tok, 1e-3, false).detect(mixed);
    assertTrue(r.log10PValue() < whole.log10PValue(), "window " + r + " whole " + whole);
  }

  @Test
  void multiKeyFindsTheRightKeyAndStatesFamilyWiseRate() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    List<WatermarkKey> keys = List.of(
        WatermarkKey.generate("k1", new java.util.Random(rnd.nextLong())), key,
        WatermarkKey.generate("k3", new java.util.Random(rnd.nextLong())));
    TextDetectionSettings settings = TextDetectionSettings.DEFAULT.withAlpha(1e-4);
    MultiKeyTextDetector d = Watermarks.multiKeyTextDetector(settings, keys);
    String text = generate(WatermarkParameters.UNIGRAM_DEFAULT, key, 300, SEED + 3);
    MultiKeyTextResult r = d.detect(text);
    assertTrue(r.detected(), r.toMap().toString());
    assertEquals(15, r.tests());
    assertEquals(1e-4 / 15, r.perTestAlpha(), 1e-18);
    assertEquals(15, r.candidates().size());
    assertEquals(key.keyId(), r.best().keyId());
    assertEquals("unigram", r.best().scheme());
    // Discrete Bonferroni: never above plain Bonferroni, never below the best whole-text p-value.
    assertTrue(r.familyWisePValue() <= Math.min(1, r.best().pValue() * 15) * (1 + 1e-12), r.toMap().toString());
    assertTrue(r.familyWisePValue() >= r.best().pValue() * (1 - 1e-12), r.toMap().toString());
    String human = HumanTextFalsePositiveTest.readResource("/text/human/moby-dick-chapters-1-45.txt").substring(0, 5000);
    MultiKeyTextResult neg = d.detect(human);
    assertFalse(neg.detected(), neg.toMap().toString());

    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bos)) {
      o.writeObject(settings);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
      assertEquals(settings, in.readObject());
    }
  }

  @Test
  void garbageInputGetsAClearResult() {
    TextDetector d = Watermarks.textDetector(key, WatermarkParameters.GUMBEL_DEFAULT, tok, 1e-3, true);
    TextDetectionResult empty = d.detect("");
    assertFalse(empty.detected());
    assertEquals(0, empty.tokensScored());
    assertEquals(1.0, empty.pValue());
    assertFalse(d.detect("\u0000\u0001\uFFFD\uFFFD binary \u0000 junk").detected());
    assertFalse(d.detect("\uD800 lone surrogate").detected());
    // 20 MB on one line, no spaces: bounded to the first maxTokens tokens and flagged.
    String big = "ab".repeat(10_000_000);
    TextDetectionResult r = d.detect(big);
    assertTrue(r.truncated());
    assertFalse(r.detected());
  }

  @Test
  void factsAreFlatJson() {
    TextWatermarker w = Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, tok);
    assertEquals("{\"type\":\"text\",\"scheme\":\"kgw\",\"keyId\":\"" + key.keyId()
        + "\",\"tokenizer\":\"r50k_base\",\"parameters\":{\"gamma\":0.25,\"delta\":2.0,\"contextWidth\":1}}",
        w.facts().toJson());
    assertFalse(w.facts().toString().contains(new String(key.secretBytes(), java.nio.charset.StandardCharsets.ISO_8859_1)));
  }

  @Test
  void logitsProcessorBiasesOnlyGreenListSchemes() {
    assertTrue(Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, tok).logitsProcessor().isPresent());
    assertTrue(Watermarks.textWatermarker(key, WatermarkParameters.GUMBEL_DEFAULT, tok).logitsProcessor().isEmpty());
    float[] logits = new float[tok.vocabularySize()];
    int[] ctx = tok.encode("Hello there");
    Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, tok).logitsProcessor().get()
        .process(logits, ctx, ctx.length);
    int green = 0;
    for (float f : logits) {
      if (f == 2.0f) {
        green++;
      } else {
        assertEquals(0.0f, f);
      }
    }
    double frac = green / (double) logits.length;
    assertEquals(0.25, frac, 0.01, "green fraction");
  }

  @Test
  void parametersValidate() {
    assertThrows(IllegalArgumentException.class, () -> WatermarkParameters.builder(Scheme.KGW).gamma(1.5).build());
    assertThrows(IllegalArgumentException.class, () -> WatermarkParameters.builder(Scheme.SYNTHID).layers(65).build());
    assertThrows(IllegalArgumentException.class, () -> Scheme.parse("nope"));
    assertThrows(IllegalArgumentException.class, () -> Tokenizers.byName("bert"));
    assertEquals(Scheme.KGW_SELFHASH, Scheme.parse("KGW-SelfHash"));
  }

  @Test
  void tokenizersRoundTrip() {
    String s = "Hallmark — watermarks für Text, 日本語 too. 🙂";
    for (String n : Tokenizers.NAMES) {
      Tokenizer t = Tokenizers.byName(n);
      int[] ids = t.encode(s);
      assertEquals(s, t.decode(ids, 0, ids.length), n);
      for (int id : ids) {
        assertTrue(id >= 0 && id < t.vocabularySize(), n + " id " + id);
      }
    }
  }
}
