package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync statistic of detector 1.4 (spec, detection step 6): the correlation at an offset over
 * its standard deviation over the key's random chip signs, computed for the fold at hand; since
 * detector 1.8 with the payload-chip pairs' sign products added as more random signs. Its tail is
 * bounded by {@code 3.1787 Q(z)} for every fold, however far from noise-like.
 */
class SyncCalibrationTest {
  private static final int T = KeyedPattern.TILE;
  private static final int TT = T * T;
  private final Fft fft = new Fft(T);

  /**
   * The FFT path against the definition, summed directly, for each symmetry, with a spectral weight
   * that no symmetry maps onto itself (the weight must follow the fold's frequencies in both the
   * correlation and the spread).
   */
  @ParameterizedTest(name = "symmetry {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void scoreIsTheCorrelationOverItsSignStandardDeviation(int g) throws Exception {
    long seed = 20261205L + g;
    System.out.println("SyncCalibrationTest definition seed " + seed);
    Random rnd = new Random(seed);
    double[] tile = new double[TT];
    for (int i = 0; i < TT; i++) {
      tile[i] = rnd.nextGaussian() + (i % T < 40 ? 3 * Math.sin(i * 0.3) : 0);
    }
    KeyedPattern pattern = new KeyedPattern(WatermarkKey.generate("calibration", rnd), fft);
    // Real and even (W(k) = W(-k)), so the weighted tile is real; otherwise arbitrary.
    double[][] weight = new double[T][T];
    for (int a = 0; a < T; a++) {
      for (int b = 0; b < T; b++) {
        weight[a][b] = weight[(-a) & (T - 1)][(-b) & (T - 1)] != 0
            ? weight[(-a) & (T - 1)][(-b) & (T - 1)] : 0.2 + rnd.nextDouble() + (a < 20 ? 2 : 0);
      }
    }
    double[] z = TiledSpreadSpectrum.syncScores(pattern, new TiledSpreadSpectrum.Fold(1, 0, tile), g, weight, fft,
        null);
    double[] re = tile.clone();
    double[] im = new double[TT];
    fft.transform2d(re, im, false);
    for (int ky = 0; ky < T; ky++) {
      for (int kx = 0; kx < T; kx++) {
        re[ky * T + kx] *= weight[kx][ky] / TT;
        im[ky * T + kx] *= weight[kx][ky] / TT;
      }
    }
    fft.transform2d(re, im, true);
    double[] u = TiledSpreadSpectrum.applySymmetry(re, g);
    float[] chips = new float[KeyedPattern.CHIPS];
    for (int c = 0; c < KeyedPattern.CHIPS; c++) {
      chips[c] = pattern.role[c] < 0 ? pattern.sign[c] : 0;
    }
    float[] sync = KeyedPattern.upsample(chips);
    for (int trial = 0; trial < 40; trial++) {
      int tx = rnd.nextInt(T);
      int ty = rnd.nextInt(T);
      double corr = 0;
      for (int y = 0; y < T; y++) {
        for (int x = 0; x < T; x++) {
          corr += u[((y + ty) % T) * T + (x + tx) % T] * sync[y * T + x];
        }
      }
      // Every chip's tent-weighted sum, the sync chips' spread, and the payload-chip pairs
      // (detector 1.8): each coded bit's chips in chip order, each with the next.
      double[] v = new double[KeyedPattern.CHIPS];
      double var = 0;
      double all = 0;
      for (int c = 0; c < KeyedPattern.CHIPS; c++) {
        int cx = (c % KeyedPattern.GRID) * KeyedPattern.CHIP + tx;
        int cy = (c / KeyedPattern.GRID) * KeyedPattern.CHIP + ty;
        for (int j = -3; j <= 3; j++) {
          for (int i = -3; i <= 3; i++) {
            v[c] += (1 - Math.abs(i) / 4.0) * (1 - Math.abs(j) / 4.0) * u[((cy + j) & (T - 1)) * T + ((cx + i) & (T - 1))];
          }
        }
        all += v[c] * v[c];
        if (pattern.role[c] < 0) {
          var += v[c] * v[c];
        }
      }
      double e = 0;
      double q = 0;
      int pairs = 0;
      int[] previous = new int[KeyedPattern.CODED_BITS];
      java.util.Arrays.fill(previous, -1);
      for (int c = 0; c < KeyedPattern.CHIPS; c++) {
        int bit = pattern.role[c];
        if (bit < 0) {
          continue;
        }
        int a = previous[bit];
        if (a >= 0) {
          double prod = v[a] * v[c];
          e += pattern.sign[a] * pattern.sign[c] * prod;
          q += prod * prod;
          pairs++;
        }
        previous[bit] = c;
      }
      assertEquals(KeyedPattern.CHIPS - KeyedPattern.SYNC_CHIPS - KeyedPattern.CODED_BITS, pairs);
      double l = TiledSpreadSpectrum.PAIR_WEIGHT / Math.sqrt(all / KeyedPattern.CHIPS);
      assertEquals((corr + l * e) / Math.sqrt(var + l * l * q), z[ty * T + tx], 1e-9, "offset " + tx + "," + ty);
    }
  }

  /**
   * A fold whose energy sits in one bin (the extreme of a crop, a collage or a warp that leaves few
   * live pixels): whether a sync chip falls on it at a given offset decides the correlation's
   * spread there. Over random keys the statistic at a fixed offset stays under its bound, while
   * the statistic of detectors 1.0 to 1.3, standardised over all offsets, exceeds the normal tail
   * it was charged.
   */
  @Test
  void tailStaysUnderTheBoundForAFoldWithOnePatch() throws Exception {
    long seed = 20261206L;
    System.out.println("SyncCalibrationTest tail seed " + seed);
    Random rnd = new Random(seed);
    double[] tile = new double[TT];
    for (int i = 0; i < TT; i++) {
      tile[i] = 0.005 * rnd.nextGaussian();
    }
    // One strong bin at a chip centre: at offset 0 it falls under one chip, a sync chip for a
    // quarter of the keys.
    tile[60 * T + 60] = 1;
    TiledSpreadSpectrum.Fold fold = new TiledSpreadSpectrum.Fold(1, 0, tile);
    double[] ts = {1.5, 2.0, 2.5};
    int keys = 3000;
    int[] now = new int[ts.length];
    int[] before = new int[ts.length];
    double[] plain = new double[TT];
    for (int k = 0; k < keys; k++) {
      KeyedPattern pattern = new KeyedPattern(WatermarkKey.generate("calibration", rnd), fft);
      double z = TiledSpreadSpectrum.syncScores(pattern, fold, 0, null, fft, plain)[0];
      for (int i = 0; i < ts.length; i++) {
        now[i] += z >= ts[i] ? 1 : 0;
        before[i] += plain[0] >= ts[i] ? 1 : 0;
      }
    }
    for (int i = 0; i < ts.length; i++) {
      double bound = keys * TiledSpreadSpectrum.SIGN_SUM_TAIL * Stats.upperTail(ts[i]);
      double nominal = keys * Stats.upperTail(ts[i]);
      System.out.printf("z >= %.1f: %d of %d keys (bound %.1f); plain statistic %d (charged %.1f)%n", ts[i], now[i],
          keys, bound, before[i], nominal);
      assertTrue(now[i] <= bound, "z >= " + ts[i] + ": " + now[i] + " keys, bound " + bound);
    }
    // The old statistic, charged Q(z), is exceeded far beyond sampling noise at z >= 2.5.
    double nominal = keys * Stats.upperTail(2.5);
    assertTrue(before[2] > nominal + 5 * Math.sqrt(nominal), before[2] + " against " + nominal);
  }
}
