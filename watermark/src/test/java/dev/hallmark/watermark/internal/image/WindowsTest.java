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
 * docs/spec/image-watermark.md step 5), and each window's fold, built from per-cell folds, equals
 * the fold of the window's pixels alone, shifted by the window's position modulo the tile.
 */
class WindowsTest {
  private static final int T = KeyedPattern.TILE;

  @ParameterizedTest(name = "{0}x{1}: {2} windows")
  @CsvSource({"768,512,50", "1920,1080,50", "343,229,9", "192,192,9", "191,191,4", "180,180,0", "243,162,0", "512,300,25"})
  void windowCountDependsOnTheSizeOnly(int w, int h, int expected) {
    assertEquals(expected, TiledSpreadSpectrum.windows(new float[w * h], w, h).size());
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
    List<TiledSpreadSpectrum.Window> windows = TiledSpreadSpectrum.windows(r, w, h);
    for (TiledSpreadSpectrum.Window win : windows) {
      float[] sub = new float[win.width * win.height];
      for (int y = 0; y < win.height; y++) {
        System.arraycopy(r, (win.y + y) * w + win.x, sub, y * win.width, win.width);
      }
      double[] direct = TiledSpreadSpectrum.folds(sub, win.width, win.height, new double[] {1.0}).get(0).tile;
      for (int y = 0; y < T; y++) {
        for (int x = 0; x < T; x++) {
          double a = win.fold.tile[((y + win.y) % T) * T + (x + win.x) % T];
          assertEquals(direct[y * T + x], a, 1e-5, "window at " + win.x + "," + win.y + " bin " + x + "," + y);
        }
      }
    }
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
    for (TiledSpreadSpectrum.Window win : TiledSpreadSpectrum.windows(r, w, h)) {
      int liveCols = Math.max(0, Math.min(256, win.x + win.width) - win.x);
      boolean flat = 2 * liveCols < win.width;
      double energy = 0;
      for (double v : win.fold.tile) {
        energy += v * v;
      }
      assertEquals(flat, energy == 0, "window at " + win.x + "," + win.y + " " + win.width + "x" + win.height);
      zero += flat ? 1 : 0;
    }
    System.out.println("WindowsTest: " + zero + " of 50 windows not scored");
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
    for (TiledSpreadSpectrum.Window win : TiledSpreadSpectrum.windows(r, w, h)) {
      int[] rect = TiledSpreadSpectrum.trim(pattern, win, 0);
      String what = "window at " + win.x + "," + win.y + " " + win.width + "x" + win.height;
      assertTrue(rect[2] > 0 && rect[3] > 0, what);
      if (win.side == 2 && win.x == 256) {
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
