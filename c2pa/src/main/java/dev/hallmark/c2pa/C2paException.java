package dev.hallmark.c2pa;

import dev.hallmark.core.HallmarkException;

/** Input that cannot be read or written as C2PA: a broken container, a malformed box, an unusable key. */
public final class C2paException extends HallmarkException {
  private static final long serialVersionUID = 1L;

  public C2paException(String message) {
    super(message);
  }

  public C2paException(String message, Throwable cause) {
    super(message, cause);
  }
}
