package dev.hallmark.watermark.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Characters that change nothing a reader sees must not change what the detector and the fingerprint
 * see. A tester took a tagged 300-token text to p = 1 (watermark) and similarity 0 (fingerprint) with
 * a zero-width joiner inside every word, and to p = 1 with every space a no-break space.
 */
class InvisibleCharactersTest {
  static final long SEED = 20261206L;

  @Test
  void zeroWidthCharactersAndOtherSpacesDoNotHideTheWatermarkOrTheFingerprint() {
    System.out.println("InvisibleCharactersTest seed=" + SEED);
    Tokenizer tok = Tokenizers.r50k();
    WatermarkKey key = WatermarkKey.generate("zw", new java.util.Random(SEED));
    TextGenerator g = new TextGenerator(NgramLanguageModel.builtIn(), tok,
        Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, tok));
    String text = g.generate("The", 300, new SplittableRandom(SEED)).text();
    TextDetector d = Watermarks.textDetector(key, WatermarkParameters.KGW_DEFAULT, tok, 1e-6, true);
    double clean = d.detect(text).pValue();
    assertTrue(clean < 1e-6, "the plain text: " + clean);
    StringBuilder zwj = new StringBuilder();
    for (String w : text.split(" ", -1)) {
      zwj.append(zwj.length() == 0 ? "" : " ").append(w.length() > 3 ? w.charAt(0) + "\u200d" + w.substring(1) : w);
    }
    String[] variants = {
      zwj.toString(),
      text.replace(" ", "\u00a0"),
      text.replace(" ", "\u2009"),
      text.replaceAll("(.{5})", "$1\u200b"),
      "\ufeff" + text.replace("e", "\u00ade"),
    };
    for (String v : variants) {
      TextDetectionResult r = d.detect(v);
      assertEquals(clean, r.pValue(), clean * 1e-9, "the same tokens are scored: " + v.substring(0, 40));
      assertArrayEquals(TextFingerprint.minHash(text), TextFingerprint.minHash(v),
          "fingerprint of " + v.substring(0, 40));
    }
    // A passage with invisible characters pasted into human text: its span is in the input's chars.
    String human = "Call me Ishmael. Some years ago, never mind how long precisely, I thought I would sail about. ".repeat(40);
    String doc = human + zwj + " " + human;
    TextDetectionResult r = d.detect(doc);
    assertTrue(r.detected(), r.toString());
    if (r.span() != null) {
      assertTrue(r.span().startChar() >= human.length() - 20 && r.span().endChar() <= human.length() + zwj.length() + 20,
          "span " + r.span() + " in the input's characters, the passage at " + human.length() + ".." + (human.length() + zwj.length()));
    }
  }
}
