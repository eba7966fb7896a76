package dev.hallmark.detector.internal;

import dev.hallmark.c2pa.C2pa;
import dev.hallmark.c2pa.C2paException;
import dev.hallmark.c2pa.C2paReport;
import dev.hallmark.c2pa.ManifestInfo;
import dev.hallmark.c2pa.MediaFormat;
import dev.hallmark.c2pa.TrustAnchors;
import java.util.Optional;

/** Whether an image's own Content Credentials declare it AI-generated. */
final class C2paVerdict {
  private C2paVerdict() {}

  /**
   * The signer of a C2PA manifest in {@code image} whose claim signature verifies and whose actions
   * declare {@code trainedAlgorithmicMedia}; empty otherwise (no manifest, an unreadable or forged one).
   * The data hash is not required to match: an AI image edited after signing keeps its declaration.
   */
  static Optional<String> aiGenerated(byte[] image) {
    if (MediaFormat.sniff(image) == null) {
      return Optional.empty();
    }
    try {
      Optional<C2paReport> r = C2pa.read(image, TrustAnchors.none());
      if (r.isEmpty() || !r.get().hasCode("claimSignature.validated")) {
        return Optional.empty();
      }
      ManifestInfo m = r.get().activeManifest();
      if (m == null || !m.isTrainedAlgorithmicMedia() || !m.assertions().stream().anyMatch(a -> a.startsWith("c2pa.actions"))) {
        return Optional.empty();
      }
      boolean actionsIntact = !r.get().failureCodes().contains("assertion.hashedURI.mismatch");
      return actionsIntact ? Optional.of(m.signer() == null ? "unknown signer" : m.signer()) : Optional.empty();
    } catch (C2paException e) {
      return Optional.empty();
    }
  }
}
