package dev.hallmark.c2pa.internal;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The COSE signature algorithms C2PA allows, with their Bouncy Castle JCA names. */
public enum CoseAlg {
  ES256(-7, "SHA256withPLAIN-ECDSA"),
  ES384(-35, "SHA384withPLAIN-ECDSA"),
  ES512(-36, "SHA512withPLAIN-ECDSA"),
  PS256(-37, "SHA256withRSAandMGF1"),
  PS384(-38, "SHA384withRSAandMGF1"),
  PS512(-39, "SHA512withRSAandMGF1"),
  ED25519(-8, "Ed25519");

  /** One provider instance, not registered globally. */
  static final BouncyCastleProvider BC = new BouncyCastleProvider();

  public final int id;
  private final String jca;

  CoseAlg(int id, String jca) {
    this.id = id;
    this.jca = jca;
  }

  public static CoseAlg byId(int id) {
    for (CoseAlg a : values()) {
      if (a.id == id) {
        return a;
      }
    }
    return null;
  }

  /** The C2PA / c2pa-rs name: es256, ps256, ed25519... */
  public String c2paName() {
    return this == ED25519 ? "Ed25519" : name();
  }

  public boolean verify(PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
    Signature s = Signature.getInstance(jca, BC);
    s.initVerify(key);
    s.update(data);
    return s.verify(signature);
  }

  public byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance(jca, BC);
    s.initSign(key);
    s.update(data);
    return s.sign();
  }

  /** Whether {@code key}'s type fits this algorithm (an RSA key for ES256 is a mismatch). */
  public boolean fits(PublicKey key) {
    switch (this) {
      case ES256:
      case ES384:
      case ES512:
        return key instanceof ECKey;
      case PS256:
      case PS384:
      case PS512:
        return key instanceof RSAKey || key.getAlgorithm().startsWith("RSA");
      default:
        return key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
    }
  }
}
