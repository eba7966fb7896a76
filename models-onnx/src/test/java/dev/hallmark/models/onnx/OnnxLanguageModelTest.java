package dev.hallmark.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.LanguageModel;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextDetectionResult;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxLanguageModelTest {
  static final long SEED = 20261203L;
  static final int VOCAB = 400;
  @TempDir static Path tmp;
  static Path withPast;
  static Path noPast;

  @BeforeAll
  static void build() throws Exception {
    System.out.println("model seed " + SEED);
    withPast = tmp.resolve("past");
    noPast = tmp.resolve("nopast");
    new RandomDecoder(2, 32, 4, VOCAB, 256, true, SEED).write(withPast);
    new RandomDecoder(2, 32, 4, VOCAB, 256, false, SEED).write(noPast);
  }

  @Test
  void tokenizerRoundTripsAndNamesItsFile() throws Exception {
    try (HfTokenizer t = HfTokenizer.load(withPast.resolve("tokenizer.json"))) {
      assertEquals(VOCAB, t.vocabularySize());
      assertTrue(t.name().matches("hf-[0-9a-f]{16}"), t.name());
      int[] ids = {5, 77, 76, 399, 1, 2};
      String text = t.decode(ids, 0, ids.length);
      assertEquals(RandomDecoder.word(5) + " " + RandomDecoder.word(77), text.substring(0, text.indexOf(' ', 5)));
      assertArrayEquals(ids, t.encode(text));
      // The tail decodes as the text after the prefix.
      assertEquals(t.decode(ids, 0, 6), t.decode(ids, 0, 2) + t.decode(ids, 2, 6));
    }
  }

  @Test
  void kvCacheGivesTheSameLogitsAsRecomputing() throws Exception {
    try (OnnxLanguageModel cached = OnnxLanguageModel.open(withPast);
        OnnxLanguageModel plain = OnnxLanguageModel.open(noPast)) {
      assertTrue(cached.hasKvCache());
      assertFalse(plain.hasKvCache());
      assertEquals(cached.tokenizer(), plain.tokenizer());
      SplittableRandom r = new SplittableRandom(SEED);
      int[] tokens = new int[40];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = 1 + r.nextInt(VOCAB - 1);
      }
      float[] a = new float[VOCAB];
      float[] b = new float[VOCAB];
      float[] c = new float[VOCAB];
      try (LanguageModel.Session s = cached.newSession(); LanguageModel.Session p = plain.newSession()) {
        for (int len = 3; len <= tokens.length; len++) {
          s.logits(tokens, len, a);
          p.logits(tokens, len, b);
          cached.logits(tokens, len, c); // stateless: the whole context at once
          for (int v = 0; v < VOCAB; v++) {
            assertEquals(b[v], a[v], 1e-4, "len " + len + " v " + v);
            assertEquals(b[v], c[v], 1e-4, "len " + len + " v " + v);
          }
        }
        // A context that does not extend the cached one is recomputed, not served from the cache.
        int[] other = tokens.clone();
        other[1] = other[1] % (VOCAB - 1) + 1;
        s.logits(other, 10, a);
        plain.logits(other, 10, b);
        assertArrayEquals(b, a, 1e-4f);
      }
      // The logits are not flat: a random model still has a spread distribution.
      float max = Float.NEGATIVE_INFINITY;
      float min = Float.POSITIVE_INFINITY;
      for (float f : a) {
        max = Math.max(max, f);
        min = Math.min(min, f);
      }
      assertTrue(max - min > 2, "logit range " + (max - min));
    }
  }

  @Test
  void everySchemeGeneratesThroughOnnxAndIsDetected() throws Exception {
    WatermarkKey key = WatermarkKey.fromSecret("k", new byte[32]);
    WatermarkKey other = WatermarkKey.fromSecret("o", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    try (OnnxLanguageModel model = OnnxLanguageModel.open(withPast)) {
      HfTokenizer tok = model.hfTokenizer();
      for (Scheme s : Scheme.values()) {
        WatermarkParameters params = WatermarkParameters.defaults(s);
        TextGenerator gen = new TextGenerator(model, tok,
            Watermarks.textWatermarker(key, params, model.vocabularySize(), tok.name()));
        TextGenerator.Generation g = gen.generate(RandomDecoder.word(10) + " " + RandomDecoder.word(20), 150,
            new SplittableRandom(SEED + s.ordinal()));
        assertEquals(150, g.tokens().length);
        String text = RandomDecoder.word(10) + " " + RandomDecoder.word(20) + g.text();
        TextDetectionResult hit = Watermarks.textDetector(key, params, tok, 1e-3, false).detect(text);
        assertTrue(hit.detected(), s + ": " + hit);
        TextDetectionResult miss = Watermarks.textDetector(other, params, tok, 1e-3, false).detect(text);
        assertFalse(miss.detected(), s + " with the wrong key: " + miss);
      }
    }
  }

  @Test
  void badFoldersAreNamed() throws Exception {
    HallmarkException e = assertThrows(HallmarkException.class, () -> OnnxLanguageModel.open(tmp.resolve("none")));
    assertTrue(e.getMessage().contains("none"), e.getMessage());
    Path broken = tmp.resolve("broken");
    Files.createDirectories(broken);
    Files.copy(withPast.resolve("tokenizer.json"), broken.resolve("tokenizer.json"));
    Files.writeString(broken.resolve("model.onnx"), "not a model");
    e = assertThrows(HallmarkException.class, () -> OnnxLanguageModel.open(broken));
    assertTrue(e.getMessage().contains("model.onnx"), e.getMessage());
    Files.writeString(broken.resolve("tokenizer.json"), "{}");
    e = assertThrows(HallmarkException.class, () -> OnnxLanguageModel.open(broken));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
  }
}
