package dev.hallmark.watermark.image;

import dev.hallmark.core.HallmarkException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The four Kodak photos under src/test/resources/images. */
final class TestImages {
  static final List<String> NAMES = List.of("kodim03", "kodim05", "kodim15", "kodim23");

  private TestImages() {}

  static List<String> names() {
    return NAMES;
  }

  static byte[] bytes(String name) throws IOException {
    return resourceBytes(name + ".png");
  }

  static byte[] resourceBytes(String file) throws IOException {
    try (InputStream in = TestImages.class.getResourceAsStream("/images/" + file)) {
      if (in == null) {
        throw new IOException("missing test resource /images/" + file);
      }
      return in.readAllBytes();
    }
  }

  static BufferedImage load(String name) throws IOException, HallmarkException {
    return Images.read(bytes(name), name);
  }

  /** Centre crop keeping {@code fraction} of each side. */
  static BufferedImage crop(BufferedImage img, double fraction) {
    int nw = (int) Math.round(img.getWidth() * fraction);
    int nh = (int) Math.round(img.getHeight() * fraction);
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, nw, nh, img.getRGB((img.getWidth() - nw) / 2, (img.getHeight() - nh) / 2, nw, nh, null, 0, nw), 0, nw);
    return out;
  }

  /** Area-averaging resize through Java2D's high-quality path. */
  static BufferedImage resize(BufferedImage img, double f) {
    int nw = (int) Math.round(img.getWidth() * f);
    int nh = (int) Math.round(img.getHeight() * f);
    java.awt.Image scaled = img.getScaledInstance(nw, nh, java.awt.Image.SCALE_AREA_AVERAGING);
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    g.drawImage(scaled, 0, 0, null);
    g.dispose();
    return out;
  }

  /**
   * A perspective edit on the same canvas: the picture's corners (top-left, top-right,
   * bottom-right, bottom-left) moved to {@code corners}, sampled bilinearly, {@code fill} (RGB)
   * where no picture lands.
   */
  static BufferedImage perspective(BufferedImage img, double[][] corners, int fill) {
    int w = img.getWidth();
    int h = img.getHeight();
    double[][] src = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
    // Output pixel -> source point: the homography taking corners to src.
    double[][] m = new double[8][9];
    for (int i = 0; i < 4; i++) {
      double x = corners[i][0];
      double y = corners[i][1];
      m[2 * i] = new double[] {x, y, 1, 0, 0, 0, -src[i][0] * x, -src[i][0] * y, src[i][0]};
      m[2 * i + 1] = new double[] {0, 0, 0, x, y, 1, -src[i][1] * x, -src[i][1] * y, src[i][1]};
    }
    for (int c = 0; c < 8; c++) {
      int piv = c;
      for (int r = c + 1; r < 8; r++) {
        piv = Math.abs(m[r][c]) > Math.abs(m[piv][c]) ? r : piv;
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
    double[] hm = new double[8];
    for (int i = 0; i < 8; i++) {
      hm[i] = m[i][8] / m[i][i];
    }
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double den = hm[6] * x + hm[7] * y + 1;
        double sx = (hm[0] * x + hm[1] * y + hm[2]) / den;
        double sy = (hm[3] * x + hm[4] * y + hm[5]) / den;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        if (sx < 0 || sy < 0 || x0 + 1 >= w || y0 + 1 >= h) {
          out.setRGB(x, y, fill);
          continue;
        }
        double fx = sx - x0;
        double fy = sy - y0;
        int rgb = 0;
        for (int s = 0; s <= 16; s += 8) {
          double v = (((img.getRGB(x0, y0) >>> s) & 0xff) * (1 - fx) + ((img.getRGB(x0 + 1, y0) >>> s) & 0xff) * fx) * (1 - fy)
              + (((img.getRGB(x0, y0 + 1) >>> s) & 0xff) * (1 - fx) + ((img.getRGB(x0 + 1, y0 + 1) >>> s) & 0xff) * fx) * fy;
          rgb |= (int) Math.round(v) << s;
        }
        out.setRGB(x, y, rgb);
      }
    }
    return out;
  }

  static BufferedImage jpeg(BufferedImage img, int q) throws HallmarkException {
    return Images.read(Images.encode(img, Images.Format.JPEG, q), "jpeg");
  }

  static double psnr(BufferedImage a, BufferedImage b) {
    double se = 0;
    long n = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          double d = ((p >>> s) & 0xff) - ((q >>> s) & 0xff);
          se += d * d;
          n++;
        }
      }
    }
    return 10 * Math.log10(255.0 * 255 * n / se);
  }
}
