package dev.hallmark.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Record;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.Images;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several records within the thresholds: the verdict lists them, chooses by the stated rule
 * (watermark payload, then closeness, then the earliest registration of the same content) and says
 * "ambiguous" instead of naming one when the rule cannot separate them.
 */
class AmbiguousVerdictTest {
  static final long SEED = 20261203L;
  static WatermarkKey wmKey;
  static SigningKey producer;
  static MemoryLedger ledger;
  static TagResult first;
  static TagResult second;
  static byte[] copyOfSecond;

  @BeforeAll
  static void tagTheSamePhotoTwice() throws Exception {
    System.out.println("AmbiguousVerdictTest seed " + SEED);
    Random r = new Random(SEED);
    wmKey = WatermarkKey.generate("gen", r);
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    producer = SigningKey.fromSeed("ops", seed);
    r.nextBytes(seed);
    ledger = new MemoryLedger("test.hallmark.dev/log", SigningKey.fromSeed("log", seed));
    SecureRandom payloads = SecureRandom.getInstance("SHA1PRNG");
    payloads.setSeed(SEED);
    Tagger tagger = Provenance.tagger(new TaggerSettings(ledger, producer, wmKey, ImageWatermarkParameters.DEFAULT,
        Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC), payloads));
    byte[] photo = TagVerifyTest.resource("kodim07.png");
    first = tagger.tagImage(photo, "kodim07.png", new TagRequest("m", "png", 92));
    second = tagger.tagImage(photo, "kodim07.png", new TagRequest("painter-1", "png", 92));
    copyOfSecond = TagVerifyTest.reencode(second.output());
    ledger.checkpoint();
  }

  static Verifier verifier(List<WatermarkKey> keys) {
    return Provenance.verifier(VerifierSettings.builder().addKeys(keys).addSource(Provenance.ledger(ledger))
        .trustLogKey(ledger.logKey()).build());
  }

  /** Appends a signed image record with the given perceptual hash and content hash. */
  static long register(String model, String imageHash, String contentSha256, Instant at) throws Exception {
    Record rec = Record.builder().kind("image").contentSha256(contentSha256).imageHash(imageHash).model(model)
        .timestamp(at).build().sign(producer);
    long i = ledger.append(rec);
    ledger.checkpoint();
    return i;
  }

  @Test
  void publicCheckOfACopyListsEveryMatchAndNeverNamesOneSilently() throws Exception {
    Verdict v = verifier(List.of()).verify(copyOfSecond, "copy.jpg");
    System.out.println(v.summary() + "\n  choice: " + v.choice());
    assertTrue(v.record().found());
    assertFalse(v.otherMatches().isEmpty(), "both tagged outputs are within the threshold: " + v.toMap());
    assertNotNull(v.choice());
    int chosen = v.record().distance();
    for (Verdict.RecordSignal o : v.otherMatches()) {
      assertTrue(o.distance() >= chosen, "the chosen record is the closest");
    }
    if (v.otherMatches().get(0).distance() == chosen) {
      assertTrue(v.ambiguous() && !v.originEstablished() && v.summary().startsWith("Ambiguous"), v.summary());
    } else {
      assertTrue(v.choice().contains("the closest"), v.choice());
    }
  }

  @Test
  void equallyCloseDifferentRecordsAreAmbiguous() throws Exception {
    // Two more registrations whose perceptual hash is exactly the copy's: distance 0 to both.
    String hash = ImageFingerprint.of(Images.read(copyOfSecond, "copy.jpg")).hex();
    long a = register("twin-a", hash, "11".repeat(32), Instant.parse("2026-11-26T00:00:00Z"));
    long b = register("twin-b", hash, "22".repeat(32), Instant.parse("2026-11-27T00:00:00Z"));
    try {
      Verdict v = verifier(List.of()).verify(copyOfSecond, "copy.jpg");
      assertTrue(v.ambiguous(), v.toMap().toString());
      assertFalse(v.originEstablished());
      assertEquals("ambiguous", v.outcome());
      assertEquals("ambiguous", v.toMap().get("verdict"));
      assertTrue(v.summary().startsWith("Ambiguous: "), v.summary());
      assertTrue(v.summary().contains("twin-a") && v.summary().contains("twin-b"), v.summary());
      assertTrue(v.choice().contains("cannot separate"), v.choice());
      List<Long> listed = new java.util.ArrayList<>(List.of(v.record().index()));
      v.otherMatches().forEach(o -> listed.add(o.index()));
      assertTrue(listed.containsAll(List.of(a, b)), listed.toString());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> others = (List<Map<String, Object>>) v.toMap().get("otherMatches");
      assertEquals(v.otherMatches().size(), others.size());

      // With the key, the payload read from the pixels separates them: painter-1's record, stated why.
      Verdict keyed = verifier(List.of(wmKey)).verify(copyOfSecond, "copy.jpg");
      assertTrue(keyed.watermark().detected(), keyed.watermark().detail());
      assertFalse(keyed.ambiguous());
      assertTrue(keyed.originEstablished(), keyed.summary());
      assertEquals(second.index(), keyed.record().index());
      assertTrue(keyed.choice().contains("watermark payload"), keyed.choice());
      assertTrue(keyed.otherMatches().size() >= 3, keyed.otherMatches().toString());
    } finally {
      // Later tests see the two extra records too; they only add candidates farther than exact matches.
    }
  }

  @Test
  void theSameContentRegisteredTwiceGoesToTheEarliestRegistration() throws Exception {
    String sha = first.record().contentSha256();
    long later = register("re-registered", first.record().imageHash().orElseThrow(), sha, Instant.parse("2027-01-01T00:00:00Z"));
    Verdict v = verifier(List.of()).verify(first.output(), "first.png");
    assertFalse(v.ambiguous(), v.toMap().toString());
    assertTrue(v.originEstablished(), v.summary());
    assertEquals(first.index(), v.record().index());
    assertTrue(v.choice().contains("earliest registration"), v.choice());
    assertTrue(v.otherMatches().stream().anyMatch(o -> o.index() == later));
  }
}
