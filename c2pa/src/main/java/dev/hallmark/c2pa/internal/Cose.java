package dev.hallmark.c2pa.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hallmark.c2pa.C2paException;
import dev.hallmark.c2pa.C2paSigner;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;

/** COSE_Sign1 with a detached payload, as C2PA uses it for claim signatures (RFC 9052). */
public final class Cose {
  static final int TAG_SIGN1 = 18;
  static final int HEADER_ALG = 1;
  static final int HEADER_X5CHAIN = 33;

  private Cose() {}

  /**
   * The outcome of checking a claim signature. When {@code problem} is set (with its C2PA code) the
   * signature could not be checked at all; otherwise {@code signatureValid} says whether it verified.
   */
  public record Checked(CoseAlg alg, List<X509Certificate> chain, boolean signatureValid, Instant timestamp,
      String problem, String problemCode) {}

  private static Checked problem(CoseAlg alg, List<X509Certificate> chain, String code, String why) {
    return new Checked(alg, chain, false, null, why, code);
  }

  public static Checked verify(byte[] cose, byte[] payload) {
    JsonNode arr;
    try {
      arr = Cbor.read(cose, "claim signature");
    } catch (C2paException e) {
      return problem(null, List.of(), "claimSignature.mismatch", e.getMessage());
    }
    if (!arr.isArray() || arr.size() != 4) {
      return problem(null, List.of(), "claimSignature.mismatch", "the claim signature is not a COSE_Sign1 array");
    }
    byte[] protectedBytes = Cbor.bytes(arr.get(0));
    byte[] signature = Cbor.bytes(arr.get(3));
    if (protectedBytes == null || signature == null) {
      return problem(null, List.of(), "claimSignature.mismatch", "the COSE_Sign1 structure is malformed");
    }
    JsonNode prot;
    try {
      prot = protectedBytes.length == 0 ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
          : Cbor.read(protectedBytes, "COSE protected header");
    } catch (C2paException e) {
      return problem(null, List.of(), "claimSignature.mismatch", e.getMessage());
    }
    JsonNode unprot = arr.get(1);
    JsonNode algNode = prot.get(String.valueOf(HEADER_ALG));
    CoseAlg alg = algNode != null && algNode.canConvertToInt() ? CoseAlg.byId(algNode.asInt()) : null;
    List<X509Certificate> chain;
    try {
      chain = certificates(firstPresent(prot, unprot));
    } catch (GeneralSecurityException | RuntimeException e) {
      return problem(alg, List.of(), "signingCredential.invalid", "the x5chain certificates cannot be parsed");
    }
    if (chain.isEmpty()) {
      return problem(alg, chain, "claimSignature.missing", "the claim signature carries no x5chain certificate");
    }
    if (alg == null) {
      return problem(null, chain, "algorithm.unsupported", "unsupported COSE signature algorithm " + algNode);
    }
    Instant ts = timestamp(unprot);
    if (!alg.fits(chain.get(0).getPublicKey())) {
      return new Checked(alg, chain, false, ts, null, null);
    }
    byte[] tbs = Cbor.write(List.of("Signature1", protectedBytes, new byte[0], payload));
    boolean ok;
    try {
      ok = alg.verify(chain.get(0).getPublicKey(), tbs, signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      ok = false;
    }
    return new Checked(alg, chain, ok, ts, null, null);
  }

  private static JsonNode firstPresent(JsonNode prot, JsonNode unprot) {
    String[] keys = {String.valueOf(HEADER_X5CHAIN), "x5chain"};
    for (String k : keys) {
      if (prot.get(k) != null) {
        return prot.get(k);
      }
    }
    for (String k : keys) {
      if (unprot != null && unprot.get(k) != null) {
        return unprot.get(k);
      }
    }
    return null;
  }

  private static List<X509Certificate> certificates(JsonNode x5) throws GeneralSecurityException {
    List<X509Certificate> out = new ArrayList<>();
    if (x5 == null) {
      return out;
    }
    CertificateFactory f = CertificateFactory.getInstance("X.509", CoseAlg.BC);
    List<byte[]> ders = new ArrayList<>();
    if (x5.isArray()) {
      for (JsonNode n : x5) {
        ders.add(Cbor.bytes(n));
      }
    } else {
      ders.add(Cbor.bytes(x5));
    }
    for (byte[] d : ders) {
      if (d == null) {
        throw new GeneralSecurityException("x5chain entry is not a byte string");
      }
      out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(d)));
    }
    return out;
  }

  /**
   * The generation time of an RFC 3161 timestamp in {@code sigTst2}/{@code sigTst} whose own signature
   * verifies with the certificate it carries; null when there is none. Used only as the time at which
   * the signing certificate's validity is judged (TSA trust and the message imprint are not checked).
   */
  private static Instant timestamp(JsonNode unprot) {
    if (unprot == null) {
      return null;
    }
    for (String k : new String[] {"sigTst2", "sigTst"}) {
      JsonNode t = unprot.get(k);
      JsonNode tokens = t == null ? null : t.get("tstTokens");
      if (tokens == null || !tokens.isArray() || tokens.size() == 0) {
        continue;
      }
      byte[] val = Cbor.bytes(tokens.get(0).get("val"));
      if (val == null) {
        continue;
      }
      try {
        TimeStampToken tst = new TimeStampToken(new CMSSignedData(val));
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certs = tst.getCertificates();
        for (Object o : certs.getMatches(tst.getSID())) {
          X509CertificateHolder h = (X509CertificateHolder) o;
          tst.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider(CoseAlg.BC).build(h));
          return tst.getTimeStampInfo().getGenTime().toInstant();
        }
      } catch (Exception e) {
        // An unreadable or unverifiable timestamp is ignored: validity is then judged at the current time.
      }
    }
    return null;
  }

  /** A tagged COSE_Sign1 over {@code payload} (detached), x5chain in the protected header. */
  public static byte[] sign(C2paSigner signer, byte[] payload, int padTo) throws C2paException {
    Map<Object, Object> ph = new LinkedHashMap<>();
    ph.put(HEADER_ALG, signer.coseAlgorithmId());
    List<byte[]> ders = signer.chainDer();
    ph.put(HEADER_X5CHAIN, ders.size() == 1 ? ders.get(0) : new ArrayList<Object>(ders));
    byte[] protectedBytes = Cbor.write(ph);
    byte[] tbs = Cbor.write(List.of("Signature1", protectedBytes, new byte[0], payload));
    byte[] sig = signer.sign(tbs);
    Map<Object, Object> unprotected = new LinkedHashMap<>();
    List<Object> arr = new ArrayList<>();
    arr.add(protectedBytes);
    arr.add(unprotected);
    arr.add(null);
    arr.add(sig);
    byte[] out = Cbor.write(new Cbor.Tagged(TAG_SIGN1, arr));
    if (padTo > out.length) {
      // Pad to the reserved size with an unprotected "pad" byte string (C2PA's own convention).
      int padLen = padTo - out.length - 5;
      for (int tries = 0; tries < 8 && padLen >= 0; tries++) {
        unprotected.put("pad", new byte[padLen]);
        byte[] padded = Cbor.write(new Cbor.Tagged(TAG_SIGN1, arr));
        if (padded.length == padTo) {
          return padded;
        }
        padLen += padTo - padded.length;
      }
      unprotected.remove("pad");
    }
    return out;
  }
}
