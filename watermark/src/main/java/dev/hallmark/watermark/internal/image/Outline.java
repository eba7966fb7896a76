package dev.hallmark.watermark.internal.image;

import java.util.Arrays;

/**
 * Finds a picture drawn as a quadrilateral on a uniform fill (a perspective edit on the same canvas,
 * as image editors and OmniSealBench's perspective attack leave it: the picture's corners moved
 * inward, the uncovered canvas filled with one colour) and the homography that takes the picture
 * back to the canvas rectangle. The estimate reads the luminance only, never a key, so the
 * detector's hypotheses it yields are chosen from the image alone (spec, detection step 2,
 * "Outline").
 *
 * <ol>
 *   <li>Fill: the luminance value held (within +-2) by most pixels of the image's outer ring; at
 *       least 3% of the ring. The fill region is every pixel connected (4-neighbours) to the ring
 *       through pixels within 1 level of that value (rounded); if the rest finds no outline,
 *       within 6 (compression noise).
 *   <li>Edge points: in each row whose first (last) pixel is fill, the half-pixel position before
 *       (after) its first (last) two adjacent pixels outside the fill (a lone pixel there is
 *       compression noise); likewise down (up) each column.
 *   <li>Corners: the edge points extreme along the four diagonals start the sides; each side's line
 *       is fitted (total least squares) to the edge points within 6, 3 and then 1.5 pixels of it over
 *       the middle 90% of its length; a side with fewer than 16 such points along an image border
 *       is that border. Adjacent sides meet at the corners.
 *   <li>Accepted when the quadrilateral is convex, covers 20% of the image or more, is not an
 *       upright rectangle (the ends of some side differ by {@value #MIN_SLANT} pixels or more across
 *       it), has a corner {@value #MIN_MOVE} pixels or more from the canvas's, every side has its
 *       support (or lies on a border), and 70% or more of the edge points lie within 2 pixels of
 *       its sides.
 * </ol>
 *
 * Pure and static; allocation is one flag per pixel and a stack as large as the fill.
 */
final class Outline {
  private Outline() {}

  private static final int[] FILL_TOLERANCES = {1, 6};
  private static final double MIN_RING_SHARE = 0.03;
  private static final double MIN_AREA_SHARE = 0.2;
  private static final double MIN_SUPPORT_SHARE = 0.7;
  private static final int MIN_SIDE_POINTS = 16;
  private static final double MIN_SLANT = 3;
  private static final double MIN_MOVE = 8;


  /** The picture's corners (top-left, top-right, bottom-right, bottom-left), or null. */
  static double[][] corners(float[] y, int w, int h) {
    if (w < 16 || h < 16) {
      return null;
    }
    int ring = 2 * (w + h) - 4;
    int[] hist = new int[256];
    for (int x = 0; x < w; x++) {
      hist[level(y[x])]++;
      hist[level(y[(h - 1) * w + x])]++;
    }
    for (int r = 1; r < h - 1; r++) {
      hist[level(y[r * w])]++;
      hist[level(y[r * w + w - 1])]++;
    }
    int best = -1;
    int bestCount = 0;
    for (int v = 0; v < 256; v++) {
      int c = 0;
      for (int d = Math.max(0, v - 2); d <= Math.min(255, v + 2); d++) {
        c += hist[d];
      }
      if (c > bestCount) {
        bestCount = c;
        best = v;
      }
    }
    if (bestCount < MIN_RING_SHARE * ring) {
      return null;
    }
    // The fill value itself: the commonest level of that window.
    int mode = Math.max(0, best - 2);
    for (int d = mode; d <= Math.min(255, best + 2); d++) {
      mode = hist[d] > hist[mode] ? d : mode;
    }
    // A tight tolerance first (an exact fill next to dark or bright picture content), then one for
    // compression noise.
    for (int tolerance : FILL_TOLERANCES) {
      double[][] c = trace(flood(y, w, h, mode, tolerance), w, h);
      if (c != null) {
        return c;
      }
    }
    return null;
  }

  /** Steps 2-4 on a fill mask: the corners, or null. */
  private static double[][] trace(boolean[] fill, int w, int h) {
    // Edge points, at most 2 (w + h).
    double[] px = new double[2 * (w + h)];
    double[] py = new double[2 * (w + h)];
    int n = 0;
    // A line with no two adjacent picture pixels gives no point from either end.
    for (int r = 0; r < h; r++) {
      int left = firstPicture(fill, r * w, 1, w);
      if (left >= 0) {
        px[n] = left - 0.5;
        py[n++] = r;
      }
      int right = firstPicture(fill, r * w + w - 1, -1, w);
      if (right >= 0) {
        px[n] = w - 1 - right + 0.5;
        py[n++] = r;
      }
    }
    for (int c = 0; c < w; c++) {
      int top = firstPicture(fill, c, w, h);
      if (top >= 0) {
        px[n] = c;
        py[n++] = top - 0.5;
      }
      int bottom = firstPicture(fill, (h - 1) * w + c, -w, h);
      if (bottom >= 0) {
        px[n] = c;
        py[n++] = h - 1 - bottom + 0.5;
      }
    }
    if (n < 4 * MIN_SIDE_POINTS) {
      return null;
    }
    px = Arrays.copyOf(px, n);
    py = Arrays.copyOf(py, n);
    // Start: the picture's extreme points along the diagonals (its own pixels where no edge point
    // is, since a corner may sit on the canvas corner).
    double[][] start = new double[4][];
    double[][] dirs = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
    for (int k = 0; k < 4; k++) {
      double bestScore = Double.NEGATIVE_INFINITY;
      double[] pt = null;
      for (int i = 0; i < n; i++) {
        double s = dirs[k][0] * px[i] + dirs[k][1] * py[i];
        if (s > bestScore) {
          bestScore = s;
          pt = new double[] {px[i], py[i]};
        }
      }
      double cx = dirs[k][0] < 0 ? 0 : w - 1;
      double cy = dirs[k][1] < 0 ? 0 : h - 1;
      if (!fill[(int) cy * w + (int) cx] && dirs[k][0] * cx + dirs[k][1] * cy >= bestScore) {
        pt = new double[] {cx, cy};
      }
      start[k] = pt;
    }
    // Sides as lines a x + b y = c with (a, b) a unit normal.
    double[][] lines = new double[4][];
    for (int k = 0; k < 4; k++) {
      double[] p = start[k];
      double[] q = start[(k + 1) % 4];
      double[] line = through(p, q);
      if (line == null) {
        return null;
      }
      for (double tol : new double[] {6, 3, 1.5}) {
        double[] fitted = fit(px, py, line, p, q, tol);
        if (fitted == null) {
          fitted = border(p, q, w, h);
          if (fitted == null) {
            return null;
          }
          line = fitted;
          break;
        }
        line = fitted;
      }
      lines[k] = line;
    }
    double[][] corners = new double[4][];
    for (int k = 0; k < 4; k++) {
      corners[k] = meet(lines[(k + 3) % 4], lines[k]);
      if (corners[k] == null) {
        return null;
      }
    }
    return accept(corners, lines, px, py, w, h) ? corners : null;
  }

  /**
   * Along a line of {@code count} pixels from {@code start} in steps of {@code step}, the first k
   * (k = 0 when the line starts in the picture) at which pixels k and k + 1 are both outside the
   * fill, when the line's first pixel is fill; -1 when it is not, or when no two such pixels meet.
   */
  private static int firstPicture(boolean[] fill, int start, int step, int count) {
    if (!fill[start]) {
      return -1;
    }
    for (int k = 1, i = start + step; k < count - 1; k++, i += step) {
      if (!fill[i] && !fill[i + step]) {
        return k;
      }
    }
    return -1;
  }

  private static int level(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }

  /** The pixels 4-connected to the outer ring within the tolerance of the fill value. */
  private static boolean[] flood(float[] y, int w, int h, int value, int tolerance) {
    Flood f = new Flood(y, w * h, value - tolerance - 0.5f, value + tolerance + 0.5f);
    for (int x = 0; x < w; x++) {
      f.offer(x);
      f.offer((h - 1) * w + x);
    }
    for (int r = 1; r < h - 1; r++) {
      f.offer(r * w);
      f.offer(r * w + w - 1);
    }
    while (f.top > 0) {
      int i = f.stack[--f.top];
      int x = i % w;
      if (x > 0) {
        f.offer(i - 1);
      }
      if (x < w - 1) {
        f.offer(i + 1);
      }
      if (i >= w) {
        f.offer(i - w);
      }
      if (i < (h - 1) * w) {
        f.offer(i + w);
      }
    }
    return f.fill;
  }

  /** A flood fill's mask and its pending pixels (a stack grown as needed: fills are mostly small). */
  private static final class Flood {
    final float[] y;
    final boolean[] fill;
    final float lo;
    final float hi;
    int[] stack = new int[4096];
    int top;

    Flood(float[] y, int n, float lo, float hi) {
      this.y = y;
      this.fill = new boolean[n];
      this.lo = lo;
      this.hi = hi;
    }

    void offer(int i) {
      if (!fill[i] && y[i] >= lo && y[i] <= hi) {
        fill[i] = true;
        if (top == stack.length) {
          stack = Arrays.copyOf(stack, stack.length * 2);
        }
        stack[top++] = i;
      }
    }
  }

  /** The line through p and q, {a, b, c} with a x + b y = c and a^2 + b^2 = 1; null if p = q. */
  private static double[] through(double[] p, double[] q) {
    double dx = q[0] - p[0];
    double dy = q[1] - p[1];
    double len = Math.hypot(dx, dy);
    if (len < 8) {
      return null;
    }
    double a = -dy / len;
    double b = dx / len;
    return new double[] {a, b, a * p[0] + b * p[1]};
  }

  /**
   * Total least squares line through the edge points within {@code tol} of {@code line} whose
   * projection falls in the middle 90% of segment pq; null with fewer than the minimum support.
   */
  private static double[] fit(double[] px, double[] py, double[] line, double[] p, double[] q, double tol) {
    double dx = q[0] - p[0];
    double dy = q[1] - p[1];
    double len2 = dx * dx + dy * dy;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    int m = 0;
    for (int i = 0; i < px.length; i++) {
      if (Math.abs(line[0] * px[i] + line[1] * py[i] - line[2]) > tol) {
        continue;
      }
      double t = ((px[i] - p[0]) * dx + (py[i] - p[1]) * dy) / len2;
      if (t < 0.05 || t > 0.95) {
        continue;
      }
      sx += px[i];
      sy += py[i];
      sxx += px[i] * px[i];
      syy += py[i] * py[i];
      sxy += px[i] * py[i];
      m++;
    }
    int need = Math.max(MIN_SIDE_POINTS, (int) (0.25 * Math.sqrt(len2)));
    if (m < need) {
      return null;
    }
    double mx = sx / m;
    double my = sy / m;
    double cxx = sxx / m - mx * mx;
    double cyy = syy / m - my * my;
    double cxy = sxy / m - mx * my;
    // Normal = eigenvector of the smaller eigenvalue of the covariance.
    double theta = 0.5 * Math.atan2(2 * cxy, cxx - cyy); // direction of the larger
    double a = -Math.sin(theta);
    double b = Math.cos(theta);
    if (a * line[0] + b * line[1] < 0) {
      a = -a;
      b = -b;
    }
    return new double[] {a, b, a * mx + b * my};
  }

  /** The image border that segment pq lies along (within 1.5 pixels at both ends), or null. */
  private static double[] border(double[] p, double[] q, int w, int h) {
    double t = 1.5;
    if (Math.abs(p[1]) <= t && Math.abs(q[1]) <= t) {
      return new double[] {0, 1, 0};
    }
    if (Math.abs(p[1] - (h - 1)) <= t && Math.abs(q[1] - (h - 1)) <= t) {
      return new double[] {0, 1, h - 1};
    }
    if (Math.abs(p[0]) <= t && Math.abs(q[0]) <= t) {
      return new double[] {1, 0, 0};
    }
    if (Math.abs(p[0] - (w - 1)) <= t && Math.abs(q[0] - (w - 1)) <= t) {
      return new double[] {1, 0, w - 1};
    }
    return null;
  }

  private static double[] meet(double[] l1, double[] l2) {
    double det = l1[0] * l2[1] - l1[1] * l2[0];
    if (Math.abs(det) < 1e-6) {
      return null;
    }
    return new double[] {(l1[2] * l2[1] - l1[1] * l2[2]) / det, (l1[0] * l2[2] - l1[2] * l2[0]) / det};
  }

  private static boolean accept(double[][] c, double[][] lines, double[] px, double[] py, int w, int h) {
    double area = 0;
    int sign = 0;
    for (int k = 0; k < 4; k++) {
      double[] a = c[k];
      double[] b = c[(k + 1) % 4];
      double[] d = c[(k + 2) % 4];
      double cross = (b[0] - a[0]) * (d[1] - b[1]) - (b[1] - a[1]) * (d[0] - b[0]);
      int s = cross > 0 ? 1 : -1;
      if (sign != 0 && s != sign) {
        return false;
      }
      sign = s;
      area += a[0] * b[1] - b[0] * a[1];
      if (a[0] < -2 || a[1] < -2 || a[0] > w + 1 || a[1] > h + 1) {
        return false;
      }
    }
    if (Math.abs(area) / 2 < MIN_AREA_SHARE * w * h) {
      return false;
    }
    // An upright rectangle (a border, a letterbox, a picture pasted on a larger canvas) is a
    // shift and resize, which the scale search covers: only a slanted side calls for the outline.
    // A frame a few pixels wide (many scanned photos have one) is not an edit either.
    boolean slanted = Math.abs(c[0][1] - c[1][1]) >= MIN_SLANT || Math.abs(c[3][1] - c[2][1]) >= MIN_SLANT
        || Math.abs(c[0][0] - c[3][0]) >= MIN_SLANT || Math.abs(c[1][0] - c[2][0]) >= MIN_SLANT;
    double[][] canvas = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
    double moved = 0;
    for (int k = 0; k < 4; k++) {
      moved = Math.max(moved, Math.hypot(c[k][0] - canvas[k][0], c[k][1] - canvas[k][1]));
    }
    if (!slanted || moved < MIN_MOVE) {
      return false;
    }
    int near = 0;
    for (int i = 0; i < px.length; i++) {
      for (double[] l : lines) {
        if (Math.abs(l[0] * px[i] + l[1] * py[i] - l[2]) <= 2) {
          near++;
          break;
        }
      }
    }
    return near >= MIN_SUPPORT_SHARE * px.length;
  }

  /**
   * The homography {h0..h7} taking pixel (x, y) of a w x h image to the canvas-rectangle coordinates
   * (u, v) = ((h0 x + h1 y + h2) / den, (h3 x + h4 y + h5) / den), den = h6 x + h7 y + 1, under which
   * the corners {@code q} go to (0, 0), (w - 1, 0), (w - 1, h - 1) and (0, h - 1): (u, v) is
   * ((w - 1) s, (h - 1) t), where (s, t) is the point of the unit square that the
   * square-to-quadrilateral map (Heckbert, "Fundamentals of Texture Mapping and Image Warping",
   * 1989, section 2.2.3: corners (0, 0), (1, 0), (1, 1), (0, 1) to the four corners) takes there:
   * that map's 3x3 matrix inverted (adjugate), normalised to a last entry of 1, rows scaled; null
   * for a degenerate quadrilateral.
   */
  static double[] homography(double[][] q, int w, int h) {
    double sx = q[0][0] - q[1][0] + q[2][0] - q[3][0];
    double sy = q[0][1] - q[1][1] + q[2][1] - q[3][1];
    double dx1 = q[1][0] - q[2][0];
    double dx2 = q[3][0] - q[2][0];
    double dy1 = q[1][1] - q[2][1];
    double dy2 = q[3][1] - q[2][1];
    double den = dx1 * dy2 - dx2 * dy1;
    if (Math.abs(den) < 1e-9) {
      return null;
    }
    double g = (sx * dy2 - dx2 * sy) / den;
    double k = (dx1 * sy - sx * dy1) / den;
    // Square to quadrilateral: [[a, b, c], [d, e, f], [g, k, 1]].
    double a = q[1][0] - q[0][0] + g * q[1][0];
    double b = q[3][0] - q[0][0] + k * q[3][0];
    double c = q[0][0];
    double d = q[1][1] - q[0][1] + g * q[1][1];
    double e = q[3][1] - q[0][1] + k * q[3][1];
    double f = q[0][1];
    // Adjugate (the inverse up to a factor).
    double[] m = {e - f * k, c * k - b, b * f - c * e,
        f * g - d, a - c * g, c * d - a * f,
        d * k - e * g, b * g - a * k, a * e - b * d};
    if (Math.abs(m[8]) < 1e-12) {
      return null;
    }
    double n = m[8];
    return new double[] {(w - 1) * m[0] / n, (w - 1) * m[1] / n, (w - 1) * m[2] / n,
        (h - 1) * m[3] / n, (h - 1) * m[4] / n, (h - 1) * m[5] / n, m[6] / n, m[7] / n};
  }
}
