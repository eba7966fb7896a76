package dev.hallmark.c2pa.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.c2pa.C2paException;
import dev.hallmark.c2pa.C2paReport;
import dev.hallmark.c2pa.ManifestInfo;
import dev.hallmark.c2pa.TrustAnchors;
import dev.hallmark.c2pa.ValidationState;
import dev.hallmark.c2pa.ValidationStatus;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Validates the active manifest of a manifest store, producing C2PA status codes. */
public final class Validator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<ValidationStatus> statuses = new ArrayList<>();
  private final TrustAnchors anchors;
  private final Instant now;

  private Validator(TrustAnchors anchors, Instant now) {
    this.anchors = anchors;
    this.now = now;
  }

  /**
   * Validates {@code storeBytes}. {@code file} is the asset that carried it (null to skip the hard
   * binding, as for a manifest recovered from a ledger record, which is reported by a non-failure
   * {@code hallmark.dataHash.notChecked} status).
   */
  public static C2paReport validate(byte[] storeBytes, byte[] file, TrustAnchors anchors, Instant now)
      throws C2paException {
    return validate(storeBytes, file, 1, anchors, now);
  }

  /**
   * As {@link #validate(byte[], byte[], TrustAnchors, Instant)} for the first of {@code storeCount}
   * stores found in {@code file}: more than one is reported with the failure
   * {@link C2paReport#MULTIPLE_STORES} (the file's Content Credentials are malformed), besides what validating
   * the first finds (c2pa-rs, which skips a duplicated segment, reports the data hash mismatch the
   * extra store's bytes cause).
   */
  public static C2paReport validate(byte[] storeBytes, byte[] file, int storeCount, TrustAnchors anchors, Instant now)
      throws C2paException {
    Validator v = new Validator(anchors, now);
    if (storeCount > 1) {
      v.fail(C2paReport.MULTIPLE_STORES, "self#jumbf=/c2pa", "the file holds " + storeCount + " C2PA manifest stores where"
          + " a file carries at most one: its Content Credentials are malformed (the first store was validated)");
    }
    return v.run(storeBytes, file);
  }


  private void ok(String code, String url, String why) {
    statuses.add(new ValidationStatus(code, url, why, false));
  }

  private void fail(String code, String url, String why) {
    statuses.add(new ValidationStatus(code, url, why, true));
  }

  private C2paReport run(byte[] storeBytes, byte[] file) throws C2paException {
    Jumbf.Box store = Jumbf.parseSingle(storeBytes);
    if (!Jumbf.UUID_STORE.equals(store.uuid)) {
      throw new C2paException("JUMBF: the outer box is not a C2PA manifest store");
    }
    List<Jumbf.Box> manifests = new ArrayList<>();
    for (Jumbf.Box b : store.children) {
      if (b.isSuperbox() && Jumbf.UUID_MANIFEST.equals(b.uuid)) {
        manifests.add(b);
      }
    }
    if (manifests.isEmpty()) {
      fail("claim.missing", "self#jumbf=/c2pa", "the manifest store holds no manifest");
      return new C2paReport(ValidationState.INVALID, null, statuses, 0);
    }
    Jumbf.Box active = manifests.get(manifests.size() - 1);
    ManifestInfo info = manifest(store, active, file);
    return new C2paReport(state(), info, statuses, manifests.size());
  }

  private ValidationState state() {
    boolean trusted = false;
    for (ValidationStatus s : statuses) {
      if (s.failure() && !s.code().equals("signingCredential.untrusted")) {
        return ValidationState.INVALID;
      }
      trusted |= s.code().equals("signingCredential.trusted");
    }
    return trusted ? ValidationState.TRUSTED : ValidationState.VALID;
  }

  private ManifestInfo manifest(Jumbf.Box store, Jumbf.Box active, byte[] file) throws C2paException {
    String murl = "self#jumbf=/c2pa/" + active.label;
    Jumbf.Box claimBox = active.childByUuid(Jumbf.UUID_CLAIM);
    if (claimBox == null || claimBox.content("cbor") == null) {
      fail("claim.missing", murl, "the manifest has no claim");
      return new ManifestInfo(active.label, 0, null, null, null, null, null, List.of(), List.of(), List.of(), List.of());
    }
    int version = "c2pa.claim.v2".equals(claimBox.label) ? 2 : 1;
    byte[] claimBytes = claimBox.content("cbor");
    JsonNode claim;
    try {
      claim = Cbor.read(claimBytes, "claim");
    } catch (C2paException e) {
      fail("claim.malformed", murl + "/" + claimBox.label, e.getMessage());
      return new ManifestInfo(active.label, version, null, null, null, null, null, List.of(), List.of(), List.of(), List.of());
    }
    String generator = version == 2 ? generatorInfo(claim.get("claim_generator_info")) : Cbor.text(claim, "claim_generator");
    if (generator == null) {
      generator = generatorInfo(claim.get("claim_generator_info"));
    }
    String title = Cbor.text(claim, "dc:title");
    String claimAlg = Cbor.text(claim, "alg");

    // Claim signature.
    String sigUrl = murl + "/c2pa.signature";
    Jumbf.Box sigBox = active.childByUuid(Jumbf.UUID_SIGNATURE);
    Cose.Checked sig = null;
    if (sigBox == null || sigBox.content("cbor") == null) {
      fail("claimSignature.missing", sigUrl, "the manifest has no claim signature");
    } else {
      sig = Cose.verify(sigBox.content("cbor"), claimBytes);
      signatureStatuses(sig, sigUrl);
    }

    // Assertions the claim references.
    List<JsonNode> refs = new ArrayList<>();
    if (version == 2) {
      addAll(refs, claim.get("created_assertions"));
      addAll(refs, claim.get("gathered_assertions"));
    } else {
      addAll(refs, claim.get("assertions"));
    }
    List<String> labels = new ArrayList<>();
    List<ManifestInfo.Action> actions = new ArrayList<>();
    List<ManifestInfo.SoftBinding> soft = new ArrayList<>();
    List<ManifestInfo.Ingredient> ingredients = new ArrayList<>();
    JsonNode dataHash = null;
    String dataHashUrl = null;
    boolean otherHardBinding = false;
    for (JsonNode ref : refs) {
      String url = Cbor.text(ref, "url");
      byte[] want = Cbor.bytes(ref.get("hash"));
      String alg = Cbor.text(ref, "alg") != null ? Cbor.text(ref, "alg") : claimAlg;
      Jumbf.Box box = resolve(store, active, url);
      String absUrl = absolute(murl, url);
      if (box == null) {
        fail("assertion.missing", absUrl, "assertion not found: " + url);
        continue;
      }
      labels.add(box.label);
      byte[] got;
      try {
        got = digest(alg, box.source(), box.payloadOffset, box.payloadLength);
      } catch (C2paException e) {
        fail("algorithm.unsupported", absUrl, e.getMessage());
        continue;
      }
      if (want != null && MessageDigest.isEqual(want, got)) {
        ok("assertion.hashedURI.match", absUrl, "hashed uri matched: " + url);
      } else {
        fail("assertion.hashedURI.mismatch", absUrl, "hash does not match assertion data: " + url);
      }
      String base = baseLabel(box.label);
      JsonNode data;
      try {
        data = assertionData(box);
      } catch (C2paException e) {
        if (base.startsWith("c2pa.actions") || base.equals("c2pa.hash.data")) {
          fail(base.startsWith("c2pa.actions") ? "assertion.action.malformed" : "assertion.dataHash.malformed",
              absUrl, e.getMessage());
        }
        continue;
      }
      if (data == null) {
        continue;
      }
      if (base.equals("c2pa.actions") || base.equals("c2pa.actions.v2")) {
        readActions(data, actions);
      } else if (base.equals("c2pa.hash.data")) {
        dataHash = data;
        dataHashUrl = absUrl;
      } else if (base.startsWith("c2pa.hash.")) {
        otherHardBinding = true;
      } else if (base.equals("c2pa.soft-binding")) {
        List<String> values = new ArrayList<>();
        JsonNode blocks = data.get("blocks");
        if (blocks != null && blocks.isArray()) {
          for (JsonNode b : blocks) {
            String v = Cbor.text(b, "value");
            if (v != null) {
              values.add(v);
            }
          }
        }
        soft.add(new ManifestInfo.SoftBinding(Cbor.text(data, "alg"), values));
      } else if (base.startsWith("c2pa.ingredient")) {
        String t = Cbor.text(data, "dc:title") != null ? Cbor.text(data, "dc:title") : Cbor.text(data, "title");
        JsonNode m = data.has("activeManifest") ? data.get("activeManifest") : data.get("c2pa_manifest");
        String ml = m == null ? null : manifestLabelOf(Cbor.text(m, "url"));
        ingredients.add(new ManifestInfo.Ingredient(t, Cbor.text(data, "relationship"), ml));
      }
    }

    // Hard binding.
    if (dataHash == null) {
      if (otherHardBinding) {
        fail("hallmark.hardBinding.unsupported", murl,
            "the hard binding is not c2pa.hash.data (box, BMFF or collection hashes are not supported)");
      } else {
        fail("claim.hardBindings.missing", murl, "the claim has no hard binding assertion");
      }
    } else if (file == null) {
      ok("hallmark.dataHash.notChecked", dataHashUrl,
          "the manifest was not read from the asset it binds to, so its data hash was not compared");
    } else {
      checkDataHash(dataHash, claimAlg, file, dataHashUrl);
    }

    String signer = null;
    String issuer = null;
    if (sig != null && !sig.chain().isEmpty()) {
      X509Certificate leaf = sig.chain().get(0);
      signer = CertChecks.name(leaf.getSubjectX500Principal());
      issuer = CertChecks.name(leaf.getIssuerX500Principal());
    }
    return new ManifestInfo(active.label, version, generator, title, signer, issuer,
        sig == null || sig.alg() == null ? null : sig.alg().c2paName(), labels, actions, soft, ingredients);
  }

  private void signatureStatuses(Cose.Checked sig, String sigUrl) {
    if (sig.problem() != null) {
      fail(sig.problemCode(), sigUrl, sig.problem());
      return;
    }
    Instant at = sig.timestamp() != null ? sig.timestamp() : now;
    CertChecks.Result cr = CertChecks.check(sig.chain(), anchors, at);
    if (cr.trusted()) {
      ok("signingCredential.trusted", sigUrl, "signing certificate trusted: " + cr.detail());
    } else {
      fail("signingCredential.untrusted", sigUrl, "signing certificate untrusted: " + cr.detail());
    }
    if (cr.profileProblem() != null) {
      fail("signingCredential.invalid", sigUrl, cr.profileProblem());
    }
    if (sig.signatureValid()) {
      if (cr.expired()) {
        fail("signingCredential.expired", sigUrl, "the signing certificate was not valid at " + at);
      } else {
        ok("claimSignature.insideValidity", sigUrl, "claim signature inside the certificate's validity");
      }
      ok("claimSignature.validated", sigUrl, "claim signature valid");
    } else {
      fail("claimSignature.mismatch", sigUrl, "claim signature is not valid");
    }
  }

  private void checkDataHash(JsonNode dh, String claimAlg, byte[] file, String url) {
    String alg = Cbor.text(dh, "alg") != null ? Cbor.text(dh, "alg") : claimAlg;
    byte[] want = Cbor.bytes(dh.get("hash"));
    List<long[]> ex = new ArrayList<>();
    JsonNode exclusions = dh.get("exclusions");
    if (exclusions != null && exclusions.isArray()) {
      for (JsonNode e : exclusions) {
        JsonNode s = e.get("start");
        JsonNode l = e.get("length");
        if (s == null || l == null || !s.canConvertToLong() || !l.canConvertToLong() || s.asLong() < 0 || l.asLong() < 0) {
          fail("assertion.dataHash.malformed", url, "an exclusion has no valid start and length");
          return;
        }
        ex.add(new long[] {s.asLong(), l.asLong()});
      }
    }
    ex.sort((a, b) -> Long.compare(a[0], b[0]));
    if (want == null) {
      fail("assertion.dataHash.malformed", url, "the data hash assertion has no hash");
      return;
    }
    try {
      MessageDigest md = MessageDigest.getInstance(jcaDigest(alg));
      long p = 0;
      for (long[] e : ex) {
        if (e[0] + e[1] > file.length || e[0] < p) {
          fail("assertion.dataHash.mismatch", url, "an exclusion range lies outside the asset or overlaps another");
          return;
        }
        md.update(file, (int) p, (int) (e[0] - p));
        p = e[0] + e[1];
      }
      md.update(file, (int) p, (int) (file.length - p));
      if (MessageDigest.isEqual(want, md.digest())) {
        ok("assertion.dataHash.match", url, "data hash valid");
      } else {
        fail("assertion.dataHash.mismatch", url, "asset hash error: hashes do not match");
      }
    } catch (C2paException | NoSuchAlgorithmException e) {
      fail("algorithm.unsupported", url, e.getMessage());
    }
  }

  private static void readActions(JsonNode data, List<ManifestInfo.Action> out) {
    JsonNode acts = data.get("actions");
    if (acts == null || !acts.isArray()) {
      return;
    }
    for (JsonNode a : acts) {
      String agent = null;
      JsonNode sa = a.get("softwareAgent");
      if (sa != null && sa.isTextual()) {
        agent = sa.asText();
      } else if (sa != null && sa.isObject()) {
        agent = generatorInfo(sa);
      }
      String dst = Cbor.text(a, "digitalSourceType");
      if (dst == null && a.get("parameters") != null) {
        dst = Cbor.text(a.get("parameters"), "digitalSourceType");
      }
      out.add(new ManifestInfo.Action(Cbor.text(a, "action"), dst, agent));
    }
  }

  private static String generatorInfo(JsonNode gi) {
    if (gi == null) {
      return null;
    }
    if (gi.isArray()) {
      return gi.size() == 0 ? null : generatorInfo(gi.get(0));
    }
    String name = Cbor.text(gi, "name");
    String ver = Cbor.text(gi, "version");
    return name == null ? null : ver == null ? name : name + " " + ver;
  }

  private static void addAll(List<JsonNode> out, JsonNode arr) {
    if (arr != null && arr.isArray()) {
      arr.forEach(out::add);
    }
  }

  private static JsonNode assertionData(Jumbf.Box box) throws C2paException {
    byte[] cbor = box.content("cbor");
    if (cbor != null) {
      return Cbor.read(cbor, "assertion " + box.label);
    }
    byte[] json = box.content("json");
    if (json != null) {
      try {
        return JSON.readTree(json);
      } catch (IOException e) {
        throw new C2paException("assertion " + box.label + ": not valid JSON", e);
      }
    }
    return null;
  }

  /** {@code c2pa.ingredient.v3__2} -> {@code c2pa.ingredient.v3}. */
  static String baseLabel(String label) {
    if (label == null) {
      return "";
    }
    int i = label.lastIndexOf("__");
    return i > 0 && label.substring(i + 2).chars().allMatch(Character::isDigit) ? label.substring(0, i) : label;
  }

  static String manifestLabelOf(String url) {
    if (url == null || !url.startsWith("self#jumbf=/c2pa/")) {
      return null;
    }
    String rest = url.substring("self#jumbf=/c2pa/".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  private static String absolute(String murl, String url) {
    if (url == null) {
      return murl;
    }
    if (url.startsWith("self#jumbf=/")) {
      return url;
    }
    return url.startsWith("self#jumbf=") ? murl + "/" + url.substring("self#jumbf=".length()) : url;
  }

  /** The superbox a {@code self#jumbf=} URI names, relative to {@code manifest} unless absolute. */
  static Jumbf.Box resolve(Jumbf.Box store, Jumbf.Box manifest, String url) {
    if (url == null || !url.startsWith("self#jumbf=")) {
      return null;
    }
    String p = url.substring("self#jumbf=".length());
    Jumbf.Box cur;
    List<String> parts;
    if (p.startsWith("/")) {
      parts = new ArrayList<>(Arrays.asList(p.substring(1).split("/")));
      if (parts.isEmpty() || !parts.get(0).equals(store.label)) {
        return null;
      }
      parts.remove(0);
      cur = store;
    } else {
      parts = Arrays.asList(p.split("/"));
      cur = manifest;
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      cur = cur.child(part);
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  static String jcaDigest(String alg) throws C2paException {
    String a = alg == null ? "sha256" : alg.toLowerCase(Locale.ROOT);
    switch (a) {
      case "sha256":
        return "SHA-256";
      case "sha384":
        return "SHA-384";
      case "sha512":
        return "SHA-512";
      default:
        throw new C2paException("unsupported hash algorithm " + alg);
    }
  }

  static byte[] digest(String alg, byte[] d, int off, int len) throws C2paException {
    try {
      MessageDigest md = MessageDigest.getInstance(jcaDigest(alg));
      md.update(d, off, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new C2paException("unsupported hash algorithm " + alg, e);
    }
  }

}
