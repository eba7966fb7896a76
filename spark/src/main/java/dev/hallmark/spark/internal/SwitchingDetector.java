package dev.hallmark.spark.internal;

import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.DocumentException;
import java.util.List;
import java.util.Map;

/**
 * The standard detector with a {@link CandidateLedger}: before each decision, the ledger is given the
 * registry-join candidates of that document (found by its location within its input). A document
 * with registry keys that the first pass did not see (absent from the map) is an error, never kept
 * unchecked. Not thread-safe: one per task.
 */
public final class SwitchingDetector implements Detector {
  private final Detector delegate;
  private final CandidateLedger ledger;
  private final Map<String, List<Candidate>> byLocation;

  public SwitchingDetector(Detector delegate, CandidateLedger ledger, Map<String, List<Candidate>> byLocation) {
    this.delegate = delegate;
    this.ledger = ledger;
    this.byLocation = byLocation;
  }

  @Override
  public DocumentDecision decide(Document document) throws DocumentException {
    if (ledger != null) {
      List<Candidate> c = byLocation.get(document.location());
      if (c == null && RegistryKeys.documentKeys(document, delegate.policy().imageHammingThreshold()).length > 0) {
        // Pass 1 (the registry keys) could not read this document, pass 2 could: its candidates are
        // unknown, so deciding it would keep it unchecked against the registry.
        throw new DocumentException("not checked against the registry: the job's first pass could not read this document "
            + "(extraction failed or timed out there); clean this input again");
      }
      ledger.setCandidates(c);
    }
    return delegate.decide(document);
  }

  @Override
  public DetectionPolicy policy() {
    return delegate.policy();
  }

  @Override
  public Map<String, Object> describe() {
    return delegate.describe();
  }
}
