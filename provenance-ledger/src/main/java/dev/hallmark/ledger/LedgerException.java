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

  /**
   * A failed append whose records may nevertheless be in the log (a write error after which the
   * write-ahead log could not be rolled back): re-append them to find out, idempotently.
   */
  public static LedgerException mayHaveLanded(String message, Throwable cause) {
    LedgerException e = new LedgerException(message, cause);
    e.mayHaveLanded = true;
    return e;
  }

  /**
   * A failed write (the log's storage, not the request): the same call may succeed once the fault
   * is cleared. Servers answer it with 503, not 400.
   */
  public static LedgerException writeFailure(String message, Throwable cause) {
    LedgerException e = new LedgerException(message, cause);
    e.writeFailure = true;
    return e;
  }

  private boolean mayHaveLanded;
  private boolean writeFailure;

  /** True when the log's storage failed (not the request); see {@link #writeFailure(String, Throwable)}. */
  public boolean isWriteFailure() {
    return writeFailure || mayHaveLanded;
  }

  /**
   * True when this failure of an append leaves it unknown whether (some of) its records were
   * written; false when they were certainly not appended.
   */
  public boolean mayHaveLanded() {
    return mayHaveLanded;
  }
}
