package dev.hallmark.benchmarks.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The image attacks of Meta's OmniSealBench ({@code src/omnisealbench/attacks/image_attacks.yaml}
 * and {@code image_effects.py} in facebookresearch/omnisealbench), with the same names, parameters
 * and semantics, reimplemented on 8-bit RGB following the torchvision functions they call:
 * areas (crop, resize, proportion, collage) are fractions of the image area; rotation keeps the
 * canvas with black corners (nearest neighbour, counter-clockwise for positive angles); brightness,
 * contrast, saturation and sharpness blend with black, the mean grey, the grey image and a 3x3
 * smoothed image; hue shifts in HSV; the median filter is the benchmark's separable median of
 * medians with zero padding; Gaussian blur uses torchvision's sigma for the kernel size; perspective
 * moves each corner inward at random by up to {@code distortion * half side} (seeded). Random
 * choices come from a {@link Random} seeded per photo and attack, so runs repeat exactly.
 */
public final class OmniSealAttacks {
  private OmniSealAttacks() {}

  /** One attack at one strength; {@code apply(marked, original, background, seed)}. */
  public record Attack(String family, String strength, Op op) {
    public String name() {
      return strength.isEmpty() ? family : family + " " + strength;
    }
  }

  /** An attack: the watermarked image, the unwatermarked original, a background photo, a seed. */
  public interface Op {
    BufferedImage apply(BufferedImage marked, BufferedImage original, BufferedImage background, long seed);
  }

  private static String f(double v) {
    String s = String.format(Locale.ROOT, "%s", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  /** The full list of image_attacks.yaml, in its order. */
  public static List<Attack> all() {
    List<Attack> a = new ArrayList<>();
    for (double p : new double[] {0.05, 0.1, 0.2, 0.5, 1.0}) {
      a.add(new Attack("proportion", f(p), (m, o, b, s) -> proportion(m, o, p)));
    }
    for (double p : new double[] {0.05, 0.1, 0.2, 0.5, 1.0}) {
      a.add(new Attack("collage", f(p), (m, o, b, s) -> collage(m, b, p, new Random(s))));
    }
    for (double p : new double[] {0.05, 0.1, 0.2, 0.5, 1.0}) {
      a.add(new Attack("center_crop", f(p), (m, o, b, s) -> centerCrop(m, p)));
    }
    for (double d : new double[] {5, 10, 30, 45, 90}) {
      a.add(new Attack("rotate", f(d), (m, o, b, s) -> rotate(m, d)));
    }
    for (int q : new int[] {40, 50, 60, 70, 80, 90}) {
      a.add(new Attack("jpeg", Integer.toString(q), (m, o, b, s) -> Attacks.jpeg(m, q)));
    }
    double[] factors = {0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0};
    for (double v : factors) {
      a.add(new Attack("brightness", f(v), (m, o, b, s) -> Attacks.brightness(m, v)));
    }
    for (double v : factors) {
      a.add(new Attack("contrast", f(v), (m, o, b, s) -> contrast(m, v)));
    }
    for (double v : factors) {
      a.add(new Attack("saturation", f(v), (m, o, b, s) -> saturation(m, v)));
    }
    for (double v : factors) {
      a.add(new Attack("sharpness", f(v), (m, o, b, s) -> sharpness(m, v)));
    }
    for (double v : new double[] {0.32, 0.45, 0.55, 0.63, 0.71, 0.77, 0.84, 0.89, 0.95, 1.00}) {
      a.add(new Attack("resize", f(v), (m, o, b, s) -> resizeArea(m, v)));
    }
    a.add(new Attack("overlay_text", "", (m, o, b, s) -> overlayText(m)));
    a.add(new Attack("hflip", "", (m, o, b, s) -> hflip(m)));
    for (double d : new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}) {
      a.add(new Attack("perspective", f(d), (m, o, b, s) -> perspective(m, d, new Random(s))));
    }
    for (int k : new int[] {3, 5, 9, 13, 17}) {
      a.add(new Attack("median_filter", Integer.toString(k), (m, o, b, s) -> medianFilter(m, k)));
    }
    for (double v : new double[] {-0.4, -0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5}) {
      a.add(new Attack("hue", f(v), (m, o, b, s) -> hue(m, v)));
    }
    for (int k : new int[] {3, 5, 9, 13, 17}) {
      a.add(new Attack("gaussian_blur", Integer.toString(k), (m, o, b, s) -> gaussianBlur(m, k)));
    }
    a.add(new Attack("comb", "crop 0.5, brightness 1.5, jpeg 80",
        (m, o, b, s) -> Attacks.jpeg(Attacks.brightness(centerCrop(m, 0.5), 1.5), 80)));
    return a;
  }

  static BufferedImage proportion(BufferedImage marked, BufferedImage original, double prop) {
    int w = marked.getWidth();
    int h = marked.getHeight();
    double k = Math.sqrt(prop);
    int rh = (int) (k * h);
    int rw = (int) (k * w);
    int y0 = (h - rh) / 2;
    int x0 = (w - rw) / 2;
    BufferedImage out = copy(original);
    out.setRGB(x0, y0, rw, rh, marked.getRGB(x0, y0, rw, rh, null, 0, rw), 0, rw);
    return out;
  }

  /** The marked pixels kept in a random rectangle of {@code scale} of the area, the rest another photo. */
  static BufferedImage collage(BufferedImage marked, BufferedImage background, double scale, Random rnd) {
    int w = marked.getWidth();
    int h = marked.getHeight();
    int[] q = collageRectangle(w, h, scale, rnd);
    BufferedImage out = Attacks.resizeTo(background, w, h);
    out.setRGB(q[0], q[1], q[2], q[3], marked.getRGB(q[0], q[1], q[2], q[3], null, 0, q[2]), 0, q[2]);
    return out;
  }

  /**
   * Where {@link #collage} keeps the watermarked picture in a w x h image: {left, top, width,
   * height}, a rectangle of {@code scale} of the area with a random aspect ratio (width over height)
   * in [0.25, 1.75] at a random position (the same draws from the same seed).
   */
  static int[] collageRectangle(int w, int h, double scale, Random rnd) {
    double area = (double) w * h * scale;
    double aspect = rnd.nextDouble() * 1.5 + 0.25;
    int width = Math.min((int) Math.sqrt(area * aspect), w - 1);
    int height = Math.min((int) (area / width), h - 1);
    int left = rnd.nextInt(w - width);
    int top = rnd.nextInt(h - height);
    return new int[] {left, top, width, height};
  }

  static BufferedImage centerCrop(BufferedImage img, double scale) {
    double k = Math.sqrt(scale);
    int nw = (int) (img.getWidth() * k);
    int nh = (int) (img.getHeight() * k);
    // torchvision centre crop: top = round((h - nh) / 2), left likewise
    int x0 = (int) Math.round((img.getWidth() - nw) / 2.0);
    int y0 = (int) Math.round((img.getHeight() - nh) / 2.0);
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, nw, nh, img.getRGB(x0, y0, nw, nh, null, 0, nw), 0, nw);
    return out;
  }

  static BufferedImage resizeArea(BufferedImage img, double scale) {
    double k = Math.sqrt(scale);
    int nw = (int) (img.getWidth() * k);
    int nh = (int) (img.getHeight() * k);
    return Attacks.resizeTo(img, nw, nh);
  }

  /** Counter-clockwise rotation about the centre, same canvas, nearest neighbour, black outside. */
  static BufferedImage rotate(BufferedImage img, double degrees) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] src = img.getRGB(0, 0, w, h, null, 0, w);
    int[] dst = new int[w * h];
    double a = Math.toRadians(degrees);
    double cos = Math.cos(a);
    double sin = Math.sin(a);
    double cx = w * 0.5;
    double cy = h * 0.5;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Output pixel centre, rotated back (clockwise on screen) into the source.
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        double sx = cos * dx - sin * dy + cx;
        double sy = sin * dx + cos * dy + cy;
        int ix = (int) Math.floor(sx);
        int iy = (int) Math.floor(sy);
        dst[y * w + x] = ix >= 0 && iy >= 0 && ix < w && iy < h ? src[iy * w + ix] : 0;
      }
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, w, h, dst, 0, w);
    return out;
  }

  static BufferedImage hflip(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    int[] flipped = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        flipped[x] = row[w - 1 - x];
      }
      out.setRGB(0, y, w, 1, flipped, 0, w);
    }
    return out;
  }

  /** Blend with the mean grey level: {@code f x + (1 - f) mean(grey)}. */
  static BufferedImage contrast(BufferedImage img, double factor) {
    int[][] p = Attacks.planes(img);
    double mean = 0;
    for (int i = 0; i < p[0].length; i++) {
      mean += grey(p, i);
    }
    mean /= p[0].length;
    double[][] o = new double[3][p[0].length];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < p[c].length; i++) {
        o[c][i] = factor * p[c][i] + (1 - factor) * mean;
      }
    }
    return Attacks.fromPlanes(o, img.getWidth(), img.getHeight());
  }

  private static double grey(int[][] p, int i) {
    return 0.2989 * p[0][i] + 0.587 * p[1][i] + 0.114 * p[2][i];
  }

  /** Blend with the grey image: {@code f x + (1 - f) grey(x)}. */
  static BufferedImage saturation(BufferedImage img, double factor) {
    int[][] p = Attacks.planes(img);
    double[][] o = new double[3][p[0].length];
    for (int i = 0; i < p[0].length; i++) {
      double g = grey(p, i);
      for (int c = 0; c < 3; c++) {
        o[c][i] = factor * p[c][i] + (1 - factor) * g;
      }
    }
    return Attacks.fromPlanes(o, img.getWidth(), img.getHeight());
  }

  /** Blend with the image smoothed by [[1,1,1],[1,5,1],[1,1,1]]/13 (border pixels unsmoothed). */
  static BufferedImage sharpness(BufferedImage img, double factor) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[][] p = Attacks.planes(img);
    double[][] o = new double[3][w * h];
    for (int c = 0; c < 3; c++) {
      int[] q = p[c];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          double blurred = q[i];
          if (x > 0 && y > 0 && x < w - 1 && y < h - 1) {
            double s = 4 * q[i];
            for (int dy = -1; dy <= 1; dy++) {
              for (int dx = -1; dx <= 1; dx++) {
                s += q[i + dy * w + dx];
              }
            }
            // torchvision rounds the smoothed uint8 image
            blurred = Math.round(s / 13);
          }
          o[c][i] = factor * q[i] + (1 - factor) * blurred;
        }
      }
    }
    return Attacks.fromPlanes(o, w, h);
  }

  /** Shifts hue by {@code f} of the colour circle in HSV. */
  static BufferedImage hue(BufferedImage img, double f) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
    float[] hsb = new float[3];
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      Color.RGBtoHSB((p >>> 16) & 0xff, (p >>> 8) & 0xff, p & 0xff, hsb);
      float nh = (float) (hsb[0] + f);
      nh -= (float) Math.floor(nh);
      rgb[i] = Color.HSBtoRGB(nh, hsb[1], hsb[2]) & 0xffffff;
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, w, h, rgb, 0, w);
    return out;
  }

  /** The benchmark's median: zero padding, median along each row window, then along the column. */
  static BufferedImage medianFilter(BufferedImage img, int k) {
    int w = img.getWidth();
    int h = img.getHeight();
    int r = k / 2;
    int[][] p = Attacks.planes(img);
    double[][] o = new double[3][w * h];
    int[] win = new int[k];
    int[] col = new int[k];
    for (int c = 0; c < 3; c++) {
      int[] q = p[c];
      // rowMed[y][x] = median over dx of q[y][x + dx] (zero outside)
      int[] rowMed = new int[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int d = -r; d <= r; d++) {
            int xx = x + d;
            win[d + r] = xx < 0 || xx >= w ? 0 : q[y * w + xx];
          }
          rowMed[y * w + x] = median(win);
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int d = -r; d <= r; d++) {
            int yy = y + d;
            col[d + r] = yy < 0 || yy >= h ? medianOfZeroRow() : rowMed[yy * w + x];
          }
          o[c][y * w + x] = median(col);
        }
      }
    }
    return Attacks.fromPlanes(o, w, h);
  }

  private static int medianOfZeroRow() {
    return 0;
  }

  private static int median(int[] v) {
    int[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[(s.length - 1) / 2];
  }

  /** torchvision gaussian_blur: sigma = 0.3 ((k - 1) / 2 - 1) + 0.8, reflect padding. */
  static BufferedImage gaussianBlur(BufferedImage img, int k) {
    double sigma = 0.3 * ((k - 1) * 0.5 - 1) + 0.8;
    int r = k / 2;
    double[] kern = new double[k];
    double sum = 0;
    for (int i = 0; i < k; i++) {
      kern[i] = Math.exp(-0.5 * Math.pow((i - r) / sigma, 2));
      sum += kern[i];
    }
    for (int i = 0; i < k; i++) {
      kern[i] /= sum;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    int[][] p = Attacks.planes(img);
    double[][] o = new double[3][w * h];
    double[] tmp = new double[w * h];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int i = 0; i < k; i++) {
            s += kern[i] * p[c][y * w + reflect(x + i - r, w)];
          }
          tmp[y * w + x] = s;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int i = 0; i < k; i++) {
            s += kern[i] * tmp[reflect(y + i - r, h) * w + x];
          }
          o[c][y * w + x] = s;
        }
      }
    }
    return Attacks.fromPlanes(o, w, h);
  }

  private static int reflect(int i, int n) {
    if (i < 0) {
      return Math.min(n - 1, -i);
    }
    if (i >= n) {
      return Math.max(0, 2 * n - 2 - i);
    }
    return i;
  }

  /** Red "Lorem Ipsum" at 15% of the height, left edge, half way down (augly overlay_text defaults). */
  static BufferedImage overlayText(BufferedImage img) {
    BufferedImage out = copy(img);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      int size = (int) Math.round(0.15 * img.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, size));
      g.setColor(new Color(255, 0, 0));
      g.drawString("Lorem Ipsum", 0, (int) (0.5 * img.getHeight()) + g.getFontMetrics().getAscent());
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Corners moved inward at random (as get_perspective_params), bilinear, black outside. */
  static BufferedImage perspective(BufferedImage img, double d, Random rnd) {
    int w = img.getWidth();
    int h = img.getHeight();
    // Homography from output (end) coordinates back to input (start) coordinates.
    return warp(img, homography(perspectiveCorners(w, h, d, rnd), imageCorners(w, h)));
  }

  /** The corners {@link #perspective} moves the image's corners to: the draws, in their order. */
  public static double[][] perspectiveCorners(int w, int h, double d, Random rnd) {
    int dw = (int) (d * (w / 2));
    int dh = (int) (d * (h / 2));
    return new double[][] {
      {rnd.nextInt(dw + 1), rnd.nextInt(dh + 1)},
      {w - dw - 1 + rnd.nextInt(dw + 1), rnd.nextInt(dh + 1)},
      {w - dw - 1 + rnd.nextInt(dw + 1), h - dh - 1 + rnd.nextInt(dh + 1)},
      {rnd.nextInt(dw + 1), h - dh - 1 + rnd.nextInt(dh + 1)}};
  }

  static double[][] imageCorners(int w, int h) {
    return new double[][] {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
  }

  /**
   * The image of the same size whose pixel (x, y) is {@code img} sampled bilinearly at {@code hm}(x, y)
   * ({@code hm} maps output to input coordinates); black where that falls outside.
   */
  static BufferedImage warp(BufferedImage img, double[] hm) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[][] p = Attacks.planes(img);
    double[][] o = new double[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double den = hm[6] * x + hm[7] * y + 1;
        double sx = (hm[0] * x + hm[1] * y + hm[2]) / den;
        double sy = (hm[3] * x + hm[4] * y + hm[5]) / den;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
          continue;
        }
        double fx = sx - x0;
        double fy = sy - y0;
        int i = y0 * w + x0;
        for (int c = 0; c < 3; c++) {
          o[c][y * w + x] = (p[c][i] * (1 - fx) + p[c][i + 1] * fx) * (1 - fy)
              + (p[c][i + w] * (1 - fx) + p[c][i + w + 1] * fx) * fy;
        }
      }
    }
    return Attacks.fromPlanes(o, w, h);
  }

  /** The 8 coefficients of the homography taking {@code from[i]} to {@code to[i]} (Gaussian elimination). */
  static double[] homography(double[][] from, double[][] to) {
    double[][] m = new double[8][9];
    for (int i = 0; i < 4; i++) {
      double x = from[i][0];
      double y = from[i][1];
      double u = to[i][0];
      double v = to[i][1];
      m[2 * i] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
      m[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
    }
    for (int c = 0; c < 8; c++) {
      int piv = c;
      for (int r = c + 1; r < 8; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
          piv = r;
        }
      }
      double[] t = m[c];
      m[c] = m[piv];
      m[piv] = t;
      for (int r = 0; r < 8; r++) {
        if (r != c) {
          double f = m[r][c] / m[c][c];
          for (int k = c; k < 9; k++) {
            m[r][k] -= f * m[c][k];
          }
        }
      }
    }
    double[] out = new double[8];
    for (int i = 0; i < 8; i++) {
      out[i] = m[i][8] / m[i][i];
    }
    return out;
  }

  static BufferedImage copy(BufferedImage img) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, img.getWidth(), img.getHeight(),
        img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()), 0, img.getWidth());
    return out;
  }
}
