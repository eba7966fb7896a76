package dev.hallmark.core.http;

import java.io.IOException;

/** An HTTP call that did not get an answer (unreachable, timed out, interrupted, answer too large). */
public final class HttpCallException extends IOException {
  private static final long serialVersionUID = 1L;

  HttpCallException(String message) {
    super(message);
  }

  HttpCallException(String message, Throwable cause) {
    super(message, cause);
  }
}
