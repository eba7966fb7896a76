package dev.hallmark.detector;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The detector's verdict on one document: remove or keep, the evidence for a removal, and the best
 * scores seen (for histograms), whether or not they crossed a threshold.
 *
 * @param evidence every match that crossed the policy; empty means keep
 * @param textPValue smallest family-wise p-value of the text watermark test, or NaN when not scored
 * @param imagePValue smallest p-value over the scanned images, or NaN when none was scored
 * @param textJaccard largest Jaccard estimate among ledger matches (which are at or above the
 *     policy's threshold), 0 when the lookup found none, NaN when the text was not looked up
 * @param imageHamming smallest Hamming distance to a ledger image, or -1 when none was looked up
 *     or none was close enough to be returned
 * @param imagesScanned images examined
 */
public record DocumentDecision(
    List<Evidence> evidence,
    double textPValue,
    double imagePValue,
    double textJaccard,
    int imageHamming,
    int imagesScanned)
    implements Serializable {
  public DocumentDecision {
    evidence = List.copyOf(evidence);
  }

  /** True when the document must be removed. */
  public boolean remove() {
    return !evidence.isEmpty();
  }

  /** The distinct reasons, in {@link Reason} order. */
  public Set<Reason> reasons() {
    Set<Reason> r = EnumSet.noneOf(Reason.class);
    evidence.forEach(e -> r.add(e.reason()));
    return r;
  }

  /** A keep decision with no scores. */
  public static DocumentDecision keepUnscored() {
    return new DocumentDecision(List.of(), Double.NaN, Double.NaN, Double.NaN, -1, 0);
  }
}
