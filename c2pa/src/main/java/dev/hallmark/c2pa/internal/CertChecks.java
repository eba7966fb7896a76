package dev.hallmark.c2pa.internal;

import dev.hallmark.c2pa.TrustAnchors;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** The C2PA signing-certificate checks: profile, validity, chain to a trust anchor. */
public final class CertChecks {
  /**
   * Extended key usages accepted for a claim signer: emailProtection, documentSigning, C2PA's own
   * (1.3.6.1.4.1.62558.2.1) and Microsoft document signing, as c2pa-rs accepts by default.
   */
  static final Set<String> ALLOWED_EKU = Set.of(
      "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36", "1.3.6.1.4.1.62558.2.1", "1.3.6.1.4.1.311.10.3.12");

  private CertChecks() {}

  /** Trust verdict with a one-line reason, a profile problem (or null), and whether validity failed. */
  public record Result(boolean trusted, String detail, String profileProblem, boolean expired) {}

  public static Result check(List<X509Certificate> chain, TrustAnchors anchors, Instant at) {
    X509Certificate leaf = chain.get(0);
    boolean expired = validityProblem(chain, at) != null;
    String profile = profileProblem(leaf);
    for (int i = 0; i + 1 < chain.size(); i++) {
      try {
        chain.get(i).verify(chain.get(i + 1).getPublicKey(), CoseAlg.BC);
      } catch (Exception e) {
        return new Result(false, "certificate " + (i + 1) + " of x5chain is not signed by the next", profile, expired);
      }
    }
    if (anchors.roots().isEmpty()) {
      return new Result(false, "no trust anchors were given", profile, expired);
    }
    for (X509Certificate c : chain) {
      for (X509Certificate r : anchors.roots()) {
        if (r.equals(c)) {
          return new Result(true, name(r.getSubjectX500Principal()), profile, expired);
        }
      }
    }
    X509Certificate last = chain.get(chain.size() - 1);
    for (X509Certificate r : anchors.roots()) {
      if (r.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
        try {
          last.verify(r.getPublicKey(), CoseAlg.BC);
          r.checkValidity(Date.from(at));
          return new Result(true, name(r.getSubjectX500Principal()), profile, expired);
        } catch (Exception e) {
          // try the next anchor with the same name
        }
      }
    }
    return new Result(false, "the chain does not lead to a given trust anchor", profile, expired);
  }

  /**
   * Why every claim signed with {@code chain} at {@code at} would fail validation
   * ({@code signingCredential.invalid} or {@code signingCredential.expired}): the signing certificate's
   * profile, or a certificate of the chain outside its validity; null when neither. The same checks
   * {@link #check} applies when a manifest is read, for a signer to run before it signs.
   */
  public static String signerProblem(List<X509Certificate> chain, Instant at) {
    String profile = profileProblem(chain.get(0));
    if (profile != null) {
      return profile + " (validators report signingCredential.invalid)";
    }
    String validity = validityProblem(chain, at);
    return validity == null ? null : validity + " (validators report signingCredential.expired)";
  }

  /** The first certificate of {@code chain} not valid at {@code at}, described; null when all are. */
  static String validityProblem(List<X509Certificate> chain, Instant at) {
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      String which = i == 0 ? "the signing certificate" : "certificate " + (i + 1) + " of the chain ("
          + name(c.getSubjectX500Principal()) + ")";
      try {
        c.checkValidity(Date.from(at));
      } catch (CertificateExpiredException e) {
        return which + " expired on " + c.getNotAfter().toInstant();
      } catch (CertificateNotYetValidException e) {
        return which + " is not valid until " + c.getNotBefore().toInstant();
      }
    }
    return null;
  }

  static String profileProblem(X509Certificate leaf) {
    if (leaf.getVersion() != 3) {
      return "the signing certificate is not X.509 version 3";
    }
    if (leaf.getBasicConstraints() != -1) {
      return "the signing certificate is a CA certificate";
    }
    boolean[] ku = leaf.getKeyUsage();
    if (ku != null && !ku[0]) {
      return "the signing certificate's key usage lacks digitalSignature";
    }
    List<String> eku;
    try {
      eku = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      return "the signing certificate's extended key usage cannot be parsed";
    }
    if (eku == null || eku.isEmpty()) {
      return "the signing certificate has no extended key usage";
    }
    if (eku.contains("2.5.29.37.0")) {
      return "the signing certificate allows anyExtendedKeyUsage";
    }
    for (String e : eku) {
      if (ALLOWED_EKU.contains(e)) {
        return null;
      }
    }
    return "the signing certificate's extended key usage " + eku + " has none C2PA accepts";
  }

  /** "CN (O)" of a distinguished name, or the whole name when it has no CN. */
  public static String name(X500Principal p) {
    X500Name n = X500Name.getInstance(p.getEncoded());
    String cn = first(n, BCStyle.CN);
    String o = first(n, BCStyle.O);
    if (cn == null) {
      return o != null ? o : p.getName();
    }
    return o == null || o.equals(cn) ? cn : cn + " (" + o + ")";
  }

  private static String first(X500Name n, org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
    RDN[] r = n.getRDNs(oid);
    if (r.length == 0) {
      return null;
    }
    ASN1Encodable v = r[0].getFirst().getValue();
    return IETFUtils.valueToString(v);
  }
}
