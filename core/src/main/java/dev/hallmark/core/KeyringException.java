package dev.hallmark.core;

/** A keyring operation failed; {@link #reason()} says why in a form code can act on. */
public final class KeyringException extends HallmarkException {
  private static final long serialVersionUID = 1L;

  /** Why a keyring operation failed. */
  public enum Reason {
    NOT_FOUND,
    DUPLICATE,
    WRONG_TYPE,
    INVALID_NAME,
    PASSPHRASE_REQUIRED,
    WRONG_PASSPHRASE,
    CORRUPT,
    UNSUPPORTED_VERSION,
    /** A secret key file other users can read, or a keyring folder other users can write. */
    INSECURE_PERMISSIONS,
    IO
  }

  private final Reason reason;

  public KeyringException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KeyringException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
