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
}
