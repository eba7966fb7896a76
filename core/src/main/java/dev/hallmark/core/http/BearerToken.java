package dev.hallmark.core.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The one bearer-token rule of every Hallmark server. The header is {@code Bearer TOKEN}: the scheme
 * is case-insensitive, white space around the token is ignored, and the token is compared in
 * constant time (SHA-256 of both, so not even its length leaks). Immutable; the token never appears
 * in {@link #toString()}.
 */
public final class BearerToken {
  /** Shortest accepted token. */
  public static final int MIN_LENGTH = 16;

  /** What an Authorization header says. */
  public enum Check {
    /** No Authorization header (or a blank one). */
    ABSENT,
    /** The right token. */
    VALID,
    /** A header that is not {@code Bearer ...}, or the wrong token. */
    INVALID
  }

  private final byte[] digest;

  private BearerToken(byte[] digest) {
    this.digest = digest;
  }

  /** A token of at least {@link #MIN_LENGTH} characters, no white space. */
  public static BearerToken of(String token) {
    if (token == null || token.length() < MIN_LENGTH || !token.strip().equals(token) || token.chars().anyMatch(c -> c < 33 || c > 126)) {
      throw new IllegalArgumentException("a bearer token has at least " + MIN_LENGTH + " visible ASCII characters");
    }
    return new BearerToken(sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** Checks an {@code Authorization} header value (null when absent). */
  public Check check(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Check.ABSENT;
    }
    String h = authorization.strip();
    if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return Check.INVALID;
    }
    byte[] given = sha256(h.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(given, digest) ? Check.VALID : Check.INVALID;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[redacted]";
  }
}
