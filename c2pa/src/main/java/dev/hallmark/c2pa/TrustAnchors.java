package dev.hallmark.c2pa;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The root certificates a signer must chain to for {@link ValidationState#TRUSTED}. Immutable. */
public final class TrustAnchors {
  private static final TrustAnchors NONE = new TrustAnchors(List.of());
  private final List<X509Certificate> roots;

  private TrustAnchors(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
  }

  /** No anchors: every signer is reported {@code signingCredential.untrusted}. */
  public static TrustAnchors none() {
    return NONE;
  }

  public static TrustAnchors of(Collection<X509Certificate> roots) {
    return new TrustAnchors(new ArrayList<>(roots));
  }

  /** Every certificate in a PEM (or DER) file. */
  public static TrustAnchors fromPem(byte[] pem) throws C2paException {
    List<X509Certificate> certs = parseCertificates(pem, "trust anchors");
    if (certs.isEmpty()) {
      throw new C2paException("trust anchors: no certificate found in the PEM data");
    }
    return new TrustAnchors(certs);
  }

  public List<X509Certificate> roots() {
    return roots;
  }

  static List<X509Certificate> parseCertificates(byte[] data, String what) throws C2paException {
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509", new BouncyCastleProvider());
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c : f.generateCertificates(new ByteArrayInputStream(data))) {
        out.add((X509Certificate) c);
      }
      return out;
    } catch (CertificateException | RuntimeException e) {
      throw new C2paException(what + ": not a PEM certificate list (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public String toString() {
    return "TrustAnchors[" + roots.size() + " roots]";
  }
}
