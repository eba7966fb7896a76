package dev.hallmark.benchmarks.image;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Real-world image edits for the attack suite: JPEG re-encoding, resizing with an antialiasing
 * (triangle) filter, centre crops, rotation, brightness/contrast, Gaussian noise and blur. All work
 * on 8-bit RGB; noise is seeded.
 */
public final class Attacks {
  private Attacks() {}

  /** A named edit. */
  public record Attack(String name, UnaryOperator<BufferedImage> op) {}

  public static BufferedImage jpeg(BufferedImage img, int quality) {
    try {
      return Images.read(Images.encode(img, Images.Format.JPEG, quality), "jpeg-attack");
    } catch (HallmarkException e) {
      throw new IllegalStateException(e);
    }
  }

  static int[][] planes(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[][] p = new int[3][w * h];
    int[] rgb = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      p[0][i] = (rgb[i] >>> 16) & 0xff;
      p[1][i] = (rgb[i] >>> 8) & 0xff;
      p[2][i] = rgb[i] & 0xff;
    }
    return p;
  }

  static BufferedImage fromPlanes(double[][] p, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] rgb = new int[w * h];
    for (int i = 0; i < rgb.length; i++) {
      int r = clamp(p[0][i]);
      int g = clamp(p[1][i]);
      int b = clamp(p[2][i]);
      rgb[i] = (r << 16) | (g << 8) | b;
    }
    out.setRGB(0, 0, w, h, rgb, 0, w);
    return out;
  }

  private static int clamp(double v) {
    long r = Math.round(v);
    return (int) (r < 0 ? 0 : (r > 255 ? 255 : r));
  }

  /** Resize by {@code f} with a triangle filter widened by 1/f when shrinking (antialiased). */
  public static BufferedImage resize(BufferedImage img, double f) {
    int w = img.getWidth();
    int h = img.getHeight();
    int nw = Math.max(1, (int) Math.round(w * f));
    int nh = Math.max(1, (int) Math.round(h * f));
    return resizeTo(img, nw, nh);
  }

  /** Resize to {@code nw x nh} with the same antialiasing triangle filter as {@link #resize}. */
  public static BufferedImage resizeTo(BufferedImage img, int nw, int nh) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[][] p = planes(img);
    double[][] out = new double[3][nw * nh];
    for (int c = 0; c < 3; c++) {
      double[] tmp = new double[nw * h];
      for (int y = 0; y < h; y++) {
        resample1d(p[c], y * w, 1, w, tmp, y * nw, 1, nw);
      }
      for (int x = 0; x < nw; x++) {
        resample1dD(tmp, x, nw, h, out[c], x, nw, nh);
      }
    }
    return fromPlanes(out, nw, nh);
  }

  private static void resample1d(int[] in, int off, int stride, int n, double[] out, int ooff, int ostride, int m) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = in[off + i * stride];
    }
    resample1dD(d, 0, 1, n, out, ooff, ostride, m);
  }

  private static void resample1dD(double[] in, int off, int stride, int n, double[] out, int ooff, int ostride, int m) {
    double scale = (double) m / n;
    double support = scale < 1 ? 1 / scale : 1;
    for (int j = 0; j < m; j++) {
      double center = (j + 0.5) / scale - 0.5;
      int lo = (int) Math.floor(center - support);
      int hi = (int) Math.ceil(center + support);
      double s = 0;
      double ws = 0;
      for (int i = lo; i <= hi; i++) {
        double wgt = 1 - Math.abs(i - center) / support;
        if (wgt <= 0) {
          continue;
        }
        int ii = Math.max(0, Math.min(n - 1, i));
        s += wgt * in[off + ii * stride];
        ws += wgt;
      }
      out[ooff + j * ostride] = s / ws;
    }
  }

  /** Centre crop keeping {@code areaFraction} of the area (same aspect ratio). */
  public static BufferedImage crop(BufferedImage img, double areaFraction) {
    double k = Math.sqrt(areaFraction);
    int nw = (int) Math.round(img.getWidth() * k);
    int nh = (int) Math.round(img.getHeight() * k);
    int x0 = (img.getWidth() - nw) / 2;
    int y0 = (img.getHeight() - nh) / 2;
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, nw, nh, img.getRGB(x0, y0, nw, nh, null, 0, nw), 0, nw);
    return out;
  }

  /** Multiplies every channel by {@code factor} (PIL ImageEnhance.Brightness). */
  public static BufferedImage brightness(BufferedImage img, double factor) {
    int[][] p = planes(img);
    double[][] o = new double[3][p[0].length];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < p[c].length; i++) {
        o[c][i] = p[c][i] * factor;
      }
    }
    return fromPlanes(o, img.getWidth(), img.getHeight());
  }

  /** Scales distance from the mean grey level by {@code factor} (PIL ImageEnhance.Contrast). */
  public static BufferedImage contrast(BufferedImage img, double factor) {
    int[][] p = planes(img);
    double mean = 0;
    for (int i = 0; i < p[0].length; i++) {
      mean += 0.299 * p[0][i] + 0.587 * p[1][i] + 0.114 * p[2][i];
    }
    mean /= p[0].length;
    double[][] o = new double[3][p[0].length];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < p[c].length; i++) {
        o[c][i] = mean + (p[c][i] - mean) * factor;
      }
    }
    return fromPlanes(o, img.getWidth(), img.getHeight());
  }

  /** Adds independent Gaussian noise of standard deviation {@code sigma} to every channel. */
  public static BufferedImage noise(BufferedImage img, double sigma, long seed) {
    Random rnd = new Random(seed);
    int[][] p = planes(img);
    double[][] o = new double[3][p[0].length];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < p[c].length; i++) {
        o[c][i] = p[c][i] + sigma * rnd.nextGaussian();
      }
    }
    return fromPlanes(o, img.getWidth(), img.getHeight());
  }

  /** Gaussian blur with standard deviation {@code sigma} (kernel radius 3 sigma). */
  public static BufferedImage blur(BufferedImage img, double sigma) {
    int w = img.getWidth();
    int h = img.getHeight();
    int rad = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * rad + 1];
    double ks = 0;
    for (int i = -rad; i <= rad; i++) {
      k[i + rad] = Math.exp(-i * i / (2 * sigma * sigma));
      ks += k[i + rad];
    }
    int[][] p = planes(img);
    double[][] o = new double[3][w * h];
    for (int c = 0; c < 3; c++) {
      double[] tmp = new double[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int i = -rad; i <= rad; i++) {
            s += k[i + rad] * p[c][y * w + Math.max(0, Math.min(w - 1, x + i))];
          }
          tmp[y * w + x] = s / ks;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double s = 0;
          for (int i = -rad; i <= rad; i++) {
            s += k[i + rad] * tmp[Math.max(0, Math.min(h - 1, y + i)) * w + x];
          }
          o[c][y * w + x] = s / ks;
        }
      }
    }
    return fromPlanes(o, w, h);
  }

  /** Rotation by {@code degrees} about the centre (bilinear), same canvas, borders black. */
  public static BufferedImage rotate(BufferedImage img, double degrees) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[][] p = planes(img);
    double[][] o = new double[3][w * h];
    double a = Math.toRadians(degrees);
    double cos = Math.cos(a);
    double sin = Math.sin(a);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double sx = cos * (x - cx) + sin * (y - cy) + cx;
        double sy = -sin * (x - cx) + cos * (y - cy) + cy;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
          continue;
        }
        double fx = sx - x0;
        double fy = sy - y0;
        for (int c = 0; c < 3; c++) {
          int i = y0 * w + x0;
          o[c][y * w + x] = (p[c][i] * (1 - fx) + p[c][i + 1] * fx) * (1 - fy)
              + (p[c][i + w] * (1 - fx) + p[c][i + w + 1] * fx) * fy;
        }
      }
    }
    return fromPlanes(o, w, h);
  }

  /** PSNR over the RGB channels. */
  public static double psnr(BufferedImage a, BufferedImage b) {
    int[][] p = planes(a);
    int[][] q = planes(b);
    double se = 0;
    long n = 0;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < p[c].length; i++) {
        double d = p[c][i] - q[c][i];
        se += d * d;
        n++;
      }
    }
    return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * n / se);
  }

  /** Mean SSIM of the BT.601 luminance over 7x7 windows (constants K1 0.01, K2 0.03). */
  public static double ssim(BufferedImage a, BufferedImage b) {
    int w = a.getWidth();
    int h = a.getHeight();
    double[] x = lum(a);
    double[] y = lum(b);
    double c1 = Math.pow(0.01 * 255, 2);
    double c2 = Math.pow(0.03 * 255, 2);
    double total = 0;
    int n = 0;
    for (int by = 0; by + 7 <= h; by += 2) {
      for (int bx = 0; bx + 7 <= w; bx += 2) {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int j = 0; j < 7; j++) {
          for (int i = 0; i < 7; i++) {
            double u = x[(by + j) * w + bx + i];
            double v = y[(by + j) * w + bx + i];
            sx += u;
            sy += v;
            sxx += u * u;
            syy += v * v;
            sxy += u * v;
          }
        }
        double m = 49;
        double mx = sx / m, my = sy / m;
        double vx = (sxx - m * mx * mx) / (m - 1);
        double vy = (syy - m * my * my) / (m - 1);
        double cxy = (sxy - m * mx * my) / (m - 1);
        total += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        n++;
      }
    }
    return total / n;
  }

  private static double[] lum(BufferedImage img) {
    int[][] p = planes(img);
    double[] l = new double[p[0].length];
    for (int i = 0; i < l.length; i++) {
      l[i] = 0.299 * p[0][i] + 0.587 * p[1][i] + 0.114 * p[2][i];
    }
    return l;
  }

  /**
   * The photos (PNG, JPEG, TIFF, WebP, BMP) in {@code dir}, sorted by name; exits with status 2 and a
   * one-line message naming {@code tool} when the folder is missing.
   */
  public static java.util.List<java.nio.file.Path> photos(java.nio.file.Path dir, String tool) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(dir)) {
      System.err.println(tool + ": photo folder " + dir + " not found; pass the folder of test photos"
          + " (e.g. ../shared/testdata/images/kodak) as the first argument");
      System.exit(2);
    }
    try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
      return s.filter(p -> p.toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.(png|jpe?g|tiff?|webp|bmp)"))
          .sorted().collect(java.util.stream.Collectors.toList());
    }
  }

  /**
   * The photos read, each shrunk (antialiased, aspect kept) so that its longer side is at most
   * {@code maxSide} pixels when that is positive.
   */
  public static java.util.List<BufferedImage> read(java.util.List<java.nio.file.Path> files, int maxSide)
      throws dev.hallmark.core.HallmarkException {
    java.util.List<BufferedImage> out = new java.util.ArrayList<>();
    for (java.nio.file.Path f : files) {
      BufferedImage img = dev.hallmark.watermark.image.Images.read(f);
      int side = Math.max(img.getWidth(), img.getHeight());
      if (maxSide > 0 && side > maxSide) {
        double k = maxSide / (double) side;
        img = resizeTo(img, (int) Math.round(img.getWidth() * k), (int) Math.round(img.getHeight() * k));
      }
      out.add(img);
    }
    return out;
  }
}
