package dev.hallmark.clean;

import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;

import dev.hallmark.ledger.LedgerSnapshot;
import java.nio.file.Path;

/** Runs the mixed-corpus clean in its own JVM, so that a test can kill it half-way. */
public final class MixedCorpusMain {
  private MixedCorpusMain() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]);
    Path ledger = Path.of(args[1]);
    Path out = Path.of(args[2]);
    try (LedgerSnapshot snap = MixedCorpus.openLedger(ledger)) {
      Detector d = Detector.create(DetectionPolicy.DEFAULT, MixedCorpus.keys(), snap);
      CorpusCleaner.run(MixedCorpus.job(corpus, out).build(), d, CleanProgress.Listener.NONE);
    }
  }
}
