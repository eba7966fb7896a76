package dev.hallmark.provenance;

import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * What a {@link Tagger} needs: the open ledger it appends to, the producer's signing key, the
 * watermark key for images, image watermark parameters, a clock for record timestamps and a
 * source of randomness for payloads (a {@link SecureRandom}; tests pass a seeded one). Immutable.
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

  @Override
  public String toString() {
    return "TaggerSettings{log=" + ledger.origin() + ", signer=" + signingKey.name() + ", watermarkKey="
        + watermarkKey.keyId() + "}";
  }
}
