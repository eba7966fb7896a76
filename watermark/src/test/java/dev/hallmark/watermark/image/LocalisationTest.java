package dev.hallmark.watermark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Localisation: the windows find which rectangle of a collage carries which key's watermark, and
 * report nothing on unmarked pictures.
 */
class LocalisationTest {
  static final long SEED = 20261205L;
  static final byte[] PAYLOAD_A = {1, 2, 3, 4, 5, 6, 7, 8};
  static final byte[] PAYLOAD_B = {8, 7, 6, 5, 4, 3, 2, 1};
  static final ImageWatermarker WM = ImageWatermarks.newWatermarker();
  static WatermarkKey keyA;
  static WatermarkKey keyB;

  @BeforeAll
  static void keys() {
    System.out.println("LocalisationTest seed " + SEED);
    Random rnd = new Random(SEED);
    keyA = WatermarkKey.generate("collage-a", rnd);
    keyB = WatermarkKey.generate("collage-b", rnd);
  }

  static BufferedImage canvas(int w, int h) {
    return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
  }

  static void paste(BufferedImage canvas, BufferedImage img, int x, int y) {
    Graphics2D g = canvas.createGraphics();
    g.drawImage(img, x, y, null);
    g.dispose();
  }

  static double centreX(ImageRegion r) {
    return r.x() + r.width() / 2.0;
  }

  @Test
  void attributesEachHalfOfATwoKeyCollageToItsKey() throws Exception {
    // kodim23 marked under key A on the left, kodim15 under key B on the right: 1536x512.
    BufferedImage c = canvas(1536, 512);
    paste(c, WM.embed(TestImages.load("kodim23"), keyA, PAYLOAD_A), 0, 0);
    paste(c, WM.embed(TestImages.load("kodim15"), keyB, PAYLOAD_B), 768, 0);
    ImageDetection d = WM.detect(TestImages.jpeg(c, 90), List.of(keyA, keyB), 1e-6);
    System.out.println("two-key collage: " + d);
    d.regions().forEach(r -> System.out.println("  " + r));
    assertTrue(d.detected(), d.toString());
    boolean sawA = false;
    boolean sawB = false;
    for (ImageRegion r : d.regions()) {
      assertTrue(r.pValue() <= 1e-6, r.toString());
      if (r.keyId().equals(keyA.keyId())) {
        sawA = true;
        assertTrue(centreX(r) < 768, "key A's region must be on the left: " + r);
        if (r.payload() != null) {
          assertArrayEquals(PAYLOAD_A, r.payload());
        }
      } else {
        assertEquals(keyB.keyId(), r.keyId());
        sawB = true;
        assertTrue(centreX(r) > 768, "key B's region must be on the right: " + r);
        if (r.payload() != null) {
          assertArrayEquals(PAYLOAD_B, r.payload());
        }
      }
    }
    assertTrue(sawA && sawB, "both keys' regions: " + d.regions());
  }

  @Test
  void findsAMarkedPhotoPastedIntoALargerUnmarkedOne() throws Exception {
    // Marked kodim23 (768x512) inside a 1536x1024 unmarked kodim15 scaled 2x: a quarter of the area.
    BufferedImage c = TestImages.resize(TestImages.load("kodim15"), 2.0);
    int px = 640;
    int py = 400;
    paste(c, WM.embed(TestImages.load("kodim23"), keyA, PAYLOAD_A), px, py);
    ImageDetection d = WM.detect(c, List.of(keyA), 1e-6);
    System.out.println("pasted: " + d);
    d.regions().forEach(r -> System.out.println("  " + r));
    assertTrue(d.detected(), d.toString());
    assertArrayEquals(PAYLOAD_A, d.payload());
    assertFalse(d.regions().isEmpty(), d.toString());
    for (ImageRegion r : d.regions()) {
      // Each reported window overlaps the pasted rectangle by at least a third of the window's area
      // (a window one cell wide that the picture's edge halves cannot be trimmed further; with
      // detector 1.8 the column of cells 512-768, 44% covered, is found on its own).
      int ix = Math.max(0, Math.min(r.x() + r.width(), px + 768) - Math.max(r.x(), px));
      int iy = Math.max(0, Math.min(r.y() + r.height(), py + 512) - Math.max(r.y(), py));
      assertTrue(ix * (double) iy >= r.width() * r.height() / 3.0, r.toString());
    }
    // The best region is the picture's: two thirds of it or more lie inside (74% here).
    ImageRegion best = d.regions().get(0);
    int bx = Math.max(0, Math.min(best.x() + best.width(), px + 768) - Math.max(best.x(), px));
    int by = Math.max(0, Math.min(best.y() + best.height(), py + 512) - Math.max(best.y(), py));
    assertTrue(bx * (double) by >= 2 * best.width() * best.height() / 3.0, best.toString());
  }

  /**
   * A narrow strip of a marked photo (one cell: a sixth of the width, the full height) in place in
   * an unmarked one, saved as JPEG 50, like OmniSealBench's collage with a tall rectangle. No square
   * window holds enough of it (detector 1.6: p 7.4e-7, z 7.52, just under alpha, the payload not
   * read; with a zero payload p 1.8e-4); the window one cell wide and the image high is exactly the
   * strip (detector 1.7: p 5.8e-17, z 10.29, the payload read; 1.8: p 8e-31, z 13.01).
   */
  @Test
  void findsANarrowStripOfAMarkedPhoto() throws Exception {
    BufferedImage marked = WM.embed(TestImages.load("kodim23"), keyA, PAYLOAD_A);
    BufferedImage c = TestImages.load("kodim15");
    paste(c, marked.getSubimage(256, 0, 128, 512), 256, 0);
    ImageDetection d = WM.detect(TestImages.jpeg(c, 50), List.of(keyA), 1e-6);
    System.out.println("narrow strip: " + d);
    d.regions().forEach(r -> System.out.println("  " + r));
    assertTrue(d.detected(), d.toString());
    assertTrue(d.pValue() < 1e-9, d.toString());
    assertArrayEquals(PAYLOAD_A, d.payload());
    ImageRegion r = d.regions().get(0);
    assertArrayEquals(new int[] {256, 0, 128, 512}, new int[] {r.x(), r.y(), r.width(), r.height()}, r.toString());
    for (ImageRegion other : d.regions()) {
      assertEquals(keyA.keyId(), other.keyId());
    }
  }

  /**
   * OmniSealBench's collage: a marked photo's pixels kept in place in a rectangle of a fifth of the
   * area (325x241 at 354,178), the rest another photo. The 6x6 windows do not follow the
   * rectangle's sides (detector 1.9: p 0.027, z 6.27); the rectangle traced from its sides is one
   * hypothesis with its own share of alpha (detector 1.10: p 1.5e-9, z 7.98).
   */
  @Test
  void findsAMarkedRectangleInPlaceInAnotherPhoto() throws Exception {
    BufferedImage marked = WM.embed(TestImages.load("kodim05"), keyA, PAYLOAD_A);
    BufferedImage c = TestImages.load("kodim23");
    int[] q = {354, 178, 325, 241};
    c.setRGB(q[0], q[1], q[2], q[3], marked.getRGB(q[0], q[1], q[2], q[3], null, 0, q[2]), 0, q[2]);
    ImageDetection d = WM.detect(c, List.of(keyA), 1e-6);
    System.out.println("pasted rectangle: " + d);
    assertTrue(d.detected(), d.toString());
    assertTrue(d.pValue() < 1e-8, d.toString());
    assertEquals(keyA.keyId(), d.keyId());
    // Reported as a region where it was pasted, as traced (not a grid window half on the other photo).
    ImageRegion r = d.regions().get(0);
    assertEquals(List.of(354, 178, 325, 241), List.of(r.x(), r.y(), r.width(), r.height()), d.regions().toString());
    assertEquals(keyA.keyId(), r.keyId());
  }

  @Test
  void unmarkedAndOtherKeyCollagesReportNoRegion() throws Exception {
    BufferedImage c = canvas(1536, 512);
    paste(c, TestImages.load("kodim03"), 0, 0);
    paste(c, WM.embed(TestImages.load("kodim05"), keyB, PAYLOAD_B), 768, 0);
    ImageDetection d = WM.detect(c, List.of(keyA), 1e-6);
    System.out.println("unmarked + other key: " + d);
    assertFalse(d.detected(), d.toString());
    assertTrue(d.regions().isEmpty(), d.toString());
    assertTrue(d.pValue() > 1e-3, d.toString());
  }
}
