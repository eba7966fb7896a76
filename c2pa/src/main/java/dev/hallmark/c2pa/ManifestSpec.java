package dev.hallmark.c2pa;

import java.util.Objects;

/**
 * What Hallmark states in a manifest it writes: a {@code c2pa.created} action with a digital source
 * type (default {@code trainedAlgorithmicMedia}) and the generating model as software agent, and
 * optionally a soft binding (the watermark payload). Immutable; build with {@link #builder()}.
 */
public final class ManifestSpec {
  /** Soft-binding algorithm name Hallmark writes for its image watermark (see docs/spec/c2pa.md). */
  public static final String HALLMARK_SOFT_BINDING_ALG = "dev.hallmark.watermark.image.1";

  private final String title;
  private final String generatorName;
  private final String generatorVersion;
  private final String softwareAgentName;
  private final String softwareAgentVersion;
  private final String digitalSourceType;
  private final String softBindingAlg;
  private final String softBindingValue;

  private ManifestSpec(Builder b) {
    this.title = b.title;
    this.generatorName = b.generatorName;
    this.generatorVersion = b.generatorVersion;
    this.softwareAgentName = b.softwareAgentName;
    this.softwareAgentVersion = b.softwareAgentVersion;
    this.digitalSourceType = b.digitalSourceType;
    this.softBindingAlg = b.softBindingAlg;
    this.softBindingValue = b.softBindingValue;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String title() {
    return title;
  }

  public String generatorName() {
    return generatorName;
  }

  public String generatorVersion() {
    return generatorVersion;
  }

  public String softwareAgentName() {
    return softwareAgentName;
  }

  public String softwareAgentVersion() {
    return softwareAgentVersion;
  }

  public String digitalSourceType() {
    return digitalSourceType;
  }

  /** Null when the manifest carries no soft binding. */
  public String softBindingAlg() {
    return softBindingAlg;
  }

  public String softBindingValue() {
    return softBindingValue;
  }

  @Override
  public String toString() {
    return "ManifestSpec[agent=" + softwareAgentName + ", source=" + digitalSourceType
        + ", softBinding=" + softBindingAlg + "]";
  }

  /** Builder; {@link #softwareAgent} is required. */
  public static final class Builder {
    private String title;
    private String generatorName = "Hallmark";
    private String generatorVersion;
    private String softwareAgentName;
    private String softwareAgentVersion;
    private String digitalSourceType = ManifestInfo.TRAINED_ALGORITHMIC_MEDIA;
    private String softBindingAlg;
    private String softBindingValue;

    private Builder() {}

    /** {@code dc:title}, usually the file name. */
    public Builder title(String title) {
      this.title = nonBlankOrNull(title, "title");
      return this;
    }

    /** The claim generator (default "Hallmark", no version). */
    public Builder generator(String name, String version) {
      this.generatorName = Objects.requireNonNull(nonBlankOrNull(name, "generator name"), "generator name");
      this.generatorVersion = nonBlankOrNull(version, "generator version");
      return this;
    }

    /** The model that generated the content. */
    public Builder softwareAgent(String name, String version) {
      this.softwareAgentName = Objects.requireNonNull(nonBlankOrNull(name, "software agent"), "software agent");
      this.softwareAgentVersion = nonBlankOrNull(version, "software agent version");
      return this;
    }

    public Builder digitalSourceType(String iptcUri) {
      this.digitalSourceType = Objects.requireNonNull(nonBlankOrNull(iptcUri, "digital source type"), "digitalSourceType");
      return this;
    }

    /** A {@code c2pa.soft-binding} assertion with one block of the whole asset. */
    public Builder softBinding(String alg, String value) {
      this.softBindingAlg = Objects.requireNonNull(nonBlankOrNull(alg, "soft-binding alg"), "alg");
      this.softBindingValue = Objects.requireNonNull(nonBlankOrNull(value, "soft-binding value"), "value");
      return this;
    }

    public ManifestSpec build() {
      if (softwareAgentName == null) {
        throw new IllegalStateException("ManifestSpec: softwareAgent (the model) is required");
      }
      return new ManifestSpec(this);
    }

    private static String nonBlankOrNull(String s, String what) {
      if (s == null) {
        return null;
      }
      if (s.isBlank()) {
        throw new IllegalArgumentException("ManifestSpec: " + what + " must not be blank");
      }
      return s;
    }
  }
}
