package dev.hallmark.watermark.image;

import dev.hallmark.core.DurableFiles;
import dev.hallmark.core.HallmarkException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import dev.hallmark.watermark.internal.image.Containers;
import dev.hallmark.watermark.internal.image.NaiveCmyk;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGQTable;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

  /** Reads the first image in {@code file}, with the file's own pixel values (see {@link #readFile(Path)}). */
  public static BufferedImage read(Path file) throws HallmarkException {
    return readFile(file).image();
  }

  /**
   * Reads the first image in {@code file} with its colour profile, EXIF block and encoding details,
   * so that {@link #write(ImageFile, Path, int)} can write a copy that looks the same.
   */
  public static ImageFile readFile(Path file) throws HallmarkException {
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
    return readFile(bytes, file.toString());
  }

  /**
   * PSNR in dB of {@code changed} against {@code original} over their colour samples as stored (no
   * colour conversion, alpha left out; samples of any bit depth on the 0-255 scale): the measure of
   * an embedding's strength on the file's own pixel values. Infinite when they are equal.
   *
   * @throws IllegalArgumentException if the two differ in size or number of colour components
   */
  public static double psnr(BufferedImage original, BufferedImage changed) {
    // A palette's samples are indices, not colours (and a 1-, 2- or 4-bit one has one band for three
    // colour components): compare the colours they stand for.
    if (original.getColorModel() instanceof java.awt.image.IndexColorModel) {
      original = dev.hallmark.watermark.internal.image.Luma.normalized(original);
    }
    if (changed.getColorModel() instanceof java.awt.image.IndexColorModel) {
      changed = dev.hallmark.watermark.internal.image.Luma.normalized(changed);
    }
    int bands = original.getColorModel().getNumColorComponents();
    int w = original.getWidth();
    int h = original.getHeight();
    if (changed.getWidth() != w || changed.getHeight() != h
        || changed.getColorModel().getNumColorComponents() != bands) {
      throw new IllegalArgumentException("images differ in size or colour components: " + w + "x" + h + "x" + bands
          + " and " + changed.getWidth() + "x" + changed.getHeight() + "x"
          + changed.getColorModel().getNumColorComponents());
    }
    Raster ra = original.getRaster();
    Raster rb = changed.getRaster();
    double se = 0;
    int[] x = new int[w];
    int[] y = new int[w];
    for (int band = 0; band < bands; band++) {
      double ka = 255.0 / ((1L << original.getSampleModel().getSampleSize(band)) - 1);
      double kb = 255.0 / ((1L << changed.getSampleModel().getSampleSize(band)) - 1);
      for (int row = 0; row < h; row++) {
        ra.getSamples(0, row, w, 1, band, x);
        rb.getSamples(0, row, w, 1, band, y);
        for (int i = 0; i < w; i++) {
          double d = x[i] * ka - y[i] * kb;
          se += d * d;
        }
      }
    }
    return se == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 * bands * (double) w * h / se);
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

  /**
   * The number of images in {@code bytes} (frames of an animated GIF or WebP, pages of a TIFF),
   * counted without decoding pixels; 1 for single-image formats and when it cannot be told.
   */
  public static int frameCount(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        return 1;
      }
      ImageReader reader = readers.next();
      try {
        String f = reader.getFormatName().toUpperCase(Locale.ROOT);
        if (f.equals("JPEG") || f.equals("PNG") || f.equals("BMP")) {
          return 1;
        }
        reader.setInput(in, false, true);
        return Math.max(1, reader.getNumImages(true));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return 1;
    }
  }

  /** The value of {@code jpegQuality} that reuses a JPEG source's quantisation tables and chroma sampling. */
  public static final int SAME_AS_SOURCE = 0;

  private static final String JPEG_TREE = "javax_imageio_jpeg_image_1.0";

  /**
   * Reads the first image in {@code bytes} as stored: no colour conversion. An embedded ICC profile
   * (JPEG APP2, PNG iCCP) labels the pixels (their {@link ColorModel} uses it) and is kept in the
   * result byte for byte; CMYK JPEGs come back as 8-bit CMYK ink values (Adobe's inverted storage
   * undone); 16-bit samples and alpha stay as they are; the EXIF block (and its orientation tag)
   * is kept, the pixels are not rotated.
   */
  public static ImageFile readFile(byte[] bytes, String name) throws HallmarkException {
    Containers.Carried carried = new Containers.Carried(null, null, List.of(), List.of());
    byte[] decodeBytes = bytes;
    boolean jpeg = Containers.isJpeg(bytes);
    int components = -1;
    int adobe = -1;
    if (jpeg) {
      List<Containers.Segment> segs = Containers.jpegSegments(bytes);
      carried = Containers.fromJpeg(segs);
      components = Containers.jpegComponents(segs);
      adobe = Containers.adobeTransform(segs);
      if (carried.icc() != null) {
        // The JDK decoder converts ICC-tagged JPEGs to sRGB; without the profile it returns the stored values.
        decodeBytes = Containers.withoutJpegIcc(bytes, segs);
      }
    } else if (Containers.isPng(bytes)) {
      try {
        carried = Containers.fromPng(Containers.pngChunks(bytes));
      } catch (java.util.zip.DataFormatException e) {
        throw new HallmarkException(name + ": corrupt PNG colour profile (" + oneLine(e) + ")", e);
      }
    }
    boolean cmyk = jpeg && components == 4;
    Decoded d = decode(decodeBytes, name, jpeg, cmyk);
    ImageFile.JpegTables tables = d.metadata() == null ? null : jpegTables(d.metadata());
    if (cmyk) {
      return new ImageFile(cmykImage(d.raster(), adobe), d.format(), carried, tables, adobe, d.frames());
    }
    BufferedImage img = d.image();
    if (carried.icc() != null) {
      img = labelled(img, carried.icc());
    }
    return new ImageFile(img, d.format(), carried, tables, -1, d.frames());
  }

  /** Raw CMYK (or YCCK) JPEG samples as ink values, labelled CMYK. */
  private static BufferedImage cmykImage(Raster raw, int adobe) {
    int w = raw.getWidth();
    int h = raw.getHeight();
    ComponentColorModel cm = new ComponentColorModel(NaiveCmyk.INSTANCE, false, false, Transparency.OPAQUE,
        DataBuffer.TYPE_BYTE);
    WritableRaster out = cm.createCompatibleWritableRaster(w, h);
    int[] px = new int[4];
    // Adobe's writers (the only common source of CMYK JPEGs) store inverted values; a plain CMYK JPEG
    // without the Adobe marker stores ink values directly. YCCK (Adobe transform 2, what ImageMagick and
    // Photoshop write by default) stores the inverted C, M and Y as the YCbCr of an "RGB" triple, so
    // that triple (libjpeg's ycck_cmyk_convert returns 255 minus it as the stored values) is already
    // the ink; only K is stored inverted.
    boolean inverted = adobe >= 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raw.getPixel(raw.getMinX() + x, raw.getMinY() + y, px);
        if (adobe == 2) {
          double yy = px[0];
          double cb = px[1] - 128.0;
          double cr = px[2] - 128.0;
          px[0] = clamp8(yy + 1.402 * cr);
          px[1] = clamp8(yy - 0.344136 * cb - 0.714136 * cr);
          px[2] = clamp8(yy + 1.772 * cb);
          px[3] = 255 - px[3];
        } else if (inverted) {
          for (int c = 0; c < 4; c++) {
            px[c] = 255 - px[c];
          }
        }
        out.setPixel(x, y, px);
      }
    }
    return new BufferedImage(cm, out, false, null);
  }

  private static int clamp8(double v) {
    long r = Math.round(v);
    return (int) Math.max(0, Math.min(255, r));
  }

  /** The image with its colour space replaced by the ICC profile's, samples untouched (when compatible). */
  private static BufferedImage labelled(BufferedImage img, byte[] icc) {
    ColorModel cm = img.getColorModel();
    if (!(cm instanceof ComponentColorModel)) {
      return img;
    }
    ICC_ColorSpace cs;
    try {
      cs = new ICC_ColorSpace(ICC_Profile.getInstance(icc));
    } catch (RuntimeException e) {
      return img; // an unreadable profile is still carried unchanged; the samples stay as stored
    }
    if (cs.getNumComponents() != cm.getNumColorComponents()) {
      return img;
    }
    ComponentColorModel ncm = new ComponentColorModel(cs, cm.hasAlpha(), cm.isAlphaPremultiplied(),
        cm.getTransparency(), cm.getTransferType());
    if (!ncm.isCompatibleRaster(img.getRaster())) {
      return img;
    }
    return new BufferedImage(ncm, img.getRaster(), cm.isAlphaPremultiplied(), null);
  }

  /**
   * The ICC profile an RGB or gray image's samples are in, when it must be written with them: not for
   * sRGB or Java's built-in gray (which codecs write untagged, as they are), nor for CMYK or palette
   * images (written converted, as before).
   */
  private static byte[] ownProfile(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    ColorSpace cs = cm.getColorSpace();
    if (!(cm instanceof ComponentColorModel) || !(cs instanceof ICC_ColorSpace) || cs.isCS_sRGB()
        || cs == ColorSpace.getInstance(ColorSpace.CS_GRAY)
        || (cs.getType() != ColorSpace.TYPE_RGB && cs.getType() != ColorSpace.TYPE_GRAY)) {
      return null;
    }
    return ((ICC_ColorSpace) cs).getProfile().getData();
  }

  /** The same samples labelled sRGB (or gray), so that codecs write them without converting. */
  private static BufferedImage unlabelled(BufferedImage img) {
    ColorModel cm = img.getColorModel();
    ColorSpace cs = cm.getColorSpace();
    if (!(cm instanceof ComponentColorModel) || cs.isCS_sRGB()
        || cs == ColorSpace.getInstance(ColorSpace.CS_GRAY)) {
      return img;
    }
    ColorSpace plain = ColorSpace.getInstance(cm.getNumColorComponents() == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    if (plain.getNumComponents() != cm.getNumColorComponents()) {
      return img;
    }
    ComponentColorModel ncm = new ComponentColorModel(plain, cm.hasAlpha(), cm.isAlphaPremultiplied(),
        cm.getTransparency(), cm.getTransferType());
    return new BufferedImage(ncm, img.getRaster(), cm.isAlphaPremultiplied(), null);
  }

  private static ImageFile.JpegTables jpegTables(IIOMetadata md) {
    try {
      Node root = md.getAsTree(JPEG_TREE);
      NodeList dq = ((IIOMetadataNode) root).getElementsByTagName("dqtable");
      JPEGQTable[] tables = new JPEGQTable[4];
      for (int i = 0; i < dq.getLength(); i++) {
        IIOMetadataNode n = (IIOMetadataNode) dq.item(i);
        int id = Integer.parseInt(n.getAttribute("qtableId"));
        if (id >= 0 && id < 4 && n.getUserObject() instanceof JPEGQTable t) {
          tables[id] = t;
        }
      }
      NodeList cs = ((IIOMetadataNode) root).getElementsByTagName("componentSpec");
      int n = cs.getLength();
      int[] sel = new int[n];
      int[] hf = new int[n];
      int[] vf = new int[n];
      for (int i = 0; i < n; i++) {
        IIOMetadataNode c = (IIOMetadataNode) cs.item(i);
        sel[i] = Integer.parseInt(c.getAttribute("QtableSelector"));
        hf[i] = Integer.parseInt(c.getAttribute("HsamplingFactor"));
        vf[i] = Integer.parseInt(c.getAttribute("VsamplingFactor"));
        if (sel[i] < 0 || sel[i] > 3 || tables[sel[i]] == null) {
          return null;
        }
      }
      return n == 0 ? null : new ImageFile.JpegTables(tables, sel, hf, vf);
    } catch (RuntimeException e) {
      return null; // fall back to the default quality
    }
  }

  /**
   * Writes {@code file}'s pixels to {@code out} in the format named by its extension, keeping the
   * ICC profile, EXIF block (orientation included), bit depth (PNG) and alpha (PNG) it was read with
   * (see {@link #encode(ImageFile, Format, int)}); written whole or not at all.
   */
  public static void write(ImageFile file, Path out, int jpegQuality) throws HallmarkException {
    Format format = Format.forFileName(out.getFileName().toString());
    writeAtomically(encode(file, format, jpegQuality), out);
  }

  /**
   * Encodes {@code file}'s pixels as PNG or JPEG with its metadata: the ICC profile as PNG iCCP or
   * JPEG APP2 (byte for byte), the EXIF block as PNG eXIf or JPEG APP1, and within one format the
   * other descriptive chunks or segments (XMP, IPTC, text, physical size). PNG keeps 16-bit samples
   * and alpha; JPEG has neither (samples are reduced to 8 bits, alpha is dropped onto white).
   * {@code jpegQuality} is 1-100, or {@link #SAME_AS_SOURCE} to reuse a JPEG source's quantisation
   * tables and chroma sampling (recompressing a JPEG with its own tables loses the least; for other
   * sources it means {@link #DEFAULT_JPEG_QUALITY}). CMYK images are written only as JPEG: asking
   * for PNG is an error, never a silent conversion.
   */
  public static byte[] encode(ImageFile file, Format format, int jpegQuality) throws HallmarkException {
    if (jpegQuality != SAME_AS_SOURCE && (jpegQuality < 1 || jpegQuality > 100)) {
      throw new IllegalArgumentException("JPEG quality must be 1-100, not " + jpegQuality);
    }
    BufferedImage img = file.image();
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try {
      if (format == Format.PNG) {
        if (file.isCmyk()) {
          throw new HallmarkException("a CMYK image cannot be written as PNG without converting its colours;"
              + " name the output .jpg");
        }
        byte[] png = encode(unlabelled(img), Format.PNG, 100);
        return Containers.intoPng(png, file.carried());
      }
      ImageFile.JpegTables tables = jpegQuality == SAME_AS_SOURCE ? file.jpegTables() : null;
      int q = jpegQuality == SAME_AS_SOURCE ? DEFAULT_JPEG_QUALITY : jpegQuality;
      if (file.isCmyk()) {
        writeCmykJpeg(img, bos, q, tables, file.cmykTransform());
      } else {
        BufferedImage plain = toJpegCompatible(unlabelled(img));
        writeJpeg(plain, bos, q, tables == null || tables.h().length != plain.getColorModel().getNumComponents()
            ? null : tables);
      }
    } catch (IOException e) {
      throw new HallmarkException("cannot encode image as " + format + " (" + oneLine(e) + ")", e);
    }
    return Containers.intoJpeg(bos.toByteArray(), file.carried());
  }

  /**
   * CMYK the way the source stored it: with an Adobe marker as inverted values under transform 0, a
   * YCCK source (transform 2) as YCCK, without a marker as ink values and no marker.
   */
  private static void writeCmykJpeg(BufferedImage img, OutputStream out, int quality, ImageFile.JpegTables tables,
      int adobeTransform) throws IOException {
    int w = img.getWidth();
    int h = img.getHeight();
    boolean inverted = adobeTransform >= 0;
    // A YCCK source is written as YCCK: the mark takes the same ink off C, M and Y, which is a change
    // of the YCC triple's Y alone, and the source's tables quantise Y most finely (written as plain
    // CMYK, M and Y got the source's coarser chroma table and the mark was weakened).
    boolean ycck = adobeTransform == 2;
    WritableRaster stored = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    int[] px = new int[4];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().getPixel(x, y, px);
        if (ycck) {
          double r = px[0];
          double g = px[1];
          double b = px[2];
          px[0] = clamp8(0.299 * r + 0.587 * g + 0.114 * b);
          px[1] = clamp8(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
          px[2] = clamp8(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
          px[3] = 255 - px[3];
        } else if (inverted) {
          for (int c = 0; c < 4; c++) {
            px[c] = 255 - px[c];
          }
        }
        stored.setPixel(x, y, px);
      }
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("no JPEG writer available");
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      IIOMetadata md = writer.getDefaultImageMetadata(new ImageTypeSpecifier(img), p);
      // The writer's CMYK default declares YCCK but a raster is written as given: declare plain CMYK.
      IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(JPEG_TREE);
      NodeList adobe = root.getElementsByTagName("app14Adobe");
      if (adobe.getLength() != 1) {
        throw new IOException("JPEG writer metadata has no Adobe marker for CMYK");
      }
      if (inverted) {
        ((IIOMetadataNode) adobe.item(0)).setAttribute("transform", ycck ? "2" : "0");
      } else {
        adobe.item(0).getParentNode().removeChild(adobe.item(0));
      }
      md.setFromTree(JPEG_TREE, root);
      if (tables != null && tables.h().length == 4) {
        applyTables(md, tables);
      } else {
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality / 100f);
      }
      writer.write(null, new IIOImage(stored, null, md), p);
    } finally {
      writer.dispose();
    }
  }

  private static void applyTables(IIOMetadata md, ImageFile.JpegTables t) throws IOException {
    IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(JPEG_TREE);
    NodeList dqts = root.getElementsByTagName("dqt");
    if (dqts.getLength() == 0) {
      throw new IOException("JPEG writer metadata has no quantisation tables to replace");
    }
    IIOMetadataNode dqt = (IIOMetadataNode) dqts.item(0);
    while (dqt.getFirstChild() != null) {
      dqt.removeChild(dqt.getFirstChild());
    }
    for (int id = 0; id < 4; id++) {
      if (t.tables()[id] != null) {
        IIOMetadataNode n = new IIOMetadataNode("dqtable");
        n.setAttribute("elementPrecision", "0");
        n.setAttribute("qtableId", Integer.toString(id));
        n.setUserObject(t.tables()[id]);
        dqt.appendChild(n);
      }
    }
    NodeList cs = root.getElementsByTagName("componentSpec");
    if (cs.getLength() != t.h().length) {
      throw new IOException("JPEG component count differs from the source's");
    }
    for (int i = 0; i < cs.getLength(); i++) {
      IIOMetadataNode c = (IIOMetadataNode) cs.item(i);
      c.setAttribute("HsamplingFactor", Integer.toString(t.h()[i]));
      c.setAttribute("VsamplingFactor", Integer.toString(t.v()[i]));
      c.setAttribute("QtableSelector", Integer.toString(t.componentTable()[i]));
    }
    md.setFromTree(JPEG_TREE, root);
  }

  /**
   * Reads the first image in {@code bytes}; {@code name} labels the input in error messages. The
   * pixels are the file's own values, not converted to sRGB (see {@link #readFile(byte[], String)}).
   */
  public static BufferedImage read(byte[] bytes, String name) throws HallmarkException {
    return readFile(bytes, name).image();
  }

  private record Decoded(BufferedImage image, Raster raster, IIOMetadata metadata, String format, int frames) {}

  private static Decoded decode(byte[] bytes, String name, boolean metadata, boolean raster)
      throws HallmarkException {
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
        reader.setInput(in, true, !metadata);
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
        BufferedImage img = null;
        Raster ras = null;
        IIOMetadata md = null;
        try {
          if (raster) {
            ras = reader.readRaster(0, null);
          } else {
            img = reader.read(0);
          }
          if (metadata) {
            md = reader.getImageMetadata(0);
          }
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
        if (img == null && ras == null) {
          throw new HallmarkException(name + ": " + format + " file holds no image");
        }
        // Counted on a fresh stream: this reader reads forward only.
        int frames = format.equals("JPEG") || format.equals("PNG") || format.equals("BMP") ? 1 : frameCount(bytes);
        return new Decoded(img, ras, md, format.toLowerCase(Locale.ROOT), frames);
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
    writeAtomically(encode(image, format, jpegQuality), file);
  }

  /** The output whole or not at all, fsynced, through the one durable write ({@link DurableFiles}). */
  private static void writeAtomically(byte[] bytes, Path file) throws HallmarkException {
    try {
      DurableFiles.write(file, bytes);
    } catch (IOException e) {
      throw new HallmarkException(file + ": cannot write (" + oneLine(e) + ")", e);
    }
  }


  /**
   * Encodes {@code image} as PNG or JPEG bytes. An image whose colour space is an ICC profile other
   * than sRGB (what {@link #read} returns for an Adobe RGB or Display P3 file, and what {@link
   * ImageWatermarker#embed} keeps) is written with its samples as they are and the profile embedded
   * (PNG iCCP, JPEG APP2), as {@link #encode(ImageFile, Format, int)} does; other images as sRGB or
   * gray.
   */
  public static byte[] encode(BufferedImage image, Format format, int jpegQuality)
      throws HallmarkException {
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be 1-100, not " + jpegQuality);
    }
    byte[] icc = ownProfile(image);
    if (icc != null) {
      Containers.Carried carried = new Containers.Carried(icc, null, List.of(), List.of());
      return encode(new ImageFile(image, format.name().toLowerCase(Locale.ROOT), carried, null, -1), format,
          jpegQuality);
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
        writeJpeg(toJpegCompatible(image), bos, jpegQuality, null);
      }
    } catch (IOException e) {
      throw new HallmarkException("cannot encode image as " + format + " (" + oneLine(e) + ")", e);
    }
    return bos.toByteArray();
  }

  private static void writeJpeg(BufferedImage image, OutputStream out, int quality, ImageFile.JpegTables tables)
      throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IOException("no JPEG writer available");
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      IIOMetadata md = null;
      if (tables != null) {
        md = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), p);
        applyTables(md, tables);
      } else {
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality / 100f);
      }
      writer.write(null, new IIOImage(image, null, md), p);
    } finally {
      writer.dispose();
    }
  }

  /**
   * True when some pixel of {@code img} is not fully opaque: what a JPEG (which has no alpha) would
   * lose, flattened onto white, beyond an alpha channel that is opaque everywhere.
   */
  public static boolean hasTransparency(BufferedImage img) {
    if (!img.getColorModel().hasAlpha()) {
      return false;
    }
    java.awt.image.Raster a = img.getAlphaRaster();
    if (a == null) {
      return false;
    }
    int max = (1 << img.getColorModel().getComponentSize(img.getColorModel().getNumComponents() - 1)) - 1;
    int[] row = new int[a.getWidth()];
    for (int y = 0; y < a.getHeight(); y++) {
      a.getSamples(a.getMinX(), a.getMinY() + y, a.getWidth(), 1, 0, row);
      for (int v : row) {
        if (v != max) {
          return true;
        }
      }
    }
    return false;
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
