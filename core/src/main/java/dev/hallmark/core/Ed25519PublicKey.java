package dev.hallmark.core;

import dev.hallmark.core.internal.Ed25519Batch;
import java.security.SignatureException;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key (RFC 8032). Immutable; {@link #verify} throws on a bad signature. */
public final class Ed25519PublicKey {
  public static final int KEY_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private final byte[] key;
  /**
   * The decoded and validated curve point. Decoding a point costs a field square root, about a
   * quarter of a verification, so it is done once per key rather than once per signature.
   */
  private final Ed25519PublicKeyParameters params;
  /** The point in the form batch verification uses, decoded on first use. */
  private volatile Ed25519Batch.Key batchKey;

  private Ed25519PublicKey(byte[] key, Ed25519PublicKeyParameters params) {
    this.key = key;
    this.params = params;
  }

  /**
   * @throws IllegalArgumentException if {@code key} is not 32 bytes or not a valid curve point
   */
  public static Ed25519PublicKey of(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, not " + key.length);
    }
    byte[] k = key.clone();
    Ed25519PublicKeyParameters p;
    try {
      p = new Ed25519PublicKeyParameters(k, 0);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a valid Ed25519 public key", e);
    }
    return new Ed25519PublicKey(k, p);
  }

  public byte[] bytes() {
    return key.clone();
  }

  /** The key's bytes, not copied: for {@link Ed25519BatchVerifier} only. */
  byte[] bytesUnsafe() {
    return key;
  }

  /**
   * The decoded key with its tables for {@link Ed25519BatchVerifier}, built on first use (about one
   * single verification's CPU); null if it does not decode (never for a key {@link #of} accepted).
   */
  Ed25519Batch.Key batchKey() {
    Ed25519Batch.Key k = batchKey;
    if (k == null) {
      k = Ed25519Batch.key(key, 0);
      batchKey = k;
    }
    return k;
  }

  /**
   * Verifies {@code signature} over {@code message}.
   *
   * @throws SignatureException if the signature is malformed or does not verify
   */
  public void verify(byte[] message, byte[] signature) throws SignatureException {
    if (signature == null || signature.length != SIGNATURE_BYTES) {
      throw new SignatureException(
          "Ed25519 signature must be 64 bytes, got " + (signature == null ? "none" : signature.length));
    }
    // What Ed25519Signer.verifySignature does (pure Ed25519, no context), without copying the message
    // into the signer's buffer and with the point decoded once in of().
    if (!params.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0)) {
      throw new SignatureException("Ed25519 signature does not verify");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519PublicKey && Arrays.equals(key, ((Ed25519PublicKey) o).key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "Ed25519PublicKey{" + Hex.encode(key) + "}";
  }
}
