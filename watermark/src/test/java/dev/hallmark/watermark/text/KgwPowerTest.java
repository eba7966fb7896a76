package dev.hallmark.watermark.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A regression bar for the headline criterion: 200-token KGW text (gamma 0.25, delta 2) from
 * the built-in model at its default settings is detected at p < 1e-6. The criterion (98%) is
 * measured by the benchmark on 1,300 samples (99.3%: 295 of samples 0-299, 996 of 1000-1999; see
 * docs/BENCHMARKS.md); 100 samples cannot resolve 98% from 99% (these first 100, the benchmark's,
 * give 97, the misses at p of 1.3e-6 to 1.7e-6), so the bar is 96 of 100: a real loss of power fails
 * it, sampling noise and platform rounding do not.
 */
class KgwPowerTest {
  static final long SEED = 20261125L;

  @Test
  void twoHundredTokenKgwIsDetectedAtOneInAMillion() {
    System.out.println("KgwPowerTest seed=" + SEED);
    Tokenizer tok = Tokenizers.r50k();
    NgramLanguageModel lm = NgramLanguageModel.builtIn();
    WatermarkKey key = WatermarkKey.generate("power", new java.util.Random(SEED));
    TextDetector d = Watermarks.textDetector(key, WatermarkParameters.KGW_DEFAULT, tok, 1e-6, false);
    int n = 100;
    long detected = IntStream.range(0, n).parallel().filter(i -> {
      TextGenerator g = new TextGenerator(lm, tok, Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, tok));
      String text = g.generate("The", 200, new SplittableRandom(SEED * 31 + i)).text();
      return d.detect(text).pValue() < 1e-6;
    }).count();
    System.out.println("KGW, 200 tokens: " + detected + " of " + n + " detected at p < 1e-6");
    assertTrue(detected >= 96, detected + " of " + n + " detected at p < 1e-6");
  }
}
