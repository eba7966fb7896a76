package dev.hallmark.clean.internal;

import java.nio.file.Path;

/**
 * One document as read from its input, before parsing or extraction. Exactly one of {@code data},
 * {@code file} or {@code readError} carries the content.
 */
final class RawDoc {
  final String location;
  final String id;
  final byte[] data;
  final Path file;
  final String contentType;
  final String readError;
  final long size;
  /**
   * What else identifies the document's input on resume, beside its location and size: a JSONL
   * line's CRC-32C, a file's modification time; 0 where location and size say it all (WARC records).
   */
  final long check;

  private RawDoc(String location, String id, byte[] data, Path file, String contentType, String readError, long size) {
    this(location, id, data, file, contentType, readError, size, 0);
  }

  private RawDoc(String location, String id, byte[] data, Path file, String contentType, String readError, long size,
      long check) {
    this.location = location;
    this.id = id;
    this.data = data;
    this.file = file;
    this.contentType = contentType;
    this.readError = readError;
    this.size = size;
    this.check = check;
  }

  /** This document with {@link #check} set. */
  RawDoc checked(long c) {
    return new RawDoc(location, id, data, file, contentType, readError, size, c);
  }

  static RawDoc bytes(String location, String id, byte[] data, String contentType) {
    return new RawDoc(location, id, data, null, contentType, null, data.length);
  }

  /** Content read from a container whose record occupies {@code size} input bytes (a WARC record's block). */
  static RawDoc bytes(String location, String id, byte[] data, String contentType, long size) {
    return new RawDoc(location, id, data, null, contentType, null, size);
  }

  static RawDoc file(String location, String id, Path file, long size) {
    return new RawDoc(location, id, null, file, null, null, size);
  }

  static RawDoc error(String location, String id, String message, long size) {
    return new RawDoc(location, id, null, null, null, message, size);
  }

  /**
   * A placeholder for a document that is skipped on resume: its location, size and check (as the
   * document read in full would have them) tell whether the input changed.
   */
  static RawDoc skipped(String location, long size, long check) {
    return new RawDoc(location, null, null, null, null, null, size, check);
  }
}
