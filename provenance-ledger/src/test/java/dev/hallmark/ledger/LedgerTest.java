package dev.hallmark.ledger;

import static dev.hallmark.ledger.TestRecords.LOG_KEY;
import static dev.hallmark.ledger.TestRecords.ORIGIN;
import static dev.hallmark.ledger.TestRecords.PRODUCER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {
  @TempDir Path tmp;

  Path newLog() throws Exception {
    Path dir = tmp.resolve("log" + System.nanoTime());
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    return dir;
  }

  NoteVerifierKey vkey() {
    return LOG_KEY.verifierKey(ORIGIN);
  }

  @Test
  void appendCheckpointProveAndReceipt() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      for (int i = 0; i < 300; i++) {
        assertEquals(i, l.append(TestRecords.simple(i)));
      }
      SignedCheckpoint cp = l.checkpoint();
      assertEquals(300, cp.size());
      try (LedgerSnapshot s = l.snapshot()) {
        assertEquals(TestRecords.simple(7), s.get(7));
        Receipt r = s.receipt(299);
        Receipt back = Receipt.parse(r.encode());
        assertEquals(TestRecords.simple(299), back.verify(vkey()));
        assertEquals(ORIGIN, back.origin());
        assertTrue(r.encode().startsWith("c2sp.org/tlog-proof@v1\nextra "));
        byte[] root = cp.rootHash();
        for (long i : new long[] {0, 1, 255, 256, 299}) {
          s.inclusionProof(i).verify(Merkle.leafHash(s.entry(i)), root);
        }
        assertEquals(List.of(5L), s.findBySha256(TestRecords.sha("content-5")).stream().map(Match::index).toList());
        assertEquals(300, s.find(RecordQuery.byModel("demo-model"), 1000).size());
        assertEquals(10, s.find(new RecordQuery(null, null, null, null, Instant.ofEpochSecond(1_800_000_000L + 10),
            Instant.ofEpochSecond(1_800_000_000L + 20)), 1000).size());
      }
    }
    VerifyReport rep = Ledgers.verify(dir, vkey(), null, null);
    assertEquals(300, rep.entries());
    assertEquals(Set.of(PRODUCER.verifierKey("producer").keyIdHex()), rep.producerKeyIds());
  }

  @Test
  void receiptTamperingIsDetected() throws Exception {
    Path dir = newLog();
    String receipt;
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      l.appendAll(List.of(TestRecords.simple(1), TestRecords.simple(2), TestRecords.simple(3)));
      l.checkpoint();
      try (LedgerSnapshot s = l.snapshot()) {
        receipt = s.receipt(1).encode();
      }
    }
    Receipt.parse(receipt).verify(vkey());
    String[] lines = receipt.split("\n", -1);
    lines[3] = lines[3].charAt(0) == 'A' ? "B" + lines[3].substring(1) : "A" + lines[3].substring(1);
    Receipt bad = Receipt.parse(String.join("\n", lines));
    assertThrows(VerificationException.class, () -> bad.verify(vkey()));
    Receipt otherEntry = Receipt.parse(receipt.replace("index 1", "index 2"));
    assertThrows(VerificationException.class, () -> otherEntry.verify(vkey()));
    NoteVerifierKey wrong = PRODUCER.verifierKey(ORIGIN);
    assertThrows(VerificationException.class, () -> Receipt.parse(receipt).verify(wrong));
  }

  @Test
  void seventyThousandEntriesGiveExactlyTheSpecTileSet() throws Exception {
    Path dir = newLog();
    LedgerOptions opts = LedgerOptions.builder().verifySignatures(false).build();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, opts)) {
      List<Record> batch = new ArrayList<>();
      for (int i = 0; i < 70000; i++) {
        batch.add(TestRecords.simple(i));
        if (batch.size() == 1000) {
          l.appendAll(batch);
          batch.clear();
        }
      }
      assertEquals(70000, l.checkpoint().size());
    }
    Set<String> want = new java.util.TreeSet<>();
    for (int t = 0; t < 273; t++) {
      want.add("tile/0/" + String.format("%03d", t));
      want.add("tile/entries/" + String.format("%03d", t));
    }
    want.addAll(List.of("tile/0/273.p/112", "tile/entries/273.p/112", "tile/1/000", "tile/1/001.p/17", "tile/2/000.p/1"));
    Set<String> got = new java.util.TreeSet<>();
    try (var s = Files.walk(dir.resolve("tile"))) {
      s.filter(Files::isRegularFile).forEach(p -> got.add(dir.relativize(p).toString().replace('\\', '/')));
    }
    assertEquals(want, got);
    assertEquals(8192, Files.size(dir.resolve("tile/1/000")));
    assertEquals(17 * 32, Files.size(dir.resolve("tile/1/001.p/17")));
    VerifyReport r = Ledgers.verify(dir, vkey(), null, null);
    assertEquals(70000, r.entries());
  }

  @Test
  void partialTilesOfEarlierCheckpointsStayUntilTheFullTileExists() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      for (int i = 0; i < 10; i++) {
        l.append(TestRecords.simple(i));
      }
      l.checkpoint();
      for (int i = 10; i < 20; i++) {
        l.append(TestRecords.simple(i));
      }
      l.checkpoint();
      assertTrue(Files.exists(dir.resolve("tile/0/000.p/10")));
      assertTrue(Files.exists(dir.resolve("tile/entries/000.p/20")));
      List<Record> more = new ArrayList<>();
      for (int i = 20; i < 260; i++) {
        more.add(TestRecords.simple(i));
      }
      l.appendAll(more);
      l.checkpoint();
      assertTrue(Files.exists(dir.resolve("tile/0/000")));
      assertTrue(Files.notExists(dir.resolve("tile/0/000.p")));
      assertTrue(Files.exists(dir.resolve("tile/0/001.p/4")));
      assertTrue(Files.exists(dir.resolve("tile/1/000.p/1")));
    }
    Ledgers.verify(dir, vkey(), null, null);
  }

  @Test
  void secondWriterGetsAClearError() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      LedgerException e = assertThrows(LedgerException.class, () -> Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT));
      assertTrue(e.getMessage().contains("already open for writing"), e.getMessage());
    }
    Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT).close();
  }

  @Test
  void concurrentAppendersGetDistinctIndicesAndEverythingVerifies() throws Exception {
    Path dir = newLog();
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().autoCheckpoint(java.time.Duration.ofMillis(20)).build())) {
      ExecutorService ex = Executors.newFixedThreadPool(8);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int th = t;
        fs.add(ex.submit(() -> {
          for (int i = 0; i < 100; i++) {
            long idx = l.append(TestRecords.simple(th * 1000 + i));
            assertTrue(seen.add(idx));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
      ex.shutdown();
      l.checkpoint();
      try (LedgerSnapshot s = l.snapshot()) {
        assertEquals(800, s.size());
        for (long i = 0; i < 800; i++) {
          assertEquals(1, s.findBySha256(s.get(i).contentSha256()).size());
        }
      }
    }
    assertEquals(800, seen.size());
    Ledgers.verify(dir, vkey(), null, null);
  }

  @Test
  void snapshotIsFixedWhileWriterAppendsAndReadOnlySnapshotsWork() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      l.appendAll(List.of(TestRecords.simple(0), TestRecords.simple(1)));
      l.checkpoint();
      try (LedgerSnapshot s = l.snapshot()) {
        l.append(TestRecords.simple(2));
        l.checkpoint();
        assertEquals(2, s.size());
        assertTrue(s.findBySha256(TestRecords.sha("content-2")).isEmpty());
        try (LedgerSnapshot ro = Ledgers.openSnapshot(dir, vkey())) {
          assertEquals(3, ro.size());
          assertEquals(1, ro.findBySha256(TestRecords.sha("content-2")).size());
          ro.consistencyProof(2).verify(s.rootHash(2), ro.checkpoint().rootHash());
        }
      }
    }
  }

  @Test
  void nearDuplicateLookups() throws Exception {
    long seed = 42;
    System.out.println("nearDuplicateLookups seed=" + seed);
    Random rnd = new Random(seed);
    Path dir = newLog();
    int[] base = TestRecords.randomMinHash(rnd);
    byte[] img = new byte[32];
    rnd.nextBytes(img);
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      List<Record> rs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int[] mh = TestRecords.randomMinHash(rnd);
        byte[] ih = new byte[32];
        rnd.nextBytes(ih);
        if (i == 50) {
          mh = base.clone();
          for (int k = 0; k < 32; k++) {
            mh[k] ^= 1;
          }
        }
        if (i == 60) {
          ih = img.clone();
          for (int bit = 0; bit < 31; bit++) {
            int pos = bit * 8 + (bit % 8);
            ih[pos / 8] ^= (byte) (1 << (pos % 8));
          }
        }
        if (i == 61) {
          ih = img.clone();
          ih[0] ^= 3;
        }
        rs.add(Record.builder().kind(i % 2 == 0 ? "text" : "image").contentSha256(TestRecords.sha("x" + i))
            .textMinHash(mh).imageHash(Hex.encode(ih)).watermark(TestRecords.watermark("wk" + (i % 3))).build().sign(PRODUCER));
      }
      l.appendAll(rs);
      l.checkpoint();
      try (LedgerSnapshot s = l.snapshot()) {
        List<Match> t = s.findText(base, 0.7, 10);
        assertEquals(1, t.size());
        assertEquals(50, t.get(0).index());
        assertEquals(0.75, t.get(0).similarity(), 1e-9);
        assertTrue(s.findText(base, 0.8, 10).isEmpty());
        List<Match> im = s.findImage(Hex.encode(img), 31, 10);
        assertEquals(List.of(61L, 60L), im.stream().map(Match::index).toList());
        assertEquals(2, im.get(0).distance());
        assertEquals(31, im.get(1).distance());
        assertEquals(List.of(61L), s.findImage(Hex.encode(img), 30, 10).stream().map(Match::index).toList());
        assertEquals(67, s.find(new RecordQuery(null, null, "wk0", null, null, null), 1000).size());
      }
    }
  }

  /**
   * Image lookups (index format 5: chunk keys in the band table) find every record within the
   * distance and none beyond it, for every distance 0..31, with the differing bits spread over the
   * chunks as evenly as possible (the pigeonhole worst case: at 16..31 bits some chunk differs in
   * one bit, so only its one-bit neighbours find it), from the writer's snapshot and, after reopening,
   * from the committed run files of a read-only one.
   */
  @Test
  void imageLookupsHaveExactRecallUpToDistance31() throws Exception {
    long seed = 20261205;
    System.out.println("imageLookupsHaveExactRecallUpToDistance31 seed=" + seed);
    Random rnd = new Random(seed);
    Path dir = newLog();
    byte[] q = new byte[32];
    rnd.nextBytes(q);
    int[] chunkOrder = new int[16];
    for (int c = 0; c < 16; c++) {
      chunkOrder[c] = c;
    }
    List<Record> rs = new ArrayList<>();
    for (int d = 0; d <= 40; d++) {
      byte[] h = q.clone();
      // the k-th differing bit goes to chunk order[k % 16] (a random order of the chunks per record)
      for (int c = 15; c > 0; c--) {
        int j = rnd.nextInt(c + 1);
        int t = chunkOrder[c];
        chunkOrder[c] = chunkOrder[j];
        chunkOrder[j] = t;
      }
      for (int k = 0; k < d; k++) {
        // a random bit of the chunk, different from the ones it already differs in (k / 16 of them)
        int chunk = chunkOrder[k % 16];
        int pos;
        do {
          pos = 16 * chunk + rnd.nextInt(16);
        } while (((h[pos / 8] ^ q[pos / 8]) & (0x80 >>> (pos % 8))) != 0);
        h[pos / 8] ^= (byte) (0x80 >>> (pos % 8));
      }
      assertEquals(d, MatchRules.hammingDistance(q, h));
      rs.add(Record.builder().kind("image").contentSha256(TestRecords.sha("img" + d)).imageHash(Hex.encode(h))
          .build().sign(PRODUCER));
    }
    // Distance 16, one bit in every chunk, the same bit b of each: found only through that bit's
    // neighbour keys, so each of the 16 neighbours of a chunk is needed by one of these.
    for (int b = 0; b < 16; b++) {
      byte[] h = q.clone();
      for (int c = 0; c < 16; c++) {
        int pos = 16 * c + b;
        h[pos / 8] ^= (byte) (0x80 >>> (pos % 8));
      }
      rs.add(Record.builder().kind("image").contentSha256(TestRecords.sha("bit" + b)).imageHash(Hex.encode(h))
          .build().sign(PRODUCER));
    }
    for (int i = 0; i < 100; i++) {
      byte[] h = new byte[32];
      rnd.nextBytes(h);
      rs.add(Record.builder().kind("image").contentSha256(TestRecords.sha("other" + i)).imageHash(Hex.encode(h))
          .build().sign(PRODUCER));
    }
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      l.appendAll(rs);
      l.checkpoint();
      try (LedgerSnapshot s = l.snapshot()) {
        checkImageRecall(s, q, rs);
      }
    }
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
      checkImageRecall(s, q, rs);
    }
  }

  private static void checkImageRecall(LedgerSnapshot s, byte[] q, List<Record> rs) throws LedgerException {
    for (int max = 0; max <= 31; max++) {
      Set<Long> expected = new java.util.TreeSet<>();
      for (int i = 0; i < rs.size(); i++) {
        if (MatchRules.hammingDistance(q, Hex.decode(rs.get(i).imageHash().get())) <= max) {
          expected.add((long) i);
        }
      }
      List<Match> found = s.findImage(Hex.encode(q), max, 1000);
      assertEquals(expected, new java.util.TreeSet<>(found.stream().map(Match::index).toList()), "at distance " + max);
      assertEquals(expected.size(), found.size());
      for (Match m : found) {
        assertEquals(MatchRules.hammingDistance(q, Hex.decode(m.record().imageHash().get())), m.distance());
      }
    }
  }

  @Test
  void oversizedAndUnsignedRecordsAreRejected() throws Exception {
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      Record unsigned = Record.builder().kind("text").contentSha256(TestRecords.sha("u")).build();
      assertTrue(assertThrows(LedgerException.class, () -> l.append(unsigned)).getMessage().contains("unsigned"));
      var attrs = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("blob", "a".repeat(70000));
      Record big = Record.builder().kind("text").contentSha256(TestRecords.sha("b")).attributes(attrs).build().sign(PRODUCER);
      assertTrue(assertThrows(LedgerException.class, () -> l.append(big)).getMessage().contains("65535"));
      byte[] sig = new byte[64];
      Record forged = unsigned.toBuilder().producer(PRODUCER.verifierKey("producer").encode()).signature(sig).build();
      assertThrows(LedgerException.class, () -> l.append(forged));
      assertEquals(0, l.durableSize());
    }
  }

  @Test
  void oneForgedSignatureInABatchRejectsTheCallAndNamesTheRecord() throws Exception {
    // 64 records take the batch path (chunks of 16 or more, one per core); record 37's signature is
    // another record's, so it is well formed and only the combined check can catch it.
    Path dir = newLog();
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      List<Record> rs = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        rs.add(TestRecords.simple(i));
      }
      byte[] other = rs.get(36).toJson(true).get("signature").binaryValue();
      rs.set(37, rs.get(37).toBuilder().signature(other).build());
      LedgerException e = assertThrows(LedgerException.class, () -> l.appendAll(rs));
      assertTrue(e.getMessage().contains(rs.get(37).contentSha256()) && e.getMessage().contains("does not verify"), e.getMessage());
      assertEquals(0, l.durableSize());
      rs.set(37, TestRecords.simple(37));
      assertEquals(64, l.appendAll(rs).length);
    }
  }

  @Test
  void concurrentSingleRecordAppendsShareSignatureChecksAndOnlyTheForgedCallFails() throws Exception {
    // Single-record calls leave their signature check to the group commit's writer, who checks the
    // group as one batch: a forged record among them must fail its own call and no other.
    Path dir = newLog();
    int threads = 8;
    int perThread = 40;
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<java.util.concurrent.Future<String>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          final int tt = t;
          results.add(pool.submit(() -> {
            StringBuilder failures = new StringBuilder();
            for (int i = 0; i < perThread; i++) {
              int id = tt * perThread + i;
              Record r = TestRecords.simple(id);
              if (id % 97 == 13) {
                byte[] other = TestRecords.simple(id + 100_000).toJson(true).get("signature").binaryValue();
                r = r.toBuilder().signature(other).build();
              }
              try {
                l.append(r);
              } catch (LedgerException e) {
                failures.append(id).append(':').append(e.getMessage()).append('\n');
              }
            }
            return failures.toString();
          }));
        }
        StringBuilder all = new StringBuilder();
        for (var f : results) {
          all.append(f.get());
        }
        String[] lines = all.toString().strip().split("\n");
        // ids 13, 110, 207 and 304 are forged (id % 97 == 13 below 320)
        assertEquals(4, lines.length, all.toString());
        for (String line : lines) {
          int id = Integer.parseInt(line.substring(0, line.indexOf(':')));
          assertEquals(13, id % 97, line);
          assertTrue(line.contains(TestRecords.simple(id).contentSha256()) && line.contains("does not verify"), line);
        }
        assertEquals((long) threads * perThread - 4, l.durableSize());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void reopenKeepsEverythingAndRecoversUncheckpointedEntries() throws Exception {
    Path dir = newLog();
    Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.DEFAULT);
    l.appendAll(List.of(TestRecords.simple(0), TestRecords.simple(1)));
    l.checkpoint();
    l.append(TestRecords.simple(2));
    // Simulate a crash: drop the instance without close (release the lock by reopening in a child JVM is
    // covered by CrashTest); here we only check that the WAL holds entry 2 before any checkpoint.
    assertEquals(2, Ledgers.openSnapshot(dir, vkey()).size());
    l.close();
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey())) {
      assertEquals(3, s.size());
      assertArrayEquals(TestRecords.simple(2).entryBytes(), s.entry(2));
    }
    assertEquals(StandardCharsets.UTF_8.name(), "UTF-8");
  }
}
