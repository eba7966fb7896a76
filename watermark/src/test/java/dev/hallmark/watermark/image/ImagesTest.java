package dev.hallmark.watermark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.HallmarkException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImagesTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg", "gif", "bmp", "tiff"})
  void readsEveryFormatWrittenByImageIo(String format) throws Exception {
    BufferedImage src = TestImages.resize(TestImages.load("kodim23"), 0.25);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(src, format, bos), "writer for " + format);
    BufferedImage back = Images.read(bos.toByteArray(), "x." + format);
    assertEquals(src.getWidth(), back.getWidth());
    assertEquals(src.getHeight(), back.getHeight());
  }

  @Test
  void psnrIsOverTheStoredColourSamples() {
    BufferedImage a = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB);
    BufferedImage b = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB);
    assertEquals(Double.POSITIVE_INFINITY, Images.psnr(a, b));
    // One sample of 300 off by 255, and every alpha different (left out): MSE 255^2 / 300.
    b.setRGB(3, 4, 0x7fff0000);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        b.setRGB(x, y, (b.getRGB(x, y) & 0xffffff) | 0x7f000000);
      }
    }
    assertEquals(10 * Math.log10(300), Images.psnr(a, b), 1e-9);
    // 16-bit gray against 8-bit gray: samples compared on the 0-255 scale (257 per step).
    BufferedImage g16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage g8 = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
    g16.getRaster().setSample(0, 0, 0, 257 * 10);
    g8.getRaster().setSample(0, 0, 0, 10);
    assertEquals(Double.POSITIVE_INFINITY, Images.psnr(g16, g8));
    assertThrows(IllegalArgumentException.class, () -> Images.psnr(a, g8));
    assertThrows(IllegalArgumentException.class, () -> Images.psnr(a, new BufferedImage(10, 9, BufferedImage.TYPE_INT_ARGB)));
  }

  @Test
  void readsWebp() throws Exception {
    BufferedImage img = Images.read(TestImages.resourceBytes("python.webp"), "python.webp");
    assertEquals(16, img.getWidth());
    assertEquals(16, img.getHeight());
  }

  @Test
  void truncatedPngIsAClearError() throws Exception {
    byte[] png = TestImages.bytes("kodim03");
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    HallmarkException e = assertThrows(HallmarkException.class, () -> Images.read(cut, "cut.png"));
    assertTrue(e.getMessage().startsWith("cut.png: corrupt or truncated PNG"), e.getMessage());
  }

  @Test
  void truncatedJpegIsAClearError() throws Exception {
    byte[] jpg = Images.encode(TestImages.load("kodim03"), Images.Format.JPEG, 90);
    byte[] cut = Arrays.copyOf(jpg, jpg.length / 2);
    HallmarkException e = assertThrows(HallmarkException.class, () -> Images.read(cut, "cut.jpg"));
    assertTrue(e.getMessage().contains("cut.jpg: corrupt or truncated"), e.getMessage());
  }

  @Test
  void nonImageAndEmptyInputsAreClearErrors() throws Exception {
    HallmarkException e = assertThrows(HallmarkException.class,
        () -> Images.read("hello, world\n".getBytes(), "notes.txt"));
    assertTrue(e.getMessage().contains("notes.txt: not a recognised image"), e.getMessage());
    Path empty = Files.createFile(dir.resolve("empty.png"));
    e = assertThrows(HallmarkException.class, () -> Images.read(empty));
    assertTrue(e.getMessage().contains("empty file"), e.getMessage());
    e = assertThrows(HallmarkException.class, () -> Images.read(dir.resolve("missing.png")));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage);
    garbage[0] = (byte) 0xff;
    garbage[1] = (byte) 0xd8;
    garbage[2] = (byte) 0xff;
    assertThrows(HallmarkException.class, () -> Images.read(garbage, "garbage.jpg"));
  }

  @Test
  void hugeDimensionsAreRefusedBeforeDecoding() throws Exception {
    // A valid PNG header claiming 100000 x 100000 pixels followed by nothing: refused from the header.
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
    byte[] ihdr = {'I', 'H', 'D', 'R', 0, 1, (byte) 0x86, (byte) 0xa0, 0, 1, (byte) 0x86, (byte) 0xa0, 8, 2, 0, 0, 0};
    png.write(new byte[] {0, 0, 0, 13});
    png.write(ihdr);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr);
    long c = crc.getValue();
    png.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    HallmarkException e = assertThrows(HallmarkException.class, () -> Images.read(png.toByteArray(), "bomb.png"));
    assertTrue(e.getMessage().contains("100000x100000, larger than the 8192x8192 limit"), e.getMessage());
  }

  @Test
  void pngRoundTripKeepsAlphaSixteenBitAndGray() throws Exception {
    BufferedImage argb = new BufferedImage(70, 50, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(3, 4, 0x80112233);
    Path p = dir.resolve("a.png");
    Images.write(argb, p, 90);
    BufferedImage back = Images.read(p);
    assertTrue(back.getColorModel().hasAlpha());
    assertEquals(0x80112233, back.getRGB(3, 4));

    BufferedImage g16 = new BufferedImage(70, 50, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setSample(5, 6, 0, 40000);
    Path q = dir.resolve("g16.png");
    Images.write(g16, q, 90);
    BufferedImage back16 = Images.read(q);
    assertEquals(16, back16.getSampleModel().getSampleSize(0));
    assertEquals(40000, back16.getRaster().getSample(5, 6, 0));
  }

  @Test
  void jpegQualityChangesTheOutputAndAlphaIsDropped() throws Exception {
    BufferedImage img = TestImages.load("kodim15");
    byte[] q30 = Images.encode(img, Images.Format.JPEG, 30);
    byte[] q95 = Images.encode(img, Images.Format.JPEG, 95);
    assertTrue(q30.length < q95.length / 2, q30.length + " vs " + q95.length);
    BufferedImage argb = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
    BufferedImage back = Images.read(Images.encode(argb, Images.Format.JPEG, 90), "a.jpg");
    assertEquals(64, back.getWidth());
    assertThrows(HallmarkException.class, () -> Images.write(img, dir.resolve("x.gif"), 90));
    assertArrayEquals(new String[0], Files.list(dir).filter(f -> f.toString().endsWith(".tmp")).toArray(String[]::new));
  }
}
