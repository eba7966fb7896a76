package dev.hallmark.watermark.text;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of testing one text against one key and scheme. Immutable.
 *
 * @param scheme scheme label
 * @param keyId public id of the key tested
 * @param tokensTotal tokens in the (possibly truncated) text
 * @param tokensScored first-occurrence (context, token) pairs in the reported window
 * @param score mean per-token score in that window (green fraction, mean -ln(1-r), mean g-value)
 * @param pValue p-value under "not watermarked with this key", corrected for the windows: with a
 *     window scan {@code min(p_whole / f, W * p_window / (1 - f))} with {@code f = }{@link #wholeTextShare()} and
 *     {@code W = windowsTried - 1}, capped at 1; without windows the whole text's p-value. Exact
 *     except for SynthID's weighted detector, where it is a Chernoff upper bound
 * @param log10PValue the same in log10, still finite when {@code pValue} underflows to 0
 * @param alpha the false-positive rate the decision was made at
 * @param detected {@code pValue <= alpha}
 * @param windowsTried statistics tested: the whole text plus its windows (1 when windowed detection
 *     is off or the text is too short for a window)
 * @param span the watermarked token span if a window smaller than the text won, else null
 * @param truncated true if the input was longer than the configured maximum and only its start was read
 */
public record TextDetectionResult(
    String scheme,
    String keyId,
    int tokensTotal,
    int tokensScored,
    double score,
    double pValue,
    double log10PValue,
    double alpha,
    boolean detected,
    int windowsTried,
    Span span,
    boolean truncated) {

  /** A token range {@code [startToken, endToken)} and the matching character range of the text. */
  public record Span(int startToken, int endToken, int startChar, int endChar) {}

  /**
   * The whole text's share of this test's false-positive budget: 1/2 when windows were scanned (they
   * share the other half), else 1.
   */
  public double wholeTextShare() {
    return windowsTried > 1 ? 0.5 : 1.0;
  }

  /** A JSON-ready map with plain values. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("detected", detected);
    m.put("pValue", pValue);
    m.put("log10PValue", log10PValue);
    m.put("scheme", scheme);
    m.put("keyId", keyId);
    m.put("tokensScored", tokensScored);
    m.put("tokensTotal", tokensTotal);
    m.put("score", score);
    m.put("alpha", alpha);
    m.put("windowsTried", windowsTried);
    m.put("wholeTextShare", wholeTextShare());
    if (span != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("startToken", span.startToken());
      s.put("endToken", span.endToken());
      s.put("startChar", span.startChar());
      s.put("endChar", span.endChar());
      m.put("span", s);
    }
    m.put("truncated", truncated);
    return m;
  }
}
