package dev.hallmark.core.http;

import java.io.IOException;

/** Thrown by {@link Request#body()} past the route's body limit; the server answers 413. */
public final class BodyTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long max) {
    super("request body is over the limit of " + max + " bytes");
  }
}
