package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The localisation windows: their number depends on the image size only (it enters the p-value, see
 * docs/spec/image-watermark.md step 5); each window's fold, built from per-cell folds, equals the
 * per-bin sum of the window's own pixels less the image's mean residual; and each window's sync
 * statistic, read from prefix sums over the cells, equals the statistic of its fold computed alone.
 */
class WindowsTest {
  private static final int T = KeyedPattern.TILE;

  @ParameterizedTest(name = "{0}x{1}: {2} windows")
  @CsvSource({"768,512,288", "1920,1080,414", "343,229,33", "192,192,9", "191,191,4", "180,180,0", "243,162,0",
      "512,300,123"})
  void windowCountDependsOnTheSizeOnly(int w, int h, int expected) {
    Windows windows = Windows.of(new float[w * h], w, h);
    assertEquals(expected, windows.size());
    for (Windows.Window win : windows.list) {
      assertTrue(win.width >= T && win.height >= T && win.cellsWide * win.cellsHigh <= 18,
          win.x + "," + win.y + " " + win.width + "x" + win.height);
    }
  }

  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"768,512", "401,333"})
  void windowFoldEqualsTheFoldOfItsPixels(int w, int h) {
    long seed = 31L * w + h;
    System.out.println("WindowsTest seed " + seed + " size " + w + "x" + h);
    Random rnd = new Random(seed);
    float[] r = new float[w * h];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) rnd.nextGaussian();
    }
    double mean = 0;
    for (float v : r) {
      mean += v;
    }
    mean /= r.length;
    Windows windows = Windows.of(r, w, h);
    assertTrue(windows.size() > 0);
    for (Windows.Window win : windows.list) {
      double[] direct = new double[T * T];
      for (int y = win.y; y < win.y + win.height; y++) {
        for (int x = win.x; x < win.x + win.width; x++) {
          direct[(y % T) * T + x % T] += r[y * w + x] - mean;
        }
      }
      assertArrayEquals(direct, windows.fold(win), 1e-3, "window at " + win.x + "," + win.y);
    }
  }

  /**
   * The search reads each window's correlation and chip sums from prefix sums over the cells; the
   * z and offset it finds equal those of the window's fold searched on its own (spectral weight and
   * all 16384 offsets), for a marked window and for noise.
   */
  @ParameterizedTest(name = "{0}x{1}")
  @CsvSource({"768,512", "401,333"})
  void windowStatisticEqualsItsFoldsOwn(int w, int h) {
    long seed = 17L * w + h;
    System.out.println("WindowsTest scan seed " + seed + " size " + w + "x" + h);
    Random rnd = new Random(seed);
    Fft fft = new Fft(T);
    KeyedPattern pattern = new KeyedPattern(WatermarkKey.generate("scan-test", rnd), fft);
    float[] tile = pattern.tile(ConvolutionalCode.encode(new boolean[KeyedPattern.INFO_BITS]));
    float[] r = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double mark = x < w / 2 ? 0.3 * tile[((y + 5) % T) * T + (x + 9) % T] : 0;
        r[y * w + x] = (float) (rnd.nextGaussian() + mark);
      }
    }
    double[][] weight = new double[T][T];
    for (double[] row : weight) {
      for (int i = 0; i < T; i++) {
        row[i] = 0.5 + rnd.nextDouble();
      }
    }
    // Real and even, as every spectral weight is (a pair's two folds share one transform).
    for (int a = 0; a < T; a++) {
      for (int b = 0; b < T; b++) {
        weight[(-a) & (T - 1)][(-b) & (T - 1)] = weight[a][b];
      }
    }
    weight[0][0] = 0;
    Windows windows = Windows.of(r, w, h);
    windows.prepare(TiledSpreadSpectrum.chipFilter(weight), fft);
    double[] wz = new double[windows.size()];
    int[] shift = new int[windows.size()];
    windows.scan(pattern, weight, fft, 4, wz, shift);
    double best = 0;
    for (int j = 0; j < windows.size(); j++) {
      Windows.Window win = windows.list.get(j);
      double[] own = TiledSpreadSpectrum.syncScores(pattern,
          new TiledSpreadSpectrum.Fold(1.0, 0, windows.fold(win)), 0, weight, fft, null);
      assertEquals(own[shift[j]], wz[j], 1e-9, "window at " + win.x + "," + win.y);
      double max = 0;
      for (double z : own) {
        max = Math.max(max, z);
      }
      assertTrue(wz[j] <= max + 1e-9);
      best = Math.max(best, wz[j]);
    }
    assertTrue(best > 8, "the marked half is found: " + best);
  }

  @org.junit.jupiter.api.Test
  void mostlyFlatWindowsAreNotScored() {
    // 768x512, live (non-zero) residual only in the left third: windows with fewer than half of
    // their pixels live get an all-zero tile (z 0, p 1); the others keep their fold.
    int w = 768;
    int h = 512;
    Random rnd = new Random(7);
    float[] r = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < 256; x++) {
        r[y * w + x] = (float) rnd.nextGaussian();
      }
    }
    int zero = 0;
    Windows windows = Windows.of(r, w, h);
    for (Windows.Window win : windows.list) {
      int liveCols = Math.max(0, Math.min(256, win.x + win.width) - win.x);
      boolean flat = 2 * liveCols < win.width;
      assertEquals(flat, !win.scored, "window at " + win.x + "," + win.y + " " + win.width + "x" + win.height);
      zero += flat ? 1 : 0;
    }
    // Not scored: z 0 whatever the key.
    Fft fft = new Fft(T);
    KeyedPattern pattern = new KeyedPattern(WatermarkKey.generate("flat-test", rnd), fft);
    windows.prepare(TiledSpreadSpectrum.chipFilter(null), fft);
    double[] wz = new double[windows.size()];
    windows.scan(pattern, null, fft, 4, wz, new int[windows.size()]);
    for (int j = 0; j < wz.length; j++) {
      if (!windows.list.get(j).scored) {
        assertEquals(0, wz[j]);
      }
    }
    System.out.println("WindowsTest: " + zero + " of " + windows.size() + " windows not scored");
  }

  /**
   * A found window is cut down to the cells that carry the mark: 768x512 whose right half holds the
   * key's tile (at offset 0) in unit noise. The 2x2-cell window straddling the border keeps only its
   * right column; a window inside the marked half is kept whole; one wholly in the unmarked half
   * keeps at least one cell (trimming never empties a window).
   */
  @org.junit.jupiter.api.Test
  void foundWindowsAreTrimmedToTheirMarkedCells() {
    int w = 768;
    int h = 512;
    long seed = 20261205L;
    System.out.println("WindowsTest trim seed " + seed);
    Random rnd = new Random(seed);
    KeyedPattern pattern = new KeyedPattern(WatermarkKey.generate("trim-test", rnd), new Fft(T));
    float[] tile = pattern.tile(ConvolutionalCode.encode(new boolean[KeyedPattern.INFO_BITS]));
    float[] r = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double mark = x >= w / 2 ? 0.5 * tile[(y % T) * T + x % T] : 0;
        r[y * w + x] = (float) (rnd.nextGaussian() + mark);
      }
    }
    int straddling = 0;
    Windows windows = Windows.of(r, w, h);
    for (Windows.Window win : windows.list) {
      int[] rect = windows.trim(pattern, win, 0);
      String what = "window at " + win.x + "," + win.y + " " + win.width + "x" + win.height;
      assertTrue(rect[2] > 0 && rect[3] > 0, what);
      if (win.cellsWide == 2 && win.cellsHigh == 2 && win.x == 256) {
        // Cells 2 (unmarked, 256..384) and 3 (marked, 384..512): only the marked column stays.
        assertArrayEquals(new int[] {384, win.y, 128, win.height}, rect, what);
        straddling++;
      } else if (win.x >= w / 2) {
        assertArrayEquals(new int[] {win.x, win.y, win.width, win.height}, rect, what);
      }
    }
    assertEquals(5, straddling);
  }
}
