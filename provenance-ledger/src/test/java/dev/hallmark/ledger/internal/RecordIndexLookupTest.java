package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact-hash term lookup over several segments and the text lookup through the band table (in
 * memory, in run files, merged runs, after reopening and read-only) agree with a brute-force scan
 * (including the entry-index cut-off), and the key filter has no false negatives and few false positives.
 */
class RecordIndexLookupTest {
  static final long SEED = 7_2026_1125L;

  static String sha(int i) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(("r" + i).getBytes()));
  }

  /** The 32 band keys of each signature, as a set per band position. */
  static boolean shareBand(int[] a, int[] b) {
    long[] x = RecordIndex.bandKeys(a);
    long[] y = RecordIndex.bandKeys(b);
    for (int k = 0; k < RecordIndex.BANDS; k++) {
      if (x[k] == y[k]) {
        return true;
      }
    }
    return false;
  }

  /** The band keys of docs/spec/ledger.md section 6 (computed there independently of this code). */
  @Test
  void bandKeysAreTheSpecVectors() {
    int[] mh = new int[Record.MINHASH_LENGTH];
    for (int i = 0; i < mh.length; i++) {
      mh[i] = i;
    }
    long[] k = RecordIndex.bandKeys(mh);
    assertEquals(0x45f604c3fa7491ceL, k[0]);
    assertEquals(0xc1ff3a70556071c1L, k[1]);
    assertEquals(0x0f11c3d3185f4ccaL, k[31]);
    for (int i = 0; i < mh.length; i++) {
      mh[i] = -1 - i * 0x01000193; // rows taken as unsigned 32-bit values
    }
    k = RecordIndex.bandKeys(mh);
    assertEquals(0xbc82991ba60ca3f4L, k[0]);
    assertEquals(0x60521a0b7eed4b4aL, k[31]);
  }

  @Test
  void lookupsMatchBruteForceInMemory() throws Exception {
    try (RecordIndex ix = RecordIndex.inMemory()) {
      lookupsMatchBruteForce(ix, null);
    }
  }

  /** On disk: many commits, so several run files, merged ones among them, and the same answers after reopening. */
  @Test
  void lookupsMatchBruteForceOnDiskAcrossRunFilesAndReopening(@TempDir Path tmp) throws Exception {
    Path path = tmp.resolve("index");
    int[][] mhs;
    try (RecordIndex ix = RecordIndex.openWriter(path)) {
      mhs = lookupsMatchBruteForce(ix, path);
    }
    long files;
    try (var l = Files.list(path)) {
      files = l.filter(f -> f.getFileName().toString().startsWith("bands-")).count();
    }
    // 21 commits of up to 150 records (4,800 band pairs each): without merges, 21 run files.
    assertTrue(files >= 2 && files < BandTable.MERGE_FACTOR * 2, "run files after 21 commits, merged: " + files);
    try (RecordIndex ix = RecordIndex.openWriter(path)) {
      try (IndexReader r = DirectoryReader.open(ix.directory()); BandTable.View v = ix.bandsNow()) {
        check(r, v, mhs, new Random(SEED + 7), "reopened writer");
      }
    }
    RecordIndex.ReadOnly ro = RecordIndex.readOnly(path);
    try (IndexReader r = ro.reader(); BandTable.View v = ro.bands()) {
      check(r, v, mhs, new Random(SEED + 8), "read-only");
    }
  }

  private int[][] lookupsMatchBruteForce(RecordIndex ix, Path path) throws Exception {
    System.out.println("RecordIndexLookupTest seed=" + SEED);
    Random rnd = new Random(SEED);
    int n = 3000;
    int[][] mhs = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] mh = new int[Record.MINHASH_LENGTH];
      for (int k = 0; k < mh.length; k++) {
        // Few distinct values so that many records share some band.
        mh[k] = rnd.nextInt(6);
      }
      mhs[i] = mh;
      ix.add(i, Record.builder().kind("text").contentSha256(sha(i % 2500)).textMinHash(mh).build());
      if (i % 150 == 149) {
        ix.commit(i + 1);
      }
      if (i == 1234) {
        // Refreshed but uncommitted entries are looked up too.
        try (BandTable.View v = ix.bandsNow()) {
          assertEquals(1235L * RecordIndex.BANDS, v.size());
        }
      }
    }
    ix.commit(n);
    try (IndexReader r = DirectoryReader.open(ix.directory()); BandTable.View v = ix.bandsNow()) {
      assertTrue(r.leaves().size() > 1, "several segments: " + r.leaves().size());
      check(r, v, mhs, rnd, path == null ? "memory" : "disk");
    }
    return mhs;
  }

  private void check(IndexReader r, BandTable.View v, int[][] mhs, Random rnd, String what) throws Exception {
    int n = mhs.length;
    assertEquals((long) n * RecordIndex.BANDS, v.size(), what);
    for (long size : new long[] {1, 149, 150, 2501, n}) {
      for (int q = 0; q < 40; q++) {
        int[] query = mhs[rnd.nextInt(n)].clone();
        for (int k = 0; k < 60; k++) {
          query[rnd.nextInt(query.length)] = rnd.nextInt(6);
        }
        Set<Long> expect = new TreeSet<>();
        for (int i = 0; i < size; i++) {
          if (shareBand(query, mhs[i]) && dev.hallmark.ledger.MatchRules.minHashSimilarity(query, mhs[i]) >= 0.3) {
            expect.add((long) i);
          }
        }
        long[] keys = RecordIndex.bandKeys(query);
        long[] cand = v.lookup(keys, keys.length, size);
        for (int i = 1; i < cand.length; i++) {
          assertTrue(cand[i - 1] < cand[i], "ascending, each entry once");
        }
        Set<Long> got = new TreeSet<>();
        for (double[] c : RecordIndex.score(r, cand, "mh", x -> SnapshotImpl.jaccard(query, x), 0.3)) {
          assertTrue(got.add((long) c[0]), "each entry once");
          assertEquals(dev.hallmark.ledger.MatchRules.minHashSimilarity(query, mhs[(int) c[0]]), c[1], 0);
        }
        assertEquals(expect, got, what + ": size " + size + " query " + q);
      }
      // Exact hashes: sha(i % 2500) repeats for i >= 2500.
      for (int i : new int[] {0, 5, 148, 149, 150, 2499}) {
        Set<Long> got = new TreeSet<>();
        RecordIndex.lookup(r, RecordIndex.SHA, List.of(RecordIndex.shaTerm(sha(i))), size)
            .forEach(c -> got.add((long) c[0]));
        Set<Long> expect = new TreeSet<>();
        for (long e : new long[] {i, i + 2500}) {
          if (e < size && e < n) {
            expect.add(e);
          }
        }
        assertEquals(expect, got, what + ": sha " + i + " at size " + size);
      }
    }
  }

  @Test
  void keyFilterHasNoFalseNegativesAndFewFalsePositives() throws Exception {
    Random rnd = new Random(SEED + 1);
    int n = 4000;
    List<Long> present = new ArrayList<>();
    try (RecordIndex ix = RecordIndex.inMemory()) {
      for (int i = 0; i < n; i++) {
        int[] mh = new int[Record.MINHASH_LENGTH];
        for (int k = 0; k < mh.length; k++) {
          mh[k] = rnd.nextInt();
        }
        for (long k : RecordIndex.bandKeys(mh)) {
          present.add(k);
        }
        ix.add(i, Record.builder().kind("text").contentSha256(sha(i)).textMinHash(mh).build());
        if (i % 1500 == 1499) {
          ix.commit(i + 1);
        }
      }
      ix.commit(n);
      try (IndexReader r = DirectoryReader.open(ix.directory()); BandTable.View v = ix.bandsNow()) {
        assertTrue(KeyFilter.fits(33L * n), "a filter for a few thousand records fits any heap");
        assertTrue(!KeyFilter.fits(1L << 40), "a trillion-key filter fits no array: lookups go to the index instead");
        assertTrue(!KeyFilter.fits(Runtime.getRuntime().maxMemory()), "a filter of 2 bytes per heap byte never fits");
        KeyFilter f = KeyFilter.build(r, v);
        assertEquals(33L * n, f.expectedKeys(), "one key per sha term and per band");
        // Small batches: the same bits whatever the batch size (keys are only reordered).
        KeyFilter g = KeyFilter.build(r, v, 1000);
        assertEquals(f.bytes(), g.bytes());
        for (long k : present) {
          assertTrue(g.mightContain(k), "no false negative with small batches");
        }
        for (long k : present) {
          assertTrue(f.mightContain(k), "no false negative for a band key");
        }
        for (int i = 0; i < n; i++) {
          assertTrue(f.mightContain(KeyFilter.shaKey(RecordIndex.shaTerm(sha(i)))), "no false negative for sha " + i);
        }
        Set<Long> all = new HashSet<>(present);
        int trials = 200_000;
        int fp = 0;
        for (int i = 0; i < trials; i++) {
          int[] mh = new int[Record.MINHASH_LENGTH];
          for (int k = 0; k < mh.length; k++) {
            mh[k] = rnd.nextInt();
          }
          long t = RecordIndex.bandKeys(mh)[rnd.nextInt(RecordIndex.BANDS)];
          if (!all.contains(t) && f.mightContain(t)) {
            fp++;
          }
        }
        double rate = (double) fp / trials;
        System.out.printf("key filter: %d keys, %d bytes, false-positive rate %.4f%n", f.expectedKeys(), f.bytes(), rate);
        assertTrue(rate < 0.004, "false-positive rate " + rate);
        assertTrue(rate > 0, "a Bloom filter of this size has some false positives; zero means it is not consulted");
      }
    }
  }

  /**
   * The image-chunk keys of docs/spec/ledger.md section 6 (index format 5; the vectors were computed
   * there with Python's integers, independently of this code), all distinct, and the probe keys of
   * a hash: its 16 chunks' own keys, then (radius 1) each chunk's 16 one-bit neighbours.
   */
  @Test
  void imageKeysAreTheSpecVectorsAndDistinct() {
    assertEquals(0xe514fd3ba51117adL, KeyFilter.imageKey(0, 0));
    assertEquals(0x9f37d0a4d3816cd1L, KeyFilter.imageKey(0, 1));
    assertEquals(0xbee3216888ff973aL, KeyFilter.imageKey(7, 0x1234));
    assertEquals(0xf37cbcd5d0f838c5L, KeyFilter.imageKey(15, 0xffff));
    long[] all = new long[RecordIndex.CHUNKS << 16];
    for (int c = 0; c < RecordIndex.CHUNKS; c++) {
      for (int v = 0; v <= 0xffff; v++) {
        all[(c << 16) | v] = KeyFilter.imageKey(c, v);
      }
    }
    java.util.Arrays.sort(all);
    for (int i = 1; i < all.length; i++) {
      assertTrue(all[i] != all[i - 1], "two (chunk, value) pairs share the key " + Long.toHexString(all[i]));
    }
    byte[] bits = new byte[32];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = (byte) (i * 37 + 5);
    }
    long[] own = RecordIndex.imageKeys(bits, 0);
    long[] probe = RecordIndex.imageKeys(bits, 1);
    assertEquals(RecordIndex.CHUNKS, own.length);
    assertEquals(RecordIndex.CHUNKS * 17, probe.length);
    for (int c = 0; c < RecordIndex.CHUNKS; c++) {
      int v = ((bits[2 * c] & 0xff) << 8) | (bits[2 * c + 1] & 0xff);
      assertEquals(KeyFilter.imageKey(c, v), own[c]);
      assertEquals(own[c], probe[17 * c]);
      for (int bit = 0; bit < 16; bit++) {
        assertEquals(KeyFilter.imageKey(c, v ^ (1 << bit)), probe[17 * c + 1 + bit]);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> RecordIndex.imageKeys(bits, 2));
  }

  /**
   * Candidates map to documents by position when a segment is a contiguous run of entries in order
   * (how the indexer writes them), and through the point tree otherwise: entries added out of order
   * give the same answers, and the positional mapping refuses such a segment.
   */
  @Test
  void candidatesMapToDocumentsInOrderAndOutOfOrder() throws Exception {
    System.out.println("candidatesMapToDocumentsInOrderAndOutOfOrder seed=" + SEED);
    for (boolean shuffled : new boolean[] {false, true}) {
      Random rnd = new Random(SEED);
      int n = 2000;
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        order.add(i);
      }
      if (shuffled) {
        // Within each committed block, all but its first and last entries shuffled: the segment still
        // spans first..first + maxDoc - 1, so only the check of each mapped document catches it.
        for (int b = 0; b < n; b += 700) {
          java.util.Collections.shuffle(order.subList(b + 1, Math.min(n, b + 700) - 1), rnd);
        }
      }
      try (RecordIndex ix = RecordIndex.inMemory()) {
        for (int k = 0; k < n; k++) {
          int e = order.get(k);
          int[] mh = new int[Record.MINHASH_LENGTH];
          mh[0] = e; // the score below reads it back
          ix.add(e, Record.builder().kind("text").contentSha256(sha(e)).textMinHash(mh).build());
          if (k % 700 == 699) {
            ix.commit(k + 1);
          }
        }
        ix.commit(n);
        long[] want = rnd.longs(300, 0, n + 50).sorted().distinct().toArray();
        try (IndexReader r = DirectoryReader.open(ix.directory())) {
          List<double[]> got = RecordIndex.score(r, want, "mh", b -> (b.bytes[b.offset + 3] & 0xff) | (b.bytes[b.offset + 2] & 0xff) << 8, 0);
          TreeSet<Long> found = new TreeSet<>();
          for (double[] g : got) {
            assertEquals(g[0], g[1], "entry " + (long) g[0] + " scored with another entry's value");
            found.add((long) g[0]);
          }
          TreeSet<Long> expected = new TreeSet<>();
          for (long e : want) {
            if (e < n) {
              expected.add(e);
            }
          }
          assertEquals(expected, found, shuffled ? "shuffled" : "in order");
          int positional = 0;
          for (var ctx : r.leaves()) {
            int[] p = RecordIndex.positionalDocs(ctx.reader(), want);
            if (p != null) {
              positional++;
              assertTrue(java.util.Arrays.equals(p, RecordIndex.docsOf(ctx.reader(), want)), "positional = point tree");
            }
          }
          if (shuffled) {
            assertEquals(0, positional, "a segment of shuffled entries is not mapped by position");
          } else {
            assertEquals(r.leaves().size(), positional, "every segment of in-order entries is mapped by position");
          }
        }
      }
    }
  }
}
