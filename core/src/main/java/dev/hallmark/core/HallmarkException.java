package dev.hallmark.core;

/**
 * A failure caused by the caller's input (a missing key, a corrupt file, a wrong passphrase), as
 * opposed to a bug. The message is one line, names the input and says what to do; it never contains
 * secret material. The command line maps this to exit code 3.
 */
public class HallmarkException extends Exception {
  private static final long serialVersionUID = 1L;

  public HallmarkException(String message) {
    super(message);
  }

  public HallmarkException(String message, Throwable cause) {
    super(message, cause);
  }
}
