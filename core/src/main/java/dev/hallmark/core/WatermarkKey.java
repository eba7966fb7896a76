package dev.hallmark.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit watermarking secret with a public key id.
 *
 * <p>The key id is {@code hex(HMAC-SHA256(secret, "hallmark/watermark-key-id/v1")[0..8])}: it names
 * the key in results and records without revealing anything about the secret. The secret never
 * appears in {@link #toString()}; two keys are compared with {@link #sameSecret} in constant time
 * ({@code equals} is identity).
 */
public final class WatermarkKey {
  /** Length of the secret in bytes. */
  public static final int SECRET_BYTES = 32;

  private static final byte[] KEY_ID_LABEL =
      "hallmark/watermark-key-id/v1".getBytes(StandardCharsets.US_ASCII);

  private final String name;
  private final byte[] secret;
  private final String keyId;

  private WatermarkKey(String name, byte[] secret) {
    this.name = name;
    this.secret = secret;
    this.keyId = Hex.encode(hmac(secret, KEY_ID_LABEL), 0, 8);
  }

  /** A fresh key drawn from {@code random}, which should be a {@link SecureRandom} in production. */
  public static WatermarkKey generate(String name, java.util.Random random) {
    byte[] s = new byte[SECRET_BYTES];
    random.nextBytes(s);
    return new WatermarkKey(KeyNames.check(name), s);
  }

  /** Wraps existing secret bytes (copied). */
  public static WatermarkKey fromSecret(String name, byte[] secret) {
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a watermark secret is " + SECRET_BYTES + " bytes, not " + secret.length);
    }
    return new WatermarkKey(KeyNames.check(name), secret.clone());
  }

  public String name() {
    return name;
  }

  /** 16 lower-case hex digits derived from the secret. */
  public String keyId() {
    return keyId;
  }

  /**
   * A copy of the secret. Callers own the copy and should not keep it longer than needed; it must
   * never be logged or printed.
   */
  public byte[] secretBytes() {
    return secret.clone();
  }

  /**
   * HMAC-SHA256 keyed with this secret, ready for use. Each call returns a new, unshared instance.
   */
  public Mac newHmacSha256() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
    }
  }

  /** Constant-time comparison of the secrets. */
  public boolean sameSecret(WatermarkKey other) {
    return MessageDigest.isEqual(secret, other.secret);
  }

  /** Overwrites the secret in memory; the key is unusable afterwards. */
  public void destroy() {
    Arrays.fill(secret, (byte) 0);
  }

  @Override
  public String toString() {
    return "WatermarkKey{name=" + name + ", keyId=" + keyId + "}";
  }

  private static byte[] hmac(byte[] key, byte[] msg) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(msg);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
    }
  }
}
