package dev.hallmark.cli.image;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.cli.options.ImageStrengthOptions;
import dev.hallmark.core.Hex;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.ImageFile;
import dev.hallmark.watermark.image.ImageWatermarker;
import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark image embed}. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = {
      "Watermark an image (PNG, JPEG, GIF, BMP, WebP or TIFF in; PNG or JPEG out, by OUT's extension)",
      "under a watermark key, carrying a 64-bit payload (16 hex digits, default all zero). The mark is",
      "invisible (PSNR about 40.5 dB, see --psnr) and survives JPEG, resizing, cropping and brightness changes.",
      "Colour-managed: the mark goes into the file's own pixel values, and OUT keeps IN's ICC profile",
      "(Adobe RGB, Display P3, CMYK, ...), EXIF block and orientation, bit depth (PNG) and alpha (PNG).",
      "A JPEG written from a JPEG reuses its quantisation tables unless --quality is given.",
      "OUT is written whole (temporary file, then rename) and never equals IN."
    })
public final class ImageEmbedCommand extends BaseCommand {
  @Option(names = "--key", required = true, paramLabel = "NAME", description = "Watermark key name.")
  String keyName;

  @Option(names = "--payload", paramLabel = "HEX", defaultValue = "0000000000000000",
      description = "64-bit payload as 16 hex digits (default: ${DEFAULT-VALUE}).")
  String payloadHex;

  @Option(names = "--quality", paramLabel = "Q",
      description = "JPEG quality 1-100 when OUT is .jpg/.jpeg (default: IN's own quantisation tables"
          + " when IN is a JPEG, else 92).")
  Integer quality;

  @Mixin ImageStrengthOptions strength;

  @Option(names = "--json", description = "Print a JSON summary.")
  boolean json;

  @Option(names = "--force", description = "Replace OUT when it exists (by default an existing file is never overwritten).")
  boolean force;

  @Parameters(index = "0", paramLabel = "IN", description = "Image to watermark.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Output image, .png or .jpg/.jpeg.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (quality != null && (quality < 1 || quality > 100)) {
      throw new UsageException("--quality must be 1-100, got " + quality);
    }
    byte[] payload = parsePayload(payloadHex);
    ImageWatermarkParameters parameters = strength.parameters();
    Images.Format format;
    try {
      format = Images.Format.forFileName(out.getFileName().toString());
    } catch (dev.hallmark.core.HallmarkException e) {
      // The output's name is the user's choice, not bad input.
      throw new UsageException("OUT " + out + ": cannot write this format; name the output .png or .jpg/.jpeg");
    }
    if (Files.exists(out) && Files.exists(in) && Files.isSameFile(in, out)) {
      throw new UsageException("OUT must differ from IN (" + in + "); Hallmark never overwrites its input");
    }
    if (!force && Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new dev.hallmark.core.HallmarkException(out + ": exists; move it away, name another OUT, or pass --force to replace it");
    }
    WatermarkKey key = keyring().watermarkKey(keyName);
    ImageFile file = Images.readFile(in);
    if (file.isCmyk() && format == Images.Format.PNG) {
      throw new UsageException("OUT " + out + ": " + in + " is a CMYK image, which PNG cannot hold without converting its"
          + " colours; name the output .jpg/.jpeg");
    }
    BufferedImage image = file.image();
    ImageWatermarker wm = Watermarks.imageWatermarker(parameters);
    BufferedImage marked;
    try {
      marked = wm.embed(image, key, payload);
    } catch (dev.hallmark.core.HallmarkException e) {
      throw new dev.hallmark.core.HallmarkException(in + ": " + e.getMessage(), e);
    }
    Images.write(file.withImage(marked), out, quality == null ? Images.SAME_AS_SOURCE : quality);
    // New pixels: a manifest's data hash could no longer match, and OUT carries none. Say so.
    boolean inputC2pa = Files.isRegularFile(in) && dev.hallmark.cli.options.InputFiles.carriesC2pa(Files.readAllBytes(in));
    if (inputC2pa) {
      err().println("hallmark: note: " + in + " carried Content Credentials (a C2PA manifest); " + out
          + " has none: they were removed ('hallmark tag --c2pa-cert/--c2pa-key' embeds a new one)");
    }
    if (file.frames() > 1) {
      err().println("hallmark: warning: " + in + " holds " + file.frames() + " frames or pages; only the first is watermarked"
          + " and written to " + out);
    }
    if (format == Images.Format.JPEG && Images.hasTransparency(image)) {
      err().println("hallmark: warning: " + in + " has transparent pixels and JPEG has no transparency: " + out
          + " shows them on white; write a .png to keep them");
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("input", in.toString());
      m.put("output", out.toString());
      m.put("format", format.name().toLowerCase(Locale.ROOT));
      m.put("keyId", key.keyId());
      m.put("payload", Hex.encode(payload));
      m.put("targetPsnrDb", parameters.targetPsnrDb());
      m.put("maskExponent", parameters.maskExponent());
      // Against the input's own samples, before the output's encoding (JPEG adds its own loss).
      m.put("psnrDb", Math.round(Images.psnr(image, marked) * 100) / 100.0);
      m.put("width", marked.getWidth());
      m.put("height", marked.getHeight());
      m.put("colourProfile", file.colourProfileName());
      m.put("bitDepth", file.bitDepth());
      m.put("alpha", file.hasAlpha());
      m.put("exifOrientation", file.exifOrientation());
      m.put("inputC2paRemoved", inputC2pa);
      printJson(m);
    } else {
      out().printf("watermarked %s -> %s (key '%s', key id %s, payload %s)%n", in, out, key.name(),
          key.keyId(), Hex.encode(payload));
    }
    return ExitCodes.OK;
  }

  static byte[] parsePayload(String hex) {
    String h = hex.strip();
    if (h.startsWith("0x") || h.startsWith("0X")) {
      h = h.substring(2);
    }
    if (!h.matches("[0-9a-fA-F]{16}")) {
      throw new UsageException("--payload must be exactly 16 hex digits (64 bits), got '" + hex + "'");
    }
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
