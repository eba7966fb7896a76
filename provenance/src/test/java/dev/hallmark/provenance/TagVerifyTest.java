package dev.hallmark.provenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.TextWatermarker;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end over the library: tag, attack, verify. The ledger is an in-memory RFC 6962 log
 * ({@link MemoryLedger}) so these tests depend only on the ledger's public API.
 */
class TagVerifyTest {
  static final long SEED = 20261125L;
  static WatermarkKey wmKey;
  static SigningKey producer;
  static SigningKey logSigner;
  static MemoryLedger ledger;
  static Tagger tagger;
  static byte[] photo;
  static byte[] untagged;
  static TagResult tagged;

  @BeforeAll
  static void tagAPhoto() throws Exception {
    System.out.println("TagVerifyTest seed " + SEED);
    Random r = new Random(SEED);
    wmKey = WatermarkKey.generate("gen", r);
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    producer = SigningKey.fromSeed("ops", seed);
    r.nextBytes(seed);
    logSigner = SigningKey.fromSeed("log", seed);
    ledger = new MemoryLedger("test.hallmark.dev/log", logSigner);
    SecureRandom payloads = SecureRandom.getInstance("SHA1PRNG");
    payloads.setSeed(SEED);
    tagger = Provenance.tagger(new TaggerSettings(ledger, producer, wmKey, ImageWatermarkParameters.DEFAULT,
        Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC), payloads));
    photo = resource("kodim07.png");
    untagged = resource("kodim20.png");
    // Two unrelated records first, so the tagged photo is not the only entry of the log.
    tagger.tagText("An unrelated registered text about the weather in the mountains this week.", TagRequest.of("other"));
    tagger.tagText("Another registered text: the committee will meet on Thursday to review the budget.", TagRequest.of("other"));
    tagged = tagger.tagImage(photo, "kodim07.png", new TagRequest("painter-1", "png", 92));
    ledger.checkpoint();
  }

  static byte[] resource(String name) throws Exception {
    try (InputStream in = TagVerifyTest.class.getResourceAsStream("/provenance/" + name)) {
      return in.readAllBytes();
    }
  }

  static Verifier verifier(List<WatermarkKey> keys, LedgerSource source, NoteVerifierKey trust) {
    VerifierSettings.Builder b = VerifierSettings.builder().addKeys(keys).addSource(source);
    if (trust != null) {
      b.trustLogKey(trust);
    }
    return Provenance.verifier(b.build());
  }

  /** JPEG quality 75 after resizing to 0.75x: ImageIO writes no text chunks or XMP, so metadata is gone. */
  static byte[] reencode(byte[] png) throws Exception {
    BufferedImage img = Images.read(png, "tagged.png");
    int w = (int) Math.round(img.getWidth() * 0.75);
    int h = (int) Math.round(img.getHeight() * 0.75);
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    return Images.encode(small, Images.Format.JPEG, 75);
  }

  @Test
  void taggedPngCarriesReferenceAndRecordOfItsFinalBytes() throws Exception {
    assertEquals("png", tagged.format());
    assertEquals(2, tagged.index());
    ProvenanceReference ref = Provenance.readReference(tagged.output()).orElseThrow();
    assertEquals(tagged.reference(), ref);
    assertEquals(wmKey.keyId(), ref.watermarkKeyId());
    assertEquals("image", tagged.record().kind());
    assertEquals(ref.id(), tagged.record().watermark().orElseThrow().get("payload").asText());
    tagged.record().verifySignature();
  }

  @Test
  void reencodedResizedStrippedCopyStillVerifiesToItsRecord() throws Exception {
    byte[] attacked = reencode(tagged.output());
    assertTrue(Provenance.readReference(attacked).isEmpty(), "metadata must be stripped for this test");
    Verdict v = verifier(List.of(wmKey), Provenance.ledger(ledger), null).verify(attacked, "copy.jpg");
    System.out.println(v.summary() + "\n" + v.toMap());
    assertTrue(v.watermark().detected(), v.toString());
    assertEquals(tagged.reference().id(), v.watermark().payload());
    assertTrue(v.record().found());
    assertEquals(2, v.record().index());
    assertEquals(Verdict.Status.VALID, v.signature().status(), v.signature().detail());
    assertEquals(Verdict.Status.VALID, v.inclusion().status(), v.inclusion().detail());
    assertEquals(Verdict.HashRelation.SIMILAR, v.hash());
    assertTrue(v.originEstablished());
    assertTrue(v.summary().contains("painter-1") && v.summary().contains("re-encoded"), v.summary());
  }

  /** A receipt among several that is for another record is named in a note; the one for the file is used. */
  @Test
  void aReceiptForAnotherRecordIsNoted() throws Exception {
    LedgerSource offline = Provenance.receipts("receipts here", List.of(tagger.receipt(0), tagger.receipt(tagged.index())));
    Verdict v = verifier(List.of(), offline, ledger.logKey()).verify(tagged.output(), "tagged.png");
    assertTrue(v.originEstablished(), v.summary());
    assertEquals(List.of("receipts here: the receipt of index 0 in log test.hallmark.dev/log is for another record: it does"
        + " not match this file, so it was not used"), v.notes());
  }

  @Test
  void untaggedPhotoVerifiesToNothing() throws Exception {
    Verdict v = verifier(List.of(wmKey), Provenance.ledger(ledger), null).verify(untagged, "kodim20.png");
    assertFalse(v.watermark().detected());
    assertFalse(v.record().found());
    assertNull(v.reference());
    assertFalse(v.originEstablished());
    assertTrue(v.summary().startsWith("No Hallmark provenance found"), v.summary());
  }

  @Test
  void offlineFromTheReceiptAloneWithoutAnySecret() throws Exception {
    Receipt receipt = Receipt.parse(tagger.receipt(tagged.index()).encode());
    LedgerSource offline = Provenance.receipts("receipt", List.of(receipt));
    Verdict v = verifier(List.of(), offline, ledger.logKey()).verify(tagged.output(), "tagged.png");
    assertFalse(v.watermark().checked());
    assertNotNull(v.reference());
    assertEquals("exact-hash", v.record().via());
    assertEquals(Verdict.HashRelation.EQUAL, v.hash());
    assertTrue(v.originEstablished(), v.summary());

    // Without trusting the log key, inclusion is not proven and origin is not established.
    Verdict untrusted = verifier(List.of(), offline, null).verify(tagged.output(), "tagged.png");
    assertEquals(Verdict.Status.NOT_CHECKED, untrusted.inclusion().status());
    assertFalse(untrusted.originEstablished());

    // A log key of the right name but another key pair did not sign the checkpoint: not proven.
    NoteVerifierKey impostor = SigningKey.fromSeed("x", new byte[32]).verifierKey(ledger.origin());
    Verdict forged = verifier(List.of(), offline, impostor).verify(tagged.output(), "tagged.png");
    assertEquals(Verdict.Status.NOT_CHECKED, forged.inclusion().status());
    assertTrue(forged.inclusion().detail().contains("signed by none of the 1 key(s) trusted"), forged.inclusion().detail());
    assertFalse(forged.originEstablished());

    // Several keys trusted for the log (a rotated key, the verifier's own signing keys): the one that
    // signed the checkpoint is used, whatever its place in the list. The first one was, and failed.
    Verdict both = Provenance.verifier(VerifierSettings.builder().addSource(offline).trustLogKey(impostor)
        .trustLogKey(ledger.logKey()).build()).verify(tagged.output(), "tagged.png");
    assertEquals(Verdict.Status.VALID, both.inclusion().status(), both.inclusion().detail());
    assertTrue(both.originEstablished(), both.summary());

    // A checkpoint whose signature claims the trusted key but does not verify is a failure, not "untrusted".
    String note = receipt.checkpointNote();
    int sigLine = note.indexOf("\u2014 ");
    int b64 = note.indexOf(' ', sigLine + 2) + 1;
    char c = note.charAt(b64 + 10);
    String tampered = note.substring(0, b64 + 10) + (c == 'A' ? 'B' : 'A') + note.substring(b64 + 11);
    Receipt bad = Receipt.parse(receipt.encode().replace(note, tampered));
    Verdict badSig = verifier(List.of(), Provenance.receipts("receipt", List.of(bad)), ledger.logKey())
        .verify(tagged.output(), "tagged.png");
    assertEquals(Verdict.Status.INVALID, badSig.inclusion().status(), badSig.inclusion().detail());
  }

  /** The luminance quantisation table of a JPEG (the first DQT table), as stored. */
  static int[] firstQuantTable(byte[] jpeg) throws Exception {
    javax.imageio.ImageReader r = javax.imageio.ImageIO.getImageReadersByFormatName("jpeg").next();
    try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(jpeg))) {
      r.setInput(in);
      org.w3c.dom.Node tree = r.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
      org.w3c.dom.NodeList q = ((org.w3c.dom.Element) tree).getElementsByTagName("dqtable");
      javax.imageio.plugins.jpeg.JPEGQTable t = (javax.imageio.plugins.jpeg.JPEGQTable) ((javax.imageio.metadata.IIOMetadataNode) q.item(0)).getUserObject();
      return t.getTable();
    } finally {
      r.dispose();
    }
  }

  @Test
  void aTaggedJpegKeepsItsOwnQuantisationTables() throws Exception {
    // tag wrote every JPEG at quality 92: a quality-50 photo came back twice its size, a quality-98
    // one lost quality; image embed reuses the source's tables, and tag now does too.
    BufferedImage img = Images.read(photo, "kodim07.png");
    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(img, 0, 0, null);
    byte[] q50 = Images.encode(rgb, Images.Format.JPEG, 50);
    // Its own ledger: the other tests verify kodim07 against the shared one.
    SecureRandom payloads = SecureRandom.getInstance("SHA1PRNG");
    payloads.setSeed(SEED + 50);
    Tagger tagger = Provenance.tagger(new TaggerSettings(new MemoryLedger("test.hallmark.dev/jpeg", logSigner), producer, wmKey,
        ImageWatermarkParameters.DEFAULT, Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC), payloads));
    TagResult t = tagger.tagImage(q50, "q50.jpg", TagRequest.of("painter-1"));
    assertEquals("jpeg", t.format());
    assertArrayEquals(firstQuantTable(q50), firstQuantTable(t.output()));
    assertTrue(t.output().length < q50.length * 1.3, q50.length + " -> " + t.output().length);
    TagResult q92 = tagger.tagImage(q50, "q50.jpg", new TagRequest("painter-1", null, 92));
    assertFalse(java.util.Arrays.equals(firstQuantTable(q50), firstQuantTable(q92.output())), "an explicit quality is used");
  }

  /**
   * The tagger says when the JPEG it writes loses the input's transparent pixels, from the image it
   * decoded: tag decoded the input a second time to find out.
   */
  @Test
  void aTransparentImageTaggedToJpegSaysItsTransparencyIsLost() throws Exception {
    BufferedImage img = Images.read(photo, "kodim07.png");
    BufferedImage argb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        argb.setRGB(x, y, (x < 40 ? 0x00000000 : 0xff000000) | (img.getRGB(x, y) & 0xffffff));
      }
    }
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(argb, "png", png);
    byte[] clear = png.toByteArray();
    SecureRandom payloads = SecureRandom.getInstance("SHA1PRNG");
    payloads.setSeed(SEED + 60);
    Tagger own = Provenance.tagger(new TaggerSettings(new MemoryLedger("test.hallmark.dev/alpha", logSigner), producer, wmKey,
        ImageWatermarkParameters.DEFAULT, Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC), payloads));
    assertTrue(own.tagImage(clear, "clear.png", new TagRequest("m", "jpeg", 90)).transparencyLost());
    assertFalse(own.tagImage(clear, "clear.png", TagRequest.of("m")).transparencyLost());
    assertFalse(own.tagImage(photo, "kodim07.png", new TagRequest("m", "jpeg", 90)).transparencyLost(), "opaque");
  }

  /** {@code jpeg} with an EXIF APP1 segment holding only the orientation tag, after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(26);
    tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1)
        .putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0).putInt(0);
    byte[] exif = new byte[6 + 26];
    System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
    System.arraycopy(tiff.array(), 0, exif, 6, 26);
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    o.write(jpeg, 0, 2);
    o.write(0xff);
    o.write(0xe1);
    o.write((exif.length + 2) >> 8);
    o.write((exif.length + 2) & 0xff);
    o.write(exif, 0, exif.length);
    o.write(jpeg, 2, jpeg.length - 2);
    return o.toByteArray();
  }

  @Test
  void aPhoneStyleRotatedPhotoIsFoundWithoutTheKeyAfterItsRotationIsBaked() throws Exception {
    // A phone photo stored sideways with EXIF orientation 6: viewers and upload pipelines rotate the
    // pixels and drop the tag. The fingerprint was of the stored pixels, so the baked copy was 138
    // bits away and a verifier without the watermark key found nothing.
    BufferedImage img = Images.read(photo, "kodim07.png");
    BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(img, 0, 0, null);
    byte[] sideways = withExifOrientation(Images.encode(rgb, Images.Format.JPEG, 90), 6);
    assertEquals(6, Images.readFile(sideways, "phone.jpg").exifOrientation());
    MemoryLedger own = new MemoryLedger("test.hallmark.dev/phone", logSigner);
    SecureRandom payloads = SecureRandom.getInstance("SHA1PRNG");
    payloads.setSeed(SEED + 6);
    Tagger t = Provenance.tagger(new TaggerSettings(own, producer, wmKey, ImageWatermarkParameters.DEFAULT,
        Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC), payloads));
    TagResult r = t.tagImage(sideways, "phone.jpg", TagRequest.of("camera-model"));
    own.checkpoint();
    // Baked: the tagged file's pixels turned 90 degrees clockwise, no metadata, re-encoded.
    BufferedImage stored = Images.read(r.output(), "tagged.jpg");
    int w = stored.getWidth();
    int h = stored.getHeight();
    BufferedImage baked = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < w; y++) {
      for (int x = 0; x < h; x++) {
        baked.setRGB(x, y, stored.getRGB(y, h - 1 - x));
      }
    }
    byte[] copy = Images.encode(baked, Images.Format.JPEG, 85);
    assertEquals(1, Images.readFile(copy, "baked.jpg").exifOrientation());
    Verdict v = verifier(List.of(), Provenance.ledger(own), null).verify(copy, "baked.jpg");
    assertTrue(v.record().found(), v.summary());
    assertEquals(r.index(), v.record().index());
    assertTrue(v.record().distance() <= 31, "distance " + v.record().distance());
  }

  @Test
  void generatedTextWithAFifthOfItsWordsReplacedStillVerifiesAndHumanTextDoesNot() throws Exception {
    Tokenizer tok = Tokenizers.r50k();
    TextWatermarker wm = Watermarks.textWatermarker(wmKey, WatermarkParameters.KGW_DEFAULT, tok);
    TextGenerator gen = new TextGenerator(NgramLanguageModel.builtIn(), tok, wm);
    TextGenerator.Generation g = gen.generate("The history of the city", 400, new Random(SEED));
    TagResult t = tagger.tagGeneratedText(g.text(), wm.facts(), g, TagRequest.of("ngram-demo"));
    ledger.checkpoint();
    assertEquals("kgw", t.record().watermark().orElseThrow().get("scheme").asText());

    String edited = substituteWords(g.text(), 0.2, new Random(SEED + 1));
    Verdict v = verifier(List.of(wmKey), Provenance.ledger(ledger), null).verify(edited.getBytes(java.nio.charset.StandardCharsets.UTF_8), "edited.txt");
    System.out.println(v.summary() + " " + v.watermark().detail());
    assertEquals("text", v.kind());
    assertTrue(v.watermark().detected(), v.watermark().detail());
    assertEquals(t.index(), v.record().index());
    assertEquals(Verdict.HashRelation.SIMILAR, v.hash());
    assertTrue(v.originEstablished(), v.summary());

    String human = "It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
        + "foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, it was "
        + "the season of Darkness, it was the spring of hope, it was the winter of despair, we had everything before us, "
        + "we had nothing before us, we were all going direct to Heaven, we were all going direct the other way.";
    Verdict h = verifier(List.of(wmKey), Provenance.ledger(ledger), null).verify(human.getBytes(java.nio.charset.StandardCharsets.UTF_8), "human.txt");
    assertFalse(h.watermark().detected());
    assertFalse(h.record().found());
    assertFalse(h.originEstablished());
  }

  /** Replaces the given fraction of words (letter runs) by words drawn from a fixed list. */
  static String substituteWords(String text, double fraction, Random r) {
    String[] pool = {"apple", "river", "quickly", "green", "mountain", "seven", "paper", "window", "silent", "bright"};
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\p{L}+").matcher(text);
    List<int[]> words = new java.util.ArrayList<>();
    while (m.find()) {
      words.add(new int[] {m.start(), m.end()});
    }
    int n = (int) Math.round(words.size() * fraction);
    java.util.Collections.shuffle(words, r);
    List<int[]> chosen = new java.util.ArrayList<>(words.subList(0, n));
    chosen.sort((a, b) -> Integer.compare(b[0], a[0]));
    StringBuilder sb = new StringBuilder(text);
    for (int[] w : chosen) {
      sb.replace(w[0], w[1], pool[r.nextInt(pool.length)]);
    }
    return sb.toString();
  }

  @Test
  void tamperedRecordFailsItsSignature() throws Exception {
    // A receipt whose entry was altered after signing: the signature check fails, origin is not established.
    Receipt good = tagger.receipt(tagged.index());
    String text = good.encode();
    String entry = new String(good.entry(), java.nio.charset.StandardCharsets.UTF_8).replace("painter-1", "painter-2");
    String forgedText = text.replaceFirst("extra [^\n]+", "extra " + java.util.Base64.getEncoder().encodeToString(
        entry.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    LedgerSource offline = Provenance.receipts("forged receipt", List.of(Receipt.parse(forgedText)));
    Verdict v = verifier(List.of(), offline, ledger.logKey()).verify(tagged.output(), "tagged.png");
    assertTrue(v.record().found());
    assertEquals(Verdict.Status.INVALID, v.signature().status());
    assertEquals(Verdict.Status.INVALID, v.inclusion().status());
    assertFalse(v.originEstablished());
  }
}
