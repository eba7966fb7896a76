package dev.hallmark.clean.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * One unit of input with its own shards and counts: a JSONL file, a WARC file, a ZIP or tar archive, stdin, or the
 * non-JSONL/WARC files of one folder argument (sorted by relative path).
 */
final class InputUnit {
  enum Kind {
    JSONL("jsonl"),
    /** A {@code .json} file holding one top-level array: its elements are read as JSON lines are. */
    JSON_ARRAY("jsonl"),
    WARC("warc"), ARCHIVE("archive"), FILES("files");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  final int index;
  final String name;
  final String input;
  final Kind kind;
  final Path path;
  final Path root;
  final List<Path> files;
  final long totalBytes;

  InputUnit(int index, String name, String input, Kind kind, Path path, Path root, List<Path> files, long totalBytes) {
    this.index = index;
    this.name = name;
    this.input = input;
    this.kind = kind;
    this.path = path;
    this.root = root;
    this.files = files;
    this.totalBytes = totalBytes;
  }

  /** JSON documents (lines, or a file's array elements): parsed, and kept as their lines. */
  boolean jsonLines() {
    return kind == Kind.JSONL || kind == Kind.JSON_ARRAY;
  }

  boolean isStdin() {
    return kind == Kind.JSONL && path == null;
  }
}
