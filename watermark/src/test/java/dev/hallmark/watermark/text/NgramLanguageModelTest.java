package dev.hallmark.watermark.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.HallmarkException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The model file format: round trip, and precise corrupt / too new / too old errors. */
class NgramLanguageModelTest {
  static final List<String> DOCS = List.of(
      "the cat sat on the mat. the cat sat on the hat. the dog sat on the mat.",
      "a cat and a dog sat on the mat and the hat.");

  static byte[] written() throws IOException {
    NgramLanguageModel m = NgramLanguageModel.train(DOCS, Tokenizers.r50k(), 100, 1);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    m.writeTo(o);
    return o.toByteArray();
  }

  static byte[] gunzip(byte[] b) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(o)) {
      g.write(b);
    }
    return o.toByteArray();
  }

  @Test
  void roundTripGivesTheSameDistribution() throws Exception {
    NgramLanguageModel a = NgramLanguageModel.train(DOCS, Tokenizers.r50k(), 100, 1);
    NgramLanguageModel b = NgramLanguageModel.read(new ByteArrayInputStream(written()), "test");
    int[] ctx = Tokenizers.r50k().encode("the cat sat on");
    float[] la = new float[a.vocabularySize()];
    float[] lb = new float[b.vocabularySize()];
    a.logits(ctx, ctx.length, la);
    b.logits(ctx, ctx.length, lb);
    assertArrayEquals(la, lb);
    double sum = 0;
    for (float f : la) {
      if (f != Float.NEGATIVE_INFINITY) {
        sum += Math.exp(f / 1.0 * a.temperature());
      }
    }
    assertEquals(1.0, sum, 1e-3, "probabilities at temperature 1 sum to 1");
  }

  @Test
  void corruptTooNewTooOld() throws Exception {
    byte[] raw = gunzip(written());
    byte[] flipped = raw.clone();
    flipped[raw.length / 2] ^= 0x40;
    HallmarkException c = assertThrows(HallmarkException.class,
        () -> NgramLanguageModel.read(new ByteArrayInputStream(gzip(flipped)), "m.bin.gz"));
    assertTrue(c.getMessage().contains("corrupt"), c.getMessage());

    byte[] newer = raw.clone();
    newer[5] = 2;
    HallmarkException n = assertThrows(HallmarkException.class,
        () -> NgramLanguageModel.read(new ByteArrayInputStream(gzip(newer)), "m.bin.gz"));
    assertTrue(n.getMessage().contains("newer"), n.getMessage());

    byte[] older = raw.clone();
    older[5] = 0;
    HallmarkException o = assertThrows(HallmarkException.class,
        () -> NgramLanguageModel.read(new ByteArrayInputStream(gzip(older)), "m.bin.gz"));
    assertTrue(o.getMessage().contains("too old"), o.getMessage());

    HallmarkException g = assertThrows(HallmarkException.class,
        () -> NgramLanguageModel.read(new ByteArrayInputStream("not gzip".getBytes()), "m.bin.gz"));
    assertTrue(g.getMessage().startsWith("m.bin.gz"), g.getMessage());
  }

  @Test
  void builtInModelIsInTheEntropyRange() {
    NgramLanguageModel m = NgramLanguageModel.builtIn();
    assertEquals("r50k_base", m.tokenizer());
    TextGenerator g = new TextGenerator(m, Tokenizers.r50k(), null);
    double e = g.generate("The", 300, new java.util.SplittableRandom(3)).meanEntropyBits();
    System.out.println("built-in model entropy at default temperature: " + e + " bits/token (seed 3)");
    assertTrue(e > 1.5 && e < 3.5, "entropy " + e);
    double hot = new TextGenerator(m.withTemperature(1.0), Tokenizers.r50k(), null)
        .generate("The", 300, new java.util.SplittableRandom(3)).meanEntropyBits();
    assertTrue(hot > e, "temperature raises entropy: " + hot + " vs " + e);
  }

  @Test
  void noRepeatRuleBansExactlyTheRepeatingContinuation() {
    NgramLanguageModel on = NgramLanguageModel.builtIn();
    NgramLanguageModel off = on.withNoRepeatNgram(0);
    assertEquals(NgramLanguageModel.DEFAULT_NO_REPEAT_NGRAM, on.noRepeatNgram());
    Tokenizer tok = Tokenizers.r50k();
    int[] ctx = tok.encode(" of the United States, and of the United");
    int states = tok.encode(" States")[0];
    float[] a = new float[on.vocabularySize()];
    float[] b = new float[off.vocabularySize()];
    on.logits(ctx, ctx.length, a);
    off.logits(ctx, ctx.length, b);
    assertTrue(b[states] > Float.NEGATIVE_INFINITY, "without the rule ' States' is a likely continuation");
    assertEquals(Float.NEGATIVE_INFINITY, a[states], "' of the United States' already occurred");
    int differing = 0;
    for (int v = 0; v < a.length; v++) {
      differing += a[v] != b[v] ? 1 : 0;
    }
    assertEquals(1, differing, "only the repeating continuation is banned");
    assertThrows(IllegalArgumentException.class, () -> on.withNoRepeatNgram(1));
    assertThrows(IllegalArgumentException.class, () -> on.withNoRepeatNgram(9));
  }

  @Test
  void generatedTextRepeatsNoFourGramWithinTheWindow() {
    long seed = 11;
    System.out.println("generatedTextRepeatsNoFourGramWithinTheWindow seed " + seed);
    TextGenerator g = new TextGenerator(NgramLanguageModel.builtIn(), Tokenizers.r50k(), null);
    int[] t = g.generate("The", 1500, new java.util.SplittableRandom(seed)).tokens();
    java.util.Map<List<Integer>, Integer> last = new java.util.HashMap<>();
    for (int j = 0; j + 4 <= t.length; j++) {
      List<Integer> gram = List.of(t[j], t[j + 1], t[j + 2], t[j + 3]);
      Integer prev = last.put(gram, j);
      int at = j;
      assertTrue(prev == null || j + 3 - prev > NgramLanguageModel.NO_REPEAT_WINDOW,
          () -> "4-gram " + gram + " repeated at " + prev + " and " + at);
    }
  }
}
