package dev.hallmark.c2pa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of reading and validating a manifest store: the verdict, the active manifest, and every
 * status code. Immutable.
 */
public final class C2paReport {
  /**
   * Hallmark's failure code for a file that holds more than one manifest store (a file carries at most
   * one): its Content Credentials are malformed; the report is of the first store.
   */
  public static final String MULTIPLE_STORES = "hallmark.manifestStore.multiple";

  private final ValidationState state;
  private final ManifestInfo activeManifest;
  private final List<ValidationStatus> statuses;
  private final int manifestCount;

  public C2paReport(ValidationState state, ManifestInfo activeManifest, List<ValidationStatus> statuses,
      int manifestCount) {
    this.state = state;
    this.activeManifest = activeManifest;
    this.statuses = List.copyOf(statuses);
    this.manifestCount = manifestCount;
  }

  public ValidationState state() {
    return state;
  }

  /** The active (last) manifest; null only when the store holds none that could be read. */
  public ManifestInfo activeManifest() {
    return activeManifest;
  }

  public int manifestCount() {
    return manifestCount;
  }

  public List<ValidationStatus> statuses() {
    return statuses;
  }

  /** The failure codes, in the order found. */
  public List<String> failureCodes() {
    List<String> out = new ArrayList<>();
    for (ValidationStatus s : statuses) {
      if (s.failure()) {
        out.add(s.code());
      }
    }
    return out;
  }

  public boolean hasCode(String code) {
    for (ValidationStatus s : statuses) {
      if (s.code().equals(code)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the claim signature verified ({@code claimSignature.validated}). When it did not, everything
   * the manifest says (signer, generator, actions) is only what it claims.
   */
  public boolean signatureVerified() {
    return hasCode("claimSignature.validated");
  }

  /**
   * Whether the actions of the active manifest (among them any AI-generation declaration) can be relied
   * on: the claim signature verified and no failure concerns a {@code c2pa.actions} assertion (its hash,
   * its presence, its form).
   */
  public boolean actionsVerified() {
    if (!signatureVerified()) {
      return false;
    }
    for (ValidationStatus s : statuses) {
      if (s.failure() && s.url() != null && s.url().contains("c2pa.assertions/c2pa.actions")) {
        return false;
      }
    }
    return true;
  }

  /** A JSON-ready view (maps, lists, strings). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("validationState", state.name().charAt(0) + state.name().substring(1).toLowerCase(java.util.Locale.ROOT));
    m.put("manifests", manifestCount);
    m.put("signatureVerified", signatureVerified());
    m.put("actionsVerified", actionsVerified());
    if (activeManifest != null) {
      ManifestInfo a = activeManifest;
      Map<String, Object> am = new LinkedHashMap<>();
      am.put("label", a.label());
      am.put("claimVersion", a.claimVersion());
      am.put("claimGenerator", a.claimGenerator());
      am.put("title", a.title());
      am.put("signer", a.signer());
      am.put("issuer", a.issuer());
      am.put("signatureAlgorithm", a.signatureAlgorithm());
      am.put("trainedAlgorithmicMedia", a.isTrainedAlgorithmicMedia());
      am.put("assertions", a.assertions());
      List<Object> acts = new ArrayList<>();
      for (ManifestInfo.Action x : a.actions()) {
        Map<String, Object> xm = new LinkedHashMap<>();
        xm.put("action", x.action());
        xm.put("digitalSourceType", x.digitalSourceType());
        xm.put("softwareAgent", x.softwareAgent());
        acts.add(xm);
      }
      am.put("actions", acts);
      List<Object> sbs = new ArrayList<>();
      for (ManifestInfo.SoftBinding x : a.softBindings()) {
        Map<String, Object> xm = new LinkedHashMap<>();
        xm.put("alg", x.algorithm());
        xm.put("values", x.values());
        sbs.add(xm);
      }
      am.put("softBindings", sbs);
      List<Object> ings = new ArrayList<>();
      for (ManifestInfo.Ingredient x : a.ingredients()) {
        Map<String, Object> xm = new LinkedHashMap<>();
        xm.put("title", x.title());
        xm.put("relationship", x.relationship());
        xm.put("manifest", x.manifest());
        ings.add(xm);
      }
      am.put("ingredients", ings);
      m.put("activeManifest", am);
    }
    List<Object> st = new ArrayList<>();
    for (ValidationStatus s : statuses) {
      Map<String, Object> sm = new LinkedHashMap<>();
      sm.put("code", s.code());
      sm.put("url", s.url());
      sm.put("explanation", s.explanation());
      sm.put("failure", s.failure());
      st.add(sm);
    }
    m.put("statuses", st);
    return m;
  }

  @Override
  public String toString() {
    return "C2paReport[" + state + ", failures=" + failureCodes() + "]";
  }
}
