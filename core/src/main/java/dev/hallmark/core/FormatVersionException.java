package dev.hallmark.core;

/**
 * A versioned on-disk or wire format whose version this build cannot read: {@link TooOld} (written
 * by an older, incompatible build, or invalid) or {@link TooNew} (written by a newer build). Thrown by
 * {@link FormatVersion#check}; the message names the format, both versions and what to do.
 */
public abstract sealed class FormatVersionException extends HallmarkException
    permits FormatVersionException.TooOld, FormatVersionException.TooNew {
  private static final long serialVersionUID = 1L;

  private final String format;
  private final long found;
  private final long supported;

  FormatVersionException(String message, String format, long found, long supported) {
    super(message);
    this.format = format;
    this.found = found;
    this.supported = supported;
  }

  /** The name of the format, e.g. "write-ahead log". */
  public String format() {
    return format;
  }

  /** The version found in the input. */
  public long found() {
    return found;
  }

  /** The version this build reads and writes. */
  public long supported() {
    return supported;
  }

  /** The input is older than (or not) a version this build reads. */
  public static final class TooOld extends FormatVersionException {
    private static final long serialVersionUID = 1L;

    TooOld(String message, String format, long found, long supported) {
      super(message, format, found, supported);
    }
  }

  /** The input was written by a newer build; upgrade Hallmark. */
  public static final class TooNew extends FormatVersionException {
    private static final long serialVersionUID = 1L;

    TooNew(String message, String format, long found, long supported) {
      super(message, format, found, supported);
    }
  }
}
