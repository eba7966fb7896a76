package dev.hallmark.provenance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Content Credentials (C2PA) say about a file: a manifest embedded in it, or one recovered from
 * the ledger record the file leads to (the manifest was stripped, the watermark led back to the
 * record that stores it). A manifest declaring {@code trainedAlgorithmicMedia} is a signal in its own
 * right, whoever made the file.
 *
 * @param present whether a manifest was found (embedded or recovered)
 * @param recovered true when it came from the ledger record rather than the file
 * @param state {@code Trusted}, {@code Valid} or {@code Invalid} (C2PA validation state), or null
 * @param manifestLabel the active manifest's label
 * @param signer the signing certificate's subject, as the manifest names it (verified only with
 *     {@code signatureVerified})
 * @param trainedAlgorithmicMedia whether an action declares the content AI-generated (a verified
 *     declaration only with {@code actionsVerified}; otherwise what the manifest claims)
 * @param softwareAgent the software agent of that action (for Hallmark: the model), claimed likewise
 * @param failureCodes C2PA failure codes
 * @param detail one human line
 * @param signatureVerified whether the claim signature verified
 * @param actionsVerified whether the actions can be relied on: the signature verified and no failure
 *     concerns an actions assertion
 */
public record C2paSignal(boolean present, boolean recovered, String state, String manifestLabel, String signer,
    boolean trainedAlgorithmicMedia, String softwareAgent, List<String> failureCodes, String detail,
    boolean signatureVerified, boolean actionsVerified) {
  public C2paSignal {
    failureCodes = List.copyOf(failureCodes);
  }

  public static C2paSignal none(String why) {
    return new C2paSignal(false, false, null, null, null, false, null, List.of(), why, false, false);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("present", present);
    if (present) {
      m.put("recovered", recovered);
      m.put("validationState", state);
      m.put("manifestLabel", manifestLabel);
      m.put("signer", signer);
      m.put("signatureVerified", signatureVerified);
      m.put("trainedAlgorithmicMedia", trainedAlgorithmicMedia);
      m.put("softwareAgent", softwareAgent);
      m.put("actionsVerified", actionsVerified);
      m.put("failureCodes", failureCodes);
    }
    m.put("detail", detail);
    return m;
  }
}
