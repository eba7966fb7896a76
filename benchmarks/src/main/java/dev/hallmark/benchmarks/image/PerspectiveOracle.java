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
      double[][] end = OmniSealAttacks.perspectiveCorners(w, h, d, new Random(seed));
      // original -> attacked: the rectified pixel (x, y) samples the attacked image at hm(x, y).
      double[] hm = OmniSealAttacks.homography(OmniSealAttacks.imageCorners(w, h), end);
      BufferedImage rect = OmniSealAttacks.warp(att, hm);
      ImageDetection da = wm.detect(att, List.of(key), 1e-6);
      ImageDetection dr = wm.detect(rect, List.of(key), 1e-6);
      System.out.printf(Locale.ROOT, "%s d=%.1f corners %s%n  attacked: %s%n  rectified with the true homography: %s%n",
          Path.of(a[i]).getFileName(), d, Arrays.deepToString(end), da, dr);
    }
  }
}
