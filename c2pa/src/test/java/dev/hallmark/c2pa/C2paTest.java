package dev.hallmark.c2pa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class C2paTest {
  static byte[] resource(String name) throws IOException {
    try (InputStream in = C2paTest.class.getResourceAsStream("/c2pa-rs/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "C.jpg, VALID, ''",
    "CA.jpg, VALID, ''",
    "CACA.jpg, VALID, ''",
    "XCA.jpg, INVALID, assertion.dataHash.mismatch",
    "E-sig-CA.jpg, INVALID, claimSignature.mismatch",
    "adobe-20220124-E-clm-CAICAI.jpg, INVALID, assertion.hashedURI.mismatch"
  })
  void c2paRsFixturesGiveTheReferenceVerdicts(String file, ValidationState state, String failure) throws Exception {
    C2paReport r = C2pa.read(resource(file), TrustAnchors.none()).orElseThrow();
    assertEquals(state, r.state(), r.toString());
    assertTrue(r.failureCodes().contains("signingCredential.untrusted"), r.toString());
    if (!failure.isEmpty()) {
      assertTrue(r.failureCodes().contains(failure), r.toString());
    } else {
      assertEquals(List.of("signingCredential.untrusted"), r.failureCodes());
    }
  }

  @Test
  void claimV2FixtureListsIngredientsAndActions() throws Exception {
    ManifestInfo m = C2pa.read(resource("CACA.jpg"), TrustAnchors.none()).orElseThrow().activeManifest();
    assertEquals(2, m.claimVersion());
    assertEquals("c2pa.opened", m.actions().get(0).action());
    assertFalse(m.ingredients().isEmpty());
    assertEquals("parentOf", m.ingredients().get(0).relationship());
    assertFalse(m.isTrainedAlgorithmicMedia());
  }

  @ParameterizedTest
  @CsvSource({"ES256, jpg, 1", "ES384, png, 2", "PS256, jpg, 3", "Ed25519, png, 4", "ES256, png, 5"})
  void signedManifestsValidateAndDetectTampering(String alg, String format, long seed) throws Exception {
    System.out.println("seed=" + seed);
    TestPki pki = TestPki.create(alg, seed);
    byte[] image = TestImages.encode(format, 96, 64, seed);
    ManifestSpec spec = ManifestSpec.builder().title("out." + format).softwareAgent("test-model", "1.0")
        .softBinding(ManifestSpec.HALLMARK_SOFT_BINDING_ALG, "AAECAwQFBgc=").build();
    C2pa.Signed signed = C2pa.sign(image, spec, pki.signer());

    C2paReport trusted = C2pa.read(signed.asset(), pki.anchors()).orElseThrow();
    assertEquals(ValidationState.TRUSTED, trusted.state(), trusted.toString());
    assertTrue(trusted.hasCode("assertion.dataHash.match"));
    ManifestInfo m = trusted.activeManifest();
    assertEquals(alg, m.signatureAlgorithm());
    assertTrue(m.isTrainedAlgorithmicMedia());
    assertEquals("test-model 1.0", m.actions().get(0).softwareAgent());
    assertEquals(List.of("AAECAwQFBgc="), m.softBindings().get(0).values());
    assertEquals(signed.manifestLabel(), m.label());
    assertEquals("Hallmark Test Signer (Hallmark Tests)", m.signer());

    C2paReport untrusted = C2pa.read(signed.asset(), TrustAnchors.none()).orElseThrow();
    assertEquals(ValidationState.VALID, untrusted.state());
    assertEquals(List.of("signingCredential.untrusted"), untrusted.failureCodes());

    // Stripping gives back the original bytes, and the store round-trips.
    assertArrayEquals(image, C2pa.strip(signed.asset()));
    assertArrayEquals(signed.manifestStore(), C2pa.manifestStore(signed.asset()).orElseThrow());

    byte[] pixels = signed.asset().clone();
    pixels[TestImages.imageDataIndex(pixels)] ^= 0x01;
    C2paReport tampered = C2pa.read(pixels, pki.anchors()).orElseThrow();
    assertEquals(ValidationState.INVALID, tampered.state());
    assertEquals(List.of("assertion.dataHash.mismatch"), tampered.failureCodes());

    byte[] sig = signed.asset().clone();
    sig[signatureByte(signed)] ^= 0x01;
    C2paReport badSig = C2pa.read(sig, pki.anchors()).orElseThrow();
    assertEquals(ValidationState.INVALID, badSig.state());
    assertEquals(List.of("claimSignature.mismatch"), badSig.failureCodes());

    C2paReport detached = C2pa.validateDetached(signed.manifestStore(), pki.anchors(), Instant.now());
    assertEquals(ValidationState.TRUSTED, detached.state());
    assertTrue(detached.hasCode("hallmark.dataHash.notChecked"));
  }

  /** Offset in the signed asset of the last byte of the COSE signature (the store ends with it). */
  static int signatureByte(C2pa.Signed s) {
    byte[] a = s.asset();
    byte[] store = s.manifestStore();
    int at = indexOf(a, store, store.length);
    if (at >= 0) {
      return at + store.length - 1;
    }
    // JPEG splits the store over segments; the tail is in the last one, followed by the image.
    byte[] tail = java.util.Arrays.copyOfRange(store, store.length - 200, store.length);
    return indexOf(a, tail, tail.length) + tail.length - 1;
  }

  private static int indexOf(byte[] hay, byte[] needle, int len) {
    outer:
    for (int i = 0; i + len <= hay.length; i++) {
      for (int j = 0; j < len; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void resigningReplacesTheStore() throws Exception {
    TestPki pki = TestPki.create("ES256", 7);
    byte[] image = TestImages.encode("jpg", 64, 64, 7);
    ManifestSpec spec = ManifestSpec.builder().softwareAgent("m", null).build();
    byte[] once = C2pa.sign(image, spec, pki.signer()).asset();
    byte[] twice = C2pa.sign(once, spec, pki.signer()).asset();
    C2paReport r = C2pa.read(twice, pki.anchors()).orElseThrow();
    assertEquals(1, r.manifestCount());
    assertEquals(ValidationState.TRUSTED, r.state());
  }

  @Test
  void wrongAnchorIsUntrustedAndBadInputIsAnError() throws Exception {
    TestPki pki = TestPki.create("ES256", 8);
    TestPki other = TestPki.create("ES256", 9);
    byte[] signed = C2pa.sign(TestImages.encode("png", 32, 32, 8),
        ManifestSpec.builder().softwareAgent("m", null).build(), pki.signer()).asset();
    C2paReport r = C2pa.read(signed, other.anchors()).orElseThrow();
    assertEquals(ValidationState.VALID, r.state());
    assertTrue(r.hasCode("signingCredential.untrusted"));
    assertTrue(C2pa.read(TestImages.encode("png", 8, 8, 1), TrustAnchors.none()).isEmpty());
    assertThrows(C2paException.class, () -> C2pa.read(new byte[] {1, 2, 3, 4}, TrustAnchors.none()));
    assertThrows(C2paException.class, () -> C2paSigner.of(other.leafKey, List.of(pki.leaf)));
  }

  /** A signer validators would reject (signingCredential.expired / .invalid) is refused before it signs. */
  @ParameterizedTest
  @CsvSource({
    "EXPIRED, expired on 2021-01-01",
    "NO_EKU, has no extended key usage",
    "CA, is a CA certificate"
  })
  void signerWhoseManifestsCouldNeverValidateIsRefused(TestPki.Leaf profile, String problem) throws Exception {
    TestPki pki = TestPki.create("ES256", 30 + profile.ordinal(), profile);
    C2paException e = assertThrows(C2paException.class, () -> pki.signer());
    assertTrue(e.getMessage().contains(problem) && e.getMessage().contains("Hallmark Test Signer"), e.getMessage());
    C2paException named = assertThrows(C2paException.class, () -> C2paSigner.fromPem(
        TestPki.pem(pki.leaf).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        pki.leafKeyPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII), "chain.pem", "key.pem"));
    assertTrue(named.getMessage().startsWith("C2PA certificate chain chain.pem (signer Hallmark Test Signer"),
        named.getMessage());
  }

  @Test
  void aKeyThatDoesNotMatchIsRefusedNamingBothFiles() throws Exception {
    TestPki pki = TestPki.create("ES256", 40);
    TestPki other = TestPki.create("ES256", 41);
    C2paException e = assertThrows(C2paException.class, () -> C2paSigner.fromPem(
        TestPki.pem(pki.leaf).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        other.leafKeyPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII), "chain.pem", "key.pem"));
    assertEquals("C2PA private key key.pem: does not match the first certificate of C2PA certificate chain chain.pem"
        + " (the chain must start with the signing certificate of this key)", e.getMessage());
  }

  /** A duplicated store: Invalid with a status code, as c2pa-rs reports it, not an unreadable file. */
  @ParameterizedTest
  @CsvSource({"jpg, 50", "png, 51"})
  void twoManifestStoresAreInvalidNotBadInput(String format, long seed) throws Exception {
    TestPki pki = TestPki.create("ES256", seed);
    byte[] image = TestImages.encode(format, 48, 32, seed);
    byte[] signed = C2pa.sign(image, ManifestSpec.builder().softwareAgent("m", null).build(), pki.signer()).asset();
    byte[] twice = TestImages.duplicateStore(signed);
    C2paReport r = C2pa.read(twice, pki.anchors()).orElseThrow();
    assertEquals(ValidationState.INVALID, r.state(), r.toString());
    assertTrue(r.failureCodes().contains(C2paReport.MULTIPLE_STORES), r.toString());
    // What c2pa-rs reports for such a file: the extra store's bytes are outside the data hash's exclusion.
    assertTrue(r.failureCodes().contains("assertion.dataHash.mismatch"), r.toString());
    assertTrue(r.hasCode("claimSignature.validated"), r.toString());
    assertArrayEquals(image, C2pa.strip(twice), "strip removes both stores");
  }
}
