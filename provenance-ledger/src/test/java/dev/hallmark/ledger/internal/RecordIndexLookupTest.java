package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.Record;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/**
 * The direct term lookup over several segments agrees with a brute-force scan (including the
 * entry-index cut-off), and the key filter has no false negatives and few false positives.
 */
class RecordIndexLookupTest {
  static final long SEED = 7_2026_1125L;

  static String sha(int i) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(("r" + i).getBytes()));
  }

  @Test
  void directLookupMatchesBruteForceAcrossSegments() throws Exception {
    System.out.println("RecordIndexLookupTest seed=" + SEED);
    Random rnd = new Random(SEED);
    int n = 3000;
    int[][] mhs = new int[n][];
    try (RecordIndex ix = RecordIndex.inMemory()) {
      for (int i = 0; i < n; i++) {
        int[] mh = new int[Record.MINHASH_LENGTH];
        for (int k = 0; k < mh.length; k++) {
          // Few distinct values so that many records share some band.
          mh[k] = rnd.nextInt(6);
        }
        mhs[i] = mh;
        ix.add(i, Record.builder().kind("text").contentSha256(sha(i % 2500)).textMinHash(mh).build());
        if (i % 700 == 699) {
          ix.commit(i + 1);
        }
      }
      ix.commit(n);
      try (IndexReader r = DirectoryReader.open(ix.directory())) {
        assertTrue(r.leaves().size() > 1, "several segments: " + r.leaves().size());
        for (long size : new long[] {1, 699, 700, 2501, n}) {
          for (int q = 0; q < 40; q++) {
            int[] query = mhs[rnd.nextInt(n)].clone();
            for (int k = 0; k < 60; k++) {
              query[rnd.nextInt(query.length)] = rnd.nextInt(6);
            }
            List<BytesRef> terms = RecordIndex.bandTerms(query);
            Set<Long> expect = new TreeSet<>();
            for (int i = 0; i < size; i++) {
              List<BytesRef> mine = RecordIndex.bandTerms(mhs[i]);
              for (int b = 0; b < RecordIndex.BANDS; b++) {
                if (mine.get(b).equals(terms.get(b)) && dev.hallmark.ledger.MatchRules.minHashSimilarity(query, mhs[i]) >= 0.3) {
                  expect.add((long) i);
                }
              }
            }
            Set<Long> got = new TreeSet<>();
            for (double[] c : RecordIndex.lookup(r, RecordIndex.LSH, terms, size, "mh", v -> SnapshotImpl.jaccard(query, v), 0.3)) {
              assertTrue(got.add((long) c[0]), "each entry once");
              assertEquals(dev.hallmark.ledger.MatchRules.minHashSimilarity(query, mhs[(int) c[0]]), c[1], 0);
            }
            assertEquals(expect, got, "size " + size + " query " + q);
          }
          // Exact hashes: sha(i % 2500) repeats for i >= 2500.
          for (int i : new int[] {0, 5, 698, 699, 700, 2499}) {
            Set<Long> got = new TreeSet<>();
            RecordIndex.lookup(r, RecordIndex.SHA, List.of(RecordIndex.shaTerm(sha(i))), size, null, null, 0)
                .forEach(c -> got.add((long) c[0]));
            Set<Long> expect = new TreeSet<>();
            for (long e : new long[] {i, i + 2500}) {
              if (e < size && e < n) {
                expect.add(e);
              }
            }
            assertEquals(expect, got, "sha " + i + " at size " + size);
          }
        }
      }
    }
  }

  @Test
  void keyFilterHasNoFalseNegativesAndFewFalsePositives() throws Exception {
    Random rnd = new Random(SEED + 1);
    int n = 4000;
    List<BytesRef> present = new ArrayList<>();
    try (RecordIndex ix = RecordIndex.inMemory()) {
      for (int i = 0; i < n; i++) {
        int[] mh = new int[Record.MINHASH_LENGTH];
        for (int k = 0; k < mh.length; k++) {
          mh[k] = rnd.nextInt();
        }
        present.addAll(RecordIndex.bandTerms(mh));
        ix.add(i, Record.builder().kind("text").contentSha256(sha(i)).textMinHash(mh).build());
        if (i % 1500 == 1499) {
          ix.commit(i + 1);
        }
      }
      ix.commit(n);
      try (IndexReader r = DirectoryReader.open(ix.directory())) {
        assertTrue(KeyFilter.fits(33L * n), "a filter for a few thousand records fits any heap");
        assertTrue(!KeyFilter.fits(1L << 40), "a trillion-key filter fits no array: lookups go to the index instead");
        assertTrue(!KeyFilter.fits(Runtime.getRuntime().maxMemory()), "a filter of 2 bytes per heap byte never fits");
        KeyFilter f = KeyFilter.build(r);
        // Small batches: the same bits whatever the batch size (keys are only reordered).
        KeyFilter g = KeyFilter.build(r, 1000);
        assertEquals(f.bytes(), g.bytes());
        for (BytesRef t : present) {
          assertTrue(g.mightContain(KeyFilter.lshKey(t)), "no false negative with small batches");
        }
        for (BytesRef t : present) {
          assertTrue(f.mightContain(KeyFilter.lshKey(t)), "no false negative for a band term");
        }
        for (int i = 0; i < n; i++) {
          assertTrue(f.mightContain(KeyFilter.shaKey(RecordIndex.shaTerm(sha(i)))), "no false negative for sha " + i);
        }
        Set<BytesRef> all = new HashSet<>(present);
        int trials = 200_000;
        int fp = 0;
        for (int i = 0; i < trials; i++) {
          int[] mh = new int[Record.MINHASH_LENGTH];
          for (int k = 0; k < mh.length; k++) {
            mh[k] = rnd.nextInt();
          }
          BytesRef t = RecordIndex.bandTerms(mh).get(rnd.nextInt(RecordIndex.BANDS));
          if (!all.contains(t) && f.mightContain(KeyFilter.lshKey(t))) {
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

  /** The image chunk terms are index format 3 on disk: built without the formatter, they must not change. */
  @Test
  void imageChunkTermsAreTheFormatThreeStrings() {
    for (int c = 0; c < RecordIndex.CHUNKS; c++) {
      for (int v = 0; v <= 0xffff; v += 7) {
        assertEquals(c + ":" + String.format("%04x", v), RecordIndex.chunkTerm(c, v));
      }
      assertEquals(c + ":ffff", RecordIndex.chunkTerm(c, 0xffff));
    }
  }
}
