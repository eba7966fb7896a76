package dev.hallmark.watermark.internal.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Estimates a projective map from image pixels to tile coordinates, for pictures whose geometry is
 * not one similarity transform (a perspective warp, a keystone correction): the local scale and
 * shear then vary across the picture, so neither the whole-image lattice nor a scale-1 window folds
 * the tiles coherently.
 *
 * <p>Two passes. In each, the picture is cut into a 3x3 grid of overlapping square regions; in each
 * region the tile lattice's two period vectors are located at the peaks of the region's own
 * autocorrelation ({@link Lattice}), giving the local Jacobian {@code M_i} (tile units to pixels) at
 * the region's centre; a projective map {@code u = A d / (1 + c . d)} (d: pixel offset from the
 * centre) is fitted so that its Jacobian at each centre matches {@code M_i^-1} in least squares (for
 * fixed c the fit is linear in A; c is searched on a grid), dropping the worst region while it is an
 * outlier. Because the local geometry varies within a region, the first pass's peaks are smeared
 * and are looked for in a 5x5-smoothed autocorrelation; the second pass works on the residual
 * resampled through the first map (nearly a scale-1 lattice, sharp peaks) and corrects it. The
 * translation is left to the detector's offset search and the lattice's symmetries to its 8
 * symmetries, as for every other fold.
 *
 * <p>Which maps are returned depends on the picture alone, never on a key, so they are fold
 * hypotheses like the others for the detector's p-value. Pure.
 */
final class Perspective {
  private Perspective() {}

  private static final int T = KeyedPattern.TILE;
  private static final int GRID = 3;
  /** Regions smaller than this are too noisy for a local lattice. */
  private static final int MIN_REGION = 192;
  private static final int MAX_REGION = 512;
  private static final double REGION_SHARE = 0.6;
  private static final int MIN_REGIONS = 5;
  private static final int CANDIDATES = 4;
  /** First-pass candidate lattices whose maps are fitted. */
  private static final int TRIED = 8;
  /** Peak search radii (fractions of the period) of the refining passes. */
  private static final double[] REFINE_RADII = {0.12, 0.06, 0.03};
  private static final double MIN_LOCAL_SCALE = 0.5;
  private static final double MAX_LOCAL_SCALE = 1.6;
  /** Residuals are clipped at this many times their mean absolute value (see {@link #clip}). */
  private static final double CLIP = 2;
  static boolean DEBUG = Boolean.getBoolean("perspective.debug");

  /**
   * A projective map from absolute pixel coordinates (x, y) to tile coordinates:
   * {@code u = (h0 x + h1 y + h2) / (h6 x + h7 y + h8)}, {@code v = (h3 x + h4 y + h5) / (same)}.
   */
  record Map(double[] h, int regions, double residual) {
    double[] apply(double x, double y) {
      double w = h[6] * x + h[7] * y + h[8];
      return new double[] {(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w};
    }

    /** The map's Jacobian (2x2, row-major) at (x, y). */
    double[] jacobian(double x, double y) {
      double w = h[6] * x + h[7] * y + h[8];
      double u = (h[0] * x + h[1] * y + h[2]) / w;
      double v = (h[3] * x + h[4] * y + h[5]) / w;
      return new double[] {(h[0] - u * h[6]) / w, (h[1] - u * h[7]) / w, (h[3] - v * h[6]) / w, (h[4] - v * h[7]) / w};
    }

    /** Pixels per tile unit at (x, y). */
    double scale(double x, double y) {
      double[] j = jacobian(x, y);
      return 1 / Math.sqrt(Math.abs(j[0] * j[3] - j[1] * j[2]));
    }

    /** Rotation (degrees) of the tile axes at (x, y). */
    double degrees(double x, double y) {
      double[] j = jacobian(x, y);
      return Math.toDegrees(Math.atan2(-j[2], j[0]));
    }
  }

  /** A local lattice: its region's centre (absolute) and Jacobian {m00, m01, m10, m11} (tile units to pixels). */
  record Local(double x, double y, double[] m, double score) {}

  /**
   * The maps of the two passes (first pass alone, then corrected), or fewer (none) when too few
   * regions show a lattice or the picture is too small for the regions.
   */
  static List<Map> estimate(float[] r, int w, int h) {
    List<Map> out = new ArrayList<>();
    Map map = pass(r, w, h, 0);
    if (map == null) {
      return out;
    }
    out.add(map);
    for (double radius : REFINE_RADII) {
      Map next = refine(r, w, h, map, radius);
      if (next == null) {
        break;
      }
      map = next;
    }
    if (map != out.get(0)) {
      out.add(map);
    }
    return out;
  }

  /** Resamples the residual through {@code map} onto a grid of tile units, finds the correction there, and composes. */
  private static Map refine(float[] r, int w, int h, Map map, double radius) {
    double[][] corners = {map.apply(0, 0), map.apply(w - 1, 0), map.apply(0, h - 1), map.apply(w - 1, h - 1)};
    double u0 = Double.POSITIVE_INFINITY;
    double v0 = Double.POSITIVE_INFINITY;
    double u1 = Double.NEGATIVE_INFINITY;
    double v1 = Double.NEGATIVE_INFINITY;
    for (double[] c : corners) {
      u0 = Math.min(u0, c[0]);
      v0 = Math.min(v0, c[1]);
      u1 = Math.max(u1, c[0]);
      v1 = Math.max(v1, c[1]);
    }
    if (!(u1 - u0 < 4.0 * w + 4.0 * h && v1 - v0 < 4.0 * w + 4.0 * h)) {
      return null;
    }
    int rw = (int) Math.ceil(u1 - u0);
    int rh = (int) Math.ceil(v1 - v0);
    if (rw < MIN_REGION || rh < MIN_REGION) {
      return null;
    }
    double[] inv = invert(map.h());
    float[] rect = new float[rw * rh];
    for (int j = 0; j < rh; j++) {
      for (int i = 0; i < rw; i++) {
        double u = u0 + i;
        double v = v0 + j;
        double den = inv[6] * u + inv[7] * v + inv[8];
        double x = (inv[0] * u + inv[1] * v + inv[2]) / den;
        double y = (inv[3] * u + inv[4] * v + inv[5]) / den;
        rect[j * rw + i] = bilinear(r, w, h, x, y);
      }
    }
    Map corr = pass(rect, rw, rh, radius);
    if (corr == null) {
      return null;
    }
    // tile = corr(rect pixel), rect pixel = map(x) - (u0, v0).
    double[] shift = {1, 0, -u0, 0, 1, -v0, 0, 0, 1};
    return new Map(multiply(corr.h(), multiply(shift, map.h())), corr.regions(), corr.residual());
  }

  /**
   * One pass over {@code r}: the regions' autocorrelations (5x5-smoothed in the first pass), the
   * candidate lattices (in the first pass: the regions' own estimates, each also as the lattice of
   * its diagonals and as the lattice whose diagonals it is, the {@value #TRIED} with the largest
   * {@link #support} summed over the regions; in later passes the scale-1 lattice the resampling
   * aimed at), and for each the local Jacobians and the fitted map. The map whose fit leaves the
   * smallest residual wins: under the true lattice the local Jacobians follow one smooth map, under
   * a wrong one they scatter. Null when no candidate has {@value #MIN_REGIONS} regions.
   */
  static Map pass(float[] r, int w, int h, double refineRadius) {
    boolean first = refineRadius == 0;
    int side = (int) Math.min(MAX_REGION, Math.round(REGION_SHARE * Math.min(w, h)));
    if (side < MIN_REGION) {
      return null;
    }
    float[] sub = new float[side * side];
    List<Lattice.Autocorrelation> acs = new ArrayList<>();
    List<double[]> centres = new ArrayList<>();
    List<double[]> cands = new ArrayList<>();
    for (int gy = 0; gy < GRID; gy++) {
      for (int gx = 0; gx < GRID; gx++) {
        int x0 = (int) Math.round(gx * (w - side) / (double) (GRID - 1));
        int y0 = (int) Math.round(gy * (h - side) / (double) (GRID - 1));
        for (int y = 0; y < side; y++) {
          System.arraycopy(r, (y0 + y) * w + x0, sub, y * side, side);
        }
        clip(sub);
        Lattice.Autocorrelation ac = Lattice.autocorrelation(sub, side, side);
        if (ac == null || ac.factor() != 1) {
          continue;
        }
        ac = smoothed(ac);
        acs.add(ac);
        centres.add(new double[] {x0 + (side - 1) / 2.0, y0 + (side - 1) / 2.0});
        if (first) {
          for (Lattice.Estimate e : Lattice.estimate(ac, MIN_LOCAL_SCALE, MAX_LOCAL_SCALE, CANDIDATES)) {
            cands.add(new double[] {e.degrees(), e.scale()});
            cands.add(new double[] {(e.degrees() + 45) % 90, e.scale() / Math.sqrt(2)});
            cands.add(new double[] {(e.degrees() + 45) % 90, e.scale() * Math.sqrt(2)});
          }
        }
      }
    }
    double radius = first ? 0.12 : refineRadius;
    List<double[]> tried = new ArrayList<>();
    if (first) {
      List<double[]> scored = new ArrayList<>();
      for (double[] c : cands) {
        double total = 0;
        for (Lattice.Autocorrelation ac : acs) {
          double v = support(ac, c[0], c[1], radius);
          total += Double.isNaN(v) ? 0 : v;
        }
        scored.add(new double[] {c[0], c[1], total});
      }
      scored.sort((p, q) -> Double.compare(q[2], p[2]));
      for (double[] c : scored) {
        boolean dup = false;
        for (double[] o : tried) {
          double dd = Math.abs(o[0] - c[0]) % 90;
          dup |= Math.min(dd, 90 - dd) < 2 && Math.abs(Math.log(o[1] / c[1])) < 0.04;
        }
        if (!dup) {
          tried.add(c);
        }
        if (tried.size() == TRIED) {
          break;
        }
      }
    } else {
      tried.add(new double[] {0, 1});
    }
    Map best = null;
    for (double[] c : tried) {
      List<Local> locals = new ArrayList<>();
      double rad = Math.toRadians(c[0]);
      double cc = Math.cos(rad) * c[1] * T;
      double ss = Math.sin(rad) * c[1] * T;
      for (int i = 0; i < acs.size(); i++) {
        double[] p1 = peak(acs.get(i), cc, ss, radius);
        double[] p2 = peak(acs.get(i), -ss, cc, radius);
        if (p1 != null && p2 != null) {
          locals.add(new Local(centres.get(i)[0], centres.get(i)[1],
              new double[] {p1[0] / T, p2[0] / T, p1[1] / T, p2[1] / T}, p1[2] + p2[2]));
        }
      }
      if (locals.size() < MIN_REGIONS) {
        continue;
      }
      Map m = fit(align(locals), w, h);
      if (DEBUG) {
        System.out.printf(java.util.Locale.ROOT, "   %s cand (%.1f, %.3f) res %s%n", first ? "pass1" : "pass2", c[0], c[1],
            m == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f n %d", m.residual(), m.regions()));
      }
      if (m != null && (best == null || m.residual() < best.residual())) {
        best = m;
      }
    }
    return best;
  }

  private static float bilinear(float[] r, int w, int h, double x, double y) {
    if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) {
      return 0;
    }
    int x0 = Math.min((int) x, w - 2);
    int y0 = Math.min((int) y, h - 2);
    double tx = x - x0;
    double ty = y - y0;
    int o = y0 * w + x0;
    return (float) ((1 - ty) * ((1 - tx) * r[o] + tx * r[o + 1]) + ty * ((1 - tx) * r[o + w] + tx * r[o + w + 1]));
  }

  /**
   * How well the lattice of rotation {@code deg} and scale {@code scale} explains a region's
   * autocorrelation: the mean of the peaks near its two period vectors and at their sum and
   * difference; NaN when those are beyond the usable lags. A lattice finer than the true one (its
   * period vectors at the true diagonals' halves) finds no peaks at its period vectors.
   */
  static double support(Lattice.Autocorrelation ac, double deg, double scale, double radius) {
    double rad = Math.toRadians(deg);
    double c = Math.cos(rad) * scale * T;
    double s = Math.sin(rad) * scale * T;
    double[] p1 = peak(ac, c, s, radius);
    double[] p2 = peak(ac, -s, c, radius);
    if (p1 == null || p2 == null) {
      return Double.NaN;
    }
    double[] d1 = peak(ac, p1[0] + p2[0], p1[1] + p2[1], 0.02);
    double[] d2 = peak(ac, p1[0] - p2[0], p1[1] - p2[1], 0.02);
    if (d1 == null || d2 == null) {
      return Double.NaN;
    }
    return (p1[2] + p2[2] + d1[2] + d2[2]) / 4;
  }

  /** The autocorrelation averaged over 5x5 lags (wrapping at n), for peaks smeared by varying geometry. */
  static Lattice.Autocorrelation smoothed(Lattice.Autocorrelation ac) {
    int n = ac.n();
    float[] a = ac.a();
    float[] rows = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float s = 0;
        for (int i = -2; i <= 2; i++) {
          s += a[y * n + ((x + i) & (n - 1))];
        }
        rows[y * n + x] = s;
      }
    }
    float[] out = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        float s = 0;
        for (int j = -2; j <= 2; j++) {
          s += rows[((y + j) & (n - 1)) * n + x];
        }
        out[y * n + x] = s / 25;
      }
    }
    return new Lattice.Autocorrelation(out, n, ac.maxLag() - 2, ac.factor());
  }

  /**
   * Limits each value to {@value #CLIP} times the region's mean absolute value. A straight edge in
   * the picture (above all the border of a warped picture's black surround) leaves a line of large
   * residuals whose autocorrelation is a ridge along the edge, which can outscore the tile lattice;
   * clipped, the edge weighs no more than texture.
   */
  static void clip(float[] v) {
    double s = 0;
    for (float x : v) {
      s += Math.abs(x);
    }
    float c = (float) (CLIP * s / v.length);
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.max(-c, Math.min(c, v[i]));
    }
  }

  /**
   * The autocorrelation's largest value within {@code radius} (a fraction of the lag's length) of
   * the lag (x, y), refined to a fraction of a lag by a parabola through its neighbours along each
   * axis: {x, y, value}; null beyond the usable lags.
   */
  static double[] peak(Lattice.Autocorrelation ac, double x, double y, double radius) {
    float[] a = ac.a();
    int n = ac.n();
    double len = Math.hypot(x, y);
    int rad = (int) Math.ceil(radius * len);
    if (len + rad + 1 > ac.maxLag()) {
      return null;
    }
    int cx = (int) Math.round(x);
    int cy = (int) Math.round(y);
    int bx = cx;
    int by = cy;
    double best = Double.NEGATIVE_INFINITY;
    for (int j = -rad; j <= rad; j++) {
      for (int i = -rad; i <= rad; i++) {
        if (i * i + j * j > rad * rad) {
          continue;
        }
        double v = at(a, n, cx + i, cy + j);
        if (v > best) {
          best = v;
          bx = cx + i;
          by = cy + j;
        }
      }
    }
    double fx = vertex(at(a, n, bx - 1, by), best, at(a, n, bx + 1, by));
    double fy = vertex(at(a, n, bx, by - 1), best, at(a, n, bx, by + 1));
    return new double[] {bx + fx, by + fy, best};
  }

  private static double vertex(double m, double c, double p) {
    double den = m - 2 * c + p;
    if (den >= 0) {
      return 0;
    }
    return Math.max(-0.5, Math.min(0.5, 0.5 * (m - p) / den));
  }

  private static double at(float[] a, int n, int x, int y) {
    return a[(y & (n - 1)) * n + (x & (n - 1))];
  }

  /** Each local Jacobian in the column order and signs closest to the strongest region's. */
  static List<Local> align(List<Local> locals) {
    Local ref = locals.get(0);
    for (Local l : locals) {
      if (l.score() > ref.score()) {
        ref = l;
      }
    }
    List<Local> out = new ArrayList<>();
    for (Local l : locals) {
      double[] best = null;
      double bestD = Double.POSITIVE_INFINITY;
      for (int k = 0; k < 8; k++) {
        double[] m = permuted(l.m(), k);
        double d = 0;
        for (int i = 0; i < 4; i++) {
          d += (m[i] - ref.m()[i]) * (m[i] - ref.m()[i]);
        }
        if (d < bestD) {
          bestD = d;
          best = m;
        }
      }
      out.add(new Local(l.x(), l.y(), best, l.score()));
    }
    return out;
  }

  /** Columns of {m00, m01, m10, m11} swapped (bit 2) and negated (bit 0: first, bit 1: second). */
  private static double[] permuted(double[] m, int k) {
    double[] c1 = {m[0], m[2]};
    double[] c2 = {m[1], m[3]};
    if ((k & 4) != 0) {
      double[] t = c1;
      c1 = c2;
      c2 = t;
    }
    double s1 = (k & 1) == 0 ? 1 : -1;
    double s2 = (k & 2) == 0 ? 1 : -1;
    return new double[] {s1 * c1[0], s2 * c2[0], s1 * c1[1], s2 * c2[1]};
  }

  /** Least-squares fit of {@code u = A d / (1 + c . d)} (d from the image centre) to the local Jacobians. */
  static Map fit(List<Local> locals, int w, int h) {
    List<Local> use = new ArrayList<>(locals);
    double xc = (w - 1) / 2.0;
    double yc = (h - 1) / 2.0;
    while (true) {
      // G_i = M_i^-1, the map's Jacobian wanted at each centre.
      double[] g = new double[4 * use.size()];
      double[] d = new double[2 * use.size()];
      for (int i = 0; i < use.size(); i++) {
        double[] m = use.get(i).m();
        double det = m[0] * m[3] - m[1] * m[2];
        if (Math.abs(det) < 1e-9) {
          return null;
        }
        g[4 * i] = m[3] / det;
        g[4 * i + 1] = -m[1] / det;
        g[4 * i + 2] = -m[2] / det;
        g[4 * i + 3] = m[0] / det;
        d[2 * i] = use.get(i).x() - xc;
        d[2 * i + 1] = use.get(i).y() - yc;
      }
      double hx = w / 2.0;
      double hy = h / 2.0;
      double[] best = null;
      double bcx = 0;
      double bcy = 0;
      for (double step : new double[] {0.02, 0.004, 0.0008}) {
        double ox = bcx;
        double oy = bcy;
        int span = step == 0.02 ? 20 : 5;
        for (int j = -span; j <= span; j++) {
          for (int i = -span; i <= span; i++) {
            double cx = ox + i * step / hx;
            double cy = oy + j * step / hy;
            double[] f = solve(g, d, cx, cy);
            if (f != null && (best == null || f[4] < best[4])) {
              best = f;
              bcx = cx;
              bcy = cy;
            }
          }
        }
      }
      if (best == null) {
        return null;
      }
      double[] res = residuals(g, d, best, bcx, bcy);
      double[] sorted = res.clone();
      java.util.Arrays.sort(sorted);
      double median = sorted[sorted.length / 2];
      int worst = 0;
      for (int i = 1; i < res.length; i++) {
        if (res[i] > res[worst]) {
          worst = i;
        }
      }
      if (use.size() > MIN_REGIONS && res[worst] > 3 * median + 1e-9) {
        use.remove(worst);
        continue;
      }
      // u = A (x - xc) / (1 + c . (x - xc)) in homogeneous form.
      double a00 = best[0];
      double a01 = best[1];
      double a10 = best[2];
      double a11 = best[3];
      return new Map(new double[] {
        a00, a01, -(a00 * xc + a01 * yc),
        a10, a11, -(a10 * xc + a11 * yc),
        bcx, bcy, 1 - bcx * xc - bcy * yc}, use.size(), Math.sqrt(best[4] / use.size()) * Math.sqrt(Math.abs(best[0] * best[3] - best[1] * best[2])) / 1);
    }
  }

  /** The map's Jacobian at d for matrix A and vector c is A B(d), B(d) = ((1 + c.d) I - d c^T) / (1 + c.d)^2. */
  private static double[] basis(double dx, double dy, double cx, double cy) {
    double den = 1 + cx * dx + cy * dy;
    if (den <= 0.1) {
      return null;
    }
    double q = den * den;
    return new double[] {(den - dx * cx) / q, -dx * cy / q, -dy * cx / q, (den - dy * cy) / q};
  }

  /** For fixed c: A minimising sum ||A B_i - G_i||^2, and that sum: {a00, a01, a10, a11, sum}. */
  private static double[] solve(double[] g, double[] d, double cx, double cy) {
    int k = d.length / 2;
    double s00 = 0;
    double s01 = 0;
    double s11 = 0;
    double p00 = 0;
    double p01 = 0;
    double p10 = 0;
    double p11 = 0;
    double[][] bs = new double[k][];
    for (int i = 0; i < k; i++) {
      double[] b = basis(d[2 * i], d[2 * i + 1], cx, cy);
      if (b == null) {
        return null;
      }
      bs[i] = b;
      s00 += b[0] * b[0] + b[1] * b[1];
      s01 += b[0] * b[2] + b[1] * b[3];
      s11 += b[2] * b[2] + b[3] * b[3];
      p00 += g[4 * i] * b[0] + g[4 * i + 1] * b[1];
      p01 += g[4 * i] * b[2] + g[4 * i + 1] * b[3];
      p10 += g[4 * i + 2] * b[0] + g[4 * i + 3] * b[1];
      p11 += g[4 * i + 2] * b[2] + g[4 * i + 3] * b[3];
    }
    double det = s00 * s11 - s01 * s01;
    if (Math.abs(det) < 1e-18) {
      return null;
    }
    double i00 = s11 / det;
    double i01 = -s01 / det;
    double i11 = s00 / det;
    double[] a = {p00 * i00 + p01 * i01, p00 * i01 + p01 * i11, p10 * i00 + p11 * i01, p10 * i01 + p11 * i11};
    double sum = 0;
    for (double e : residualsOf(g, bs, a)) {
      sum += e;
    }
    return new double[] {a[0], a[1], a[2], a[3], sum};
  }

  private static double[] residuals(double[] g, double[] d, double[] a, double cx, double cy) {
    int k = d.length / 2;
    double[][] bs = new double[k][];
    for (int i = 0; i < k; i++) {
      bs[i] = basis(d[2 * i], d[2 * i + 1], cx, cy);
    }
    return residualsOf(g, bs, a);
  }

  private static double[] residualsOf(double[] g, double[][] bs, double[] a) {
    double[] out = new double[bs.length];
    for (int i = 0; i < bs.length; i++) {
      double[] b = bs[i];
      double e0 = a[0] * b[0] + a[1] * b[2] - g[4 * i];
      double e1 = a[0] * b[1] + a[1] * b[3] - g[4 * i + 1];
      double e2 = a[2] * b[0] + a[3] * b[2] - g[4 * i + 2];
      double e3 = a[2] * b[1] + a[3] * b[3] - g[4 * i + 3];
      out[i] = e0 * e0 + e1 * e1 + e2 * e2 + e3 * e3;
    }
    return out;
  }

  /** The product of two 3x3 matrices (row-major). */
  static double[] multiply(double[] a, double[] b) {
    double[] c = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
      }
    }
    return c;
  }

  /** The inverse of a 3x3 matrix (row-major), by its adjugate. */
  static double[] invert(double[] m) {
    double c00 = m[4] * m[8] - m[5] * m[7];
    double c01 = m[5] * m[6] - m[3] * m[8];
    double c02 = m[3] * m[7] - m[4] * m[6];
    double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
    return new double[] {
      c00 / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
      c01 / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
      c02 / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det};
  }
}
