package dev.hallmark.cli.tag;

import dev.hallmark.watermark.image.Images;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared test inputs for tag, verify and serve: Kodak photos, attacks, word substitution. */
public final class Fixtures {
  private Fixtures() {}

  /** Copies test photo {@code name} (kodim07.png: to tag; kodim20.png: untagged) into {@code dir}. */
  public static Path photo(Path dir, String name) throws Exception {
    try (InputStream in = Fixtures.class.getResourceAsStream("/provenance/" + name)) {
      Path p = dir.resolve(name);
      Files.write(p, in.readAllBytes());
      return p;
    }
  }

  /** Resized to 0.75x and re-encoded as JPEG quality 75; ImageIO writes no text chunk or XMP, so all metadata is gone. */
  public static byte[] reencode(byte[] image) throws Exception {
    BufferedImage img = Images.read(image, "tagged");
    int w = (int) Math.round(img.getWidth() * 0.75);
    int h = (int) Math.round(img.getHeight() * 0.75);
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    return Images.encode(small, Images.Format.JPEG, 75);
  }

  /** Replaces {@code fraction} of the words (letter runs) with words from a fixed list. */
  public static String substituteWords(String text, double fraction, Random r) {
    String[] pool = {"apple", "river", "quickly", "green", "mountain", "seven", "paper", "window", "silent", "bright"};
    Matcher m = Pattern.compile("\\p{L}+").matcher(text);
    List<int[]> words = new ArrayList<>();
    while (m.find()) {
      words.add(new int[] {m.start(), m.end()});
    }
    Collections.shuffle(words, r);
    List<int[]> chosen = new ArrayList<>(words.subList(0, (int) Math.round(words.size() * fraction)));
    chosen.sort((a, b) -> Integer.compare(b[0], a[0]));
    StringBuilder sb = new StringBuilder(text);
    for (int[] w : chosen) {
      sb.replace(w[0], w[1], pool[r.nextInt(pool.length)]);
    }
    return sb.toString();
  }
}
