package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #19: every durable write of the log on a full disk (ENOSPC, injected through the
 * {@link DurableFiles} seam; {@code scripts/reliability/faults.sh} does it on a real full tmpfs)
 * fails with a clear error that says the previous checkpoint stays valid, leaves that checkpoint
 * valid, loses no acknowledged entry, and opening a log with nothing to integrate writes nothing.
 */
class FullDiskTest {
  @TempDir Path tmp;

  @AfterEach
  void noFaults() {
    DurableFiles.injectFaults(null);
  }

  private static final java.util.function.Function<Path, IOException> ENOSPC =
      p -> new IOException(p.getFileName() + ": No space left on device");

  private VerifyReport verify(Path dir) throws Exception {
    return Ledgers.verify(dir, TestRecords.LOG_KEY.verifierKey(TestRecords.ORIGIN), null, null);
  }

  @Test
  void checkpointOnAFullDiskFailsCleanlyAndThePreviousCheckpointStaysValid() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, TestRecords.ORIGIN, TestRecords.LOG_KEY, "log");
    try (Ledger l = Ledgers.open(dir, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
      for (int i = 0; i < 3; i++) {
        l.append(TestRecords.simple(i));
      }
      assertEquals(3, l.checkpoint().size());
    }
    Ledger l = Ledgers.open(dir, TestRecords.LOG_KEY, LedgerOptions.DEFAULT);
    for (int i = 3; i < 8; i++) {
      l.append(TestRecords.simple(i)); // acknowledged: durable in the write-ahead log
    }
    DurableFiles.injectFaults(ENOSPC);
    LedgerException e = assertThrows(LedgerException.class, l::checkpoint);
    assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("previous one (3 entries) stays valid"),
        e.getMessage());
    assertThrows(LedgerException.class, l::close, "close tries the checkpoint again and reports its failure");
    assertEquals(3, verify(dir).checkpoint().size(), "the previous checkpoint is untouched and verifies");

    // Reopening on the still-full disk must integrate the 5 entries, cannot, and says so cleanly.
    LedgerException again = assertThrows(LedgerException.class, () -> Ledgers.open(dir, TestRecords.LOG_KEY, LedgerOptions.DEFAULT));
    assertTrue(again.getMessage().contains("No space left on device") && again.getMessage().contains("stays valid"), again.getMessage());
    assertEquals(3, verify(dir).checkpoint().size());
    try (Stream<Path> s = Files.walk(dir)) {
      assertEquals(0, s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "no temporary file is left behind");
    }

    // Space again: the lock was released and every acknowledged entry goes into the next checkpoint.
    DurableFiles.injectFaults(null);
    try (Ledger l2 = Ledgers.open(dir, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
      assertEquals(8, l2.checkpoint().size());
    }
    assertEquals(8, verify(dir).checkpoint().size());
  }

  @Test
  void openingALogWithNothingToIntegrateWritesNothing() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, TestRecords.ORIGIN, TestRecords.LOG_KEY, "log");
    try (Ledger l = Ledgers.open(dir, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
      for (int i = 0; i < 3; i++) {
        l.append(TestRecords.simple(i));
      }
    }
    Map<String, Long> before = files(dir);
    DurableFiles.injectFaults(ENOSPC);
    try (Ledger l = Ledgers.open(dir, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
      assertEquals(3, l.checkpoint().size(), "what 'ledger checkpoint' does: nothing new, so print the current one");
    }
    assertEquals(before, files(dir), "no file created, removed or resized (before: the index committed at every open)");
  }

  /** Every file under {@code dir} but lock files, with its size. */
  private static Map<String, Long> files(Path dir) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        if (!p.getFileName().toString().contains("lock")) {
          m.put(dir.relativize(p).toString(), Files.size(p));
        }
      }
    }
    return m;
  }
}
