package dev.hallmark.ledger;

import static dev.hallmark.ledger.TestRecords.LOG_KEY;
import static dev.hallmark.ledger.TestRecords.ORIGIN;
import static dev.hallmark.ledger.TestRecords.PRODUCER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.internal.SnapshotImpl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup paths of format-4 indexes: exact SHA-256, MinHash LSH and watermark payload lookups,
 * hits and misses, the snapshot-size cut-off, both before and after a snapshot builds its in-memory
 * key filter, and the "reindex" error for an index of another format.
 */
class LookupIndexTest {
  @TempDir Path tmp;

  static final long SEED = 20261125L;

  Path newLog() throws Exception {
    Path dir = tmp.resolve("log" + System.nanoTime());
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    return dir;
  }

  static NoteVerifierKey vkey() {
    return LOG_KEY.verifierKey(ORIGIN);
  }

  static String payload(int i) {
    return String.format("%016x", 0x1234_5678_0000_0000L + i);
  }

  static ObjectNode watermark(String keyId, String payload) {
    ObjectNode w = TestRecords.watermark(keyId);
    w.put("payload", payload);
    return w;
  }

  /** Record {@code i}: content "doc-i", its own random MinHash, key "wk-same" (or "wk-other" for every 7th) and payload(i). */
  static Record record(int i, int[] mh) {
    return Record.builder().kind("image").contentSha256(TestRecords.sha("doc-" + i)).textMinHash(mh)
        .watermark(watermark(i % 7 == 0 ? "wk-other" : "wk-same", payload(i))).build().sign(PRODUCER);
  }

  /** Does 1,000 missing lookups so the snapshot builds its key filter. */
  static void warmFilter(LedgerSnapshot s, Random r) throws LedgerException {
    long after = ((SnapshotImpl) s).filterAfterLookups();
    assertEquals(1000, after, "small snapshots build the filter after 1,000 lookups");
    for (long i = 0; i < after; i++) {
      byte[] h = new byte[32];
      r.nextBytes(h);
      assertTrue(s.findBySha256(Hex.encode(h)).isEmpty());
    }
    assertTrue(((SnapshotImpl) s).filterBytes() > 0, "the key filter is built after " + after + " lookups");
  }

  /**
   * A log just initialised has no index on disk and no entries: look-ups find nothing. They threw a
   * NullPointerException from Lucene (verify and ledger lookup exited 4, "internal error").
   */
  @Test
  void anEmptyLogAnswersLookupsWithNothing() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      l.checkpoint();
    }
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
      assertEquals(0, s.size());
      assertTrue(s.findBySha256(TestRecords.sha("anything")).isEmpty());
      assertTrue(s.findText(TestRecords.randomMinHash(new Random(SEED)), 0.5, 3).isEmpty());
      assertTrue(s.findImage("00".repeat(32), 31, 3).isEmpty());
      assertTrue(s.find(RecordQuery.byWatermarkPayload("wk", payload(1)), 3).isEmpty());
    }
  }

  @Test
  void exactTextAndPayloadLookupsSeeOnlyTheirCheckpoint() throws Exception {
    System.out.println("LookupIndexTest seed=" + SEED);
    Random rnd = new Random(SEED);
    Path dir = newLog();
    int n = 600;
    int[][] mhs = new int[n + 20][];
    for (int i = 0; i < mhs.length; i++) {
      mhs[i] = TestRecords.randomMinHash(rnd);
    }
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      List<Record> rs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        rs.add(record(i, mhs[i]));
      }
      // Two records with the same content: both are found, oldest first.
      rs.add(Record.builder().kind("text").contentSha256(TestRecords.sha("doc-5")).model("dup").build().sign(PRODUCER));
      // 300 and 301 split across checkpoints: 301 onwards are appended after the first snapshot.
      l.appendAll(rs.subList(0, 301));
      l.checkpoint();
      try (LedgerSnapshot small = l.snapshot()) {
        l.appendAll(rs.subList(301, rs.size()));
        // A later record under the same key with the payload of record 10: seen only by later snapshots.
        l.append(Record.builder().kind("image").contentSha256(TestRecords.sha("late")).watermark(watermark("wk-same", payload(10)))
            .build().sign(PRODUCER));
        l.checkpoint();
        try (LedgerSnapshot big = l.snapshot(); LedgerSnapshot ro = Ledgers.openSnapshot(dir, vkey())) {
          assertEquals(301, small.size());
          assertEquals(n + 2, big.size());
          assertEquals(n + 2, ro.size());
          for (int phase = 0; phase < 2; phase++) {
            String when = phase == 0 ? "before the key filter" : "with the key filter";
            checkSnapshot(small, mhs, rnd, when);
            checkSnapshot(big, mhs, rnd, when);
            checkSnapshot(ro, mhs, rnd, when);
            if (phase == 0) {
              warmFilter(small, rnd);
              warmFilter(big, rnd);
              warmFilter(ro, rnd);
            }
          }
        }
      }
    }
  }

  /** Lookups whose answers depend only on {@code s.size()}. */
  static void checkSnapshot(LedgerSnapshot s, int[][] mhs, Random rnd, String when) throws Exception {
    long size = s.size();
    String ctx = when + ", snapshot of " + size;
    // Exact hash: hits for every logged record, both copies of doc-5, misses beyond the snapshot.
    for (int i : new int[] {0, 1, 7, 299, 300, 301, 450, 599}) {
      List<Match> m = s.findBySha256(TestRecords.sha("doc-" + i));
      if (i < size) {
        assertEquals(List.of((long) i), m.stream().map(Match::index).toList(), ctx + ", doc-" + i);
      } else {
        assertTrue(m.isEmpty(), ctx + ": doc-" + i + " is beyond the snapshot");
      }
    }
    List<Long> five = s.findBySha256(TestRecords.sha("doc-5").toUpperCase()).stream().map(Match::index).toList();
    assertEquals(size > 600 ? List.of(5L, 600L) : List.of(5L), five, ctx);
    assertTrue(s.findBySha256(TestRecords.sha("never logged")).isEmpty(), ctx);
    assertThrows(LedgerException.class, () -> s.findBySha256("abc"));

    // Text: a copy with 20 of 128 values changed (Jaccard 0.84) is found; fresh signatures are not.
    for (int i : new int[] {3, 299, 300, 301, 598}) {
      int[] q = mhs[i].clone();
      for (int k = 0; k < 20; k++) {
        q[k * 6] ^= 0x40;
      }
      List<Match> m = s.findText(q, 0.8, 5);
      if (i < size) {
        assertEquals(List.of((long) i), m.stream().map(Match::index).toList(), ctx + ", text " + i);
        assertEquals(108 / 128.0, m.get(0).similarity(), 1e-9);
      } else {
        assertTrue(m.isEmpty(), ctx + ": text " + i + " is beyond the snapshot");
      }
    }
    for (int i = 0; i < 20; i++) {
      assertTrue(s.findText(TestRecords.randomMinHash(rnd), 0.3, 5).isEmpty(), ctx);
    }
    assertTrue(s.findText(mhs[610], 0.1, 5).isEmpty(), ctx + ": an unlogged signature");

    // Watermark payload: exactly the record among the key's hundreds, only within the snapshot.
    for (int i : new int[] {1, 2, 299, 300, 302, 597}) {
      List<Match> m = s.find(RecordQuery.byWatermarkPayload("wk-same", payload(i)), 5);
      if (i < size) {
        assertEquals(List.of((long) i), m.stream().map(Match::index).toList(), ctx + ", payload " + i);
        assertEquals(payload(i), m.get(0).record().watermarkPayload().orElseThrow());
      } else {
        assertTrue(m.isEmpty(), ctx + ": payload " + i + " is beyond the snapshot");
      }
    }
    // Record 7 is under another key: its payload is not found under wk-same, and is under wk-other.
    assertTrue(s.find(RecordQuery.byWatermarkPayload("wk-same", payload(7)), 5).isEmpty(), ctx);
    assertEquals(List.of(7L), s.find(RecordQuery.byWatermarkPayload("wk-other", payload(7)), 5).stream().map(Match::index).toList());
    // Payload 10 is reused by the late record: both under wk-same once it is in the snapshot.
    List<Long> ten = s.find(RecordQuery.byWatermarkPayload("wk-same", payload(10)), 5).stream().map(Match::index).toList();
    assertEquals(size > 601 ? List.of(10L, 601L) : List.of(10L), ten, ctx);
    assertEquals(List.of(10L), s.find(RecordQuery.byWatermarkPayload("wk-same", payload(10)), 1).stream().map(Match::index).toList());
    assertTrue(s.find(RecordQuery.byWatermarkPayload("wk-same", payload(9999)), 5).isEmpty(), ctx);
    assertTrue(s.find(RecordQuery.byWatermarkPayload(null, payload(4)), 5).size() == 1, ctx);
  }

  @Test
  void concurrentLookupsAcrossTheFilterBuildGiveTheSameAnswers() throws Exception {
    Random rnd = new Random(SEED + 2);
    Path dir = newLog();
    int n = 300;
    int[][] mhs = new int[n][];
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      List<Record> rs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        mhs[i] = TestRecords.randomMinHash(rnd);
        rs.add(record(i, mhs[i]));
      }
      l.appendAll(rs);
      l.checkpoint();
    }
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        List<java.util.concurrent.Future<Integer>> fs = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          long threadSeed = SEED + 10 + t;
          fs.add(pool.submit(() -> {
            Random r = new Random(threadSeed);
            int checked = 0;
            // 3 threads x 800 iterations x 2 lookups: the filter is built midway, by one of them.
            for (int k = 0; k < 800; k++) {
              int i = r.nextInt(n);
              assertEquals(List.of((long) i), s.findBySha256(TestRecords.sha("doc-" + i)).stream().map(Match::index).toList());
              List<Match> m = s.findText(mhs[i], 0.9, 3);
              assertEquals(List.of((long) i), m.stream().map(Match::index).toList());
              byte[] h = new byte[32];
              r.nextBytes(h);
              assertTrue(s.findBySha256(Hex.encode(h)).isEmpty());
              checked++;
            }
            return checked;
          }));
        }
        for (var f : fs) {
          assertEquals(800, f.get());
        }
      } finally {
        pool.shutdownNow();
      }
      assertTrue(((SnapshotImpl) s).filterBytes() > 0);
    }
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var files = java.nio.file.Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path q = to.resolve(from.relativize(p).toString());
        if (java.nio.file.Files.isDirectory(p)) {
          java.nio.file.Files.createDirectories(q);
        } else {
          java.nio.file.Files.copy(p, q, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path p) throws Exception {
    try (var files = java.nio.file.Files.walk(p)) {
      for (Path q : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        java.nio.file.Files.delete(q);
      }
    }
  }

  @Test
  void readOnlySnapshotFindsEntriesTheOnDiskIndexLacks() throws Exception {
    // As after a crash between the checkpoint and the index commit: the index covers 200 entries,
    // the checkpoint 320; a read-only snapshot indexes the other 120 in memory and finds them all,
    // before and after its key filter.
    Random rnd = new Random(SEED + 3);
    Path dir = newLog();
    int[][] mhs = new int[320][];
    for (int i = 0; i < mhs.length; i++) {
      mhs[i] = TestRecords.randomMinHash(rnd);
    }
    Path index = dir.resolve(".hallmark-ledger/index");
    Path saved = tmp.resolve("index-at-200-" + System.nanoTime());
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      List<Record> rs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        rs.add(record(i, mhs[i]));
      }
      l.appendAll(rs);
      l.checkpoint();
      copyTree(index, saved);
      rs.clear();
      for (int i = 200; i < 320; i++) {
        rs.add(record(i, mhs[i]));
      }
      l.appendAll(rs);
      l.checkpoint();
    }
    deleteTree(index);
    copyTree(saved, index);
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
      assertEquals(320, s.size());
      for (int phase = 0; phase < 2; phase++) {
        for (int i : new int[] {0, 199, 200, 250, 319}) {
          assertEquals(List.of((long) i), s.findBySha256(TestRecords.sha("doc-" + i)).stream().map(Match::index).toList(), "sha " + i);
          assertEquals(List.of((long) i), s.findText(mhs[i], 0.9, 3).stream().map(Match::index).toList(), "text " + i);
          assertEquals(List.of((long) i), s.find(RecordQuery.byWatermarkPayload(i % 7 == 0 ? "wk-other" : "wk-same", payload(i)), 3)
              .stream().map(Match::index).toList(), "payload " + i);
        }
        if (phase == 0) {
          warmFilter(s, rnd);
        }
      }
    }
  }

  @Test
  void readOnlySnapshotsOpenedWhileTheWriterCommitsSeeEveryCheckpointedEntry() throws Exception {
    // A read-only snapshot takes its index from one commit and indexes the rest of its checkpoint in
    // memory; if it took the covered size from a later commit than the one it reads, the entries in
    // between would be silently missing from its look-ups.
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 150; i++) {
            l.append(TestRecords.simple(i));
            l.checkpoint();
          }
        } catch (LedgerException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      int checked = 0;
      while (writer.isAlive() || checked == 0) {
        try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
          long n = s.size();
          if (n > 0) {
            assertEquals(List.of(n - 1), s.findBySha256(TestRecords.sha("content-" + (n - 1))).stream().map(Match::index).toList(),
                "the last entry of a snapshot of size " + n);
            checked++;
          }
        }
      }
      writer.join();
      System.out.println("read-only snapshots checked while the writer committed: " + checked);
    }
  }

  /** Rewrites the index commit's format marker, as an older or newer build would have left it. */
  static void setIndexFormat(Path logDir, String format) throws Exception {
    try (Directory d = FSDirectory.open(logDir.resolve(".hallmark-ledger/index"));
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      Map<String, String> u = new HashMap<>();
      w.getLiveCommitData().forEach(e -> u.put(e.getKey(), e.getValue()));
      u.put("format", format);
      w.setLiveCommitData(u.entrySet());
      w.commit();
    }
  }

  @Test
  void anIndexOfAnotherFormatIsRefusedWithAReindexMessage() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      l.appendAll(List.of(TestRecords.simple(0), TestRecords.simple(1)));
      l.checkpoint();
    }
    setIndexFormat(dir, "2");
    LedgerException ro = assertThrows(LedgerException.class, () -> Ledgers.openSnapshot(dir, vkey()));
    assertTrue(ro.getMessage().contains("format 2, older than this build's format 5"), ro.getMessage());
    assertTrue(ro.getMessage().contains("hallmark ledger reindex --dir " + dir), ro.getMessage());
    LedgerException w = assertThrows(LedgerException.class, () -> Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT));
    assertTrue(w.getMessage().contains("ledger reindex"), w.getMessage());
    // The writer lock was released: reindex can run, and afterwards lookups work again.
    assertEquals(2, Ledgers.reindex(dir, LOG_KEY));
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
      assertEquals(List.of(1L), s.findBySha256(TestRecords.sha("content-1")).stream().map(Match::index).toList());
    }
    // Without the signing key (a data engineer's copy of the log): rebuilt up to the checkpoint.
    setIndexFormat(dir, "2");
    assertThrows(LedgerException.class, () -> Ledgers.openSnapshot(dir, vkey()));
    assertEquals(2, Ledgers.reindex(dir, vkey()));
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
      assertEquals(List.of(0L), s.findBySha256(TestRecords.sha("content-0")).stream().map(Match::index).toList());
    }
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      LedgerException busy = assertThrows(LedgerException.class, () -> Ledgers.reindex(dir, vkey()));
      assertTrue(busy.getMessage().contains("open for writing"), busy.getMessage());
      l.append(TestRecords.simple(2));
      l.checkpoint();
    }
    assertEquals(3, Ledgers.reindex(dir, vkey()));
    setIndexFormat(dir, "9");
    LedgerException newer = assertThrows(LedgerException.class, () -> Ledgers.openSnapshot(dir, vkey()));
    assertTrue(newer.getMessage().contains("newer than this build's format 5; upgrade Hallmark"), newer.getMessage());
  }

  /** A long reindex reports progress (every 4,096 entries) for the command's stderr line. */
  @Test
  void reindexReportsProgress() throws Exception {
    Path dir = newLog();
    List<Record> rs = new java.util.ArrayList<>();
    for (long i = 0; i < 4100; i++) {
      rs.add(TestRecords.simple(i));
    }
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      l.appendAll(rs);
      l.checkpoint();
    }
    List<Long> seen = new java.util.ArrayList<>();
    assertEquals(4100, Ledgers.reindex(dir, vkey(), seen::add));
    assertEquals(List.of(4096L), seen);
  }
}
