package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The band table's sort, run files, merges, commit protocol and reference counting. */
class BandTableTest {
  static final long SEED = 2026_1205L;

  @Test
  void radixSortOrdersUnsignedAndCarriesTheEntries() {
    System.out.println("BandTableTest seed=" + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (int n : new int[] {0, 1, 2, 255, 256, 1000, 70_000}) {
      long[] k = new long[n];
      long[] v = new long[n];
      for (int i = 0; i < n; i++) {
        // Negative keys, duplicates and values tied to their key.
        k[i] = rnd.nextInt(4) == 0 ? -1L - rnd.nextInt(50) : rnd.nextInt(3) == 0 ? rnd.nextInt(50) : rnd.nextLong();
        v[i] = k[i] * 31 + 7;
      }
      long[] expect = Arrays.stream(k).boxed().sorted(Long::compareUnsigned).mapToLong(Long::longValue).toArray();
      BandTable.sort(k, v, n);
      assertArrayEquals(expect, k, "n=" + n);
      for (int i = 0; i < n; i++) {
        assertEquals(k[i] * 31 + 7, v[i]);
      }
    }
  }

  /** Adds {@code records} entries from {@code first}, each with 32 keys from a small pool (so keys repeat). */
  static void fill(BandTable t, TreeMap<Long, TreeSet<Long>> ref, long first, int records, SplittableRandom rnd) throws Exception {
    for (int i = 0; i < records; i++) {
      long[] keys = new long[32];
      for (int b = 0; b < 32; b++) {
        keys[b] = rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(5000) * 0x9E3779B97F4A7C15L;
        ref.computeIfAbsent(keys[b], x -> new TreeSet<>()).add(first + i);
      }
      t.add(first + i, keys);
    }
  }

  static void check(BandTable.View v, TreeMap<Long, TreeSet<Long>> ref, long size, SplittableRandom rnd) throws Exception {
    List<Long> all = new ArrayList<>(ref.keySet());
    for (int q = 0; q < 300; q++) {
      long[] keys = new long[32];
      TreeSet<Long> expect = new TreeSet<>();
      for (int b = 0; b < keys.length; b++) {
        keys[b] = rnd.nextInt(4) == 0 ? rnd.nextLong() : all.get(rnd.nextInt(all.size()));
        for (long e : ref.getOrDefault(keys[b], new TreeSet<>())) {
          if (e < size) {
            expect.add(e);
          }
        }
      }
      long[] got = v.lookup(keys, keys.length, size);
      assertArrayEquals(expect.stream().mapToLong(Long::longValue).toArray(), got, "query " + q + " at size " + size);
    }
  }

  static long runFiles(Path p) throws Exception {
    try (var l = Files.list(p)) {
      return l.filter(f -> f.getFileName().toString().startsWith("bands-")).count();
    }
  }

  @Test
  void commitsMergeRunsAndAHeldViewOutlivesTheFilesItReads(@TempDir Path tmp) throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    TreeMap<Long, TreeSet<Long>> ref = new TreeMap<>();
    try (Directory d = FSDirectory.open(tmp)) {
      BandTable t = BandTable.openWriter(d, Map.of(), true);
      String names = "";
      BandTable.View early = null;
      long n = 0;
      for (int c = 0; c < 30; c++) {
        int records = 100 + rnd.nextInt(200);
        fill(t, ref, n, records, rnd);
        n += records;
        BandTable.Commit bc = t.prepareCommit();
        t.finishCommit(bc);
        names = bc.names();
        if (c == 3) {
          early = t.view();
        }
      }
      long files = names.split(",").length;
      assertTrue(files < 12, "30 commits leave merged runs: " + names);
      // The early view still reads the four files it was taken on, though later merges replaced them.
      TreeMap<Long, TreeSet<Long>> firstFour = new TreeMap<>();
      long earlySize = early.size() / 32;
      ref.forEach((k, es) -> es.forEach(e -> {
        if (e < earlySize) {
          firstFour.computeIfAbsent(k, x -> new TreeSet<>()).add(e);
        }
      }));
      check(early, firstFour, earlySize, rnd);
      assertTrue(runFiles(tmp) > files, "replaced files stay while a view reads them");
      early.close();
      assertEquals(files, runFiles(tmp), "and are deleted when it is closed");
      try (BandTable.View v = t.view()) {
        check(v, ref, n, rnd);
        check(v, ref, n / 2, rnd);
      }
      t.close();

      // Opened for an index of another format: its files are not touched.
      Files.copy(tmp.resolve(names.split(",")[0]), tmp.resolve("bands-998.run"));
      BandTable.openWriter(d, Map.of(), false).close();
      assertTrue(Files.exists(tmp.resolve("bands-998.run")));
      Files.delete(tmp.resolve("bands-998.run"));
      // A run file no commit lists (a crash between writing it and the index commit) is deleted on open.
      Files.copy(tmp.resolve(names.split(",")[0]), tmp.resolve("bands-999.run"));
      BandTable again = BandTable.openWriter(d, Map.of(BandTable.USER_DATA, names), true);
      assertFalse(Files.exists(tmp.resolve("bands-999.run")));
      try (BandTable.View v = again.view()) {
        check(v, ref, n, rnd);
      }
      again.close();
      try (BandTable.View v = BandTable.openReadOnly(d, Map.of(BandTable.USER_DATA, names))) {
        check(v, ref, n, rnd);
      }
    }
  }

  /** Many pairs before a commit (a rebuild): written to an unlisted run file, listed by the commit, or deleted unlisted. */
  @Test
  void pairsBeyondTheMemoryBoundSpillToARunFileTheNextCommitLists(@TempDir Path tmp) throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 3);
    TreeMap<Long, TreeSet<Long>> ref = new TreeMap<>();
    int records = BandTable.SPILL_PAIRS / 32 + 5_000;
    try (Directory d = FSDirectory.open(tmp)) {
      BandTable t = BandTable.openWriter(d, Map.of(), true);
      fill(t, ref, 0, records, rnd);
      assertEquals(1, runFiles(tmp), "spilled before any commit");
      try (BandTable.View v = t.view()) {
        assertEquals(BandTable.SPILL_PAIRS, v.size(), "a view sees what was refreshed (the spill refreshed)");
      }
      t.refresh();
      try (BandTable.View v = t.view()) {
        assertEquals(32L * records, v.size());
        check(v, ref, records, rnd);
      }
      BandTable.Commit bc = t.prepareCommit();
      t.finishCommit(bc);
      assertEquals(2, bc.names().split(",").length, "the spilled file and the rest: " + bc.names());
      t.close();
      try (BandTable.View v = BandTable.openReadOnly(d, Map.of(BandTable.USER_DATA, bc.names()))) {
        check(v, ref, records, rnd);
      }
      // Spilled and never committed: the file goes when the table is closed.
      BandTable u = BandTable.openWriter(d, Map.of(BandTable.USER_DATA, bc.names()), true);
      fill(u, new TreeMap<>(), records, records, rnd);
      assertEquals(3, runFiles(tmp));
      u.close();
      assertEquals(2, runFiles(tmp));
    }
  }

  @Test
  void aTruncatedOrForeignRunFileIsCorruptNotMisread(@TempDir Path tmp) throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 2);
    try (Directory d = FSDirectory.open(tmp)) {
      BandTable t = BandTable.openWriter(d, Map.of(), true);
      fill(t, new TreeMap<>(), 0, 500, rnd);
      BandTable.Commit bc = t.prepareCommit();
      t.finishCommit(bc);
      t.close();
      Path f = tmp.resolve(bc.names());
      byte[] b = Files.readAllBytes(f);
      Files.write(f, Arrays.copyOf(b, b.length - 9));
      assertThrows(CorruptIndexException.class, () -> BandTable.openReadOnly(d, Map.of(BandTable.USER_DATA, bc.names())));
      byte[] foreign = b.clone();
      foreign[5] ^= 1; // the codec name
      Files.write(f, foreign);
      assertThrows(CorruptIndexException.class, () -> BandTable.openReadOnly(d, Map.of(BandTable.USER_DATA, bc.names())));
      // A flipped bit inside the pairs is caught by the checksum when the run is next merged.
      byte[] flipped = b.clone();
      flipped[b.length / 2] ^= 4;
      Files.write(f, flipped);
      BandTable w = BandTable.openWriter(d, Map.of(BandTable.USER_DATA, bc.names()), true);
      for (int c = 0; c < BandTable.MERGE_FACTOR - 1; c++) {
        fill(w, new TreeMap<>(), 500 + 10L * c, 10, rnd);
        if (c < BandTable.MERGE_FACTOR - 2) {
          w.finishCommit(w.prepareCommit());
        }
      }
      assertThrows(CorruptIndexException.class, w::prepareCommit);
      w.close();
    }
  }
}
