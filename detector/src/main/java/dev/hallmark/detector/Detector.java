package dev.hallmark.detector;

/**
 * Decides whether one document carries tagged content.
 *
 * <p>A decision is a pure function of the document, the configured watermark keys, the ledger
 * snapshot and the {@link DetectionPolicy}: implementations keep no mutable state, are safe to call
 * from many threads at once, and give the same decision for the same inputs on any machine.
 *
 * <p>In Spark (or any distributed runner), ship the {@link DetectionPolicy} (serializable) and build
 * one detector per executor from its own keys and ledger snapshot, e.g. in {@code mapPartitions}:
 * {@code Detector d = Detector.create(policy, keyring.watermarkKeys(), Ledgers.openSnapshot(dir, logKey));}
 * then call {@code d.decide(new Document(id, input, location, text, images))} per record.
 */
public interface Detector {
  /**
   * The verdict on {@code document}.
   *
   * @throws DocumentException when the document cannot be examined (e.g. a corrupt image), or only in
   *     part (text longer than the watermark test's token limit, more images than the policy scans)
   *     and nothing was found in that part, so that the caller can report it instead of keeping it
   *     unchecked
   * @throws LedgerLookupException when the ledger snapshot fails: not the document's fault, so a
   *     corpus run stops instead of filing every later document under errors
   */
  DocumentDecision decide(Document document) throws DocumentException;

  /** The policy in force. */
  DetectionPolicy policy();

  /** A short description of what is checked (keys by id, ledger size), for reports; no secrets. */
  java.util.Map<String, Object> describe();

  /**
   * The standard detector: every key against every text scheme of the policy (with copy-paste
   * windows) and against the image watermark, plus exact and near-duplicate lookups in
   * {@code ledger} (which may be null for none). The caller keeps ownership of the keys and the
   * snapshot and must keep them open while the detector is used.
   */
  static Detector create(DetectionPolicy policy, java.util.List<dev.hallmark.core.WatermarkKey> keys,
      dev.hallmark.ledger.LedgerSnapshot ledger) {
    return new dev.hallmark.detector.internal.StandardDetector(policy, keys, ledger);
  }
}
