package dev.hallmark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoteVerifierKeyTest {
  /** The example verifier key from the C2SP signed-note specification. */
  static final String C2SP_EXAMPLE = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";

  @Test
  void parsesAndReencodesTheC2spExample() {
    NoteVerifierKey k = NoteVerifierKey.parse(C2SP_EXAMPLE);
    assertEquals("example.com/foo", k.name());
    assertEquals("530d903a", k.keyIdHex());
    assertEquals(0x530d903aL, k.keyIdValue());
    assertEquals(C2SP_EXAMPLE, k.encode());
  }

  @Test
  void derivesTheC2spKeyIdFromNameAndKey() {
    byte[] raw = Base64.getDecoder().decode("AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
    byte[] pub = java.util.Arrays.copyOfRange(raw, 1, raw.length);
    NoteVerifierKey k = NoteVerifierKey.of("example.com/foo", Ed25519PublicKey.of(pub));
    assertEquals(C2SP_EXAMPLE, k.encode());
  }

  @Test
  void rejectsAKeyIdThatDoesNotMatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NoteVerifierKey.parse("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
    assertEquals("verifier key id 530d903b does not match its name and key (expected 530d903a)", e.getMessage());
  }

  @Test
  void rejectsTheSameKeyUnderAnotherName() {
    assertThrows(IllegalArgumentException.class,
        () -> NoteVerifierKey.parse("example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "example.com/foo",
    "example.com/foo+530d903a",
    "example.com/foo+530d903a+not*base64",
    "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    "example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2kAA==",
    "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    "a b+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
  })
  void rejectsMalformedKeys(String vkey) {
    assertThrows(IllegalArgumentException.class, () -> NoteVerifierKey.parse(vkey), vkey);
  }
}
