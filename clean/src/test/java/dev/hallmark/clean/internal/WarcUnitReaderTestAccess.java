package dev.hallmark.clean.internal;

/** Lets tests in other packages build the WARC records of {@link WarcUnitReaderTest}. */
public final class WarcUnitReaderTestAccess {
  private WarcUnitReaderTestAccess() {}

  public static byte[] record(String contentLength, String body) {
    return WarcUnitReaderTest.record(contentLength, body);
  }
}
