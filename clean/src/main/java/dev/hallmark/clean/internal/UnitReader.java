package dev.hallmark.clean.internal;

import java.io.Closeable;

/**
 * Reads the documents of one input unit in order. Read failures become error documents (never
 * exceptions): a failure that leaves the rest of the input unreadable (truncated gzip, corrupt WARC)
 * yields one error document and then the end of the unit.
 */
interface UnitReader extends Closeable {
  /**
   * The next document, or null at the end. With {@code skip} the content may be left out (the
   * document belongs to a shard already committed); its size must still be exact.
   */
  RawDoc next(boolean skip);

  /** Non-documents passed over since the last call (blank JSONL lines, non-response WARC records). */
  long takeSkipped();

  @Override
  void close();
}
