package dev.hallmark.benchmarks.image;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageWatermarker;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Upscales (a HiDPI screenshot is 2x): marks each photo at the default strength under one key from
 * the seed, resizes it by each factor with each resizer, and detects at alpha 1e-6. Prints a line
 * per photo and resizer (D: detected with the exact payload, d?: detected without it, -: missed;
 * p-value, z, scale found, detection ms) and a Markdown table of detections per factor. With
 * {@code --negatives}, the same on the unmarked photos (every detection is a false positive).
 *
 * <p>Resizers: {@code bilinear} ({@link Attacks#resize}, a triangle filter, bilinear when
 * enlarging), {@code bicubic} (Java2D, bicubic interpolation), {@code nearest} (Java2D), {@code area}
 * (Java2D's area averaging, {@code getScaledInstance}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.UpscaleSuite \
 *     [--factors 1.25,1.5,1.6,1.78,2,2.5,3] [--resizers bilinear,bicubic] [--seed 20261203] [--negatives] PHOTO...
 * </pre>
 */
public final class UpscaleSuite {
  private UpscaleSuite() {}

  static BufferedImage java2d(BufferedImage src, double f, Object hint) {
    int nw = (int) Math.round(src.getWidth() * f);
    int nh = (int) Math.round(src.getHeight() * f);
    BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    if (hint == null) {
      g.drawImage(src.getScaledInstance(nw, nh, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
    } else {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, hint);
      g.drawImage(src, 0, 0, nw, nh, null);
    }
    g.dispose();
    return out;
  }

  static BufferedImage resize(String how, BufferedImage img, double f) {
    return switch (how) {
      case "bilinear" -> Attacks.resize(img, f);
      case "bicubic" -> java2d(img, f, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      case "nearest" -> java2d(img, f, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      case "area" -> java2d(img, f, null);
      default -> throw new IllegalArgumentException("unknown resizer " + how);
    };
  }

  public static void main(String[] args) throws Exception {
    double[] factors = {1.25, 1.5, 1.6, 1.78, 2.0, 2.5, 3.0};
    String[] hows = {"bilinear", "bicubic"};
    long seed = 20261203L;
    boolean negatives = false;
    List<String> photos = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--factors" -> factors = Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
        case "--resizers" -> hows = args[++i].split(",");
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--negatives" -> negatives = true;
        default -> photos.add(args[i]);
      }
    }
    if (photos.isEmpty()) {
      System.err.println("usage: UpscaleSuite [--factors F,...] [--resizers R,...] [--seed S] [--negatives] PHOTO...");
      System.exit(2);
    }
    Random rnd = new Random(seed);
    WatermarkKey key = WatermarkKey.generate("bench", rnd);
    ImageWatermarker wm = ImageWatermarks.newWatermarker();
    int[][] det = new int[hows.length][factors.length];
    double maxNegZ = Double.NEGATIVE_INFINITY;
    for (String file : photos) {
      BufferedImage img = Images.read(Path.of(file));
      byte[] payload = new byte[8];
      rnd.nextBytes(payload);
      BufferedImage m = negatives ? img : wm.embed(img, key, payload);
      String name = Path.of(file).getFileName().toString();
      for (int hi = 0; hi < hows.length; hi++) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s %-8s", name, hows[hi]));
        for (int fi = 0; fi < factors.length; fi++) {
          BufferedImage att = resize(hows[hi], m, factors[fi]);
          long t0 = System.nanoTime();
          ImageDetection d = wm.detect(att, List.of(key), 1e-6);
          long ms = (System.nanoTime() - t0) / 1_000_000;
          boolean exact = d.detected() && d.payloadValid() && Arrays.equals(d.payload(), payload);
          if (d.detected()) {
            det[hi][fi]++;
          }
          if (negatives) {
            maxNegZ = Math.max(maxNegZ, d.syncScore());
          }
          sb.append(String.format(Locale.ROOT, " | %.2f %s p=%.1e z=%.1f s=%.3f %dms", factors[fi],
              d.detected() ? (exact ? "D" : "d?") : "-", d.pValue(), d.syncScore(), d.scale(), ms));
        }
        System.out.println(sb);
        System.out.flush();
      }
    }
    System.out.printf(Locale.ROOT, "%n%d photos, seed %d, %s, alpha 1e-6%s%n%n", photos.size(), seed,
        negatives ? "unmarked (detections are false positives)" : "marked at the default strength",
        negatives ? String.format(Locale.ROOT, ", largest z %.2f", maxNegZ) : "");
    StringBuilder head = new StringBuilder("| resizer |");
    StringBuilder rule = new StringBuilder("|---|");
    for (double f : factors) {
      head.append(String.format(Locale.ROOT, " %sx |", f));
      rule.append("---|");
    }
    System.out.println(head);
    System.out.println(rule);
    for (int hi = 0; hi < hows.length; hi++) {
      StringBuilder sb = new StringBuilder("| " + hows[hi] + " |");
      for (int fi = 0; fi < factors.length; fi++) {
        sb.append(" ").append(det[hi][fi]).append("/").append(photos.size()).append(" |");
      }
      System.out.println(sb);
    }
  }
}
