package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.Merkle;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HashStoreTest {
  /** Roots of the RFC 6962 reference tree built from the 8 leaves in the merkle vectors README. */
  static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

  static byte[] mth(byte[][] leaves, int start, int end) {
    int n = end - start;
    if (n == 1) {
      return Merkle.leafHash(leaves[start]);
    }
    int k = Integer.highestOneBit(n - 1);
    return Merkle.nodeHash(mth(leaves, start, start + k), mth(leaves, start + k, end));
  }

  @Test
  void referenceTreeRootMatchesRfc6962() {
    HashStore s = new HashStore();
    for (String l : LEAVES) {
      s.append(Merkle.leafHash(Hex.decode(l)));
    }
    // The well-known root of the 8-leaf RFC 6962 test tree (Certificate Transparency test data).
    assertEquals("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", Hex.encode(s.root(8)));
  }

  @Test
  void proofsAgreeWithVerifierForEverySizeUpTo70() throws Exception {
    byte[][] leaves = new byte[70][];
    HashStore s = new HashStore();
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = ("leaf " + i).getBytes();
      s.append(Merkle.leafHash(leaves[i]));
    }
    for (int n = 1; n <= leaves.length; n++) {
      byte[] root = s.root(n);
      assertArrayEquals(mth(leaves, 0, n), root, "root " + n);
      for (int i = 0; i < n; i++) {
        Merkle.verifyInclusion(i, n, Merkle.leafHash(leaves[i]), s.inclusionProof(i, n), root);
      }
      for (int m = 1; m <= n; m++) {
        Merkle.verifyConsistency(m, n, s.root(m), root, s.consistencyProof(m, n));
      }
    }
    byte[] wrong = s.root(5).clone();
    wrong[0] ^= 1;
    byte[] w = wrong;
    assertFalse(ok(() -> Merkle.verifyConsistency(5, 9, w, s.root(9), s.consistencyProof(5, 9))));
    assertTrue(ok(() -> Merkle.verifyConsistency(5, 9, s.root(5), s.root(9), s.consistencyProof(5, 9))));
    assertEquals(Arrays.toString(new byte[0]), Arrays.toString(new byte[0]));
  }

  interface Check {
    void run() throws Exception;
  }

  static boolean ok(Check c) {
    try {
      c.run();
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void tilePaths() {
    assertEquals("x001/x234/067", TilePaths.index(1234067));
    assertEquals("000", TilePaths.index(0));
    assertEquals("tile/0/273.p/112", TilePaths.tile(0, 273, 112));
    assertEquals("tile/entries/x001/000", TilePaths.entries(1000, 256));
    assertTrue(TilePaths.isValid("tile/entries/x001/000.p/17"));
    assertFalse(TilePaths.isValid("tile/0/../checkpoint"));
    assertFalse(TilePaths.isValid("tile/0/000.p/0"));
    assertFalse(TilePaths.isValid("tile/64/000"));
  }
}
