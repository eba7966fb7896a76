package dev.hallmark.cli.image;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark image fingerprint}. */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
    description = {
      "Print an image's 256-bit perceptual hash (PDQ-style: 64 hex digits) and its quality (0-100).",
      "Two hashes within Hamming distance 31 show the same picture; quality below 50 means the",
      "image is too flat for the hash to be trusted. With --compare, also prints the distance."
    })
public final class ImageFingerprintCommand extends BaseCommand {
  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Option(names = "--compare", paramLabel = "FILE", description = "A second image to compare with.")
  Path compare;

  @Parameters(index = "0", paramLabel = "FILE", description = "Image.")
  Path file;

  @Override
  public Integer call() throws Exception {
    // As displayed: the EXIF orientation applied (width and height below are the displayed ones).
    BufferedImage image = Images.readFile(file).displayed();
    ImageFingerprint f = ImageFingerprint.of(image);
    ImageFingerprint g = compare == null ? null : ImageFingerprint.of(Images.readFile(compare));
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", file.toString());
      m.put("algorithm", "pdq-style-256");
      m.put("hash", f.hex());
      m.put("quality", f.quality());
      m.put("width", image.getWidth());
      m.put("height", image.getHeight());
      if (g != null) {
        m.put("compare", compare.toString());
        m.put("compareHash", g.hex());
        m.put("distance", f.distance(g));
        m.put("match", f.matches(g));
      }
      printJson(m);
    } else {
      out().printf("%s  quality %d  %s%n", f.hex(), f.quality(), file);
      if (g != null) {
        out().printf("%s  quality %d  %s%n", g.hex(), g.quality(), compare);
        out().printf("distance %d (%s; threshold %d)%n", f.distance(g), f.matches(g) ? "match" : "no match",
            ImageFingerprint.DEFAULT_MATCH_THRESHOLD);
      }
    }
    return ExitCodes.OK;
  }
}
