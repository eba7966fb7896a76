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
 * Diagnostic for a geometric attack the detector misses (issue #15): is the mark gone, or only the
 * geometry estimate? Marks each photo, applies OmniSealBench's attack, and detects twice: on the
 * attacked image, and on the attacked image warped back with the attack's true map (bilinear). A
 * strong score on the image warped back means the mark survives and only the estimate is missing.
 * Key and payloads from a fixed seed.
 *
 * <ul>
 *   <li>{@code perspective D}: {@link OmniSealAttacks#perspective} with a seeded corner draw, undone
 *       with the homography from the attack's own corners.
 *   <li>{@code rotate DEGREES}: {@link OmniSealAttacks#rotate} (same canvas, black corners), undone
 *       by rotating back about the centre; {@code -Dhallmark.oracle.angleError=E} rotates back by
 *       DEGREES + E instead, to see how far off an estimate may be.
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.GeometryOracle perspective|rotate AMOUNT PHOTO...</pre>
 */
public final class GeometryOracle {
  private GeometryOracle() {}

  public static void main(String[] a) throws Exception {
    if (a.length < 3 || !(a[0].equals("perspective") || a[0].equals("rotate"))) {
      System.err.println("usage: GeometryOracle perspective|rotate AMOUNT PHOTO...");
      System.exit(2);
    }
    boolean perspective = a[0].equals("perspective");
    double amount = Double.parseDouble(a[1]);
    double angleError = Double.parseDouble(System.getProperty("hallmark.oracle.angleError", "0"));
    Random rnd = new Random(20261203L);
    WatermarkKey key = WatermarkKey.generate("bench", rnd);
    ImageWatermarker wm = ImageWatermarks.newWatermarker();
    for (int i = 2; i < a.length; i++) {
      BufferedImage img = Images.read(Path.of(a[i]));
      byte[] payload = new byte[8];
      rnd.nextBytes(payload);
      BufferedImage m = wm.embed(img, key, payload);
      int w = m.getWidth();
      int h = m.getHeight();
      double[][] from = OmniSealAttacks.imageCorners(w, h);
      BufferedImage att;
      double[][] to;
      String what;
      if (perspective) {
        long seed = 1000L * (i - 1) + 7;
        att = OmniSealAttacks.perspective(m, amount, new Random(seed));
        // The same corners as the attack drew (the same seed and order of draws).
        to = OmniSealAttacks.perspectiveCorners(w, h, amount, new Random(seed));
        what = String.format(Locale.ROOT, "perspective %.1f, corners %s", amount, Arrays.deepToString(to));
      } else {
        att = OmniSealAttacks.rotate(m, amount);
        // The attack samples the source at R(x - c) + c; an original point s is at R^T (s - c) + c.
        double t = Math.toRadians(amount + angleError);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        to = new double[from.length][];
        for (int k = 0; k < from.length; k++) {
          double dx = from[k][0] - w * 0.5;
          double dy = from[k][1] - h * 0.5;
          to[k] = new double[] {cos * dx + sin * dy + w * 0.5, -sin * dx + cos * dy + h * 0.5};
        }
        what = String.format(Locale.ROOT, "rotate %.1f, rotated back by %.1f", amount, amount + angleError);
      }
      // original -> attacked: the pixel (x, y) warped back samples the attacked image at hm(x, y).
      BufferedImage back = OmniSealAttacks.warp(att, OmniSealAttacks.homography(from, to));
      ImageDetection da = wm.detect(att, List.of(key), 1e-6);
      ImageDetection db = wm.detect(back, List.of(key), 1e-6);
      System.out.printf(Locale.ROOT, "%s %s%n  attacked: %s%n  warped back with the true map: %s%n",
          Path.of(a[i]).getFileName(), what, da, db);
    }
  }
}
