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

  private RawDoc(String location, String id, byte[] data, Path file, String contentType, String readError, long size) {
    this.location = location;
    this.id = id;
    this.data = data;
    this.file = file;
    this.contentType = contentType;
    this.readError = readError;
    this.size = size;
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

  /** A placeholder for a document that is skipped on resume: only its size matters. */
  static RawDoc skipped(long size) {
    return new RawDoc("", null, null, null, null, null, size);
  }
}
