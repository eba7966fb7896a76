package dev.hallmark.detector;

import java.io.Serializable;
import java.util.Objects;

/**
 * One fact that triggered a removal. Fields that do not apply to the {@link #reason()} are null.
 *
 * @param reason what kind of match this is
 * @param target {@code "text"} or the name of the (standalone or embedded) image
 * @param scheme the watermark scheme that matched (watermark reasons)
 * @param keyId the public id of the watermark key that matched (watermark reasons)
 * @param pValue the family-wise p-value reported by the watermark detector (watermark reasons)
 * @param scored tokens or bits the detector scored (watermark reasons)
 * @param span the matched window of a copy-paste mixture, as {@code start-end} token offsets, when known
 * @param ledgerIndex the matching ledger record's index (ledger reasons)
 * @param similarity Jaccard estimate (text near-duplicates), 1.0 for exact hash matches, or
 *     {@code 1 - hamming/256} for image near-duplicates
 * @param distance Hamming distance of the perceptual hashes (image near-duplicates)
 * @param tests the (key, scheme) tests the text watermark p-value is corrected for (text watermarks)
 * @param correction how the false-positive budget was split among those tests and between the whole
 *     text and its windows, in words (text watermarks; docs/spec/text-watermark.md, "Correction")
 * @param signer the C2PA manifest's signer ({@link Reason#C2PA_AI_GENERATED})
 */
public record Evidence(
    Reason reason,
    String target,
    String scheme,
    String keyId,
    Double pValue,
    Integer scored,
    String span,
    Long ledgerIndex,
    Double similarity,
    Integer distance,
    Integer tests,
    String correction,
    String signer)
    implements Serializable {
  /** Evidence without the text-correction fields and without a C2PA signer. */
  public Evidence(Reason reason, String target, String scheme, String keyId, Double pValue, Integer scored, String span,
      Long ledgerIndex, Double similarity, Integer distance) {
    this(reason, target, scheme, keyId, pValue, scored, span, ledgerIndex, similarity, distance, null, null, null);
  }

  public Evidence {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(target, "target");
  }

  /** Evidence of a watermark match. */
  public static Evidence watermark(Reason reason, String target, String scheme, String keyId,
      double pValue, int scored, String span) {
    return new Evidence(reason, target, scheme, keyId, pValue, scored, span, null, null, null, null, null, null);
  }

  /** Evidence of a text watermark match, with the tests and correction its p-value accounts for. */
  public static Evidence textWatermark(String scheme, String keyId, double pValue, int scored, String span,
      int tests, String correction) {
    return new Evidence(Reason.TEXT_WATERMARK, "text", scheme, keyId, pValue, scored, span, null, null, null,
        tests, correction, null);
  }

  /** An image's C2PA manifest declares it AI-generated; {@code signer} is its signing certificate's subject. */
  public static Evidence c2pa(String target, String signer) {
    return new Evidence(Reason.C2PA_AI_GENERATED, target, "c2pa", null, null, null, null, null, null, null, null, null, signer);
  }

  /** Evidence of a ledger match. */
  public static Evidence ledger(Reason reason, String target, long index, double similarity, Integer distance) {
    return new Evidence(reason, target, null, null, null, null, null, index, similarity, distance, null, null, null);
  }
}
