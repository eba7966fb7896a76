package dev.hallmark.watermark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageFingerprintTest {
  @Test
  void editedCopiesMatchAndDifferentPhotosDoNot() throws Exception {
    List<ImageFingerprint> originals = new ArrayList<>();
    for (String name : TestImages.NAMES) {
      BufferedImage img = TestImages.load(name);
      ImageFingerprint f = ImageFingerprint.of(img);
      originals.add(f);
      assertTrue(f.quality() >= ImageFingerprint.MIN_USEFUL_QUALITY, name + " quality " + f.quality());
      int dJpeg = f.distance(ImageFingerprint.of(TestImages.jpeg(img, 50)));
      int dResize = f.distance(ImageFingerprint.of(TestImages.resize(img, 0.5)));
      int dCrop = f.distance(ImageFingerprint.of(TestImages.crop(img, 0.98)));
      System.out.printf("%s: jpeg50 %d, resize0.5 %d, crop98%% %d%n", name, dJpeg, dResize, dCrop);
      assertTrue(dJpeg <= ImageFingerprint.DEFAULT_MATCH_THRESHOLD, name + " jpeg " + dJpeg);
      assertTrue(dResize <= ImageFingerprint.DEFAULT_MATCH_THRESHOLD, name + " resize " + dResize);
      assertTrue(dCrop <= ImageFingerprint.DEFAULT_MATCH_THRESHOLD, name + " crop " + dCrop);
    }
    for (int i = 0; i < originals.size(); i++) {
      for (int j = i + 1; j < originals.size(); j++) {
        int d = originals.get(i).distance(originals.get(j));
        assertFalse(originals.get(i).matches(originals.get(j)), "photos " + i + "," + j + " distance " + d);
      }
    }
  }

  @Test
  void hashOfAFlatImageHasZeroQualityAndBalancedBits() {
    BufferedImage flat = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
    ImageFingerprint f = ImageFingerprint.of(flat);
    assertEquals(0, f.quality());
    assertEquals(64, f.hex().length());
  }

  @Test
  void medianThresholdSetsAboutHalfTheBits() throws Exception {
    ImageFingerprint f = ImageFingerprint.of(TestImages.load("kodim05"));
    int ones = 0;
    for (byte b : f.bytes()) {
      ones += Integer.bitCount(b & 0xff);
    }
    assertTrue(ones >= 120 && ones <= 128, "ones " + ones);
  }

  @Test
  void hexRoundTripAndChunks() throws Exception {
    ImageFingerprint f = ImageFingerprint.of(TestImages.load("kodim03"));
    assertTrue(f.hex().matches("[0-9a-f]{64}"));
    ImageFingerprint g = ImageFingerprint.fromHex(f.hex().toUpperCase(), f.quality());
    assertEquals(f, g);
    assertEquals(0, f.distance(g));
    assertEquals(Integer.parseInt(f.hex().substring(4, 8), 16), f.chunk16(1));
    assertThrows(HallmarkException.class, () -> ImageFingerprint.fromHex("abc", 50));
    assertThrows(HallmarkException.class, () -> ImageFingerprint.fromHex("z".repeat(64), 50));
  }

  @Test
  void gray16AndRgbGiveTheSameHash() throws Exception {
    BufferedImage rgb = TestImages.load("kodim23");
    BufferedImage gray8 = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage gray16 = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < rgb.getHeight(); y++) {
      for (int x = 0; x < rgb.getWidth(); x++) {
        int p = rgb.getRGB(x, y);
        double l = 0.299 * ((p >>> 16) & 0xff) + 0.587 * ((p >>> 8) & 0xff) + 0.114 * (p & 0xff);
        gray8.getRaster().setSample(x, y, 0, (int) Math.round(l));
        gray16.getRaster().setSample(x, y, 0, (int) Math.round(l * 257));
      }
    }
    ImageFingerprint a = ImageFingerprint.of(rgb);
    assertTrue(a.distance(ImageFingerprint.of(gray8)) <= 4);
    assertTrue(a.distance(ImageFingerprint.of(gray16)) <= 4);
  }
}
