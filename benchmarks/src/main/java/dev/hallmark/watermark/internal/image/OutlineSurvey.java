package dev.hallmark.watermark.internal.image;

import dev.hallmark.benchmarks.image.Attacks;
import dev.hallmark.benchmarks.image.OmniSealAttacks;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How often the detector's outline step (spec, detection step 3, "Outline"; {@link Outline}) accepts a
 * quadrilateral: for every photo of a folder and every attack of OmniSealBench's list (the same
 * attacks, parameters and seeds as {@code OmniSealSuite}), whether an outline is found, and for
 * the perspective attacks how far its corners are from the drawn ones. In this package because the
 * outline is internal to the detector; it reads no key (the outline is keyless).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hallmark.watermark.internal.image.OutlineSurvey [--max-side N] PHOTO_DIR</pre>
 */
public final class OutlineSurvey {
  private OutlineSurvey() {}

  public static void main(String[] args) throws Exception {
    int maxSide = 0;
    long seed = 20261203L;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--max-side" -> maxSide = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        default -> dir = Path.of(args[i]);
      }
    }
    if (dir == null) {
      System.err.println("usage: OutlineSurvey [--max-side N] [--seed S] PHOTO_DIR");
      System.exit(2);
    }
    List<Path> files = Attacks.photos(dir, "OutlineSurvey");
    List<BufferedImage> originals = Attacks.read(files, maxSide);
    List<OmniSealAttacks.Attack> attacks = OmniSealAttacks.all();
    int[] found = new int[attacks.size()];
    double[] worst = new double[attacks.size()];
    int unedited = 0;
    for (int i = 0; i < originals.size(); i++) {
      BufferedImage img = originals.get(i);
      BufferedImage background = originals.get((i + 1) % originals.size());
      if (Outline.corners(Luma.luma(img), img.getWidth(), img.getHeight()) != null) {
        unedited++;
        System.err.println(files.get(i).getFileName() + " unedited: outline found");
      }
      for (int a = 0; a < attacks.size(); a++) {
        OmniSealAttacks.Attack at = attacks.get(a);
        long attackSeed = seed * 1_000_003L + i * 1000L + a;
        BufferedImage edited = at.op().apply(img, img, background, attackSeed);
        double[][] c = Outline.corners(Luma.luma(edited), edited.getWidth(), edited.getHeight());
        if (c == null) {
          if (at.family().equals("perspective")) {
            System.err.println(files.get(i).getFileName() + " " + at.name() + ": no outline");
          }
          continue;
        }
        found[a]++;
        if (at.family().equals("perspective")) {
          double[][] truth = OmniSealAttacks.perspectiveCorners(img.getWidth(), img.getHeight(),
              Double.parseDouble(at.strength()), new java.util.Random(attackSeed));
          for (int k = 0; k < 4; k++) {
            worst[a] = Math.max(worst[a], Math.hypot(c[k][0] - truth[k][0], c[k][1] - truth[k][1]));
          }
        } else {
          System.err.println(files.get(i).getFileName() + " " + at.name() + ": outline " + java.util.Arrays.deepToString(c));
        }
      }
    }
    int n = originals.size();
    System.out.printf(Locale.ROOT, "Photos: %d (%s%s), seed %d; unedited photos with an outline: %d%n%n", n, dir,
        maxSide > 0 ? ", longer side at most " + maxSide : "", seed, unedited);
    System.out.println("| attack | outline found | largest corner error (pixels) |");
    System.out.println("|---|---|---|");
    for (int a = 0; a < attacks.size(); a++) {
      if (found[a] > 0 || attacks.get(a).family().equals("perspective")) {
        System.out.printf(Locale.ROOT, "| %s | %d/%d | %s |%n", attacks.get(a).name(), found[a], n,
            attacks.get(a).family().equals("perspective") && found[a] > 0 ? String.format(Locale.ROOT, "%.2f", worst[a]) : "");
      }
    }
    int other = 0;
    for (int a = 0; a < attacks.size(); a++) {
      if (!attacks.get(a).family().equals("perspective")) {
        other += found[a];
      }
    }
    System.out.printf(Locale.ROOT, "%nOther attacks with an outline: %d of %d photo-and-attack pairs%n", other,
        n * (attacks.size() - 8));
  }
}
