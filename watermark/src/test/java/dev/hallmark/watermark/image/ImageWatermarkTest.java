package dev.hallmark.watermark.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageWatermarkTest {
  static final long SEED = 20261125L;
  static final double ALPHA = 1e-6;
  static WatermarkKey key;
  static WatermarkKey otherKey;
  static final byte[] PAYLOAD = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1, 2, 3};
  static final ImageWatermarker WM = ImageWatermarks.newWatermarker();

  @BeforeAll
  static void keys() {
    System.out.println("ImageWatermarkTest seed " + SEED);
    Random r = new Random(SEED);
    key = WatermarkKey.generate("image-test", r);
    otherKey = WatermarkKey.generate("other", r);
  }

  static BufferedImage marked(String name) throws Exception {
    return WM.embed(TestImages.load(name), key, PAYLOAD);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.hallmark.watermark.image.TestImages#names")
  void embedsInvisiblyAndDetectsWithExactPayload(String name) throws Exception {
    BufferedImage src = TestImages.load(name);
    BufferedImage m = WM.embed(src, key, PAYLOAD);
    assertEquals(src.getWidth(), m.getWidth());
    assertEquals(src.getType(), m.getType());
    double psnr = TestImages.psnr(src, m);
    assertTrue(psnr >= 40, name + " PSNR " + psnr);
    ImageDetection d = WM.detect(m, List.of(otherKey, key), ALPHA);
    System.out.println(name + " PSNR " + psnr + " " + d);
    assertTrue(d.detected(), d.toString());
    assertTrue(d.pValue() <= ALPHA);
    assertEquals(key.keyId(), d.keyId());
    assertTrue(d.payloadValid());
    assertArrayEquals(PAYLOAD, d.payload());
    assertEquals(2, d.keysTried());
  }

  static List<Arguments> attacks() {
    List<Arguments> out = new ArrayList<>();
    // kodim05 (dense texture) is the hardest photo: only the milder edits are asserted on it.
    for (String name : List.of("kodim03", "kodim15", "kodim23")) {
      out.add(Arguments.of(name, "jpeg50"));
      out.add(Arguments.of(name, "resize0.5"));
      out.add(Arguments.of(name, "resize0.9"));
      out.add(Arguments.of(name, "crop75"));
      out.add(Arguments.of(name, "brightness+20%"));
      out.add(Arguments.of(name, "resize0.75+jpeg80"));
    }
    out.add(Arguments.of("kodim15", "rotate1.5"));
    out.add(Arguments.of("kodim05", "jpeg50"));
    out.add(Arguments.of("kodim05", "crop75"));
    return out;
  }

  static UnaryOperator<BufferedImage> attack(String name) {
    switch (name) {
      case "jpeg50":
        return x -> uncheck(() -> TestImages.jpeg(x, 50));
      case "resize0.5":
        return x -> TestImages.resize(x, 0.5);
      case "resize0.9":
        return x -> TestImages.resize(x, 0.9);
      case "crop75":
        return x -> TestImages.crop(x, Math.sqrt(0.75));
      case "brightness+20%":
        return ImageWatermarkTest::brighter;
      case "resize0.75+jpeg80":
        return x -> uncheck(() -> TestImages.jpeg(TestImages.resize(x, 0.75), 80));
      case "rotate1.5":
        return x -> rotate(x, 1.5);
      default:
        throw new IllegalArgumentException(name);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("attacks")
  void survivesEdits(String image, String attack) throws Exception {
    BufferedImage edited = attack(attack).apply(marked(image));
    ImageDetection d = WM.detect(edited, List.of(key), ALPHA);
    System.out.println(image + " " + attack + ": " + d);
    assertTrue(d.detected(), d.toString());
    assertArrayEquals(PAYLOAD, d.payload(), d.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.hallmark.watermark.image.TestImages#names")
  void noDetectionWithoutTheWatermarkOrUnderAnotherKey(String name) throws Exception {
    BufferedImage src = TestImages.load(name);
    ImageDetection clean = WM.detect(src, List.of(key, otherKey), ALPHA);
    assertFalse(clean.detected(), clean.toString());
    assertNull(clean.keyId());
    assertNull(clean.payload());
    assertTrue(clean.pValue() > ALPHA);
    ImageDetection wrong = WM.detect(WM.embed(src, otherKey, PAYLOAD), List.of(key), ALPHA);
    assertFalse(wrong.detected(), wrong.toString());
    assertFalse(wrong.payloadValid());
    // The sync statistic is about N(0,1) at each geometry; the maximum over ~5e5 geometries is near 5.
    assertTrue(clean.syncScore() < 6.5 && wrong.syncScore() < 6.5, clean + " / " + wrong);
  }

  @Test
  void keepsAlphaSixteenBitAndGray() throws Exception {
    BufferedImage rgb = TestImages.load("kodim23");
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
    BufferedImage gray16 = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
    BufferedImage gray8 = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = rgb.getRGB(x, y);
        argb.setRGB(x, y, (p & 0xffffff) | ((x * 255 / w) << 24));
        double l = 0.299 * ((p >>> 16) & 0xff) + 0.587 * ((p >>> 8) & 0xff) + 0.114 * (p & 0xff);
        gray16.getRaster().setSample(x, y, 0, (int) Math.round(l * 257));
        gray8.getRaster().setSample(x, y, 0, (int) Math.round(l));
      }
    }
    BufferedImage ma = WM.embed(argb, key, PAYLOAD);
    assertEquals(BufferedImage.TYPE_INT_ARGB, ma.getType());
    for (int x = 0; x < w; x += 37) {
      assertEquals(argb.getRGB(x, 100) >>> 24, ma.getRGB(x, 100) >>> 24, "alpha at x=" + x);
    }
    assertArrayEquals(PAYLOAD, WM.detect(ma, List.of(key), ALPHA).payload());

    BufferedImage m16 = WM.embed(gray16, key, PAYLOAD);
    assertEquals(BufferedImage.TYPE_USHORT_GRAY, m16.getType());
    int odd = 0;
    for (int x = 0; x < w; x++) {
      odd += m16.getRaster().getSample(x, 200, 0) % 257 != 0 ? 1 : 0;
    }
    assertTrue(odd > w / 2, "16-bit samples use the full depth: " + odd);
    assertArrayEquals(PAYLOAD, WM.detect(m16, List.of(key), ALPHA).payload());

    BufferedImage m8 = WM.embed(gray8, key, PAYLOAD);
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, m8.getType());
    assertArrayEquals(PAYLOAD, WM.detect(m8, List.of(key), ALPHA).payload());
  }

  /**
   * The check at known geometry (what tag runs on the file it wrote) finds a fresh mark with its
   * payload, finds nothing on the unmarked photo or under another key, and its p-value is never
   * smaller than the full search's would allow for the same hypothesis (it counts fewer hypotheses).
   */
  @Test
  void checkEmbeddedReadsAFreshMarkAndNothingElse() throws Exception {
    for (String name : new String[] {"kodim03", "kodim15"}) {
      BufferedImage photo = TestImages.load(name);
      BufferedImage marked = WM.embed(photo, key, PAYLOAD);
      ImageDetection c = WM.checkEmbedded(marked, key, ALPHA);
      assertTrue(c.detected() && c.payloadValid(), name + ": " + c);
      org.junit.jupiter.api.Assertions.assertArrayEquals(PAYLOAD, c.payload());
      ImageDetection full = WM.detect(marked, List.of(key), ALPHA);
      assertTrue(full.detected(), name + ": " + full);
      assertTrue(c.regions().isEmpty());
      assertFalse(WM.checkEmbedded(photo, key, ALPHA).detected(), name + ": unmarked");
      assertFalse(WM.checkEmbedded(marked, otherKey, ALPHA).detected(), name + ": another key");
    }
  }

  @Test
  void refusesBadInput() throws Exception {
    BufferedImage small = new BufferedImage(100, 300, BufferedImage.TYPE_INT_RGB);
    HallmarkException e = assertThrows(HallmarkException.class, () -> WM.embed(small, key, PAYLOAD));
    assertTrue(e.getMessage().contains("too small"), e.getMessage());
    assertThrows(HallmarkException.class,
        () -> WM.detect(new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB), List.of(key), ALPHA));
    BufferedImage img = TestImages.load("kodim03");
    assertThrows(IllegalArgumentException.class, () -> WM.embed(img, key, new byte[7]));
    assertThrows(IllegalArgumentException.class, () -> WM.detect(img, List.of(key), 0));
    assertThrows(IllegalArgumentException.class, () -> WM.detect(img, List.of(), ALPHA));
    assertThrows(IllegalArgumentException.class,
        () -> ImageWatermarkParameters.builder().targetPsnrDb(10).build());
    assertThrows(IllegalArgumentException.class,
        () -> ImageWatermarkParameters.builder().maskExponent(0.1).build());
    assertThrows(IllegalArgumentException.class,
        () -> ImageWatermarkParameters.builder().maskExponent(Double.NaN).build());
  }

  @Test
  void flatImageStaysCleanAndUndetected() throws Exception {
    BufferedImage flat = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    ImageDetection d = WM.detect(flat, List.of(key), ALPHA);
    assertFalse(d.detected());
    assertEquals(1.0, d.pValue(), 1e-9);
  }

  /**
   * One search over several keys (the geometry search is shared) reports exactly what the per-key
   * searches report for the best key, with the p-value multiplied by the number of keys.
   */
  @Test
  void multiKeySearchEqualsThePerKeySearches() throws Exception {
    WatermarkKey third = WatermarkKey.generate("third", new Random(SEED + 3));
    for (BufferedImage img : List.of(marked("kodim23"), TestImages.load("kodim23"))) {
      List<WatermarkKey> keys = List.of(otherKey, key, third);
      ImageDetection best = null;
      for (WatermarkKey k : keys) {
        ImageDetection d = WM.detect(img, List.of(k), 1e-6 / keys.size());
        if (best == null || d.pValue() < best.pValue()) {
          best = d;
        }
      }
      ImageDetection all = WM.detect(img, keys, 1e-6);
      assertEquals(Math.min(1, best.pValue() * keys.size()), all.pValue(), 0, all.toString());
      assertEquals(best.detected(), all.detected(), all.toString());
      assertEquals(best.keyId(), all.keyId());
      assertArrayEquals(best.payload(), all.payload());
      assertArrayEquals(best.rawPayload(), all.rawPayload());
      assertEquals(best.payloadValid(), all.payloadValid());
      assertEquals(best.syncScore(), all.syncScore(), 0);
      assertEquals(best.scale(), all.scale(), 0);
      assertEquals(best.rotationDegrees(), all.rotationDegrees(), 0);
      assertEquals(best.codedBitErrors(), all.codedBitErrors());
      assertEquals(best.geometriesSearched(), all.geometriesSearched());
      assertEquals(keys.size(), all.keysTried());
    }
  }

  /** A detector kept for many images gives exactly the one-call results. */
  @Test
  void preparedDetectorEqualsDetect() throws Exception {
    List<WatermarkKey> keys = List.of(otherKey, key);
    ImageDetector det = WM.detector(keys);
    assertEquals(List.of(otherKey.keyId(), key.keyId()), det.keyIds());
    for (BufferedImage img : List.of(marked("kodim15"), TestImages.load("kodim15"))) {
      ImageDetection once = WM.detect(img, keys, ALPHA);
      for (int i = 0; i < 2; i++) {
        ImageDetection d = det.detect(img, ALPHA);
        assertEquals(once.toString(), d.toString());
        assertArrayEquals(once.payload(), d.payload());
        assertArrayEquals(once.rawPayload(), d.rawPayload());
        assertEquals(once.pValue(), d.pValue(), 0);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> WM.detector(List.of()));
    assertThrows(IllegalArgumentException.class, () -> det.detect(TestImages.load("kodim15"), 1));
  }

  @Test
  void concurrentDetectionsAgree() throws Exception {
    BufferedImage m = marked("kodim15");
    ImageDetection ref = WM.detect(m, List.of(key), ALPHA);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<ImageDetection>> fs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fs.add(pool.submit(() -> WM.detect(m, List.of(key), ALPHA)));
      }
      for (Future<ImageDetection> f : fs) {
        assertEquals(ref.toString(), f.get().toString());
      }
    } finally {
      pool.shutdown();
    }
  }

  static BufferedImage brighter(BufferedImage img) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        int r = Math.min(255, (int) Math.round(((p >>> 16) & 0xff) * 1.2));
        int g = Math.min(255, (int) Math.round(((p >>> 8) & 0xff) * 1.2));
        int b = Math.min(255, (int) Math.round((p & 0xff) * 1.2));
        out.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return out;
  }

  /** Bilinear rotation about the centre, same canvas, black corners. */
  static BufferedImage rotate(BufferedImage img, double degrees) {
    BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.rotate(Math.toRadians(degrees), img.getWidth() / 2.0, img.getHeight() / 2.0);
    g.drawImage(img, 0, 0, null);
    g.dispose();
    return out;
  }

  interface Io<T> {
    T get() throws Exception;
  }

  static <T> T uncheck(Io<T> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
