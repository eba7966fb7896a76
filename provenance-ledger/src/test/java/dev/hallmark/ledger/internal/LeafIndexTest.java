package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hallmark.ledger.Merkle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeafIndexTest {
  static byte[] leaf(String s) {
    return Merkle.leafHash(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void findsEveryEntryAcrossGrowthAndMissesTheRest() {
    long seed = 20261204L;
    System.out.println("LeafIndexTest seed=" + seed);
    Random r = new Random(seed);
    HashStore hs = new HashStore();
    int opened = 700;
    for (int i = 0; i < opened; i++) {
      hs.append(leaf("entry " + i));
    }
    LeafIndex t = LeafIndex.of(hs, hs.size());
    assertEquals(opened, t.size());
    // Appended after opening, as the committer does: past several doublings of the 1,024-slot table.
    for (int i = opened; i < 5000; i++) {
      byte[] l = leaf("entry " + i);
      assertEquals(-1, t.find(l), "entry " + i + " before it is added");
      hs.append(l);
      t.add(l, i);
    }
    for (int k = 0; k < 2000; k++) {
      int i = r.nextInt(5000);
      assertEquals(i, t.find(leaf("entry " + i)));
      assertEquals(-1, t.find(leaf("missing " + r.nextLong())));
    }
  }

  @Test
  void aDuplicateEntryFromBeforeIdempotencyAnswersWithTheLowerIndex() {
    HashStore hs = new HashStore();
    hs.append(leaf("a"));
    hs.append(leaf("b"));
    hs.append(leaf("a"));
    LeafIndex t = LeafIndex.of(hs, hs.size());
    assertEquals(0, t.find(leaf("a")));
    assertEquals(1, t.find(leaf("b")));
    assertEquals(2, t.size());
  }

  @Test
  void coversOnlyTheGivenPrefixOfTheLog() {
    HashStore hs = new HashStore();
    hs.append(leaf("a"));
    hs.append(leaf("b"));
    LeafIndex t = LeafIndex.of(hs, 1);
    assertEquals(0, t.find(leaf("a")));
    assertEquals(-1, t.find(leaf("b")));
  }

  /**
   * The table is segmented (its capacity is a long, not capped by the largest Java array, which
   * broke logs beyond about 537 million entries). Small segments (16 slots) exercise the same code
   * as the default 2^20 slots: growth across many segments, and probes that run off the end of the
   * last segment and wrap to the first.
   */
  @Test
  void segmentedTableGrowsAcrossSegmentsAndWrapsAround() {
    long seed = 20261205L;
    System.out.println("LeafIndexTest segmented seed=" + seed);
    Random r = new Random(seed);
    HashStore hs = new HashStore();
    LeafIndex t = LeafIndex.of(hs, 0, 4);
    assertEquals(1024, t.capacity());
    assertEquals(64, t.segmentCount());
    // Five leaf hashes that all land in the table's last slot: they fill it and wrap to slots 0-3.
    List<byte[]> last = new ArrayList<>();
    while (last.size() < 5) {
      byte[] l = new byte[32];
      r.nextBytes(l);
      if ((LeafIndex.slot(l) & 1023) == 1023) {
        last.add(l);
      }
    }
    for (byte[] l : last) {
      hs.append(l);
      t.add(l, hs.size() - 1);
    }
    for (int i = 0; i < last.size(); i++) {
      assertEquals(i, t.find(last.get(i)));
    }
    // Then past several doublings: 1,024 slots in 64 segments to 16,384 slots in 1,024 segments.
    for (int i = 5; i < 6000; i++) {
      byte[] l = leaf("entry " + i);
      assertEquals(-1, t.find(l));
      hs.append(l);
      t.add(l, i);
    }
    assertEquals(16384, t.capacity());
    assertEquals(1024, t.segmentCount());
    assertEquals(6000, t.size());
    for (int i = 0; i < last.size(); i++) {
      assertEquals(i, t.find(last.get(i)));
    }
    for (int i = 5; i < 6000; i++) {
      assertEquals(i, t.find(leaf("entry " + i)));
    }
    for (int k = 0; k < 2000; k++) {
      assertEquals(-1, t.find(leaf("missing " + r.nextLong())));
    }
    // Opening builds the same table at once, sized for the log.
    LeafIndex opened = LeafIndex.of(hs, hs.size(), 4);
    assertEquals(16384, opened.capacity());
    assertEquals(6000, opened.size());
    assertEquals(3, opened.find(last.get(3)));
    assertEquals(5999, opened.find(leaf("entry 5999")));
  }
}
