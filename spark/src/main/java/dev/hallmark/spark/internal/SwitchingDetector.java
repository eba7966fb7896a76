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
 * registry-join candidates of that document (found by its location within its input). Not
 * thread-safe: one per task.
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
      ledger.setCandidates(byLocation.get(document.location()));
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
