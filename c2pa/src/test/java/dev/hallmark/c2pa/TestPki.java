package dev.hallmark.c2pa;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away test PKI made with Bouncy Castle: a root CA and a claim-signing certificate with the
 * emailProtection extended key usage (what c2pa-rs's default trust settings ask for). Seeded.
 */
public final class TestPki {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  public final X509Certificate root;
  public final X509Certificate leaf;
  public final PrivateKey leafKey;

  private TestPki(X509Certificate root, X509Certificate leaf, PrivateKey leafKey) {
    this.root = root;
    this.leaf = leaf;
    this.leafKey = leafKey;
  }

  /**
   * The signing certificate's profile: what C2PA accepts for claim signing, or one way a validator
   * rejects it (expired in 2021, no extended key usage, a CA certificate).
   */
  public enum Leaf { GOOD, EXPIRED, NO_EKU, CA }

  /** {@code keyType}: "ES256", "ES384", "PS256" or "Ed25519". */
  public static TestPki create(String keyType, long seed) throws Exception {
    return create(keyType, seed, Leaf.GOOD);
  }

  /** As {@link #create(String, long)}, with a signing certificate of the given profile. */
  public static TestPki create(String keyType, long seed, Leaf profile) throws Exception {
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(seed);
    KeyPair rootKeys = ec("secp256r1", rnd);
    KeyPair leafKeys;
    String leafSigAlg = "SHA256withECDSA";
    switch (keyType) {
      case "ES256":
        leafKeys = ec("secp256r1", rnd);
        break;
      case "ES384":
        leafKeys = ec("secp384r1", rnd);
        break;
      case "PS256": {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
        g.initialize(2048, rnd);
        leafKeys = g.generateKeyPair();
        break;
      }
      case "Ed25519": {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519", BC);
        g.initialize(255, rnd);
        leafKeys = g.generateKeyPair();
        break;
      }
      default:
        throw new IllegalArgumentException(keyType);
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    X500Name rootName = new X500Name("CN=Hallmark Test Root CA,O=Hallmark Tests");
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, BigInteger.valueOf(1),
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)), rootName,
        rootKeys.getPublic());
    rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    rb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKeys.getPublic()));
    X509Certificate root = sign(rb, rootKeys.getPrivate(), "SHA256withECDSA", rnd);

    X500Name leafName = new X500Name("CN=Hallmark Test Signer,O=Hallmark Tests");
    boolean expired = profile == Leaf.EXPIRED;
    X509v3CertificateBuilder lb = new JcaX509v3CertificateBuilder(root, BigInteger.valueOf(2 + (seed & 0xffff)),
        expired ? Date.from(Instant.parse("2020-01-01T00:00:00Z")) : Date.from(now.minus(1, ChronoUnit.DAYS)),
        expired ? Date.from(Instant.parse("2021-01-01T00:00:00Z")) : Date.from(now.plus(365, ChronoUnit.DAYS)),
        leafName, leafKeys.getPublic());
    lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(profile == Leaf.CA));
    lb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
        | (profile == Leaf.CA ? KeyUsage.keyCertSign : 0)));
    if (profile != Leaf.NO_EKU) {
      lb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
    }
    lb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
    lb.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
    X509Certificate leaf = sign(lb, rootKeys.getPrivate(), leafSigAlg, rnd);
    return new TestPki(root, leaf, leafKeys.getPrivate());
  }

  private static KeyPair ec(String curve, SecureRandom rnd) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
    g.initialize(new ECGenParameterSpec(curve), rnd);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, String alg, SecureRandom rnd)
      throws Exception {
    return new JcaX509CertificateConverter().setProvider(BC)
        .getCertificate(b.build(new JcaContentSignerBuilder(alg).setProvider(BC).setSecureRandom(rnd).build(key)));
  }

  public C2paSigner signer() throws C2paException {
    return C2paSigner.of(leafKey, List.of(leaf));
  }

  /**
   * The signing key as unencrypted PKCS#8 v1 PEM (private key only: OpenSSL, and so Node, refuses
   * Bouncy Castle's v2 Ed25519 encoding that also carries the public key).
   */
  public String leafKeyPem() throws Exception {
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(leafKey.getEncoded());
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo v1 =
        new org.bouncycastle.asn1.pkcs.PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey());
    return "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(v1.getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  /** The root, the signing certificate and its key as PEM files, as a user hands them to the CLI. */
  public record PemFiles(java.nio.file.Path root, java.nio.file.Path chain, java.nio.file.Path key) {}

  /** Writes {@code c2pa-root.pem}, {@code c2pa-chain.pem} and {@code c2pa-key.pem} into {@code dir}. */
  public PemFiles writePem(java.nio.file.Path dir) throws Exception {
    PemFiles f = new PemFiles(dir.resolve("c2pa-root.pem"), dir.resolve("c2pa-chain.pem"), dir.resolve("c2pa-key.pem"));
    java.nio.file.Files.writeString(f.root(), pem(root));
    java.nio.file.Files.writeString(f.chain(), pem(leaf));
    java.nio.file.Files.writeString(f.key(), leafKeyPem());
    return f;
  }

  public TrustAnchors anchors() {
    return TrustAnchors.of(List.of(root));
  }

  public static String pem(Object... objects) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      for (Object o : objects) {
        p.writeObject(o);
      }
    }
    return w.toString();
  }

}
