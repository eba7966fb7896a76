package dev.hallmark.detector;

/**
 * A document cannot be read or examined (malformed JSON, invalid UTF-8, corrupt PDF or image, size or
 * time limit). The cleaner writes it to {@code errors/} with this message and goes on.
 */
public final class DocumentException extends Exception {
  private static final long serialVersionUID = 1L;

  public DocumentException(String message) {
    super(message);
  }

  public DocumentException(String message, Throwable cause) {
    super(message, cause);
  }
}
