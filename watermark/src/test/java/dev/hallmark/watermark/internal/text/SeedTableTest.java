package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-detector table of context seeds (KGW LeftHash) gives the scores of computing each seed per
 * position: a detector with the r50k_base tokenizer (table) against one without a tokenizer (no
 * table), on random token sequences that include ids outside the vocabulary (the fallback).
 */
class SeedTableTest {
  @Test
  void tableGivesTheSameScoresAsPerPositionSeeds() {
    long seed = 20261208L;
    System.out.println("SeedTableTest seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    for (WatermarkParameters params : List.of(WatermarkParameters.KGW_DEFAULT, WatermarkParameters.UNIGRAM_DEFAULT,
        WatermarkParameters.KGW_SELFHASH_DEFAULT, WatermarkParameters.GUMBEL_DEFAULT, WatermarkParameters.SYNTHID_DEFAULT)) {
      byte[] secret = new byte[32];
      for (int i = 0; i < secret.length; i++) {
        secret[i] = (byte) r.nextInt(256);
      }
      SchemeEngine engine = new SchemeEngine(WatermarkKey.fromSecret("t", secret), params);
      DetectorImpl table = new DetectorImpl(engine, Tokenizers.r50k(), 1e-3, false, 1 << 20);
      DetectorImpl plain = new DetectorImpl(engine, null, 1e-3, false, 1 << 20);
      for (int k = 0; k < 200; k++) {
        int[] x = new int[1 + r.nextInt(400)];
        for (int i = 0; i < x.length; i++) {
          x[i] = r.nextInt(20) == 0 ? 50257 + r.nextInt(100_000) : r.nextInt(k % 2 == 0 ? 300 : 50257);
        }
        DetectorImpl.Scored a = table.scoreAll(x);
        DetectorImpl.Scored b = plain.scoreAll(x);
        assertEquals(b.n(), a.n(), params.scheme() + " seed " + seed);
        assertArrayEquals(b.positions(), a.positions());
        assertArrayEquals(b.scores(), a.scores());
      }
    }
  }
}
