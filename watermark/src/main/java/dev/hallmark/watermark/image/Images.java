package dev.hallmark.watermark.image;

import dev.hallmark.core.HallmarkException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Reads and writes images with bounded memory and one-line errors.
 *
 * <p>Reads PNG, JPEG, GIF, BMP, WebP and TIFF (the first frame), from a file or from bytes. The
 * dimensions are read from the header and checked against {@link #MAX_DIMENSION} before any pixel
 * is decoded, so a hostile header cannot make the reader allocate gigabytes. Truncated or corrupt
 * files raise {@link HallmarkException} naming the input, never a partial image. Writes PNG
 * (keeping alpha, 16-bit samples and grayscale) and JPEG (with a quality setting; alpha is dropped
 * and 16-bit samples are reduced to 8 bits, since baseline JPEG has neither). Writes go to a
 * temporary file that is moved into place, so a failure never leaves a half-written output.
 * Stateless and thread-safe.
 */
public final class Images {
  /** Largest accepted width or height, in pixels. */
  public static final int MAX_DIMENSION = 8192;

  /** Default JPEG quality for {@link #write(BufferedImage, Path, int)} callers that have none. */
  public static final int DEFAULT_JPEG_QUALITY = 92;

  private Images() {}

  /** Output formats. */
  public enum Format {
    PNG,
    JPEG;

    /** The format implied by a file name's extension ({@code .png}, {@code .jpg}, {@code .jpeg}). */
    public static Format forFileName(String name) throws HallmarkException {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.endsWith(".png")) {
        return PNG;
      }
      if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
        return JPEG;
      }
      throw new HallmarkException(
          name + ": cannot write this format; name the output .png or .jpg/.jpeg");
    }
  }

  /** Reads the first image in {@code file}. */
  public static BufferedImage read(Path file) throws HallmarkException {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size == 0) {
        throw new HallmarkException(file + ": empty file, not an image");
      }
      if (size > Integer.MAX_VALUE - 16) {
        throw new HallmarkException(file + ": file too large (" + size + " bytes) to be an image Hallmark reads");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new HallmarkException(file + ": no such file");
    } catch (IOException e) {
      throw new HallmarkException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    return read(bytes, file.toString());
  }

  /**
   * The width and height the first image in {@code bytes} announces in its header, read without
   * decoding any pixel; null when the bytes are not a recognised image or the header is unreadable.
   * Lets a caller refuse an image by pixel count (the decoding cost) before decoding it.
   */
  public static long[] dimensions(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      if (in == null) {
        return null;
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new long[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Reads the first image in {@code bytes}; {@code name} labels the input in error messages. */
  public static BufferedImage read(byte[] bytes, String name) throws HallmarkException {
    if (bytes.length == 0) {
      throw new HallmarkException(name + ": empty input, not an image");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      if (in == null) {
        throw new HallmarkException(name + ": cannot open an image stream");
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new HallmarkException(
            name + ": not a recognised image (expected PNG, JPEG, GIF, BMP, WebP or TIFF)");
      }
      ImageReader reader = readers.next();
      String format = reader.getFormatName().toUpperCase(Locale.ROOT);
      try {
        reader.setInput(in, true, true);
        int w;
        int h;
        try {
          w = reader.getWidth(0);
          h = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
          throw new HallmarkException(name + ": corrupt " + format + " header (" + oneLine(e) + ")", e);
        }
        if (w <= 0 || h <= 0) {
          throw new HallmarkException(name + ": corrupt " + format + " header (size " + w + "x" + h + ")");
        }
        if (w > MAX_DIMENSION || h > MAX_DIMENSION) {
          throw new HallmarkException(name + ": image is " + w + "x" + h + ", larger than the "
              + MAX_DIMENSION + "x" + MAX_DIMENSION + " limit; downscale it first");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener(new Collector(warnings));
        BufferedImage img;
        try {
          img = reader.read(0);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
          throw new HallmarkException(
              name + ": corrupt or truncated " + format + " image (" + oneLine(e) + ")", e);
        }
        for (String warning : warnings) {
          String l = warning.toLowerCase(Locale.ROOT);
          if (l.contains("premature") || l.contains("truncat") || l.contains("corrupt")
              || l.contains("end of")) {
            throw new HallmarkException(
                name + ": corrupt or truncated " + format + " image (" + warning.strip() + ")");
          }
        }
        if (img == null) {
          throw new HallmarkException(name + ": " + format + " file holds no image");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new HallmarkException(name + ": cannot read image (" + oneLine(e) + ")", e);
    }
  }

  /**
   * Writes {@code image} to {@code file} in the format named by its extension; {@code jpegQuality}
   * (1-100) applies to JPEG only.
   */
  public static void write(BufferedImage image, Path file, int jpegQuality) throws HallmarkException {
    Format format = Format.forFileName(file.getFileName().toString());
    byte[] bytes = encode(image, format, jpegQuality);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      // Not Files.createTempFile: that makes the file 0600, and outputs should get the usual umask.
      tmp = dir.resolve("." + file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
      Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new HallmarkException(file + ": cannot write (" + oneLine(e) + ")", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the temporary file is hidden and named after the output.
        }
      }
    }
  }

  /** Encodes {@code image} as PNG or JPEG bytes. */
  public static byte[] encode(BufferedImage image, Format format, int jpegQuality)
      throws HallmarkException {
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1-100, not " + jpegQuality);
    }
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try {
      if (format == Format.PNG) {
        if (!ImageIO.write(image, "png", bos)) {
          BufferedImage rgb = toStandard(image);
          bos.reset();
          if (!ImageIO.write(rgb, "png", bos)) {
            throw new HallmarkException("no PNG writer accepts this image type");
          }
        }
      } else {
        writeJpeg(toJpegCompatible(image), bos, jpegQuality);
      }
    } catch (IOException e) {
      throw new HallmarkException("cannot encode image as " + format + " (" + oneLine(e) + ")", e);
    }
    return bos.toByteArray();
  }

  private static void writeJpeg(BufferedImage image, OutputStream out, int quality) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("no JPEG writer available");
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(image, null, null), p);
    } finally {
      writer.dispose();
    }
  }

  /** 8-bit gray stays gray, everything else becomes 8-bit RGB without alpha. */
  private static BufferedImage toJpegCompatible(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY || img.getType() == BufferedImage.TYPE_3BYTE_BGR
        || img.getType() == BufferedImage.TYPE_INT_RGB) {
      return img;
    }
    ColorModel cm = img.getColorModel();
    boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && !(cm instanceof IndexColorModel);
    int type = gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
    if (gray && img.getRaster().getTransferType() == DataBuffer.TYPE_USHORT) {
      BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), type);
      int[] row = new int[img.getWidth()];
      for (int y = 0; y < img.getHeight(); y++) {
        img.getRaster().getSamples(0, y, img.getWidth(), 1, 0, row);
        for (int x = 0; x < row.length; x++) {
          row[x] = (row[x] + 128) / 257;
        }
        out.getRaster().setSamples(0, y, img.getWidth(), 1, 0, row);
      }
      return out;
    }
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), type);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      if (cm.getTransparency() != Transparency.OPAQUE && !gray) {
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
      }
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static BufferedImage toStandard(BufferedImage img) {
    boolean alpha = img.getColorModel().hasAlpha();
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(),
        alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    try {
      g.drawImage(img, 0, 0, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  /** Reads all of {@code in} (at most {@code maxBytes}) and decodes it. */
  public static BufferedImage read(InputStream in, String name, long maxBytes) throws HallmarkException {
    try {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxBytes + 1));
      if (b.length > maxBytes) {
        throw new HallmarkException(name + ": input larger than " + maxBytes + " bytes");
      }
      return read(b, name);
    } catch (IOException e) {
      throw new HallmarkException(name + ": cannot read (" + oneLine(e) + ")", e);
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    m = m.replaceAll("\\s+", " ").strip();
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  private static final class Collector implements IIOReadWarningListener {
    private final List<String> warnings;

    Collector(List<String> warnings) {
      this.warnings = warnings;
    }

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      warnings.add(warning == null ? "warning" : warning);
    }
  }
}
