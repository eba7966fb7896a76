package dev.hallmark.c2pa;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Small seeded noise images encoded by ImageIO. */
public final class TestImages {
  private TestImages() {}

  public static byte[] encode(String format, int w, int h, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | r.nextInt(256));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(img, format, out)) {
      throw new IOException("no ImageIO writer for " + format);
    }
    return out.toByteArray();
  }

  /** Index of a byte well inside the compressed image data (after the manifest). */
  public static int imageDataIndex(byte[] file) {
    return file.length - 40;
  }

  /**
   * {@code file} with the segment or chunk carrying its manifest store (the first APP11 segment of a
   * JPEG, the caBX chunk of a PNG) duplicated right after itself: two manifest stores.
   */
  public static byte[] duplicateStore(byte[] file) {
    int at;
    int len;
    if ((file[0] & 0xff) == 0xFF) {
      at = 2;
      while ((file[at + 1] & 0xff) != 0xEB) {
        at += 2 + (((file[at + 2] & 0xff) << 8) | (file[at + 3] & 0xff));
      }
      len = 2 + (((file[at + 2] & 0xff) << 8) | (file[at + 3] & 0xff));
    } else {
      at = 8;
      while (!new String(file, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("caBX")) {
        at += 12 + java.nio.ByteBuffer.wrap(file, at, 4).getInt();
      }
      len = 12 + java.nio.ByteBuffer.wrap(file, at, 4).getInt();
    }
    byte[] out = new byte[file.length + len];
    System.arraycopy(file, 0, out, 0, at + len);
    System.arraycopy(file, at, out, at + len, file.length - at);
    return out;
  }

  /**
   * Offset of the last byte of a JPEG's first APP11 segment: in a one-segment store (a Hallmark manifest
   * with a short chain) the last byte of the COSE claim signature.
   */
  public static int lastByteOfFirstStoreSegment(byte[] jpeg) {
    int at = 2;
    while ((jpeg[at + 1] & 0xff) != 0xEB) {
      at += 2 + (((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff));
    }
    return at + 1 + (((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff));
  }
}
