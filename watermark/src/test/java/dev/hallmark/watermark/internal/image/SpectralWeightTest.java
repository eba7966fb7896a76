package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The correlation's spectral weight (detector 1.3): real and even (so one weight serves both folds
 * of a pair spectrum), zero at frequency 0, the high-pass response over the folds' power, and the
 * weighted payload read is the inverse transform of the weighted spectrum.
 */
class SpectralWeightTest {
  private static final int T = KeyedPattern.TILE;

  private static List<TiledSpreadSpectrum.Fold> folds(long seed, int count, boolean coloured) {
    Random rnd = new Random(seed);
    List<TiledSpreadSpectrum.Fold> out = new ArrayList<>();
    for (int f = 0; f < count; f++) {
      double[] tile = new double[T * T];
      for (int i = 0; i < tile.length; i++) {
        tile[i] = rnd.nextGaussian();
      }
      if (coloured) {
        // Horizontal smoothing: more power at low horizontal frequencies.
        double[] sm = new double[T * T];
        for (int y = 0; y < T; y++) {
          for (int x = 0; x < T; x++) {
            sm[y * T + x] = tile[y * T + x] + tile[y * T + ((x + 1) & (T - 1))] + tile[y * T + ((x + 2) & (T - 1))];
          }
        }
        tile = sm;
      }
      out.add(new TiledSpreadSpectrum.Fold(1, 0, tile));
    }
    return out;
  }

  @Test
  void weightIsEvenZeroAtDcAndFollowsTheHighPassOnWhiteFolds() {
    Fft fft = new Fft(T);
    double[][] w = TiledSpreadSpectrum.spectralWeight(TiledSpreadSpectrum.spectra(folds(20261204L, 40, false), fft));
    assertEquals(0, w[0][0]);
    for (int a = 0; a < T; a++) {
      for (int b = 0; b < T; b++) {
        assertEquals(w[a][b], w[(-a) & (T - 1)][(-b) & (T - 1)], 1e-12 * Math.abs(w[a][b]) + 1e-300);
      }
    }
    // White folds: flat power, so W is proportional to H (within the power's sampling noise).
    double ratioLow = w[3][40] / TiledSpreadSpectrum.highPassResponse(3, 40);
    double ratioHigh = w[64][64] / TiledSpreadSpectrum.highPassResponse(64, 64);
    assertEquals(1, ratioLow / ratioHigh, 0.25);
    assertTrue(TiledSpreadSpectrum.highPassResponse(1, 0) < 0.01);
    assertEquals(1, TiledSpreadSpectrum.highPassResponse(64, 64), 0.25);
  }

  @Test
  void colouredFoldsAreWeightedDownWhereTheyAreLoud() {
    Fft fft = new Fft(T);
    double[][] w = TiledSpreadSpectrum.spectralWeight(TiledSpreadSpectrum.spectra(folds(7L, 40, true), fft));
    // Equal high-pass response at (kx, ky) = (10, 60) and (60, 10); the folds are loud at low kx.
    // The layout is re[kx][ky] (transposed), like the sync spectra.
    double loud = w[10][60] / TiledSpreadSpectrum.highPassResponse(10, 60);
    double quiet = w[60][10] / TiledSpreadSpectrum.highPassResponse(60, 10);
    assertTrue(loud < quiet / 2, loud + " vs " + quiet);
  }

  @Test
  void weightedTileIsTheInverseOfTheWeightedSpectrum() {
    Fft fft = new Fft(T);
    List<TiledSpreadSpectrum.Fold> fs = folds(11L, 4, false);
    double[][] ones = new double[T][T];
    for (double[] row : ones) {
      java.util.Arrays.fill(row, 1);
    }
    double[] tile = fs.get(0).tile;
    assertArrayEquals(tile, TiledSpreadSpectrum.weighted(tile, ones, fft), 1e-9);
    assertArrayEquals(tile, TiledSpreadSpectrum.weighted(tile, null, fft), 0);
  }
}
