package dev.hallmark.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit watermarking secret with a public key id.
 *
 * <p>The key id is {@code hex(HMAC-SHA256(secret, "hallmark/watermark-key-id/v1")[0..8])}: it names
 * the key in results and records without revealing anything about the secret. The secret never
 * appears in {@link #toString()}; two keys are compared with {@link #sameSecret} in constant time
 * ({@code equals} is identity).
 *
 * <p>A key may record the text scheme it generates with ({@link #textScheme()}): detection then
 * tests it under that scheme and those parameters only, instead of under every scheme. A key without
 * one (every key of key-file version 1) can have produced any scheme and is tested under all.
 */
public final class WatermarkKey {
  /** Length of the secret in bytes. */
  public static final int SECRET_BYTES = 32;

  private static final byte[] KEY_ID_LABEL =
      "hallmark/watermark-key-id/v1".getBytes(StandardCharsets.US_ASCII);

  private final String name;
  private final byte[] secret;
  private final String keyId;
  private final TextScheme textScheme;

  /**
   * The text watermark scheme a key generates with, as plain strings (core does not know the schemes;
   * the watermark module parses and validates them): a scheme label such as {@code kgw} and the
   * scheme's parameters by name (for example {@code gamma=0.25}), kept sorted by name.
   *
   * @param label lower-case scheme label: letters, digits and '-'
   * @param parameters parameter name (letters, digits) to value (letters, digits, '.', '+', '-')
   */
  public record TextScheme(String label, Map<String, String> parameters) {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9.+-]{1,32}");

    /** @throws IllegalArgumentException naming the malformed label, name or value */
    public TextScheme {
      Objects.requireNonNull(label, "label");
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("malformed text scheme label '" + label + "'");
      }
      TreeMap<String, String> sorted = new TreeMap<>();
      for (Map.Entry<String, String> e : parameters.entrySet()) {
        if (!NAME.matcher(e.getKey()).matches()) {
          throw new IllegalArgumentException("malformed text scheme parameter name '" + e.getKey() + "'");
        }
        if (e.getValue() == null || !VALUE.matcher(e.getValue()).matches()) {
          throw new IllegalArgumentException("malformed value of text scheme parameter '" + e.getKey() + "'");
        }
        sorted.put(e.getKey(), e.getValue());
      }
      parameters = java.util.Collections.unmodifiableMap(sorted);
    }

    /** {@code name=value} pairs joined by ',' in name order (the key-file form). */
    public String parametersText() {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<String, String> e : parameters.entrySet()) {
        if (b.length() > 0) {
          b.append(',');
        }
        b.append(e.getKey()).append('=').append(e.getValue());
      }
      return b.toString();
    }

    /** Parses {@link #parametersText()}; the empty string is no parameters. */
    public static TextScheme parse(String label, String parametersText) {
      Map<String, String> m = new TreeMap<>();
      if (!parametersText.isEmpty()) {
        for (String pair : parametersText.split(",", -1)) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("malformed text scheme parameter '" + pair + "'");
          }
          if (m.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
            throw new IllegalArgumentException("text scheme parameter '" + pair.substring(0, eq) + "' repeated");
          }
        }
      }
      return new TextScheme(label, m);
    }

    @Override
    public String toString() {
      return label + "(" + parametersText() + ")";
    }
  }

  private WatermarkKey(String name, byte[] secret, TextScheme textScheme) {
    this.name = name;
    this.secret = secret;
    this.keyId = Hex.encode(hmac(secret, KEY_ID_LABEL), 0, 8);
    this.textScheme = textScheme;
  }

  /** A fresh key drawn from {@code random}, which should be a {@link SecureRandom} in production. */
  public static WatermarkKey generate(String name, java.util.Random random) {
    byte[] s = new byte[SECRET_BYTES];
    random.nextBytes(s);
    return new WatermarkKey(KeyNames.check(name), s, null);
  }

  /** A fresh key drawn from {@code random} that records {@code textScheme} (null: any scheme). */
  public static WatermarkKey generate(String name, java.util.Random random, TextScheme textScheme) {
    byte[] s = new byte[SECRET_BYTES];
    random.nextBytes(s);
    return new WatermarkKey(KeyNames.check(name), s, textScheme);
  }

  /** Wraps existing secret bytes (copied). */
  public static WatermarkKey fromSecret(String name, byte[] secret) {
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a watermark secret is " + SECRET_BYTES + " bytes, not " + secret.length);
    }
    return fromSecret(name, secret, null);
  }

  /** Wraps existing secret bytes (copied) for a key that records {@code textScheme} (null: any scheme). */
  public static WatermarkKey fromSecret(String name, byte[] secret, TextScheme textScheme) {
    if (secret.length != SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a watermark secret is " + SECRET_BYTES + " bytes, not " + secret.length);
    }
    return new WatermarkKey(KeyNames.check(name), secret.clone(), textScheme);
  }

  /**
   * The text scheme this key generates with, or empty when the key does not say (then it may have
   * produced any scheme).
   */
  public java.util.Optional<TextScheme> textScheme() {
    return java.util.Optional.ofNullable(textScheme);
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
    return "WatermarkKey{name=" + name + ", keyId=" + keyId
        + (textScheme == null ? "" : ", textScheme=" + textScheme) + "}";
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
