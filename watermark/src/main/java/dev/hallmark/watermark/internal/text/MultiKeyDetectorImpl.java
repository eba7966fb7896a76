package dev.hallmark.watermark.internal.text;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import dev.hallmark.watermark.text.TextDetectionResult;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.ArrayList;
import java.util.List;

/** Bonferroni over keys x schemes on top of per-candidate window-corrected p-values. Immutable. */
public final class MultiKeyDetectorImpl implements MultiKeyTextDetector {
  private final TextDetectionSettings settings;
  private final Tokenizer tokenizer;
  private final List<DetectorImpl> detectors;
  private final double perTestAlpha;

  public MultiKeyDetectorImpl(TextDetectionSettings settings, List<WatermarkKey> keys) {
    this(settings, keys, Tokenizers.byName(settings.tokenizer()));
  }

  /** With an explicit tokenizer (e.g. a model's own), used instead of {@code settings.tokenizer()}. */
  public MultiKeyDetectorImpl(TextDetectionSettings settings, List<WatermarkKey> keys, Tokenizer tokenizer) {
    this.settings = settings;
    this.tokenizer = tokenizer;
    int tests = Math.max(1, keys.size() * settings.schemes().size());
    this.perTestAlpha = settings.alpha() / tests;
    List<DetectorImpl> d = new ArrayList<>();
    for (WatermarkKey k : keys) {
      for (WatermarkParameters p : settings.schemes()) {
        d.add(new DetectorImpl(new SchemeEngine(k, p), tokenizer, perTestAlpha, settings.windowed(),
            settings.maxTokens()));
      }
    }
    this.detectors = List.copyOf(d);
  }

  @Override
  public TextDetectionSettings settings() {
    return settings;
  }

  @Override
  public MultiKeyTextResult detect(String text) {
    DetectorImpl.Prepared prep = DetectorImpl.Prepared.of(text, tokenizer, settings.maxTokens());
    List<TextDetectionResult> results = new ArrayList<>(detectors.size());
    TextDetectionResult best = null;
    for (DetectorImpl d : detectors) {
      TextDetectionResult r = d.run(prep.tokens(), prep.truncated(), prep);
      results.add(r);
      if (best == null || r.log10PValue() < best.log10PValue()) {
        best = r;
      }
    }
    int tests = Math.max(1, detectors.size());
    double fw = best == null ? 1.0 : Math.min(1.0, best.pValue() * tests);
    boolean detected = best != null && best.tokensScored() > 0 && fw <= settings.alpha();
    return new MultiKeyTextResult(settings.alpha(), tests, perTestAlpha, results, best, fw, detected);
  }
}
