package dev.hallmark.c2pa;

import java.util.List;

/**
 * What the active manifest says, as read (whether or not it validated; see {@link C2paReport#state()}).
 *
 * @param label manifest label ({@code urn:c2pa:...} for 2.x)
 * @param claimVersion 1 ({@code c2pa.claim}) or 2 ({@code c2pa.claim.v2})
 * @param claimGenerator generator name (and version when given)
 * @param title {@code dc:title}, or null
 * @param signer the signing certificate's subject (common name and organisation when present), or null
 * @param issuer the signing certificate's issuer, or null
 * @param signatureAlgorithm COSE algorithm name (ES256, PS256, Ed25519, ...), or null
 * @param assertions labels of every assertion the claim references
 * @param actions the actions of {@code c2pa.actions} / {@code c2pa.actions.v2}
 * @param softBindings the {@code c2pa.soft-binding} assertions
 * @param ingredients the ingredient assertions
 */
public record ManifestInfo(
    String label,
    int claimVersion,
    String claimGenerator,
    String title,
    String signer,
    String issuer,
    String signatureAlgorithm,
    List<String> assertions,
    List<Action> actions,
    List<SoftBinding> softBindings,
    List<Ingredient> ingredients) {

  /** IPTC digital source type of content created by a trained model. */
  public static final String TRAINED_ALGORITHMIC_MEDIA =
      "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

  public ManifestInfo {
    assertions = List.copyOf(assertions);
    actions = List.copyOf(actions);
    softBindings = List.copyOf(softBindings);
    ingredients = List.copyOf(ingredients);
  }

  /** An action: its name, digital source type and software agent (either may be null). */
  public record Action(String action, String digitalSourceType, String softwareAgent) {}

  /** A soft binding: algorithm name and the values of its blocks. */
  public record SoftBinding(String algorithm, List<String> values) {
    public SoftBinding {
      values = List.copyOf(values);
    }
  }

  /** An ingredient: title, relationship, and the label of its manifest when it has one. */
  public record Ingredient(String title, String relationship, String manifest) {}

  /** True when any action declares {@code trainedAlgorithmicMedia} (IPTC or its short form). */
  public boolean isTrainedAlgorithmicMedia() {
    for (Action a : actions) {
      String t = a.digitalSourceType();
      if (t != null && (t.equals(TRAINED_ALGORITHMIC_MEDIA) || t.endsWith("/trainedAlgorithmicMedia")
          || t.equals("trainedAlgorithmicMedia")
          || t.endsWith("/compositeWithTrainedAlgorithmicMedia"))) {
        return true;
      }
    }
    return false;
  }
}
