package dev.hallmark.provenance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.provenance.LedgerHit;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local ledger source keeps one snapshot until the log's checkpoint changes: lookups see new
 * checkpoints at once, snapshots are opened once per checkpoint, and a snapshot replaced while
 * other threads use it is closed only after them.
 */
class SnapshotReuseTest {
  static final long SEED = 20261125L;
  @TempDir Path tmp;

  static String sha(String s) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static Record record(SigningKey producer, int i) throws Exception {
    return Record.builder().kind("text").content(("document " + i).getBytes(StandardCharsets.UTF_8)).model("m")
        .build().sign(producer);
  }

  @Test
  void oneSnapshotPerCheckpointAndNewCheckpointsSeenAtOnce() throws Exception {
    System.out.println("SnapshotReuseTest seed=" + SEED);
    Random r = new Random(SEED);
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    SigningKey logKey = SigningKey.fromSeed("log", seed);
    r.nextBytes(seed);
    SigningKey producer = SigningKey.fromSeed("ops", seed);
    Path dir = tmp.resolve("log");
    NoteVerifierKey vkey = Ledgers.init(dir, "test.hallmark.dev/reuse", logKey, "log");
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    SnapshotSource.Snapshots counting = () -> {
      opened.incrementAndGet();
      LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey);
      return (LedgerSnapshot) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {LedgerSnapshot.class}, (proxy, m, args) -> {
            if (m.getName().equals("close")) {
              closed.incrementAndGet();
            }
            try {
              return m.invoke(s, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    };
    try (Ledger l = Ledgers.open(dir, logKey, LedgerOptions.DEFAULT)) {
      l.append(record(producer, 0));
      l.checkpoint();
      SnapshotSource src = new SnapshotSource("test", vkey, counting, () -> Ledgers.currentCheckpointText(dir), null);
      for (int i = 0; i < 20; i++) {
        assertEquals(1, src.bySha256(sha("document 0")).size());
        assertTrue(src.bySha256(sha("document 1")).isEmpty());
      }
      assertEquals(1, opened.get(), "40 lookups at one checkpoint open one snapshot");
      assertEquals(0, closed.get());

      l.append(record(producer, 1));
      assertTrue(src.bySha256(sha("document 1")).isEmpty(), "not yet covered by a checkpoint");
      l.checkpoint();
      List<LedgerHit> hits = src.bySha256(sha("document 1"));
      assertEquals(List.of(1L), hits.stream().map(LedgerHit::index).toList(), "a new checkpoint is seen at once");
      assertTrue(hits.get(0).receipt().checkpointNote().contains("\n2\n"), "the receipt is for the new checkpoint (size 2)");
      assertEquals(2, opened.get());
      assertEquals(1, closed.get(), "the replaced snapshot is closed");

      // Lookups from 4 threads while checkpoints keep moving: no lookup may hit a closed snapshot.
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          fs.add(pool.submit(() -> {
            for (int i = 0; i < 200; i++) {
              assertEquals(1, src.bySha256(sha("document 0")).size());
            }
            return null;
          }));
        }
        for (int c = 2; c < 12; c++) {
          l.append(record(producer, c));
          l.checkpoint();
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      assertEquals(List.of(11L), src.bySha256(sha("document 11")).stream().map(LedgerHit::index).toList());
      src.close();
      assertEquals(opened.get(), closed.get(), "every snapshot opened is closed once");
      assertEquals(1, src.bySha256(sha("document 0")).size(), "a look-up after close still answers");
      assertEquals(opened.get(), closed.get(), "and leaves no snapshot open");
    }
  }
}
