package dev.hallmark.watermark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Perspective edits on the same canvas (the picture's corners moved inward, the rest filled with one
 * colour, as OmniSealBench's perspective attack and image editors leave them): the detector traces
 * the picture's outline, undoes the perspective and reports where the original's corners are.
 */
class PerspectiveTest {
  static final long SEED = 20261206L;
  static final byte[] PAYLOAD = {1, 3, 5, 7, 9, 11, 13, 15};
  static final ImageWatermarker WM = ImageWatermarks.newWatermarker();
  /** Corners for 768x512 photos: a mild edit (about OmniSealBench's 0.2) and a strong one (0.4). */
  static final double[][] MILD = {{31, 12}, {741, 38}, {752, 483}, {9, 497}};
  static final double[][] STRONG = {{118, 71}, {702, 14}, {745, 468}, {62, 421}};
  static WatermarkKey key;

  @BeforeAll
  static void keys() {
    System.out.println("PerspectiveTest seed " + SEED);
    key = WatermarkKey.generate("perspective-test", new Random(SEED));
  }

  static double[][] corners(String which) {
    return which.equals("mild") ? MILD : STRONG;
  }

  @ParameterizedTest(name = "{0} {1}, fill {2}, jpeg {3}")
  @CsvSource({
    "kodim23, mild, 0x000000, 0",
    "kodim23, strong, 0x000000, 0",
    "kodim15, strong, 0xffffff, 0",
    "kodim05, mild, 0x000000, 85",
    "kodim03, strong, 0x808080, 85"})
  void perspectiveIsUndoneAlongTheOutlineWithTheExactPayload(String photo, String which, String fill, int quality)
      throws Exception {
    double[][] corners = corners(which);
    BufferedImage edited = TestImages.perspective(WM.embed(TestImages.load(photo), key, PAYLOAD), corners,
        Integer.decode(fill));
    if (quality > 0) {
      edited = TestImages.jpeg(edited, quality);
    }
    ImageDetection d = WM.detect(edited, List.of(key), 1e-6);
    System.out.println(photo + " " + which + ": " + d + " outline " + Arrays.deepToString(d.outline()));
    assertTrue(d.detected(), d.toString());
    assertArrayEquals(PAYLOAD, d.payload());
    double[][] outline = d.outline();
    assertNotNull(outline, d.toString());
    for (int k = 0; k < 4; k++) {
      assertEquals(corners[k][0], outline[k][0], 1.5, "corner " + k + " x");
      assertEquals(corners[k][1], outline[k][1], 1.5, "corner " + k + " y");
    }
    assertFalse(d.mirrored());
  }

  @Test
  void unmarkedPhotosUnderAPerspectiveEditStayUndetected() throws Exception {
    for (String photo : TestImages.names()) {
      for (String which : List.of("mild", "strong")) {
        ImageDetection d = WM.detect(TestImages.perspective(TestImages.load(photo), corners(which), 0), List.of(key), 1e-6);
        assertFalse(d.detected(), photo + " " + d);
        assertTrue(d.pValue() > 1e-3, photo + " " + d);
        assertNull(d.outline());
      }
    }
  }

  @Test
  void anUneditedPhotoReportsNoOutline() throws Exception {
    ImageDetection d = WM.detect(WM.embed(TestImages.load("kodim23"), key, PAYLOAD), List.of(key), 1e-6);
    assertTrue(d.detected());
    assertNull(d.outline(), d.toString());
  }
}
