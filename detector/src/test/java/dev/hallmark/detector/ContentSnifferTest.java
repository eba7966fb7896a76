package dev.hallmark.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.detector.ContentSniffer.Kind;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {
  @ParameterizedTest
  @ValueSource(strings = {"png", "jpeg", "gif", "bmp", "tiff"})
  void recognisesEveryFormatImageIoWrites(String format) throws IOException {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out), format + " writer present");
    assertEquals(Optional.of(format), ContentSniffer.imageFormat(out.toByteArray()));
    assertEquals(Kind.IMAGE, ContentSniffer.classify(out.toByteArray()));
  }

  @Test
  void riffThatIsNotWebpIsNotAnImage() {
    byte[] wav = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1);
    assertFalse(ContentSniffer.isImage(wav));
    byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(Optional.of("webp"), ContentSniffer.imageFormat(webp));
  }

  @Test
  void textThatStartsLikeAnImageSignatureIsText() {
    // "BM" and "II" open ordinary words; only a full signature makes an image.
    assertEquals(Kind.TEXT, ContentSniffer.classify("BMW cars".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Kind.TEXT, ContentSniffer.classify("II. Chapter two".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Kind.TEXT, ContentSniffer.classify("GIF is a format".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void invalidUtf8AndNulAreOther() {
    assertEquals(Kind.OTHER, ContentSniffer.classify(new byte[] {(byte) 0xc3, 0x28}));
    assertEquals(Kind.OTHER, ContentSniffer.classify("a\0b".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Optional.of("héllo"), ContentSniffer.utf8Text("héllo".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Kind.TEXT, ContentSniffer.classify(new byte[0]));
  }
}
