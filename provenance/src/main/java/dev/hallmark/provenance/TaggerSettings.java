package dev.hallmark.provenance;

import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * What a {@link Tagger} needs: the open ledger it appends to, the producer's signing key, the
 * watermark key for images, image watermark parameters, a clock for record timestamps and a
 * source of randomness for payloads (a {@link SecureRandom}; tests pass a seeded one). Immutable.
 *
 * <p>Most callers name only the three parts without a default:
 * {@code TaggerSettings.builder().ledger(ledger).signingKey(signer).watermarkKey(key).build()}.
 */
public record TaggerSettings(Ledger ledger, SigningKey signingKey, WatermarkKey watermarkKey,
    ImageWatermarkParameters imageParameters, Clock clock, SecureRandom random) {
  /** @throws IllegalArgumentException when a part is missing */
  public TaggerSettings {
    if (ledger == null || signingKey == null || watermarkKey == null || imageParameters == null || clock == null
        || random == null) {
      throw new IllegalArgumentException("a tagger needs a ledger, a signing key, a watermark key, image parameters, a clock and randomness");
    }
  }

  /**
   * A builder; {@link ImageWatermarkParameters#DEFAULT}, the UTC system clock and a fresh
   * {@link SecureRandom} unless set.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "TaggerSettings{log=" + ledger.origin() + ", signer=" + signingKey.name() + ", watermarkKey="
        + watermarkKey.keyId() + "}";
  }

  /** Builder of {@link TaggerSettings}; ledger, signing key and watermark key are required. */
  public static final class Builder {
    private Ledger ledger;
    private SigningKey signingKey;
    private WatermarkKey watermarkKey;
    private ImageWatermarkParameters imageParameters = ImageWatermarkParameters.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random;

    private Builder() {}

    /** The open ledger records are appended to (required). */
    public Builder ledger(Ledger v) {
      this.ledger = Objects.requireNonNull(v, "ledger");
      return this;
    }

    /** The producer's signing key (required). */
    public Builder signingKey(SigningKey v) {
      this.signingKey = Objects.requireNonNull(v, "signingKey");
      return this;
    }

    /** The watermark key images are marked with (required). */
    public Builder watermarkKey(WatermarkKey v) {
      this.watermarkKey = Objects.requireNonNull(v, "watermarkKey");
      return this;
    }

    /** Image watermark parameters (default {@link ImageWatermarkParameters#DEFAULT}). */
    public Builder imageParameters(ImageWatermarkParameters v) {
      this.imageParameters = Objects.requireNonNull(v, "imageParameters");
      return this;
    }

    /** The clock for record timestamps (default: the UTC system clock). */
    public Builder clock(Clock v) {
      this.clock = Objects.requireNonNull(v, "clock");
      return this;
    }

    /** Randomness for payloads (default: a new {@link SecureRandom}; tests pass a seeded one). */
    public Builder random(SecureRandom v) {
      this.random = Objects.requireNonNull(v, "random");
      return this;
    }

    /** @throws IllegalArgumentException when ledger, signing key or watermark key is missing */
    public TaggerSettings build() {
      return new TaggerSettings(ledger, signingKey, watermarkKey, imageParameters, clock,
          random != null ? random : new SecureRandom());
    }
  }
}
