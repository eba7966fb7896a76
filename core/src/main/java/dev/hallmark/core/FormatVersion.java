package dev.hallmark.core;

/**
 * The one check of a format version number: equal to the version this build supports, or a typed
 * {@link FormatVersionException.TooOld} / {@link FormatVersionException.TooNew} with a one-line
 * message. Formats that can read several versions check a range with
 * {@link #check(String, long, long, long, String)}.
 */
public final class FormatVersion {
  private FormatVersion() {}

  /**
   * Checks that {@code found} is {@code supported}.
   *
   * @param format the format's name as users know it, e.g. "write-ahead log"
   * @param tooOldAdvice what to do about an older version, e.g. "rebuild it with 'hallmark ledger
   *     reindex'" (null for the default advice)
   */
  public static void check(String format, long found, long supported, String tooOldAdvice) throws FormatVersionException {
    check(format, found, supported, supported, tooOldAdvice);
  }

  /** Checks that {@code oldest <= found <= newest}. */
  public static void check(String format, long found, long oldest, long newest, String tooOldAdvice)
      throws FormatVersionException {
    if (found > newest) {
      throw new FormatVersionException.TooNew(format + " format version " + found + " is too new (this build reads version "
          + range(oldest, newest) + "); upgrade Hallmark", format, found, newest);
    }
    if (found < oldest) {
      throw new FormatVersionException.TooOld(format + " format version " + found + " is too old or invalid (this build reads version "
          + range(oldest, newest) + ")" + (tooOldAdvice == null ? "" : "; " + tooOldAdvice), format, found, oldest);
    }
  }

  private static String range(long oldest, long newest) {
    return oldest == newest ? Long.toString(newest) : oldest + " to " + newest;
  }
}
