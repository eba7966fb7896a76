package dev.hallmark.cli.c2pa;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
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
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test C2PA credentials written as PEM files: a root CA (root.pem), an ES256 claim-signing
 * certificate with emailProtection EKU (chain.pem) and its key (key.pem). Seeded.
 */
public final class C2paTestCredentials {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();
  public final Path root;
  public final Path chain;
  public final Path key;

  private C2paTestCredentials(Path root, Path chain, Path key) {
    this.root = root;
    this.chain = chain;
    this.key = key;
  }

  public static C2paTestCredentials write(Path dir, long seed) throws Exception {
    SecureRandom rnd = SecureRandom.getInstance("SHA1PRNG");
    rnd.setSeed(seed);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
    g.initialize(new ECGenParameterSpec("secp256r1"), rnd);
    KeyPair rootKeys = g.generateKeyPair();
    KeyPair leafKeys = g.generateKeyPair();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X500Name rootName = new X500Name("CN=Hallmark CLI Test Root,O=Hallmark Tests");
    X509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, BigInteger.ONE,
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)), rootName, rootKeys.getPublic());
    rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    rb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKeys.getPublic()));
    X509Certificate root = cert(rb, rootKeys, rnd);
    X509v3CertificateBuilder lb = new JcaX509v3CertificateBuilder(root, BigInteger.TWO,
        Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)),
        new X500Name("CN=Painter Service,O=Hallmark Tests"), leafKeys.getPublic());
    lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    lb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    lb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
    lb.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
    X509Certificate leaf = cert(lb, rootKeys, rnd);
    Path r = dir.resolve("c2pa-root.pem");
    Path c = dir.resolve("c2pa-chain.pem");
    Path k = dir.resolve("c2pa-key.pem");
    Files.writeString(r, pem(root));
    Files.writeString(c, pem(leaf));
    Files.writeString(k, pem(new JcaPKCS8Generator(leafKeys.getPrivate(), null)));
    return new C2paTestCredentials(r, c, k);
  }

  private static X509Certificate cert(X509v3CertificateBuilder b, KeyPair issuer, SecureRandom rnd) throws Exception {
    return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).setSecureRandom(rnd).build(issuer.getPrivate())));
  }

  private static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
