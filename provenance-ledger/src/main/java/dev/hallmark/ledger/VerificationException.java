package dev.hallmark.ledger;

import java.security.GeneralSecurityException;

/**
 * A cryptographic check failed: a proof, a signature, a recomputed hash. The message names what was
 * checked and, for stored data, where (file and offset or entry index).
 */
public final class VerificationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
