package dev.hallmark.cli;

/** Exit codes shared by every command. */
public final class ExitCodes {
  /** Success; for detection and verification, a positive result. */
  public static final int OK = 0;
  /** The command ran but the answer is negative: not detected, verification failed, nothing found. */
  public static final int NEGATIVE = 1;
  /** The command line was wrong (unknown option, missing argument). */
  public static final int USAGE = 2;
  /** An input was bad: missing or corrupt file, wrong key or passphrase, malformed data. */
  public static final int BAD_INPUT = 3;
  /** A bug or an environment failure Hallmark did not expect. */
  public static final int INTERNAL = 4;

  private ExitCodes() {}
}
