package dev.hallmark.core.http;

import java.io.IOException;

/** A request body that breaks its framing or ends early; the server answers 400. */
final class BadBodyException extends IOException {
  private static final long serialVersionUID = 1L;

  BadBodyException(String message) {
    super(message);
  }
}
