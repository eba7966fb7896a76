package dev.hallmark.provenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.watermark.image.Images;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MetadataTest {
  static final ProvenanceReference REF = new ProvenanceReference("example.com/log", "0123456789abcdef", "fedcba9876543210");

  static BufferedImage image() {
    BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 31 % 251);
    }
    return img;
  }

  @ParameterizedTest
  @ValueSource(strings = {"PNG", "JPEG"})
  void referenceRoundTripsAndLeavesPixelsAlone(String format) throws Exception {
    byte[] plain = Images.encode(image(), Images.Format.valueOf(format), 90);
    assertTrue(Provenance.readReference(plain).isEmpty());
    byte[] tagged = Provenance.embedReference(plain, REF);
    assertEquals(REF, Provenance.readReference(tagged).orElseThrow());
    BufferedImage a = Images.read(plain, "plain");
    BufferedImage b = Images.read(tagged, "tagged");
    assertArrayEquals(((DataBufferByte) a.getRaster().getDataBuffer()).getData(), ((DataBufferByte) b.getRaster().getDataBuffer()).getData());
    // Embedding again replaces rather than duplicates.
    ProvenanceReference other = new ProvenanceReference("example.com/log", "0123456789abcdef", "0000000000000001");
    byte[] twice = Provenance.embedReference(tagged, other);
    assertEquals(other, Provenance.readReference(twice).orElseThrow());
    assertTrue(twice.length - tagged.length < 8, "no second copy");
  }

  @Test
  void malformedReferencesAreRejectedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> ProvenanceReference.parse("hallmark:2;log=a;key=0123456789abcdef;id=fedcba9876543210"));
    assertThrows(IllegalArgumentException.class, () -> ProvenanceReference.parse("hallmark:1;log=a;key=XYZ;id=fedcba9876543210"));
    assertThrows(IllegalArgumentException.class, () -> ProvenanceReference.parse("something else"));
    assertEquals(REF, ProvenanceReference.parse(REF.encode()));
  }

  @Test
  void garbageAndTruncatedFilesHaveNoReference() throws Exception {
    assertTrue(Provenance.readReference(new byte[0]).isEmpty());
    assertTrue(Provenance.readReference("hello".getBytes()).isEmpty());
    byte[] png = Provenance.embedReference(Images.encode(image(), Images.Format.PNG, 90), REF);
    byte[] cut = java.util.Arrays.copyOf(png, 40);
    assertTrue(Provenance.readReference(cut).isEmpty());
  }

  @Test
  void unicodeTagReferenceIsReadFromTextAndIgnoredByTheFingerprint() {
    String text = "Plain words of a registered text.";
    String tagged = dev.hallmark.provenance.internal.Metadata.appendUnicodeTag(text, REF);
    assertEquals(REF, Provenance.readReference(tagged.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow());
    assertTrue(Provenance.readReference(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).isEmpty());
    assertArrayEquals(dev.hallmark.watermark.fingerprint.TextFingerprint.minHash(text),
        dev.hallmark.watermark.fingerprint.TextFingerprint.minHash(tagged));
  }
}
