package dev.hallmark.benchmarks.image;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageWatermarker;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Diagnostic for OmniSealBench's perspective attack: marks each photo, applies
 * {@link OmniSealAttacks#perspective} with a seeded corner draw, and detects twice: on the attacked
 * image, and on the attacked image warped back with the true homography (from the attack's own
 * corners, bilinear). A strong score on the rectified image means the mark survives the warp and
 * only the geometry estimate is missing. Key and payloads from a fixed seed.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.PerspectiveOracle DISTORTION PHOTO...</pre>
 */
public final class PerspectiveOracle {
  private PerspectiveOracle() {}

  public static void main(String[] a) throws Exception {
    if (a.length < 2) {
      System.err.println("usage: PerspectiveOracle DISTORTION PHOTO...");
      System.exit(2);
    }
    Random rnd = new Random(20261203L);
    WatermarkKey key = WatermarkKey.generate("bench", rnd);
    ImageWatermarker wm = ImageWatermarks.newWatermarker();
    double d = Double.parseDouble(a[0]);
    for (int i = 1; i < a.length; i++) {
      BufferedImage img = Images.read(Path.of(a[i]));
      byte[] payload = new byte[8];
      rnd.nextBytes(payload);
      BufferedImage m = wm.embed(img, key, payload);
      int w = m.getWidth();
      int h = m.getHeight();
      long seed = 1000L * i + 7;
      BufferedImage att = OmniSealAttacks.perspective(m, d, new Random(seed));
      // The same corners as the attack drew (the same seed and order of draws).
      Random r2 = new Random(seed);
      int dw = (int) (d * (w / 2));
      int dh = (int) (d * (h / 2));
      double[][] end = {
        {r2.nextInt(dw + 1), r2.nextInt(dh + 1)},
        {w - dw - 1 + r2.nextInt(dw + 1), r2.nextInt(dh + 1)},
        {w - dw - 1 + r2.nextInt(dw + 1), h - dh - 1 + r2.nextInt(dh + 1)},
        {r2.nextInt(dw + 1), h - dh - 1 + r2.nextInt(dh + 1)}};
      double[][] start = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
      double[] hm = OmniSealAttacks.homography(start, end); // original -> attacked
      int[][] p = Attacks.planes(att);
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
          int k = y0 * w + x0;
          for (int c = 0; c < 3; c++) {
            o[c][y * w + x] = (p[c][k] * (1 - fx) + p[c][k + 1] * fx) * (1 - fy)
                + (p[c][k + w] * (1 - fx) + p[c][k + w + 1] * fx) * fy;
          }
        }
      }
      BufferedImage rect = Attacks.fromPlanes(o, w, h);
      ImageDetection da = wm.detect(att, List.of(key), 1e-6);
      ImageDetection dr = wm.detect(rect, List.of(key), 1e-6);
      System.out.printf(Locale.ROOT, "%s d=%.1f corners %s%n  attacked: %s%n  rectified with the true homography: %s%n",
          Path.of(a[i]).getFileName(), d, Arrays.deepToString(end), da, dr);
    }
  }
}
