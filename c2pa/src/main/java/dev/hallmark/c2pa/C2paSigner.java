package dev.hallmark.c2pa;

import dev.hallmark.c2pa.internal.CertChecks;
import dev.hallmark.c2pa.internal.CoseAlg;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A C2PA claim signer: a private key and its certificate chain (signing certificate first, root not
 * needed). The algorithm follows the key: P-256 ES256, P-384 ES384, P-521 ES512, RSA PS256, Ed25519.
 * The key never appears in {@link #toString()}.
 */
public final class C2paSigner {
  private final PrivateKey key;
  private final List<X509Certificate> chain;
  private final CoseAlg alg;

  private C2paSigner(PrivateKey key, List<X509Certificate> chain, CoseAlg alg) {
    this.key = key;
    this.chain = List.copyOf(chain);
    this.alg = alg;
  }

  /**
   * A signer from a key and chain already in memory.
   *
   * @throws C2paException when the key does not match the first certificate, or when every manifest
   *     it signed would fail validation: the signing certificate is not one C2PA accepts for claim
   *     signing (a CA certificate, no emailProtection or documentSigning extended key usage, ...) or a
   *     certificate of the chain is not valid now
   */
  public static C2paSigner of(PrivateKey key, List<X509Certificate> chain) throws C2paException {
    return of(key, chain, "C2PA certificate chain", null);
  }

  private static C2paSigner of(PrivateKey key, List<X509Certificate> chain, String chainName, String keyName)
      throws C2paException {
    String mismatch = keyName == null ? "C2PA signer: the private key does not match the first certificate of the chain"
        : keyName + ": does not match the first certificate of " + chainName
            + " (the chain must start with the signing certificate of this key)";
    if (chain.isEmpty()) {
      throw new C2paException("C2PA signer: the certificate chain is empty");
    }
    CoseAlg alg = algFor(key);
    if (!alg.fits(chain.get(0).getPublicKey())) {
      throw new C2paException(mismatch);
    }
    byte[] probe = "hallmark c2pa key check".getBytes(StandardCharsets.US_ASCII);
    boolean pairs;
    try {
      pairs = alg.verify(chain.get(0).getPublicKey(), probe, alg.sign(key, probe));
    } catch (GeneralSecurityException e) {
      pairs = false;
    }
    if (!pairs) {
      throw new C2paException(mismatch);
    }
    C2paSigner signer = new C2paSigner(key, chain, alg);
    signer.checkUsable(Instant.now(), chainName);
    return signer;
  }

  /**
   * Refuses to sign at {@code at} when validators would reject the manifest: the same signing-credential
   * checks (profile, validity) a manifest's reader applies.
   */
  void checkUsable(Instant at, String chainName) throws C2paException {
    String problem = CertChecks.signerProblem(chain, at);
    if (problem == null) {
      return;
    }
    boolean validity = problem.endsWith("signingCredential.expired)");
    throw new C2paException(chainName + " (signer " + CertChecks.name(chain.get(0).getSubjectX500Principal()) + "): "
        + problem + "; every manifest signed with it would be Invalid, so none is signed: "
        + (validity ? "renew the certificate, or use one valid now"
            : "use an end-entity certificate made for C2PA claim signing (not a CA; key usage digitalSignature;"
                + " extended key usage emailProtection or documentSigning)"));
  }

  /**
   * A signer from PEM text: {@code chainPem} holds the signing certificate first, then intermediates;
   * {@code keyPem} an unencrypted PKCS#8 or SEC1 private key.
   */
  public static C2paSigner fromPem(byte[] chainPem, byte[] keyPem) throws C2paException {
    return fromPem(chainPem, keyPem, null, null);
  }

  /**
   * As {@link #fromPem(byte[], byte[])}, naming the files the chain and the key came from (either may
   * be null) in error messages.
   */
  public static C2paSigner fromPem(byte[] chainPem, byte[] keyPem, String chainFile, String keyFile)
      throws C2paException {
    String chainName = chainFile == null ? "C2PA certificate chain" : "C2PA certificate chain " + chainFile;
    String keyName = keyFile == null ? "C2PA private key" : "C2PA private key " + keyFile;
    List<X509Certificate> chain = TrustAnchors.parseCertificates(chainPem, chainName);
    if (chain.isEmpty()) {
      throw new C2paException(chainName + ": no certificate found in the PEM data");
    }
    PrivateKey key;
    try (PEMParser p = new PEMParser(new StringReader(new String(keyPem, StandardCharsets.US_ASCII)))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
      if (o instanceof PEMKeyPair) {
        key = conv.getKeyPair((PEMKeyPair) o).getPrivate();
      } else if (o instanceof PrivateKeyInfo) {
        key = conv.getPrivateKey((PrivateKeyInfo) o);
      } else {
        throw new C2paException(keyName + ": expected an unencrypted PEM private key (PKCS#8 or EC)");
      }
    } catch (IOException e) {
      throw new C2paException(keyName + ": not readable PEM (" + e.getMessage() + ")", e);
    }
    return of(key, chain, chainName, keyName);
  }

  private static CoseAlg algFor(PrivateKey key) throws C2paException {
    String a = key.getAlgorithm();
    if (key instanceof ECKey) {
      int bits = ((ECKey) key).getParams().getOrder().bitLength();
      return bits <= 256 ? CoseAlg.ES256 : bits <= 384 ? CoseAlg.ES384 : CoseAlg.ES512;
    }
    if (a.startsWith("RSA")) {
      return CoseAlg.PS256;
    }
    if (a.equals("Ed25519") || a.equals("EdDSA")) {
      return CoseAlg.ED25519;
    }
    throw new C2paException("C2PA signer: unsupported key type " + a + " (use EC P-256/P-384, RSA or Ed25519)");
  }

  /** The COSE algorithm name (ES256, PS256, Ed25519...). */
  public String algorithm() {
    return alg.c2paName();
  }

  public List<X509Certificate> chain() {
    return chain;
  }

  /** DER encodings of the chain, for the COSE x5chain header. */
  public List<byte[]> chainDer() throws C2paException {
    List<byte[]> out = new ArrayList<>();
    for (X509Certificate c : chain) {
      try {
        out.add(c.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new C2paException("C2PA certificate chain: cannot encode " + c.getSubjectX500Principal(), e);
      }
    }
    return out;
  }

  /** COSE algorithm identifier. */
  public int coseAlgorithmId() {
    return alg.id;
  }

  /** Signs {@code toBeSigned} (a COSE Sig_structure) in the raw form COSE uses. */
  public byte[] sign(byte[] toBeSigned) throws C2paException {
    try {
      return alg.sign(key, toBeSigned);
    } catch (GeneralSecurityException e) {
      throw new C2paException("C2PA signing with " + alg.c2paName() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "C2paSigner[" + alg.c2paName() + ", " + chain.get(0).getSubjectX500Principal().getName() + "]";
  }
}
