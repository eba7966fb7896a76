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
import java.util.Optional;

/**
 * Bonferroni over the (key, scheme) tests on top of per-test p-values that already share their budget
 * between the whole text and its windows. A key that records its scheme is one test (under its
 * recorded parameters, if that scheme is among the settings' schemes); a key that records none is one
 * test per scheme of the settings. Immutable.
 */
public final class MultiKeyDetectorImpl implements MultiKeyTextDetector {
  private final TextDetectionSettings settings;
  private final Tokenizer tokenizer;
  private final List<DetectorImpl> detectors;
  private final double perTestAlpha;
  private final String correction;

  /** @throws IllegalArgumentException when a key records a scheme or parameters this build cannot read */
  public MultiKeyDetectorImpl(TextDetectionSettings settings, List<WatermarkKey> keys) {
    this(settings, keys, Tokenizers.byName(settings.tokenizer()));
  }

  /** With an explicit tokenizer (e.g. a model's own), used instead of {@code settings.tokenizer()}. */
  public MultiKeyDetectorImpl(TextDetectionSettings settings, List<WatermarkKey> keys, Tokenizer tokenizer) {
    this.settings = settings;
    this.tokenizer = Tokenizers.memoizing(tokenizer); // same ids; this detector's own piece memo
    List<SchemeEngine> engines = new ArrayList<>();
    for (WatermarkKey k : keys) {
      for (WatermarkParameters p : testsFor(settings, k)) {
        engines.add(new SchemeEngine(k, p));
      }
    }
    int tests = Math.max(1, engines.size());
    this.perTestAlpha = settings.alpha() / tests;
    List<DetectorImpl> d = new ArrayList<>();
    for (SchemeEngine e : engines) {
      d.add(new DetectorImpl(e, tokenizer, perTestAlpha, settings.windowed(), settings.maxTokens()));
    }
    this.detectors = List.copyOf(d);
    this.correction = correction(engines.size(), settings.windowed());
  }

  /**
   * The schemes {@code key} is tested under: its recorded scheme alone (when the settings name that
   * scheme), or every scheme of the settings when it records none.
   */
  public static List<WatermarkParameters> testsFor(TextDetectionSettings settings, WatermarkKey key) {
    Optional<WatermarkParameters> own = WatermarkParameters.ofKey(key);
    if (own.isEmpty()) {
      return settings.schemes();
    }
    for (WatermarkParameters p : settings.schemes()) {
      if (p.scheme() == own.get().scheme()) {
        return List.of(own.get());
      }
    }
    return List.of();
  }

  /** The stated correction (docs/spec/text-watermark.md, "Correction"). */
  static String correction(int tests, boolean windowed) {
    return "discrete bonferroni over " + tests + " (key, scheme) test" + (tests == 1 ? "" : "s")
        + (windowed ? "; each gives half its share to the whole text and half to its windows"
            + " (all to the whole text when it is too short for windows)" : "; whole text only");
  }

  @Override
  public TextDetectionSettings settings() {
    return settings;
  }

  @Override
  public String correction() {
    return correction;
  }

  @Override
  public MultiKeyTextResult detect(String text) {
    DetectorImpl.Prepared prep = DetectorImpl.Prepared.of(text, tokenizer, settings.maxTokens());
    List<TextDetectionResult> results = new ArrayList<>(detectors.size());
    int[] scored = new int[detectors.size()];
    TextDetectionResult best = null;
    double minLogP = 0.0;
    for (int i = 0; i < detectors.size(); i++) {
      DetectorImpl.Run run = detectors.get(i).runScored(prep.tokens(), prep.truncated(), prep);
      TextDetectionResult r = run.result();
      results.add(r);
      scored[i] = run.scored();
      if (best == null || run.logP() < minLogP) {
        best = r;
        minLogP = Math.min(0.0, run.logP());
      }
    }
    double logFw = familyWiseLogP(detectors, minLogP, scored);
    if (logFw > Math.log(settings.alpha()) && minLogP <= Math.log(settings.alpha())) {
      // Near the decision: charge each window its attainable level (which needs every position's
      // pairs counted per window) instead of its whole share. Elsewhere the looser bound stands; both
      // are valid family-wise p-values.
      logFw = familyWiseLogP(detectors, minLogP, scored, prep.tokens());
    }
    double fw = Math.exp(logFw);
    boolean detected = best != null && best.tokensScored() > 0 && fw <= settings.alpha();
    return new MultiKeyTextResult(settings.alpha(), detectors.size(), perTestAlpha, results, best, fw, detected,
        correction, logFw / Math.log(10));
  }

  /**
   * Discrete Bonferroni (docs/spec/text-watermark.md, "Many keys and schemes"): with m the smallest
   * p-value of the T tests, ln of min(1, Σ_i F_i(m)), where F_i(m) bounds the null probability that
   * test i's p-value is at most m ({@link DetectorImpl#logNullAtMost}). Each F_i(m) <= m, so this is
   * never above plain Bonferroni's T·m, and P(family-wise p <= α) <= α for every α.
   */
  static double familyWiseLogP(List<DetectorImpl> detectors, double minLogP, int[] scored) {
    return familyWiseLogP(detectors, minLogP, scored, null);
  }

  /** As above; with {@code tokens}, windowed tests are charged their windows' attainable levels. */
  static double familyWiseLogP(List<DetectorImpl> detectors, double minLogP, int[] scored, int[] tokens) {
    if (minLogP >= 0 || detectors.isEmpty()) {
      return 0.0;
    }
    double acc = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < detectors.size(); i++) {
      DetectorImpl d = detectors.get(i);
      acc = DetectorImpl.logSumExp(acc, tokens == null ? d.logNullAtMost(scored[i], minLogP)
          : d.logNullAtMost(scored[i], minLogP, tokens));
    }
    return Math.min(0.0, acc);
  }
}
