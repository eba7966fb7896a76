package dev.hallmark.clean;

import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.DocumentException;
import dev.hallmark.ledger.LedgerSnapshot;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the mixed-corpus clean in its own JVM, so that a test can kill it half-way. With a fourth
 * argument N it decides N documents, then prints {@code PAUSED} and blocks every later decision, so
 * the test kills a process that is certainly alive and certainly not finished, however fast the
 * machine is.
 */
public final class MixedCorpusMain {
  private MixedCorpusMain() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]);
    Path ledger = Path.of(args[1]);
    Path out = Path.of(args[2]);
    int pauseAfter = args.length > 3 ? Integer.parseInt(args[3]) : Integer.MAX_VALUE;
    try (LedgerSnapshot snap = MixedCorpus.openLedger(ledger)) {
      Detector d = Detector.create(DetectionPolicy.DEFAULT, MixedCorpus.keys(), snap);
      CorpusCleaner.run(MixedCorpus.job(corpus, out).build(), pausing(d, pauseAfter), CleanProgress.Listener.NONE);
    }
  }

  private static Detector pausing(Detector d, int pauseAfter) {
    AtomicInteger decided = new AtomicInteger();
    return new Detector() {
      @Override
      public DocumentDecision decide(Document document) throws DocumentException {
        if (decided.getAndIncrement() >= pauseAfter) {
          synchronized (this) {
            System.out.println("PAUSED");
            System.out.flush();
            while (true) {
              try {
                wait();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while paused", e);
              }
            }
          }
        }
        return d.decide(document);
      }

      @Override
      public DetectionPolicy policy() {
        return d.policy();
      }

      @Override
      public Map<String, Object> describe() {
        return d.describe();
      }
    };
  }
}
