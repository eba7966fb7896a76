package dev.hallmark.provenance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.image.ImageFile;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.Images;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code hallmark tag} (the {@link Tagger}) used to write through the old image path, which dropped
 * the ICC profile: a tagged Adobe RGB photo came out unlabelled, so every viewer showed it in sRGB
 * with washed-out colours. It now writes like {@code image embed}: the profile is kept byte for byte.
 */
class TagKeepsColourProfileTest {
  private static final long SEED = 20261203L;

  @Test
  void aTaggedAdobeRgbJpegKeepsItsProfile() throws Exception {
    System.out.println("TagKeepsColourProfileTest seed " + SEED);
    Random r = new Random(SEED);
    WatermarkKey wmKey = WatermarkKey.generate("gen", r);
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    SigningKey producer = SigningKey.fromSeed("ops", seed);
    r.nextBytes(seed);
    MemoryLedger ledger = new MemoryLedger("test.hallmark.dev/log", SigningKey.fromSeed("log", seed));
    SecureRandom payloads = SecureRandom.getInstance("SHA1PRNG");
    payloads.setSeed(SEED);
    Tagger tagger = Provenance.tagger(new TaggerSettings(ledger, producer, wmKey, ImageWatermarkParameters.DEFAULT,
        Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC), payloads));

    BufferedImage photo = Images.read(TagVerifyTest.resource("kodim07.png"), "kodim07.png");
    BufferedImage crop = new BufferedImage(384, 256, BufferedImage.TYPE_INT_RGB);
    crop.getGraphics().drawImage(photo, 0, 0, null);
    byte[] icc = adobeRgb();
    byte[] jpeg = withIcc(Images.encode(crop, Images.Format.JPEG, 92), icc);
    assertArrayEquals(icc, Images.readFile(jpeg, "adobe.jpg").iccProfile(), "the input carries the profile");

    TagResult t = tagger.tagImage(jpeg, "adobe.jpg", new TagRequest("painter-1", null, 92));
    assertEquals("jpeg", t.format());
    ImageFile out = Images.readFile(t.output(), "tagged.jpg");
    assertNotNull(out.iccProfile(), "the tagged JPEG lost its ICC profile");
    assertArrayEquals(icc, out.iccProfile(), "the profile is kept byte for byte");
  }

  private static byte[] xyz(double x, double y, double z) {
    ByteBuffer b = ByteBuffer.allocate(20);
    b.put("XYZ ".getBytes(StandardCharsets.ISO_8859_1)).putInt(0);
    b.putInt((int) Math.round(x * 65536)).putInt((int) Math.round(y * 65536)).putInt((int) Math.round(z * 65536));
    return b.array();
  }

  /** An ICC v2 RGB profile with Adobe RGB (1998) D50 colorants and gamma 563/256. */
  static byte[] adobeRgb() {
    ICC_Profile p = ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    p.setData(ICC_Profile.icSigRedColorantTag, xyz(0.60974, 0.31111, 0.01947));
    p.setData(ICC_Profile.icSigGreenColorantTag, xyz(0.20528, 0.62567, 0.06087));
    p.setData(ICC_Profile.icSigBlueColorantTag, xyz(0.14919, 0.06322, 0.74457));
    byte[] t = "Adobe RGB (1998) primaries (Hallmark test)\0".getBytes(StandardCharsets.ISO_8859_1);
    p.setData(ICC_Profile.icSigProfileDescriptionTag, ByteBuffer.allocate(12 + t.length + 4 + 4 + 2 + 1 + 67)
        .put("desc".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).putInt(t.length).put(t).array());
    byte[] curv = ByteBuffer.allocate(14).put("curv".getBytes(StandardCharsets.ISO_8859_1)).putInt(0).putInt(1)
        .putShort((short) 563).array();
    p.setData(ICC_Profile.icSigRedTRCTag, curv);
    p.setData(ICC_Profile.icSigGreenTRCTag, curv);
    p.setData(ICC_Profile.icSigBlueTRCTag, curv);
    return p.getData();
  }

  /** {@code jpeg} with an APP2 ICC_PROFILE segment (one chunk) after its APP0. */
  static byte[] withIcc(byte[] jpeg, byte[] icc) {
    ByteArrayOutputStream seg = new ByteArrayOutputStream();
    seg.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
    seg.write(1);
    seg.write(1);
    seg.writeBytes(icc);
    byte[] payload = seg.toByteArray();
    int p = 2;
    while ((jpeg[p + 1] & 0xff) == 0xe0) {
      p += 2 + (((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff));
    }
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(jpeg, 0, p);
    o.write(0xff);
    o.write(0xe2);
    o.write((payload.length + 2) >>> 8);
    o.write((payload.length + 2) & 0xff);
    o.writeBytes(payload);
    o.write(jpeg, p, jpeg.length - p);
    return o.toByteArray();
  }
}
