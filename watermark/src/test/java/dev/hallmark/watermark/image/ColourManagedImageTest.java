package dev.hallmark.watermark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Colour-managed embedding: photos tagged with an ICC profile, CMYK, 16-bit and EXIF-rotated
 * files keep their own pixel values, profile, bit depth, alpha and orientation. The fixtures are
 * built here from the Kodak crops in the test resources, with profiles made in the test (no
 * downloads): the Kodak values are taken as the file's own values in each colour space.
 */
class ColourManagedImageTest {
  static final long SEED = 20261203L;
  static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8};
  static final ImageWatermarker WM = ImageWatermarks.newWatermarker();
  static WatermarkKey key;

  @BeforeAll
  static void keys() {
    System.out.println("ColourManagedImageTest seed " + SEED);
    key = WatermarkKey.generate("colour-test", new Random(SEED));
  }

  // ---- fixtures -------------------------------------------------------------------------------

  static BufferedImage crop(String name, int w, int h) throws Exception {
    BufferedImage src = TestImages.load(name);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
    out.getRaster().setRect(src.getRaster().createChild((src.getWidth() - w) / 2, (src.getHeight() - h) / 2, w,
        h, 0, 0, new int[] {0, 1, 2}));
    return out;
  }

  static byte[] xyz(double x, double y, double z) {
    ByteBuffer b = ByteBuffer.allocate(20);
    b.put("XYZ ".getBytes(StandardCharsets.ISO_8859_1)).putInt(0);
    b.putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536)).putInt((int) Math.round(z * 65536));
    return b.array();
  }

  /** ICC v2 textDescriptionType. */
  static byte[] desc(String text) {
    byte[] t = (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(12 + t.length + 4 + 4 + 2 + 1 + 67);
    b.put("desc".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).putInt(t.length).put(t);
    return b.array();
  }

  /** An RGB profile with the given D50 colorants and a pure-gamma (or sRGB) tone curve. */
  static byte[] rgbProfile(String name, double[] r, double[] g, double[] bl, double gamma) {
    ICC_Profile p = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    p.setData(ICC_Profile.icSigRedColorantTag, xyz(r[0], r[1], r[2]));
    p.setData(ICC_Profile.icSigGreenColorantTag, xyz(g[0], g[1], g[2]));
    p.setData(ICC_Profile.icSigBlueColorantTag, xyz(bl[0], bl[1], bl[2]));
    p.setData(ICC_Profile.icSigProfileDescriptionTag, desc(name));
    if (gamma > 0) {
      byte[] curv = ByteBuffer.allocate(14).put("curv".getBytes(StandardCharsets.ISO_8859_1)).putInt(0)
          .putInt(1).putShort((short) Math.round(gamma * 256)).array();
      p.setData(ICC_Profile.icSigRedTRCTag, curv);
      p.setData(ICC_Profile.icSigGreenTRCTag, curv);
      p.setData(ICC_Profile.icSigBlueTRCTag, curv);
    }
    return p.getData();
  }

  static byte[] adobeRgb() {
    return rgbProfile("Adobe RGB (1998) primaries (Hallmark test)", new double[] {0.60974, 0.31111, 0.01947},
        new double[] {0.20528, 0.62567, 0.06087}, new double[] {0.14919, 0.06322, 0.74457}, 563 / 256.0);
  }

  static byte[] displayP3() {
    return rgbProfile("Display P3 (Hallmark test)", new double[] {0.515102, 0.241182, -0.00104941},
        new double[] {0.291965, 0.692236, 0.0418818}, new double[] {0.157153, 0.0665819, 0.784378}, 0);
  }

  /** A minimal ICC v2 output profile for CMYK: lut8 A2B0 (CMYK to Lab) and B2A0 (Lab to CMYK). */
  static byte[] cmykProfile() {
    byte[] d = desc("Hallmark test CMYK");
    byte[] wt = xyz(0.9642, 1.0, 0.8249);
    byte[] a2b = lut8(4, 3, idx -> {
      double k = 1 - idx[3];
      double lum = k * (0.299 * (1 - idx[0]) + 0.587 * (1 - idx[1]) + 0.114 * (1 - idx[2]));
      return new int[] {(int) Math.round(255 * lum), 128, 128};
    });
    byte[] b2a = lut8(3, 4, idx -> new int[] {0, 0, 0, (int) Math.round(255 * (1 - idx[0]))});
    byte[][] tags = {d, wt, a2b, b2a};
    String[] sigs = {"desc", "wtpt", "A2B0", "B2A0"};
    int off = 128 + 4 + 12 * tags.length;
    int size = off;
    for (byte[] t : tags) {
      size += (t.length + 3) & ~3;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(size).putInt(0).putInt(0x02100000).put("prtrCMYKLab ".getBytes(StandardCharsets.ISO_8859_1));
    b.putShort((short) 2026).putShort((short) 12).putShort((short) 3).putShort((short) 0).putShort((short) 0)
        .putShort((short) 0).put("acsp".getBytes(StandardCharsets.ISO_8859_1));
    b.position(64).putInt(0);
    b.position(68).putInt(63190).putInt(65536).putInt(54061);
    b.position(128).putInt(tags.length);
    int pos = off;
    for (int i = 0; i < tags.length; i++) {
      b.put(sigs[i].getBytes(StandardCharsets.ISO_8859_1)).putInt(pos).putInt(tags[i].length);
      pos += (tags[i].length + 3) & ~3;
    }
    pos = off;
    for (byte[] t : tags) {
      b.position(pos).put(t);
      pos += (t.length + 3) & ~3;
    }
    return b.array();
  }

  interface Clut {
    int[] at(double[] corner);
  }

  static byte[] lut8(int in, int out, Clut f) {
    int grid = 2;
    int entries = 1 << in;
    ByteBuffer b = ByteBuffer.allocate(48 + 256 * in + entries * out + 256 * out);
    b.put("mft1".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).put((byte) in).put((byte) out).put((byte) grid).put((byte) 0);
    for (int i = 0; i < 9; i++) {
      b.putInt(i % 4 == 0 ? 65536 : 0);
    }
    for (int c = 0; c < in; c++) {
      for (int v = 0; v < 256; v++) {
        b.put((byte) v);
      }
    }
    for (int e = 0; e < entries; e++) {
      double[] corner = new double[in];
      for (int c = 0; c < in; c++) {
        corner[c] = (e >>> (in - 1 - c)) & 1;
      }
      for (int v : f.at(corner)) {
        b.put((byte) v);
      }
    }
    for (int c = 0; c < out; c++) {
      for (int v = 0; v < 256; v++) {
        b.put((byte) v);
      }
    }
    return b.array();
  }

  static byte[] jpeg(BufferedImage img, int q) throws Exception {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(bos)) {
      w.setOutput(ios);
      ImageWriteParam p = w.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(q / 100f);
      w.write(null, new IIOImage(img, null, null), p);
    } finally {
      w.dispose();
    }
    return bos.toByteArray();
  }

  /** A 4-channel raster written as-is, with an Adobe marker (transform 0) when {@code adobe}. */
  static byte[] cmykJpeg(Raster stored, int q, boolean adobe, byte[] icc) throws Exception {
    ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(bos)) {
      w.setOutput(ios);
      ImageWriteParam p = w.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(q / 100f);
      javax.imageio.metadata.IIOMetadata md = null;
      if (adobe) {
        ComponentColorModel cm = new ComponentColorModel(new java.awt.color.ICC_ColorSpace(ICC_Profile.getInstance(icc)),
            false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        md = w.getDefaultImageMetadata(new javax.imageio.ImageTypeSpecifier(cm, cm.createCompatibleSampleModel(8, 8)), p);
        javax.imageio.metadata.IIOMetadataNode root =
            (javax.imageio.metadata.IIOMetadataNode) md.getAsTree("javax_imageio_jpeg_image_1.0");
        ((javax.imageio.metadata.IIOMetadataNode) root.getElementsByTagName("app14Adobe").item(0))
            .setAttribute("transform", "0");
        // As Photoshop writes CMYK: no colour transform, no subsampling.
        org.w3c.dom.NodeList cs = root.getElementsByTagName("componentSpec");
        for (int i = 0; i < cs.getLength(); i++) {
          ((javax.imageio.metadata.IIOMetadataNode) cs.item(i)).setAttribute("HsamplingFactor", "1");
          ((javax.imageio.metadata.IIOMetadataNode) cs.item(i)).setAttribute("VsamplingFactor", "1");
        }
        md.setFromTree("javax_imageio_jpeg_image_1.0", root);
      }
      w.write(null, new IIOImage(stored, null, md), p);
    } finally {
      w.dispose();
    }
    return bos.toByteArray();
  }

  /** {@code jpeg} with a marker segment inserted after SOI and any APP0/APP14 header segments. */
  static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
    int p = 2;
    while ((jpeg[p + 1] & 0xff) == 0xe0 || (jpeg[p + 1] & 0xff) == 0xee) {
      p += 2 + (((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff));
    }
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(jpeg, 0, p);
    o.write(0xff);
    o.write(marker);
    o.write((payload.length + 2) >>> 8);
    o.write((payload.length + 2) & 0xff);
    o.writeBytes(payload);
    o.write(jpeg, p, jpeg.length - p);
    return o.toByteArray();
  }

  static byte[] iccSegment(byte[] icc) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
    o.write(1);
    o.write(1);
    o.writeBytes(icc);
    return o.toByteArray();
  }

  static byte[] exifOrientation(int orientation) {
    ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4);
    b.put(new byte[] {'E', 'x', 'i', 'f', 0, 0}).put(new byte[] {'M', 'M', 0, 42}).putInt(8);
    b.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation)
        .putShort((short) 0).putInt(0);
    return b.array();
  }

  /** {@code png} with an iCCP chunk after IHDR. */
  static byte[] withIccp(byte[] png, byte[] icc) {
    Deflater d = new Deflater();
    d.setInput(icc);
    d.finish();
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    z.writeBytes("test profile\0\0".getBytes(StandardCharsets.ISO_8859_1));
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      z.write(buf, 0, d.deflate(buf));
    }
    d.end();
    byte[] data = z.toByteArray();
    ByteBuffer c = ByteBuffer.allocate(data.length + 12);
    c.putInt(data.length).put("iCCP".getBytes(StandardCharsets.ISO_8859_1)).put(data);
    CRC32 crc = new CRC32();
    crc.update(c.array(), 4, data.length + 4);
    c.putInt((int) crc.getValue());
    int ihdrEnd = 8 + 12 + 13;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(png, 0, ihdrEnd);
    o.writeBytes(c.array());
    o.write(png, ihdrEnd, png.length - ihdrEnd);
    return o.toByteArray();
  }

  static byte[] png(BufferedImage img) throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, "png", bos));
    return bos.toByteArray();
  }

  // ---- checks ---------------------------------------------------------------------------------

  /** PSNR over every colour sample as stored, at the samples' own peak (255 or 65535); alpha excluded. */
  static double psnr(Raster a, Raster b, int bands, int bits) {
    double se = 0;
    long n = 0;
    int w = a.getWidth();
    int[] x = new int[w];
    int[] y = new int[w];
    for (int row = 0; row < a.getHeight(); row++) {
      for (int band = 0; band < bands; band++) {
        a.getSamples(a.getMinX(), a.getMinY() + row, w, 1, band, x);
        b.getSamples(b.getMinX(), b.getMinY() + row, w, 1, band, y);
        for (int i = 0; i < w; i++) {
          double d = x[i] - y[i];
          se += d * d;
          n++;
        }
      }
    }
    double peak = (1L << bits) - 1;
    return 10 * Math.log10(peak * peak * n / se);
  }

  /** The samples a plain decoder returns without colour management (profile ignored). */
  static Raster plainRaster(byte[] file) throws Exception {
    if (file[1] == 'P') {
      return ImageIO.read(new ByteArrayInputStream(file)).getRaster(); // PNG decoders never convert
    }
    ImageReader r = ImageIO.getImageReaders(ImageIO.createImageInputStream(new ByteArrayInputStream(file))).next();
    try {
      r.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(file)));
      return r.readRaster(0, null);
    } finally {
      r.dispose();
    }
  }

  /** Read must return the stored samples, not converted ones. */
  static void assertSameSamples(Raster expected, Raster actual, int bands) {
    assertEquals(expected.getWidth(), actual.getWidth());
    for (int band = 0; band < bands; band++) {
      for (int y = 0; y < expected.getHeight(); y++) {
        for (int x = 0; x < expected.getWidth(); x++) {
          if (expected.getSample(x, y, band) != actual.getSample(x, y, band)) {
            throw new AssertionError("sample " + x + "," + y + " band " + band + " converted on reading: "
                + expected.getSample(x, y, band) + " -> " + actual.getSample(x, y, band));
          }
        }
      }
    }
  }

  record Outcome(ImageFile in, ImageFile out, byte[] bytes, double psnr) {}

  static Outcome embed(String label, byte[] original, Images.Format format) throws Exception {
    return embed(label, original, format, true);
  }

  static Outcome embed(String label, byte[] original, Images.Format format, boolean payload) throws Exception {
    ImageFile in = Images.readFile(original, label);
    BufferedImage marked = WM.embed(in.image(), key, PAYLOAD);
    // The API's own result keeps the colour space its samples are in (a caller that writes it with
    // ImageIO, or shows it, must not see Adobe RGB samples as sRGB), not only the file written below.
    assertEquals(in.image().getColorModel().getColorSpace(), marked.getColorModel().getColorSpace(),
        label + ": embed relabelled the samples");
    byte[] written = Images.encode(in.withImage(marked), format, Images.SAME_AS_SOURCE);
    ImageFile out = Images.readFile(written, label + " (watermarked)");
    int bands = in.image().getColorModel().getNumColorComponents();
    double psnr = psnr(in.image().getRaster(), out.image().getRaster(), bands, in.bitDepth());
    ImageDetection d = WM.detect(out.image(), List.of(key), 1e-6);
    System.out.printf("%s: %s -> %s, PSNR %.2f dB against the file's own samples, %s%n", label, in, out, psnr, d);
    assertTrue(psnr >= 40, label + " PSNR " + psnr);
    assertArrayEquals(in.iccProfile(), out.iccProfile(), label + ": profile not kept byte for byte");
    assertEquals(in.exifOrientation(), out.exifOrientation(), label + ": orientation");
    assertEquals(in.bitDepth(), out.bitDepth(), label + ": bit depth");
    assertEquals(in.hasAlpha(), out.hasAlpha(), label + ": alpha");
    assertEquals(in.isCmyk(), out.isCmyk(), label + ": CMYK");
    assertTrue(d.detected() && (d.payloadValid() || !payload), label + ": " + d);
    if (payload) {
      assertArrayEquals(PAYLOAD, d.payload());
    }
    return new Outcome(in, out, written, psnr);
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void adobeRgbJpegKeepsItsValuesAndProfile() throws Exception {
    BufferedImage pixels = crop("kodim23", 640, 480);
    byte[] plain = jpeg(pixels, 90);
    byte[] tagged = withSegment(plain, 0xe2, iccSegment(adobeRgb()));
    // Read as stored: the same samples as the untagged file gives (the JDK alone would convert them).
    ImageFile f = Images.readFile(tagged, "adobe.jpg");
    assertSameSamples(ImageIO.read(new ByteArrayInputStream(plain)).getRaster(), f.image().getRaster(), 3);
    assertTrue(f.colourProfileName().startsWith("Adobe RGB (1998)"), f.colourProfileName());
    assertTrue(f.image().getColorModel().getColorSpace() instanceof java.awt.color.ICC_ColorSpace);
    Outcome o = embed("Adobe RGB JPEG", tagged, Images.Format.JPEG);
    assertEquals("jpeg", o.out().format());
    // Across formats too: JPEG in, PNG out keeps the profile as iCCP.
    byte[] asPng = Images.encode(o.out(), Images.Format.PNG, Images.SAME_AS_SOURCE);
    assertArrayEquals(f.iccProfile(), Images.readFile(asPng, "adobe.png").iccProfile());
  }

  @Test
  void bufferedImageApiKeepsTheProfileToo() throws Exception {
    // The plain BufferedImage path (Images.read, embed, Images.encode) must not show Adobe RGB
    // samples as sRGB either: before, PNG came out untagged (29.8 dB through getRGB on an Adobe RGB photo).
    byte[] tagged = withSegment(jpeg(crop("kodim23", 512, 384), 90), 0xe2, iccSegment(adobeRgb()));
    BufferedImage in = Images.read(tagged, "adobe.jpg");
    BufferedImage marked = WM.embed(in, key, PAYLOAD);
    for (Images.Format format : Images.Format.values()) {
      ImageFile back = Images.readFile(Images.encode(marked, format, 95), "adobe." + format);
      assertTrue(back.colourProfileName().startsWith("Adobe RGB (1998)"), format + ": " + back.colourProfileName());
      if (format == Images.Format.PNG) {
        assertSameSamples(marked.getRaster(), back.image().getRaster(), 3);
      }
    }
  }

  @Test
  void displayP3PngWithAlphaKeepsItsValuesAlphaAndProfile() throws Exception {
    BufferedImage rgb = crop("kodim03", 640, 480);
    BufferedImage argb = new BufferedImage(640, 480, BufferedImage.TYPE_4BYTE_ABGR);
    WritableRaster r = argb.getRaster();
    for (int y = 0; y < 480; y++) {
      for (int x = 0; x < 640; x++) {
        int[] px = rgb.getRaster().getPixel(x, y, (int[]) null);
        r.setPixel(x, y, new int[] {px[0], px[1], px[2], x < 40 ? 0 : 255 - (y % 50)});
      }
    }
    byte[] tagged = withIccp(png(argb), displayP3());
    Outcome o = embed("Display P3 PNG with alpha", tagged, Images.Format.PNG);
    assertTrue(o.in().colourProfileName().startsWith("Display P3"), o.in().colourProfileName());
    Raster a = o.in().image().getRaster();
    Raster b = o.out().image().getRaster();
    for (int y = 0; y < 480; y += 7) {
      for (int x = 0; x < 640; x += 3) {
        assertEquals(a.getSample(x, y, 3), b.getSample(x, y, 3), "alpha changed at " + x + "," + y);
      }
    }
    assertSameSamples(plainRaster(tagged), a, 4);
  }

  @Test
  void cmykJpegStaysCmykWithItsProfile() throws Exception {
    BufferedImage rgb = crop("kodim15", 640, 480);
    WritableRaster stored = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 640, 480, 4, null);
    for (int y = 0; y < 480; y++) {
      for (int x = 0; x < 640; x++) {
        int[] px = rgb.getRaster().getPixel(x, y, (int[]) null);
        int k = 255 - Math.max(px[0], Math.max(px[1], px[2]));
        int[] ink = new int[4];
        for (int c = 0; c < 3; c++) {
          ink[c] = k == 255 ? 0 : (int) Math.round(255.0 * (255 - px[c] - k) / (255 - k));
        }
        ink[3] = k;
        for (int c = 0; c < 4; c++) {
          ink[c] = 255 - ink[c]; // Adobe stores CMYK inverted
        }
        stored.setPixel(x, y, ink);
      }
    }
    byte[] icc = cmykProfile();
    assertEquals(ColorSpace.TYPE_CMYK, ICC_Profile.getInstance(icc).getColorSpaceType());
    byte[] tagged = withSegment(cmykJpeg(stored, 92, true, icc), 0xe2, iccSegment(icc));
    Outcome o = embed("CMYK JPEG", tagged, Images.Format.JPEG);
    assertSameSamples(invert(plainRaster(tagged)), o.in().image().getRaster(), 4);
    assertTrue(o.in().isCmyk());
    // As any decoder returns them: the raw stored channels of both files.
    double raw = psnr(plainRaster(tagged), plainRaster(o.bytes()), 4, 8);
    System.out.printf("CMYK JPEG: PSNR over the 4 stored channels %.2f dB%n", raw);
    assertTrue(raw >= 40, "stored-channel PSNR " + raw);
    HallmarkException e = assertThrows(HallmarkException.class,
        () -> Images.encode(o.out(), Images.Format.PNG, 100));
    assertTrue(e.getMessage().contains("CMYK"), e.getMessage());
    // Without an Adobe marker the stored values are ink values, and stay so.
    byte[] plainCmyk = cmykJpeg(invert(stored), 92, false, icc);
    Outcome p = embed("CMYK JPEG without Adobe marker", plainCmyk, Images.Format.JPEG);
    assertSameSamples(plainRaster(plainCmyk), p.in().image().getRaster(), 4);
    double raw2 = psnr(plainRaster(plainCmyk), plainRaster(p.bytes()), 4, 8);
    assertTrue(raw2 >= 40, "stored-channel PSNR " + raw2);
  }

  /**
   * A CMYK JPEG as ImageMagick and Photoshop write it by default: YCCK (Adobe transform 2). It was read
   * with C, M and Y inverted (the YCC triple was inverted like stored CMYK, but it already is the
   * ink), so tag and embed wrote a cyan negative, 4.2 dB against the original, and its fingerprint
   * did not match its RGB rendering. The ink values are checked against ImageMagick's decoding.
   */
  @Test
  void ycckJpegFromImageMagickReadsAsItsInkValuesAndEmbedsAt40Db() throws Exception {
    byte[] file;
    byte[] expected;
    try (java.io.InputStream in = ColourManagedImageTest.class.getResourceAsStream("/images/ycck-kodim04.jpg");
        java.io.InputStream raw = new java.util.zip.GZIPInputStream(
            ColourManagedImageTest.class.getResourceAsStream("/images/ycck-kodim04.cmyk.gz"))) {
      file = in.readAllBytes();
      expected = raw.readAllBytes();
    }
    ImageFile f = Images.readFile(file, "ycck-kodim04.jpg");
    assertTrue(f.isCmyk());
    Raster r = f.image().getRaster();
    int w = 128;
    int h = 96;
    assertEquals(w * h * 4, expected.length);
    double[] sum = new double[4];
    int worst = 0;
    int[] px = new int[4];
    WritableRaster im = r.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.getPixel(x, y, px);
        for (int c = 0; c < 4; c++) {
          int e = expected[(y * w + x) * 4 + c] & 0xff;
          im.setSample(x, y, c, e);
          int d = Math.abs(px[c] - e);
          sum[c] += d;
          worst = Math.max(worst, d);
        }
      }
    }
    for (int c = 0; c < 4; c++) {
      double mean = sum[c] / (w * h);
      // Two JPEG decoders (the JDK's and libjpeg-turbo) differ by rounding, not by an inversion (mean 127 before).
      assertTrue(mean < 1.5, "channel " + "CMYK".charAt(c) + ": mean difference from ImageMagick " + mean);
    }
    assertTrue(worst <= 12, "largest difference from ImageMagick " + worst);
    // 384x288 of ink whose K carries half the picture: the mark is detected; its payload needs more pixels.
    Outcome o = embed("YCCK JPEG (ImageMagick)", file, Images.Format.JPEG, false);
    assertTrue(o.out().isCmyk());
    // The tagged file's ink against what another reader decodes from the original file.
    double db = psnr(im, o.out().image().getRaster().createChild(0, 0, w, h, 0, 0, null), 4, 8);
    System.out.printf("YCCK JPEG: PSNR of the tagged file's ink against ImageMagick's reading of the original %.2f dB%n", db);
    assertTrue(db >= 38, "tagged ink against the original's (two decoders apart) " + db);
  }

  static Raster invert(Raster r) {
    WritableRaster out = r.createCompatibleWritableRaster();
    int[] px = new int[r.getNumBands()];
    for (int y = 0; y < r.getHeight(); y++) {
      for (int x = 0; x < r.getWidth(); x++) {
        r.getPixel(r.getMinX() + x, r.getMinY() + y, px);
        for (int c = 0; c < px.length; c++) {
          px[c] = 255 - px[c];
        }
        out.setPixel(x, y, px);
      }
    }
    return out;
  }

  @Test
  void sixteenBitPngStaysSixteenBit() throws Exception {
    BufferedImage rgb = crop("kodim05", 640, 480);
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster r = cm.createCompatibleWritableRaster(640, 480);
    Random noise = new Random(SEED);
    for (int y = 0; y < 480; y++) {
      for (int x = 0; x < 640; x++) {
        int[] px = rgb.getRaster().getPixel(x, y, (int[]) null);
        for (int c = 0; c < 3; c++) {
          px[c] = Math.min(65535, px[c] * 257 + noise.nextInt(200));
        }
        r.setPixel(x, y, px);
      }
    }
    byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
    byte[] tagged = withIccp(png(new BufferedImage(cm, r, false, null)), linear);
    Outcome o = embed("16-bit PNG (linear RGB profile)", tagged, Images.Format.PNG);
    assertEquals(16, o.out().bitDepth());
    assertEquals(DataBuffer.TYPE_USHORT, plainRaster(o.bytes()).getTransferType());
  }

  @Test
  void palettesAndGraysUnderEightBitsAreWidenedNotRefused() throws Exception {
    // A 4-bit palette PNG (pngquant, optimisers) and a 1-bit scan: ImageFile.withImage refused the
    // marked image ("pixels must have the file's size, components and bit depth"), and Images.psnr
    // read past the one band of the palette's samples. The mark needs 8 bits: the result is 8-bit
    // RGB, as for an 8-bit palette.
    BufferedImage photo = crop("kodim23", 400, 300);
    for (int bits : new int[] {4, 1}) {
      int colours = 1 << bits;
      byte[] r = new byte[colours];
      byte[] g = new byte[colours];
      byte[] b = new byte[colours];
      for (int i = 0; i < colours; i++) {
        r[i] = (byte) (i * 255 / (colours - 1));
        g[i] = (byte) (i * 255 / (colours - 1));
        b[i] = (byte) (i * 200 / (colours - 1));
      }
      java.awt.image.IndexColorModel icm = new java.awt.image.IndexColorModel(bits, colours, r, g, b);
      BufferedImage pal = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_BINARY, icm);
      Random dither = new Random(SEED + bits);
      for (int y = 0; y < 300; y++) {
        for (int x = 0; x < 400; x++) {
          int[] px = photo.getRaster().getPixel(x, y, (int[]) null);
          double lum = (0.299 * px[2] + 0.587 * px[1] + 0.114 * px[0]) / 255.0; // TYPE_3BYTE_BGR bands
          int idx = (int) Math.min(colours - 1, Math.floor(lum * (colours - 1) + dither.nextDouble()));
          pal.getRaster().setSample(x, y, 0, idx);
        }
      }
      byte[] file = png(pal);
      ImageFile in = Images.readFile(file, bits + "-bit palette");
      assertEquals(bits, in.image().getSampleModel().getSampleSize(0));
      BufferedImage marked = WM.embed(in.image(), key, PAYLOAD);
      byte[] written = Images.encode(in.withImage(marked), Images.Format.PNG, Images.SAME_AS_SOURCE);
      ImageFile out = Images.readFile(written, bits + "-bit palette (watermarked)");
      double psnr = Images.psnr(in.image(), out.image());
      ImageDetection d = WM.detect(out.image(), List.of(key), 1e-6);
      System.out.printf("%d-bit palette: %s -> %s, PSNR %.2f dB against its colours, %s%n", bits, in, out, psnr, d);
      assertEquals(8, out.bitDepth());
      assertTrue(psnr >= 40, bits + "-bit PSNR " + psnr);
      assertTrue(d.detected() && d.payloadValid(), bits + "-bit: " + d);
    }
  }

  @Test
  void exifOrientationSixIsKeptAndPixelsStayAsStored() throws Exception {
    BufferedImage pixels = crop("kodim03", 384, 512);
    byte[] photo = withSegment(jpeg(pixels, 90), 0xe1, exifOrientation(6));
    ImageFile f = Images.readFile(photo, "rotated.jpg");
    assertEquals(6, f.exifOrientation());
    assertEquals(384, f.image().getWidth());
    Outcome o = embed("EXIF orientation 6 JPEG", photo, Images.Format.JPEG);
    assertEquals(6, o.out().exifOrientation());
    byte[] asPng = Images.encode(o.out(), Images.Format.PNG, 100);
    assertEquals(6, Images.readFile(asPng, "rotated.png").exifOrientation());
    assertNotNull(o.out().image());
  }
}
