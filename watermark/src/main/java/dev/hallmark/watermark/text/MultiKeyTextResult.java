package dev.hallmark.watermark.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcome of a multi-key, multi-scheme test. Each candidate's {@code pValue} already shares its
 * budget between the whole text and its windows (see {@link TextDetectionResult#pValue()}); the
 * family-wise p-value is the discrete Bonferroni bound at the best one, m: the sum over the (key,
 * scheme) tests of the null probability that each reaches a p-value of m or less (at most m each, and
 * less for discrete statistics whose attainable p-values skip over m), so it never exceeds
 * {@code tests * m} and P(any false detection) <= {@code familyWiseAlpha} for a text none of the keys
 * marked. Immutable.
 *
 * @param familyWiseAlpha the false-positive rate guaranteed over all keys, schemes and windows
 * @param tests number of (key, scheme) candidates tested: one per key that records its scheme, one
 *     per scheme for a key that does not
 * @param perTestAlpha {@code familyWiseAlpha / tests}, the (plain Bonferroni) level each candidate's
 *     own {@code detected} is judged at; the family decision uses {@code familyWisePValue}, which can
 *     detect when no candidate does at this level
 * @param candidates one result per (key, scheme), each judged at {@code perTestAlpha}
 * @param best the candidate with the smallest p-value, or null when no key was given
 * @param familyWisePValue {@code min(1, sum over tests i of F_i(best.pValue))}, at most {@code min(1,
 *     best.pValue * tests)} (docs/spec/text-watermark.md, "Many keys and schemes")
 * @param detected {@code familyWisePValue <= familyWiseAlpha}
 * @param correction how the budget was split, in words (docs/spec/text-watermark.md, "Correction")
 * @param log10FamilyWisePValue log10 of {@code familyWisePValue}, finite when it underflows
 */
public record MultiKeyTextResult(
    double familyWiseAlpha,
    int tests,
    double perTestAlpha,
    List<TextDetectionResult> candidates,
    TextDetectionResult best,
    double familyWisePValue,
    boolean detected,
    String correction,
    double log10FamilyWisePValue) {

  public MultiKeyTextResult {
    candidates = List.copyOf(candidates);
  }

  /** JSON-ready map: the best match's fields at top level plus the family-wise statement. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("detected", detected);
    m.put("pValue", familyWisePValue);
    m.put("scheme", best == null ? null : best.scheme());
    m.put("keyId", best == null ? null : best.keyId());
    m.put("tokensScored", best == null ? 0 : best.tokensScored());
    m.put("tokensTotal", best == null ? 0 : best.tokensTotal());
    m.put("score", best == null ? null : best.score());
    m.put("log10PValue", best == null ? 0.0 : log10FamilyWisePValue);
    if (best != null && best.span() != null) {
      m.put("span", best.toMap().get("span"));
    }
    m.put("familyWiseAlpha", familyWiseAlpha);
    m.put("tests", tests);
    m.put("correction", correction);
    m.put("wholeTextShare", best == null ? 1.0 : best.wholeTextShare());
    m.put("truncated", best != null && best.truncated());
    List<Object> c = new ArrayList<>();
    for (TextDetectionResult r : candidates) {
      c.add(r.toMap());
    }
    m.put("candidates", c);
    return m;
  }
}
