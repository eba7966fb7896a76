package dev.hallmark.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A document is kept only when it was examined whole: text beyond the watermark test's token limit,
 * or images beyond the policy's count, in whose examined part nothing is found, make it an error
 * (before: kept, with the rest never looked at); when the examined part already shows a mark, the
 * document is removed as before.
 */
class LimitsTest {
  static final long SEED = 1415L;
  static final String HUMAN = "Call me Ishmael. Some years ago, never mind how long precisely, having little or no"
      + " money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little"
      + " and see the watery part of the world. It is a way I have of driving off the spleen and regulating the"
      + " circulation. Whenever I find myself growing grim about the mouth; whenever it is a damp, drizzly November"
      + " in my soul; whenever I find myself involuntarily pausing before coffin warehouses, and bringing up the rear"
      + " of every funeral I meet; and especially whenever my hypos get such an upper hand of me, that it requires a"
      + " strong moral principle to prevent me from deliberately stepping into the street, and methodically knocking"
      + " people's hats off, then, I account it high time to get to sea as soon as I can.";

  @Test
  void textBeyondTheTokenLimitIsAnErrorUnlessTheTestedPartIsMarked() throws Exception {
    System.out.println("LimitsTest seed=" + SEED);
    Random r = new Random(SEED);
    WatermarkKey kgw = WatermarkKey.generate("kgw", r, WatermarkParameters.KGW_DEFAULT.toKeyScheme());
    TextDetectionSettings d = TextDetectionSettings.DEFAULT;
    DetectionPolicy limited = DetectionPolicy.builder()
        .textSettings(new TextDetectionSettings(d.tokenizer(), d.schemes(), d.alpha(), d.windowed(), 60)).build();
    Detector detector = Detector.create(limited, List.of(kgw), null);

    DocumentException e = assertThrows(DocumentException.class,
        () -> detector.decide(Document.ofText("h", "in", "1", HUMAN)));
    assertTrue(e.getMessage().contains("limit of 60 tokens"), e.getMessage());
    // Within the limit the same text is examined whole and kept.
    assertTrue(!Detector.create(DetectionPolicy.DEFAULT, List.of(kgw), null)
        .decide(Document.ofText("h", "in", "1", HUMAN)).remove());

    TextGenerator gen = new TextGenerator(NgramLanguageModel.builtIn(), Tokenizers.r50k(),
        Watermarks.textWatermarker(kgw, Tokenizers.r50k()));
    String marked = "The" + gen.generate("The", 200, new SplittableRandom(SEED)).text();
    DocumentDecision dec = Detector.create(DetectionPolicy.builder()
        .textSettings(new TextDetectionSettings(d.tokenizer(), d.schemes(), d.alpha(), d.windowed(), 150)).build(),
        List.of(kgw), null).decide(Document.ofText("m", "in", "2", marked + " " + HUMAN));
    assertTrue(dec.remove(), dec.toString());
    assertEquals(Reason.TEXT_WATERMARK, dec.evidence().get(0).reason());
  }

  @Test
  void moreImagesThanScannedIsAnErrorUnlessAScannedOneIsMarked() throws Exception {
    Random r = new Random(SEED + 1);
    WatermarkKey key = WatermarkKey.generate("img", r);
    DetectionPolicy one = DetectionPolicy.builder().maxImagesPerDocument(1).build();
    Detector detector = Detector.create(one, List.of(key), null);
    byte[] plain = png(texture(r));
    byte[] marked = png(ImageWatermarks.newWatermarker().embed(texture(r), key, new byte[8]));
    List<EmbeddedImage> twoPlain = List.of(new EmbeddedImage("a.png", "image/png", plain),
        new EmbeddedImage("b.png", "image/png", png(texture(r))));
    DocumentException e = assertThrows(DocumentException.class,
        () -> detector.decide(new Document("p", "in", "1", "", twoPlain)));
    assertTrue(e.getMessage().contains("2 images, more than the 1 scanned"), e.getMessage());
    // One image is scanned whole and kept; a marked first image removes the document as before.
    assertTrue(!detector.decide(new Document("p", "in", "1", "", twoPlain.subList(0, 1))).remove());
    DocumentDecision dec = detector.decide(new Document("m", "in", "2", "",
        List.of(new EmbeddedImage("m.png", "image/png", marked), new EmbeddedImage("b.png", "image/png", plain))));
    assertTrue(dec.remove(), dec.toString());
    assertEquals(Reason.IMAGE_WATERMARK, dec.evidence().get(0).reason());
  }

  /** A 384x384 picture with texture at several scales (smooth noise plus grain), seeded. */
  static BufferedImage texture(Random r) {
    BufferedImage img = new BufferedImage(384, 384, BufferedImage.TYPE_INT_RGB);
    double fx = 0.02 + 0.03 * r.nextDouble();
    double fy = 0.02 + 0.03 * r.nextDouble();
    for (int y = 0; y < 384; y++) {
      for (int x = 0; x < 384; x++) {
        int v = (int) Math.max(0, Math.min(255, 128 + 60 * Math.sin(fx * x) * Math.cos(fy * y) + 12 * r.nextGaussian()));
        img.setRGB(x, y, v << 16 | (255 - v) << 8 | (v / 2 + 40));
      }
    }
    return img;
  }

  static byte[] png(BufferedImage img) throws Exception {
    return Images.encode(img, Images.Format.PNG, 92);
  }
}
