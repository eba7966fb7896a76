package dev.hallmark.ledger;

import dev.hallmark.core.HallmarkException;

/**
 * A ledger could not be used as asked: missing or corrupt files, a format version that is too old or
 * too new, a log already open for writing by another process, an oversized record. The message is
 * one line naming the file or input and what to do.
 */
public class LedgerException extends HallmarkException {
  private static final long serialVersionUID = 1L;

  public LedgerException(String message) {
    super(message);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
