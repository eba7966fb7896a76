package dev.hallmark.cli.options;

import dev.hallmark.cli.UsageException;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --psnr DB}: the image watermark's strength, as the PSNR its luminance change is scaled to
 * ({@link ImageWatermarkParameters#targetPsnrDb()}). Detection needs no matching setting: it finds a
 * mark of any strength.
 */
public final class ImageStrengthOptions {
  /** Lowest accepted: below it the mark is visible as mottling on smooth areas. */
  public static final double MIN_PSNR = 34;
  /** Highest accepted: above it the mark no longer survives the edits it is meant for. */
  public static final double MAX_PSNR = 50;

  @Option(names = "--psnr", paramLabel = "DB",
      description = "Image watermark strength as a target PSNR, " + (int) MIN_PSNR + "-" + (int) MAX_PSNR
          + " dB (default 40.5). Lower is stronger and more visible: 38 dB, the setting OmniSealBench"
          + " runs neural watermarks at, survives smaller crops and collages (docs/BENCHMARKS.md).")
  Double psnr;

  /** The parameters to embed with: the defaults, at the requested strength. */
  public ImageWatermarkParameters parameters() {
    if (psnr == null) {
      return ImageWatermarkParameters.DEFAULT;
    }
    if (!(psnr >= MIN_PSNR && psnr <= MAX_PSNR)) {
      throw new UsageException(String.format(Locale.ROOT, "--psnr must be %.0f-%.0f dB, got %s", MIN_PSNR,
          MAX_PSNR, psnr));
    }
    return ImageWatermarkParameters.builder().targetPsnrDb(psnr).build();
  }
}
