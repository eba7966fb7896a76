package dev.hallmark.clean;

import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * What the two clean command lines, {@code hallmark clean} and {@code hallmark-spark clean}, share
 * beyond their option names: how {@code --scheme} values become detection settings, and how a
 * library's message about a setting ({@code DetectionPolicy}, {@code CleanJob}) is told in terms of
 * the option that sets it.
 */
public final class CleanOptions {
  private CleanOptions() {}

  /**
   * The library's setting names at the start of {@code message}, as the options that set them:
   * "imageHammingThreshold must be in [0, 31]" becomes "--hamming must be in [0, 31]".
   */
  public static String optionNames(String message) {
    if (message == null) {
      return null;
    }
    return message.replaceFirst("^textJaccardThreshold ", "--jaccard ").replaceFirst("^imageHammingThreshold ", "--hamming ")
        .replaceFirst("^extractorMemoryMb ", "--extractor-memory-mb ").replaceFirst("^threads ", "--threads ")
        .replaceFirst("^alpha ", "--alpha ");
  }

  /**
   * The text detection settings for the {@code --scheme} names given (each scheme once, with its
   * default parameters), or null when none is given (every scheme).
   *
   * @throws IllegalArgumentException for an unknown scheme name
   */
  public static TextDetectionSettings textSettings(List<String> schemes) {
    if (schemes == null || schemes.isEmpty()) {
      return null;
    }
    List<WatermarkParameters> ps = new ArrayList<>();
    for (String n : schemes) {
      WatermarkParameters p = WatermarkParameters.defaults(Scheme.parse(n));
      if (!ps.contains(p)) {
        ps.add(p);
      }
    }
    return TextDetectionSettings.DEFAULT.withSchemes(ps);
  }

  /**
   * Why the {@code --scheme} selection tests a key under nothing, or null when it does not matter: a
   * key that records its scheme is tested only if {@code --scheme} lists that scheme, so naming such a
   * key ({@code keysNamed}) with a {@code --scheme} that leaves it out, or leaving every key untested
   * when there is nothing else to look for ({@code nothingElse}: no ledger, registry or C2PA check), is
   * a usage error rather than a clean that checks nothing.
   *
   * @throws IllegalArgumentException if a key records parameters that are not valid
   */
  public static String untestedKeys(TextDetectionSettings settings, List<String> schemes, List<dev.hallmark.core.WatermarkKey> keys,
      boolean keysNamed, boolean nothingElse) {
    if (settings == null) {
      return null;
    }
    dev.hallmark.watermark.text.MultiKeyTextDetector.Coverage c =
        dev.hallmark.watermark.text.MultiKeyTextDetector.coverage(settings, keys);
    List<String> untested = new ArrayList<>();
    c.untested().forEach((name, own) -> untested.add("watermark key '" + name + "' records " + own + ", so --scheme "
        + String.join(",", schemes) + " selects no test for it"));
    if (!untested.isEmpty() && (keysNamed || (c.tests() == 0 && nothingElse))) {
      return String.join("; ", untested) + "; add its scheme to --scheme, or leave --scheme out";
    }
    return null;
  }
}
