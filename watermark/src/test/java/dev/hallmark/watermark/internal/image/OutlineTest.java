package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The picture's outline: found on a quadrilateral on a fill, and not on frames, bars or texture. */
class OutlineTest {
  static final long SEED = 611L;

  /** Textured luminance (values 20-235), w x h. */
  static float[] texture(int w, int h, Random rnd) {
    float[] y = new float[w * h];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        y[r * w + c] = (float) (128 + 60 * Math.sin(c * 0.05) * Math.cos(r * 0.031) + 40 * (rnd.nextDouble() - 0.5));
      }
    }
    return y;
  }

  /** {@code y} with every pixel outside the convex quadrilateral {@code q} set to {@code fill}. */
  static float[] outside(float[] y, int w, int h, double[][] q, float fill) {
    float[] out = y.clone();
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        for (int k = 0; k < 4; k++) {
          double[] a = q[k];
          double[] b = q[(k + 1) % 4];
          if ((b[0] - a[0]) * (r - a[1]) - (b[1] - a[1]) * (c - a[0]) < 0) {
            out[r * w + c] = fill;
            break;
          }
        }
      }
    }
    return out;
  }

  @Test
  void findsTheCornersOfAQuadrilateralOnAFill() {
    System.out.println("OutlineTest seed " + SEED);
    Random rnd = new Random(SEED);
    int w = 640;
    int h = 480;
    double[][] q = {{40.5, 20.5}, {600.5, 55.5}, {610.5, 450.5}, {20.5, 430.5}};
    for (float fill : new float[] {0, 255, 97}) {
      double[][] c = Outline.corners(outside(texture(w, h, rnd), w, h, q, fill), w, h);
      assertNotNull(c, "fill " + fill);
      for (int k = 0; k < 4; k++) {
        assertEquals(q[k][0], c[k][0], 1.0, "fill " + fill + " corner " + k);
        assertEquals(q[k][1], c[k][1], 1.0, "fill " + fill + " corner " + k);
      }
    }
  }

  @Test
  void aCornerOnTheCanvasCornerIsStillFound() {
    Random rnd = new Random(SEED + 1);
    int w = 512;
    int h = 384;
    double[][] q = {{0, 0}, {480.5, 30.5}, {500.5, 350.5}, {30.5, 383}};
    double[][] c = Outline.corners(outside(texture(w, h, rnd), w, h, q, 0), w, h);
    assertNotNull(c);
    assertEquals(0, c[0][0], 1.5);
    assertEquals(0, c[0][1], 1.5);
    assertEquals(480.5, c[1][0], 1.5);
    assertEquals(30.5, c[1][1], 1.5);
  }

  @Test
  void framesBarsAndPlainPhotosHaveNoOutline() {
    Random rnd = new Random(SEED + 2);
    int w = 512;
    int h = 384;
    float[] plain = texture(w, h, rnd);
    assertNull(Outline.corners(plain, w, h), "texture");
    // A 3-pixel black frame, as many scanned photos have.
    double[][] frame = {{2.5, 2.5}, {w - 3.5, 2.5}, {w - 3.5, h - 3.5}, {2.5, h - 3.5}};
    assertNull(Outline.corners(outside(plain, w, h, frame, 0), w, h), "frame");
    // Letterbox bars: an upright rectangle is a shift and resize, not a perspective edit.
    double[][] bars = {{0, 40.5}, {w - 1, 40.5}, {w - 1, h - 41.5}, {0, h - 41.5}};
    assertNull(Outline.corners(outside(plain, w, h, bars, 0), w, h), "bars");
    // A picture filling a small part of the canvas.
    double[][] small = {{200.5, 150.5}, {300.5, 160.5}, {290.5, 230.5}, {210.5, 220.5}};
    assertNull(Outline.corners(outside(plain, w, h, small, 0), w, h), "small");
    // All fill.
    assertNull(Outline.corners(new float[w * h], w, h), "empty");
  }

  @Test
  void oddImagesNeverBreakTheTrace() {
    Random rnd = new Random(SEED + 3);
    for (int t = 0; t < 300; t++) {
      int w = 16 + rnd.nextInt(90);
      int h = 16 + rnd.nextInt(90);
      double density = rnd.nextDouble();
      float[] y = new float[w * h];
      for (int i = 0; i < y.length; i++) {
        y[i] = rnd.nextDouble() < density ? 0 : 20 + rnd.nextInt(236);
      }
      double[][] c = Outline.corners(y, w, h);
      if (c != null) {
        assertEquals(4, c.length);
      }
    }
  }

  @Test
  void theHomographyTakesTheCornersToTheCanvasCorners() {
    int w = 768;
    int h = 512;
    double[][] q = {{118, 71}, {702, 14}, {745, 468}, {62, 421}};
    double[][] canvas = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
    double[] m = Outline.homography(q, w, h);
    for (int k = 0; k < 4; k++) {
      double den = m[6] * q[k][0] + m[7] * q[k][1] + 1;
      assertEquals(canvas[k][0], (m[0] * q[k][0] + m[1] * q[k][1] + m[2]) / den, 1e-9, "corner " + k);
      assertEquals(canvas[k][1], (m[3] * q[k][0] + m[4] * q[k][1] + m[5]) / den, 1e-9, "corner " + k);
    }
    // A straight line stays straight: the midpoint of the top side goes to the top side.
    double x = (q[0][0] + q[1][0]) / 2;
    double y = (q[0][1] + q[1][1]) / 2;
    assertEquals(0, (m[3] * x + m[4] * y + m[5]) / (m[6] * x + m[7] * y + 1), 1e-9);
  }
}
