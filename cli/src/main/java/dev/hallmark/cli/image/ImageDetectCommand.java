package dev.hallmark.cli.image;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Hex;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageRegion;
import dev.hallmark.watermark.image.RegionOverlay;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.hallmark.cli.options.InputFiles;
import dev.hallmark.cli.options.OutputOptions;
import dev.hallmark.cli.options.WatermarkKeyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark image detect}. */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {
      "Look for an image watermark under each named key (default: every watermark key in the",
      "keyring), searching scale, rotation (any angle), flips and offset. The p-value is corrected for",
      "every geometry tried and for the number of keys (Bonferroni), so --alpha is the family-wise",
      "false-positive rate. The pixels are read as stored (no colour conversion), as embed wrote them.",
      "Regions (rectangles of a collage or of a partly marked picture that carry a key's mark on",
      "their own, each with its own corrected p-value) are listed, and drawn with --overlay.",
      "Exit 0 when a watermark is detected, 1 when not."
    })
public final class ImageDetectCommand extends BaseCommand {
  @Mixin WatermarkKeyOptions keyOptions;

  @Option(names = "--alpha", defaultValue = "1e-6", paramLabel = "A",
      description = "Family-wise false-positive rate (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--overlay", paramLabel = "PNG",
      description = "Also write a copy of the image with the detected regions outlined (one colour per key) as PNG.")
  java.nio.file.Path overlay;

  @Mixin OutputOptions output;

  @Parameters(index = "0", paramLabel = "FILE", description = "Image to test, or - for standard input.")
  String file;

  @Override
  public Integer call() throws Exception {
    if (!(alpha > 0 && alpha < 1)) {
      throw new UsageException("--alpha must be in (0, 1), got " + alpha);
    }
    if (overlay != null && !overlay.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
      throw new UsageException("--overlay must name a .png file, not " + overlay);
    }
    List<WatermarkKey> keys = keyOptions.require(keyring());
    BufferedImage image = Images.read(InputFiles.read(file, System.in, 256L << 20, "tested"), InputFiles.label(file));
    ImageDetection d;
    try {
      d = Watermarks.imageWatermarker(ImageWatermarkParameters.DEFAULT).detect(image, keys, alpha);
    } catch (HallmarkException e) {
      throw new HallmarkException(InputFiles.label(file) + ": " + e.getMessage(), e);
    }
    Map<String, String> names = new LinkedHashMap<>();
    for (WatermarkKey k : keys) {
      names.putIfAbsent(k.keyId(), k.name());
    }
    String keyName = d.keyId() == null ? null : names.get(d.keyId());
    if (overlay != null) {
      Images.write(RegionOverlay.draw(image, d.regions()), overlay, Images.DEFAULT_JPEG_QUALITY);
    }
    if (output.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", InputFiles.label(file));
      m.put("detected", d.detected());
      m.put("pValue", d.pValue());
      m.put("alpha", d.alpha());
      m.put("keysTried", d.keysTried());
      m.put("keyId", d.keyId());
      m.put("keyName", keyName);
      m.put("payload", d.payload() == null ? null : Hex.encode(d.payload()));
      m.put("payloadValid", d.payloadValid());
      m.put("syncScore", d.syncScore());
      m.put("scale", d.scale());
      m.put("rotationDegrees", d.rotationDegrees());
      m.put("mirrored", d.mirrored());
      m.put("transform", d.transform());
      m.put("outline", d.outline());
      m.put("bitsUsed", d.bitsUsed());
      m.put("codedBitErrors", d.codedBitErrors());
      m.put("geometriesSearched", d.geometriesSearched());
      List<Map<String, Object>> regions = new java.util.ArrayList<>();
      for (ImageRegion r : d.regions()) {
        Map<String, Object> rm = new LinkedHashMap<>();
        rm.put("x", r.x());
        rm.put("y", r.y());
        rm.put("width", r.width());
        rm.put("height", r.height());
        rm.put("keyId", r.keyId());
        rm.put("keyName", names.get(r.keyId()));
        rm.put("pValue", r.pValue());
        rm.put("syncScore", r.syncScore());
        rm.put("payload", r.payload() == null ? null : Hex.encode(r.payload()));
        regions.add(rm);
      }
      m.put("regions", regions);
      if (overlay != null) {
        m.put("overlay", overlay.toString());
      }
      printJson(m);
    } else if (d.detected()) {
      out().printf("%s: watermark detected (key '%s', key id %s), p = %.3g at alpha %.3g; payload %s%n", InputFiles.label(file),
          keyName, d.keyId(), d.pValue(), d.alpha(),
          d.payloadValid() ? Hex.encode(d.payload()) : "not recovered (integrity check failed)");
      double[][] o = d.outline();
      if (o != null) {
        out().printf(Locale.ROOT,
            "  perspective edit undone: the original's corners are at (%.1f, %.1f), (%.1f, %.1f), (%.1f, %.1f), (%.1f, %.1f)%n",
            o[0][0], o[0][1], o[1][0], o[1][1], o[2][0], o[2][1], o[3][0], o[3][1]);
      }
      for (ImageRegion r : d.regions()) {
        out().printf("  region x=%d y=%d %dx%d: key '%s' (key id %s), p = %.3g; payload %s%n", r.x(), r.y(),
            r.width(), r.height(), names.get(r.keyId()), r.keyId(), r.pValue(),
            r.payload() == null ? "not recovered" : Hex.encode(r.payload()));
      }
    } else {
      out().printf("%s: no watermark detected under %d key(s), p = %.3g (alpha %.3g)%n", InputFiles.label(file),
          d.keysTried(), d.pValue(), d.alpha());
    }
    return d.detected() ? ExitCodes.OK : ExitCodes.NEGATIVE;
  }
}
