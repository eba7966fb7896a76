package dev.hallmark.spark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A document that pass 2 reads but pass 1 (the registry keys) did not see has no known registry
 * candidates: it must become an error, never a "kept" decided without the registry.
 */
class SwitchingDetectorTest {
  private static final String TEXT = "The harbour lights came on one by one as the fishing boats returned with the evening tide.";

  @Test
  void aDocumentPassOneDidNotSeeIsAnErrorNotKept() {
    CandidateLedger ledger = new CandidateLedger(null);
    Detector d = new SwitchingDetector(Detector.create(DetectionPolicy.DEFAULT, List.of(), ledger), ledger, Map.of());
    DocumentException e = assertThrows(DocumentException.class, () -> d.decide(Document.ofText("a", "in", "line 1", TEXT)));
    assertTrue(e.getMessage().contains("not checked against the registry"), e.getMessage());
  }

  @Test
  void aDocumentPassOneSawWithNoCandidatesIsDecided() throws Exception {
    CandidateLedger ledger = new CandidateLedger(null);
    Detector d = new SwitchingDetector(Detector.create(DetectionPolicy.DEFAULT, List.of(), ledger), ledger,
        Map.of("line 1", List.of()));
    assertFalse(d.decide(Document.ofText("a", "in", "line 1", TEXT)).remove());
  }

  @Test
  void aDocumentWithNoRegistryKeysNeedsNoFirstPass() throws Exception {
    CandidateLedger ledger = new CandidateLedger(null);
    Detector d = new SwitchingDetector(Detector.create(DetectionPolicy.DEFAULT, List.of(), ledger), ledger, Map.of());
    assertEquals(0, RegistryKeys.documentKeys(Document.ofText("b", "in", "line 2", "   "), 31).length);
    assertFalse(d.decide(Document.ofText("b", "in", "line 2", "   ")).remove());
  }
}
