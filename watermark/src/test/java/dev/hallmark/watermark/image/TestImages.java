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
