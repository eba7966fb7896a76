package dev.hallmark.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WatermarkKeyTest {
  @Test
  void keyIdIsAKeyedHashOfTheSecretNotTheSecret() throws Exception {
    byte[] secret = new byte[32];
    for (int i = 0; i < 32; i++) {
      secret[i] = (byte) i;
    }
    WatermarkKey k = WatermarkKey.fromSecret("k", secret);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
    String expected = Hex.encode(mac.doFinal("hallmark/watermark-key-id/v1".getBytes("US-ASCII")), 0, 8);
    assertEquals(expected, k.keyId());
    assertEquals(16, k.keyId().length());
    assertFalse(Hex.encode(secret).contains(k.keyId()));
  }

  @Test
  void toStringNeverShowsTheSecret() {
    long seed = 20261125L;
    System.out.println("seed=" + seed);
    WatermarkKey k = WatermarkKey.generate("gen", new Random(seed));
    byte[] s = k.secretBytes();
    String text = k.toString();
    assertFalse(text.contains(Hex.encode(s)));
    assertFalse(text.contains(Base64.getEncoder().encodeToString(s)));
    assertTrue(text.contains(k.keyId()));
  }

  @Test
  void comparesSecretsNotIdentity() {
    byte[] s = new byte[32];
    s[0] = 7;
    WatermarkKey a = WatermarkKey.fromSecret("a", s);
    WatermarkKey b = WatermarkKey.fromSecret("b", s);
    s[1] = 1;
    WatermarkKey c = WatermarkKey.fromSecret("c", s);
    assertTrue(a.sameSecret(b));
    assertFalse(a.sameSecret(c));
    assertEquals(a.keyId(), b.keyId());
    assertNotEquals(a.keyId(), c.keyId());
  }

  @Test
  void rejectsWrongLengthsAndNames() {
    assertThrows(IllegalArgumentException.class, () -> WatermarkKey.fromSecret("a", new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> WatermarkKey.fromSecret("../etc", new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> WatermarkKey.fromSecret("", new byte[32]));
  }
}
