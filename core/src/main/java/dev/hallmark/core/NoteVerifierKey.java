package dev.hallmark.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A C2SP signed-note verifier key for Ed25519: {@code <name>+<hex8 key id>+<base64(0x01 || pub)>},
 * where the key id is the first 4 bytes of {@code SHA-256(name || 0x0A || 0x01 || pub)}.
 *
 * <p>See <a href="https://c2sp.org/signed-note">c2sp.org/signed-note</a>.
 */
public final class NoteVerifierKey {
  /** Signature type byte for Ed25519 in signed notes. */
  public static final byte ALG_ED25519 = 0x01;

  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}");
  /**
   * Keys already parsed, by their exact string. Every log entry names its producer key and is parsed
   * many times (on append, checkpoint, look-up, verify); parsing decodes a curve point, so a handful
   * of producers would otherwise cost a point decoding per record. Bounded: cleared when full.
   */
  private static final ConcurrentHashMap<String, NoteVerifierKey> PARSED = new ConcurrentHashMap<>();
  private static final int PARSED_MAX = 1024;

  private final String name;
  private final Ed25519PublicKey publicKey;
  private final byte[] keyHash;

  private NoteVerifierKey(String name, Ed25519PublicKey publicKey) {
    this.name = name;
    this.publicKey = publicKey;
    this.keyHash = computeKeyHash(name, publicKey.bytes());
  }

  /**
   * @throws IllegalArgumentException if {@code name} is empty or contains '+' or white space
   */
  public static NoteVerifierKey of(String name, Ed25519PublicKey publicKey) {
    return new NoteVerifierKey(checkName(name), publicKey);
  }

  /**
   * Parses and checks a verifier key string, including that its key id matches its name and key.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static NoteVerifierKey parse(String vkey) {
    NoteVerifierKey k = PARSED.get(vkey);
    if (k == null) {
      k = parseUncached(vkey);
      if (PARSED.size() >= PARSED_MAX) {
        PARSED.clear();
      }
      PARSED.put(vkey, k);
    }
    return k;
  }

  private static NoteVerifierKey parseUncached(String vkey) {
    String[] parts = vkey.trim().split("\\+", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("a verifier key has the form name+hexid+base64key");
    }
    checkName(parts[0]);
    if (!KEY_ID.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException("verifier key id must be 8 lower-case hex digits");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("verifier key is not valid base64", e);
    }
    if (raw.length != 1 + Ed25519PublicKey.KEY_BYTES || raw[0] != ALG_ED25519) {
      throw new IllegalArgumentException("verifier key is not an Ed25519 (type 0x01) key");
    }
    byte[] pub = new byte[Ed25519PublicKey.KEY_BYTES];
    System.arraycopy(raw, 1, pub, 0, pub.length);
    NoteVerifierKey k = new NoteVerifierKey(parts[0], Ed25519PublicKey.of(pub));
    if (!k.keyIdHex().equals(parts[1])) {
      throw new IllegalArgumentException(
          "verifier key id " + parts[1] + " does not match its name and key (expected " + k.keyIdHex() + ")");
    }
    return k;
  }

  public String name() {
    return name;
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The 4-byte key id as used in note signature lines. */
  public byte[] keyId() {
    return keyHash.clone();
  }

  /** The key id as 8 lower-case hex digits. */
  public String keyIdHex() {
    return Hex.encode(keyHash);
  }

  /** The key id as a big-endian unsigned 32-bit value. */
  public long keyIdValue() {
    return ((keyHash[0] & 0xffL) << 24) | ((keyHash[1] & 0xffL) << 16) | ((keyHash[2] & 0xffL) << 8) | (keyHash[3] & 0xffL);
  }

  /** The encoded verifier key string. */
  public String encode() {
    byte[] raw = new byte[1 + Ed25519PublicKey.KEY_BYTES];
    raw[0] = ALG_ED25519;
    System.arraycopy(publicKey.bytes(), 0, raw, 1, Ed25519PublicKey.KEY_BYTES);
    return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteVerifierKey
        && name.equals(((NoteVerifierKey) o).name)
        && publicKey.equals(((NoteVerifierKey) o).publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + publicKey.hashCode();
  }

  @Override
  public String toString() {
    return encode();
  }

  private static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a signed-note key name must not be empty");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp == '+' || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)) {
        throw new IllegalArgumentException(
            "a signed-note key name must not contain '+', spaces or control characters: '" + name + "'");
      }
      i += Character.charCount(cp);
    }
    return name;
  }

  private static byte[] computeKeyHash(String name, byte[] pub) {
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(name.getBytes(StandardCharsets.UTF_8));
      b.write(0x0A);
      b.write(ALG_ED25519);
      b.writeBytes(pub);
      byte[] h = MessageDigest.getInstance("SHA-256").digest(b.toByteArray());
      byte[] id = new byte[4];
      System.arraycopy(h, 0, id, 0, 4);
      return id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
