package dev.hallmark.c2pa;

import java.util.Objects;

/**
 * One C2PA validation status: a code from the C2PA specification (e.g. {@code claimSignature.validated},
 * {@code assertion.dataHash.mismatch}, {@code signingCredential.untrusted}), the JUMBF URI it is about,
 * and a human explanation. {@code failure} marks the codes the specification lists as failures.
 */
public record ValidationStatus(String code, String url, String explanation, boolean failure) {
  public ValidationStatus {
    Objects.requireNonNull(code, "code");
    explanation = explanation == null ? "" : explanation;
  }
}
