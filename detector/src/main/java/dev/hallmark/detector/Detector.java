package dev.hallmark.detector;

/**
 * Decides whether one document carries tagged content.
 *
 * <p>A decision is a pure function of the document, the configured watermark keys, the ledger
 * snapshot and the {@link DetectionPolicy}: implementations keep no mutable state, are safe to call
 * from many threads at once, and give the same decision for the same inputs on any machine.
 */
public interface Detector {
  /**
   * The verdict on {@code document}.
   *
   * @throws DocumentException when the document cannot be examined (e.g. a corrupt image), so that
   *     the caller can report it instead of keeping it unchecked
   */
  DocumentDecision decide(Document document) throws DocumentException;

  /** The policy in force. */
  DetectionPolicy policy();

  /** A short description of what is checked (keys by id, ledger size), for reports; no secrets. */
  java.util.Map<String, Object> describe();
}
