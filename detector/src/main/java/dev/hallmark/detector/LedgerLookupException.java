package dev.hallmark.detector;

import dev.hallmark.ledger.LedgerException;

/**
 * The ledger snapshot failed while a document was being checked (an unreadable index, a closed
 * snapshot, an I/O error). Unlike a {@link DocumentException} this is not about the document: every
 * later document would fail the same way, so a corpus run must stop (and be resumed once the ledger is
 * fixed) instead of filing each document under errors.
 */
public final class LedgerLookupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LedgerLookupException(LedgerException cause) {
    super("ledger look-up failed: " + cause.getMessage(), cause);
  }

  /** The ledger's own error. */
  @Override
  public synchronized LedgerException getCause() {
    return (LedgerException) super.getCause();
  }
}
