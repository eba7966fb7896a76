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

  /** Inserts APP1 segments (EXIF, then XMP) right after the JFIF segment of {@code jpg}. */
  static byte[] withExifAndXmp(byte[] jpg, String xmpPacket) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    int app0 = 2 + 2 + (((jpg[4] & 0xff) << 8) | (jpg[5] & 0xff));
    o.write(jpg, 0, app0);
    byte[] exif = "Exif\0\0MM\0*\0\0\0\u0008\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    o.write(0xff);
    o.write(0xe1);
    o.write((exif.length + 2) >>> 8);
    o.write((exif.length + 2) & 0xff);
    o.writeBytes(exif);
    if (xmpPacket == null) {
      o.write(jpg, app0, jpg.length - app0);
      return o.toByteArray();
    }
    byte[] x = ("http://ns.adobe.com/xap/1.0/\0" + xmpPacket).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    o.write(0xff);
    o.write(0xe1);
    o.write((x.length + 2) >>> 8);
    o.write((x.length + 2) & 0xff);
    o.writeBytes(x);
    o.write(jpg, app0, jpg.length - app0);
    return o.toByteArray();
  }

  /**
   * A JPEG's own XMP packet keeps its properties: tag dropped it and wrote a packet of its own (a
   * tester's dc:creator and Artist were gone), and put that packet before the EXIF segment.
   */
  @Test
  void aJpegsOwnXmpKeepsItsPropertiesAndExifStaysTheFirstApp1() throws Exception {
    String packet = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
        + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\""
        + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator><rdf:Seq><rdf:li>carol</rdf:li></rdf:Seq></dc:creator>"
        + "</rdf:Description></rdf:RDF></x:xmpmeta>" + " ".repeat(200) + "<?xpacket end=\"w\"?>";
    byte[] plain = withExifAndXmp(Images.encode(image(), Images.Format.JPEG, 90), packet);
    byte[] tagged = Provenance.embedReference(plain, REF);
    assertEquals(REF, Provenance.readReference(tagged).orElseThrow());
    String all = new String(tagged, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(all.contains("<rdf:li>carol</rdf:li>"), "the image's own property is kept");
    assertEquals(all.indexOf("http://ns.adobe.com/xap/1.0/"), all.lastIndexOf("http://ns.adobe.com/xap/1.0/"), "one XMP packet");
    assertTrue(all.indexOf("Exif\0") < all.indexOf("http://ns.adobe.com/xap/1.0/"), "EXIF stays the first APP1");
    ProvenanceReference other = new ProvenanceReference("example.com/log", "0123456789abcdef", "0000000000000002");
    byte[] twice = Provenance.embedReference(tagged, other);
    assertEquals(other, Provenance.readReference(twice).orElseThrow());
    assertEquals(tagged.length, twice.length, "the value is replaced in place");
    // No packet of its own: the new packet still comes after EXIF.
    byte[] exifOnly = withExifAndXmp(Images.encode(image(), Images.Format.JPEG, 90), null);
    String e = new String(Provenance.embedReference(exifOnly, REF), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(e.indexOf("Exif\0") < e.indexOf("hallmark:provenance"), "EXIF before the new packet");
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
