package dev.hallmark.core;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key with its name. Signing is deterministic (RFC 8032), so a key is safe to
 * share between threads. The private key never appears in {@link #toString()}.
 */
public final class SigningKey {
  private final String name;
  private final Ed25519PrivateKeyParameters privateKey;
  private final Ed25519PublicKey publicKey;

  SigningKey(String name, Ed25519PrivateKeyParameters privateKey) {
    this.name = name;
    this.privateKey = privateKey;
    this.publicKey = Ed25519PublicKey.of(privateKey.generatePublicKey().getEncoded());
  }

  /** A fresh key pair drawn from {@code random} (a {@link java.security.SecureRandom} in production). */
  public static SigningKey generate(String name, java.security.SecureRandom random) {
    return new SigningKey(KeyNames.check(name), new Ed25519PrivateKeyParameters(random));
  }

  /** A key from its 32-byte RFC 8032 seed (for test vectors and imports). */
  public static SigningKey fromSeed(String name, byte[] seed) {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, not " + seed.length);
    }
    return new SigningKey(KeyNames.check(name), new Ed25519PrivateKeyParameters(seed, 0));
  }

  public String name() {
    return name;
  }

  public Ed25519PublicKey publicKey() {
    return publicKey;
  }

  /** The C2SP signed-note verifier key for this key under {@code noteName} (e.g. a log origin). */
  public NoteVerifierKey verifierKey(String noteName) {
    return NoteVerifierKey.of(noteName, publicKey);
  }

  /** A 64-byte Ed25519 signature over {@code message}. */
  public byte[] sign(byte[] message) {
    // What Ed25519Signer.generateSignature does (pure Ed25519, no context), without copying the
    // message into the signer's buffer first.
    byte[] sig = new byte[Ed25519PublicKey.SIGNATURE_BYTES];
    privateKey.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
    return sig;
  }

  Ed25519PrivateKeyParameters privateParameters() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "SigningKey{name=" + name + ", public=" + Hex.encode(publicKey.bytes()) + "}";
  }
}
