package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hallmark.ledger.Merkle;
import java.nio.charset.StandardCharsets;
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
}
