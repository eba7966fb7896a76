package dev.hallmark.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The standard detector tests each key only under what it can have produced, and its text watermark
 * evidence and description state the tests and the correction (issue #14).
 */
class TextEvidenceTest {
  @Test
  void evidenceAndDescriptionStateTestsAndCorrection() throws Exception {
    long seed = 1403L;
    System.out.println("TextEvidenceTest seed=" + seed);
    Random r = new Random(seed);
    WatermarkKey kgw = WatermarkKey.generate("kgw", r, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
    WatermarkKey any = WatermarkKey.generate("any", r);
    TextGenerator gen = new TextGenerator(NgramLanguageModel.builtIn(), Tokenizers.r50k(),
        Watermarks.textWatermarker(kgw, Tokenizers.r50k()));
    String text = "The" + gen.generate("The", 300, new SplittableRandom(seed)).text();

    Detector d = Detector.create(DetectionPolicy.DEFAULT, List.of(kgw, any), null);
    DocumentDecision dec = d.decide(Document.ofText("1", "in", "1", text));
    assertTrue(dec.remove(), dec.toString());
    Evidence e = dec.evidence().get(0);
    assertEquals(Reason.TEXT_WATERMARK, e.reason());
    assertEquals("kgw", e.scheme());
    assertEquals(kgw.keyId(), e.keyId());
    // One test for the key that records kgw, five for the key that records no scheme.
    assertEquals(6, e.tests());
    assertTrue(e.correction().startsWith("discrete bonferroni over 6 (key, scheme) tests; each gives half"), e.correction());

    Map<String, Object> desc = d.describe();
    List<?> tests = (List<?>) desc.get("textTests");
    assertEquals(6, tests.size());
    assertEquals("kgw", ((Map<?, ?>) tests.get(0)).get("scheme"));
    assertEquals(e.correction(), desc.get("textCorrection"));

    // With the key alone the same text is one test; a human paragraph is kept.
    Detector one = Detector.create(DetectionPolicy.DEFAULT, List.of(kgw), null);
    assertEquals(1, one.decide(Document.ofText("1", "in", "1", text)).evidence().get(0).tests());
    assertFalse(one.decide(Document.ofText("2", "in", "2", "Call me Ishmael. Some years ago, never mind how long"
        + " precisely, having little or no money in my purse, and nothing particular to interest me on shore, I"
        + " thought I would sail about a little and see the watery part of the world.")).remove());
  }
}
