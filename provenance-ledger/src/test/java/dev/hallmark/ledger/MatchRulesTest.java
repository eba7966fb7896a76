package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MatchRulesTest {
  private static final long SEED = 20261204L;

  @Test
  void everyHashWithinTheDistanceIsACandidate() {
    System.out.println("MatchRulesTest seed=" + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (int round = 0; round < 2000; round++) {
      byte[] a = new byte[32];
      for (int i = 0; i < 32; i++) {
        a[i] = (byte) rnd.nextInt(256);
      }
      int maxDistance = rnd.nextInt(32);
      byte[] b = a.clone();
      int flips = rnd.nextInt(maxDistance + 1);
      for (int f = 0; f < flips; f++) {
        int bit = rnd.nextInt(256);
        b[bit >> 3] ^= (byte) (1 << (bit & 7));
      }
      int d = MatchRules.hammingDistance(a, b);
      assertTrue(d <= maxDistance);
      assertTrue(MatchRules.shareChunk(a, b, MatchRules.chunkRadius(maxDistance)),
          "pigeonhole: a hash " + d + " bits away must share a chunk within radius " + MatchRules.chunkRadius(maxDistance));
    }
  }

  @Test
  void bandsNeedAllFourRowsEqual() {
    int[] a = new int[128];
    int[] b = new int[128];
    for (int i = 0; i < 128; i++) {
      a[i] = i;
      b[i] = -1 - i;
    }
    assertFalse(MatchRules.shareBand(a, b));
    System.arraycopy(a, 8, b, 8, 3);
    assertFalse(MatchRules.shareBand(a, b), "three of the four rows of band 2 equal is no candidate");
    b[11] = a[11];
    assertTrue(MatchRules.shareBand(a, b));
    assertEquals(4 / 128.0, MatchRules.minHashSimilarity(a, b));
  }

  @Test
  void ordersAreBestThenOldestAndTheLimitHolds() {
    List<Match> text = new ArrayList<>(List.of(new Match(5, null, 0.7, -1), new Match(2, null, 0.9, -1),
        new Match(1, null, 0.7, -1), new Match(9, null, 0.95, -1)));
    List<Match> best = MatchRules.best(text, MatchRules.TEXT_ORDER, 3);
    assertEquals(List.of(9L, 2L, 1L), best.stream().map(Match::index).toList());
    List<Match> images = new ArrayList<>(List.of(new Match(3, null, 0, 7), new Match(8, null, 0, 2), new Match(1, null, 0, 7)));
    assertEquals(List.of(8L, 1L, 3L), MatchRules.best(images, MatchRules.IMAGE_ORDER, 10).stream().map(Match::index).toList());
    assertEquals(List.of(), MatchRules.best(images, MatchRules.IMAGE_ORDER, 0));
  }
}
