package dev.hallmark.ledger;

import static dev.hallmark.ledger.TestRecords.LOG_KEY;
import static dev.hallmark.ledger.TestRecords.ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.ledger.internal.LedgerImpl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent appends, the streaming append API, and failures that surface. */
class AppendIdempotencyTest {
  @TempDir Path tmp;

  Path newLog() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    return dir;
  }

  static List<Record> records(int from, int to) {
    List<Record> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(TestRecords.simple(i));
    }
    return out;
  }

  @Test
  void theSameRecordAppendedTwiceKeepsItsIndex() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      assertEquals(0, l.append(TestRecords.simple(0)));
      // Not yet checkpointed: found through the write-ahead part of the log.
      List<Appended> again = l.appendDetailed(records(0, 3)).get();
      assertEquals(List.of(new Appended(0, true), new Appended(1, false), new Appended(2, false)), again);
      // Twice within one batch: one entry.
      List<Record> twice = List.of(TestRecords.simple(5), TestRecords.simple(5));
      assertEquals(List.of(new Appended(3, false), new Appended(3, true)), l.appendDetailed(twice).get());
      l.checkpoint();
      // Checkpointed: found through the lookup index.
      assertEquals(List.of(new Appended(1, true), new Appended(4, false)), l.appendDetailed(List.of(TestRecords.simple(1), TestRecords.simple(9))).get());
      assertEquals(5, l.durableSize());
    }
    // After reopening (recovery) every earlier record still answers with its index.
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      long[] ids = l.appendAll(records(0, 3));
      assertEquals(0, ids[0]);
      assertEquals(2, ids[2]);
      assertEquals(5, l.durableSize());
      // A record with the same content but another timestamp is another record.
      Record other = Record.builder().kind("text").contentSha256(TestRecords.sha("content-0")).model("demo-model")
          .timestamp(java.time.Instant.ofEpochSecond(1)).build().sign(TestRecords.PRODUCER);
      assertEquals(5, l.append(other));
    }
    VerifyReport rep = Ledgers.verify(dir, LOG_KEY.verifierKey(ORIGIN), null, null);
    assertEquals(6, rep.entries());
  }

  @Test
  void concurrentRetriesAcrossCheckpointsNeverDuplicate() throws Exception {
    Path dir = newLog();
    List<Record> all = records(0, 2000);
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().autoCheckpoint(Duration.ofMillis(5)).build())) {
      Thread[] ts = new Thread[4];
      Exception[] err = new Exception[1];
      for (int t = 0; t < ts.length; t++) {
        long seed = 7L * t + 1;
        ts[t] = new Thread(() -> {
          List<Record> mine = new ArrayList<>(all);
          Collections.shuffle(mine, new java.util.Random(seed));
          try {
            for (int i = 0; i < mine.size(); i += 50) {
              l.appendAll(mine.subList(i, i + 50));
            }
          } catch (Exception e) {
            err[0] = e;
          }
        });
        ts[t].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      if (err[0] != null) {
        throw err[0];
      }
      assertEquals(2000, l.durableSize(), "4 threads appended the same 2000 records; each is in the log once");
    }
    assertEquals(2000, Ledgers.verify(dir, LOG_KEY.verifierKey(ORIGIN), null, null).entries());
  }

  @Test
  void appendStreamAcknowledgesInOrder() throws Exception {
    Path dir = newLog();
    List<String> acked = Collections.synchronizedList(new ArrayList<>());
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      l.append(TestRecords.simple(3));
      AppendStream<String> s = AppendStream.open(l, 2, (tags, out) -> {
        for (int i = 0; i < tags.size(); i++) {
          acked.add(tags.get(i) + "=" + out.get(i).index() + (out.get(i).existing() ? "*" : ""));
        }
      });
      for (int c = 0; c < 10; c++) {
        List<Record> rs = records(c * 10, c * 10 + 10);
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          tags.add("r" + (c * 10 + i));
        }
        s.append(rs, tags);
      }
      s.close();
      assertEquals(100, s.acknowledged());
      assertEquals(1, s.existing());
      assertEquals("r0=1", acked.get(0));
      assertEquals("r3=0*", acked.get(3));
      assertEquals("r99=99", acked.get(99));
    }
  }

  @Test
  void aFailingListenerStopsTheStream() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      AppendStream<Integer> s = AppendStream.open(l, 4, (tags, out) -> {
        if (tags.get(0) >= 20) {
          throw new java.io.IOException("disk full");
        }
      });
      LedgerException e = assertThrows(LedgerException.class, () -> {
        for (int c = 0; c < 10; c++) {
          s.append(records(c * 10, c * 10 + 10), List.of(c * 10, c * 10 + 1, c * 10 + 2, c * 10 + 3, c * 10 + 4, c * 10 + 5,
              c * 10 + 6, c * 10 + 7, c * 10 + 8, c * 10 + 9));
          Thread.sleep(20);
        }
        s.close();
      });
      assertTrue(e.getMessage().contains("disk full"), e.getMessage());
      assertEquals(20, s.acknowledged());
    }
  }

  @Test
  void aFailedAutomaticCheckpointFailsTheNextCallThenRecovers() throws Exception {
    Path dir = newLog();
    Path blocker = dir.resolve("tile");
    Files.writeString(blocker, "a file where the tile folder goes"); // makes writing tiles fail
    try (LedgerImpl l = (LedgerImpl) Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().autoCheckpoint(Duration.ofMillis(10)).build())) {
      assertEquals(0, l.append(TestRecords.simple(0)));
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (l.backgroundFailure() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertNotNull(l.backgroundFailure(), "the automatic checkpoint never ran");
      LedgerException e = assertThrows(LedgerException.class, () -> l.append(TestRecords.simple(1)));
      assertTrue(e.getMessage().contains("automatic checkpoint failed") && e.getMessage().contains("writing tiles failed"), e.getMessage());
      Files.delete(blocker);
      // The failure was reported once; once the fault is cleared the log works again.
      long deadline2 = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline2) {
        try {
          l.append(TestRecords.simple(1));
          break;
        } catch (LedgerException again) {
          assertTrue(again.getMessage().contains("automatic checkpoint failed"), again.getMessage());
        }
      }
      assertEquals(2, l.checkpoint().size());
      assertFalse(Files.isRegularFile(blocker));
    }
  }
}
