package dev.hallmark.detector;

/** Why a document was removed. Each removal lists one or more reasons, each backed by {@link Evidence}. */
public enum Reason {
  /** A keyed text watermark was detected at the policy's false-positive budget. */
  TEXT_WATERMARK,
  /** A keyed image watermark was detected in a standalone or embedded image. */
  IMAGE_WATERMARK,
  /** The text's SHA-256 equals the content hash of a ledger record. */
  LEDGER_TEXT_EXACT,
  /** The text's MinHash is within the policy's Jaccard threshold of a ledger record. */
  LEDGER_TEXT_NEAR,
  /** An image's SHA-256 equals the content hash of a ledger record. */
  LEDGER_IMAGE_EXACT,
  /** An image's perceptual hash is within the policy's Hamming distance of a ledger record. */
  LEDGER_IMAGE_NEAR,
  /**
   * An image carries a C2PA manifest whose claim signature verifies and whose actions declare
   * {@code trainedAlgorithmicMedia} (only when {@link DetectionPolicy#removeC2paAiGenerated()}).
   */
  C2PA_AI_GENERATED
}
