package dev.hallmark.benchmarks.image;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageWatermarker;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Scores the image watermark on OmniSealBench's image attack list ({@link OmniSealAttacks}): for
 * each attack and strength, how many photos are detected at family-wise p &lt;= 1e-6 and how many
 * return the exact 64-bit payload; with {@code --negatives}, the same attacks on the unwatermarked
 * photos, counting detections at 1e-6 and 1e-3 (false positives).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.OmniSealSuite \
 *     [--skip N] [--limit N] [--only REGEX] [--negatives] [--seed S] [--max-side N] [--collage-oracle]
 *     [--psnr DB] [--mask-exponent E] PHOTO_DIR
 * </pre>
 *
 * {@code --collage-oracle} also detects, for each collage, on the watermarked rectangle alone (cut
 * out of the collage): what a detector that knew where the picture was pasted would find, the
 * ceiling for localisation (an extra column).
 *
 * {@code --psnr DB} embeds at another target PSNR than the default's 40.5 dB (lower is stronger): what
 * a stronger setting would buy, e.g. 38 dB, the PSNR OmniSealBench runs the neural watermarks at.
 * {@code --mask-exponent E} embeds with another texture mask exponent than the default's 0.5 (1 is
 * embedder 1.0's linear mask). The summary gives the embedding's PSNR and SSIM, the progress lines
 * each photo's.
 *
 * {@code --max-side N} first shrinks photos whose longer side exceeds N pixels to N (antialiased,
 * aspect kept), e.g. 768 to bring camera-size photos to the Kodak photos' size.
 *
 * One thread; progress on stderr, a Markdown table on stdout; the key, payloads and random attack
 * parameters come from the printed seed.
 */
public final class OmniSealSuite {
  private OmniSealSuite() {}

  static final double ALPHA = 1e-6;

  public static void main(String[] args) throws Exception {
    int limit = Integer.MAX_VALUE;
    int skip = 0;
    Pattern only = null;
    boolean negatives = false;
    long seed = 20261203L;
    int maxSide = 0;
    boolean oracle = false;
    double psnr = ImageWatermarkParameters.DEFAULT.targetPsnrDb();
    double maskExponent = ImageWatermarkParameters.DEFAULT.maskExponent();
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--limit" -> limit = Integer.parseInt(args[++i]);
        case "--skip" -> skip = Integer.parseInt(args[++i]);
        case "--only" -> only = Pattern.compile(args[++i]);
        case "--negatives" -> negatives = true;
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--max-side" -> maxSide = Integer.parseInt(args[++i]);
        case "--collage-oracle" -> oracle = true;
        case "--psnr" -> psnr = Double.parseDouble(args[++i]);
        case "--mask-exponent" -> maskExponent = Double.parseDouble(args[++i]);
        default -> dir = Path.of(args[i]);
      }
    }
    if (dir == null) {
      dir = Path.of(System.getProperty("hallmark.shared", "../shared"), "testdata", "images", "kodak");
    }
    List<Path> files = Attacks.photos(dir, "OmniSealBench suite");
    // --skip and --limit choose the photos tested; every photo stays loaded as a collage background,
    // so a run split with --skip gives the same trials as one run.
    int from = Math.min(skip, files.size());
    int to = (int) Math.min((long) from + limit, files.size());
    List<OmniSealAttacks.Attack> attacks = new ArrayList<>();
    for (OmniSealAttacks.Attack a : OmniSealAttacks.all()) {
      if (only == null || only.matcher(a.name()).find()) {
        attacks.add(a);
      }
    }
    int n = to - from;
    System.err.printf(Locale.ROOT, "OmniSealBench suite: %d photos from %s%s, %d attacks, seed %d, target PSNR %.1f dB, mask exponent %.2f, %s%n", n, dir,
        maxSide > 0 ? " (longer side at most " + maxSide + ")" : "", attacks.size(), seed, psnr, maskExponent, negatives ? "unwatermarked (false positives)" : "watermarked");
    Random rnd = new Random(seed);
    WatermarkKey key = WatermarkKey.generate("bench", rnd);
    ImageWatermarker wm = ImageWatermarks.newWatermarker(
        ImageWatermarkParameters.builder().targetPsnrDb(psnr).maskExponent(maskExponent).build());
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    List<BufferedImage> originals = Attacks.read(files, maxSide);
    int[] det = new int[attacks.size()];
    int[] exact = new int[attacks.size()];
    int[] at3 = new int[attacks.size()];
    long[] cpu = new long[attacks.size()];
    int[] alone = new int[attacks.size()];
    double minP = 1;
    double minPsnr = Double.POSITIVE_INFINITY;
    double sumPsnr = 0;
    double minSsim = Double.POSITIVE_INFINITY;
    double sumSsim = 0;
    int trials = 0;
    List<String> misses = new ArrayList<>();
    for (int i = 0; i < from; i++) {
      rnd.nextBytes(new byte[8]); // the payloads of the skipped photos
    }
    for (int i = from; i < to; i++) {
      BufferedImage img = originals.get(i);
      BufferedImage background = originals.get((i + 1) % originals.size());
      byte[] payload = new byte[8];
      rnd.nextBytes(payload);
      BufferedImage marked = negatives ? img : wm.embed(img, key, payload);
      String quality = "";
      if (!negatives) {
        double db = Images.psnr(img, marked); // the photos' own samples: no conversion to sRGB
        minPsnr = Math.min(minPsnr, db);
        sumPsnr += db;
        double ssim = Attacks.ssim(img, marked);
        minSsim = Math.min(minSsim, ssim);
        sumSsim += ssim;
        quality = String.format(Locale.ROOT, " (PSNR %.2f dB, SSIM %.4f)", db, ssim);
      }
      StringBuilder line = new StringBuilder(files.get(i).getFileName().toString()).append(quality).append(':');
      for (int a = 0; a < attacks.size(); a++) {
        OmniSealAttacks.Attack at = attacks.get(a);
        long attackSeed = seed * 1_000_003L + i * 1000L + a;
        BufferedImage edited = at.op().apply(marked, img, background, attackSeed);
        long t0 = mx.getCurrentThreadCpuTime();
        ImageDetection d = wm.detect(edited, List.of(key), ALPHA);
        cpu[a] += mx.getCurrentThreadCpuTime() - t0;
        if (oracle && at.family().equals("collage")) {
          int[] q = OmniSealAttacks.collageRectangle(edited.getWidth(), edited.getHeight(),
              Double.parseDouble(at.strength()), new Random(attackSeed));
          ImageDetection o = wm.detect(edited.getSubimage(q[0], q[1], q[2], q[3]), List.of(key), ALPHA);
          alone[a] += o.detected() ? 1 : 0;
          System.err.printf(Locale.ROOT, "  %s / %s: rectangle %dx%d at %d,%d alone: z %.2f p %.3g; in the collage: z %.2f p %.3g%n",
              files.get(i).getFileName(), at.name(), q[2], q[3], q[0], q[1], o.syncScore(), o.pValue(), d.syncScore(), d.pValue());
        }
        trials++;
        minP = Math.min(minP, d.pValue());
        if (d.detected()) {
          det[a]++;
        }
        if (d.pValue() <= 1e-3) {
          at3[a]++;
        }
        boolean ok = d.detected() && d.payloadValid() && Arrays.equals(d.payload(), payload);
        if (ok) {
          exact[a]++;
        }
        if (negatives ? d.pValue() <= 1e-3 : !ok) {
          misses.add(files.get(i).getFileName() + " / " + at.name() + ": " + d);
        }
        // Per-photo progress, so a partial run can be read: D detected with the exact payload,
        // d detected otherwise, 3 not detected but p <= 1e-3, - neither.
        line.append(d.detected() ? (ok ? " D" : " d") : d.pValue() <= 1e-3 ? " 3" : " -");
      }
      System.err.println(line.append(String.format(Locale.ROOT, " (smallest p so far %.3g, %d trials)", minP, trials)));
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Photos: %d (%s%s), %d attacks, seed %d, alpha %.0e family-wise, one key%s.%n%n",
        n, dir, maxSide > 0 ? ", longer side at most " + maxSide : "", attacks.size(), seed, ALPHA,
        (negatives || psnr == ImageWatermarkParameters.DEFAULT.targetPsnrDb() ? ""
            : String.format(Locale.ROOT, ", embedded at a target PSNR of %.1f dB", psnr))
        + (negatives || maskExponent == ImageWatermarkParameters.DEFAULT.maskExponent() ? ""
            : String.format(Locale.ROOT, ", mask exponent %.2f", maskExponent))));
    if (!negatives && n > 0) {
      out.append(String.format(Locale.ROOT, "Embedding PSNR (the photos' own samples): min %.2f dB, mean %.2f dB; SSIM (luma, 7x7): min %.4f, mean %.4f.%n%n",
          minPsnr, sumPsnr / n, minSsim, sumSsim / n));
    }
    if (negatives) {
      int total6 = Arrays.stream(det).sum();
      int total3 = Arrays.stream(at3).sum();
      out.append(String.format(Locale.ROOT,
          "False positives over %d unwatermarked photo-and-attack pairs: %d at p <= 1e-6, %d at p <= 1e-3"
              + " (expected at most %.1f); smallest p %.3g.%n", trials, total6, total3, trials * 1e-3, minP));
    } else {
      out.append("| attack | strength | detected (p <= 1e-6) | exact 64-bit payload | mean detect ms (CPU) |\n");
      out.append("|---|---|---|---|---|\n");
      for (int a = 0; a < attacks.size(); a++) {
        OmniSealAttacks.Attack at = attacks.get(a);
        out.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %d/%d | %.0f |%n", at.family(),
            at.strength().isEmpty() ? "-" : at.strength(), det[a], n, exact[a], n, cpu[a] / 1e6 / n));
      }
      for (int a = 0; a < attacks.size(); a++) {
        if (oracle && attacks.get(a).family().equals("collage")) {
          out.append(String.format(Locale.ROOT, "%n%s: the watermarked rectangle alone (cut out of the collage)"
              + " detected in %d/%d%n", attacks.get(a).name(), alone[a], n));
        }
      }
    }
    System.out.print(out);
    System.err.println((negatives ? "detections at p <= 1e-3:" : "misses:") + " " + misses.size());
    for (String m : misses) {
      System.err.println("  " + m);
    }
  }
}
