package dev.hallmark.clean.internal;

import java.nio.file.Path;
import java.util.List;

/** The files of a folder unit, in sorted relative-path order; content is read by the extractor. */
final class FilesReader implements UnitReader {
  private final Path root;
  private final List<Path> files;
  private final long maxBytes;
  private int next;

  FilesReader(Path root, List<Path> files, long maxBytes) {
    this.root = root;
    this.files = files;
    this.maxBytes = maxBytes;
  }

  @Override
  public RawDoc next(boolean skip) {
    if (next >= files.size()) {
      return null;
    }
    Path f = files.get(next++);
    String rel = InputPlanner.relative(root, f);
    if (java.nio.file.Files.isSymbolicLink(f)) {
      return RawDoc.error(rel, rel, "symbolic link: not followed (it could point outside the input folder)", 0);
    }
    if (java.nio.file.Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      // InputPlanner lists a folder only when it holds an earlier clean output.
      return RawDoc.error(rel, rel, "the output of an earlier hallmark clean run (it has _state/job.json): not read;"
          + " move it out of the input", 0);
    }
    if (!java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        && java.nio.file.Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return RawDoc.error(rel, rel, "not a regular file (a FIFO, socket or device): not read", 0);
    }
    long size;
    long modified;
    try {
      java.nio.file.attribute.BasicFileAttributes a = java.nio.file.Files.readAttributes(f,
          java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      size = a.size();
      modified = a.lastModifiedTime().toMillis();
    } catch (java.io.IOException e) {
      return RawDoc.error(rel, rel, "cannot read file: " + JsonlReader.describe(e), 0);
    }
    if (skip) {
      return RawDoc.skipped(rel, size, modified);
    }
    if (size > maxBytes) {
      return RawDoc.error(rel, rel, "file is larger than the limit of " + maxBytes + " bytes", size).checked(modified);
    }
    return RawDoc.file(rel, rel, f, size).checked(modified);
  }

  @Override
  public long takeSkipped() {
    return 0;
  }

  @Override
  public void close() {}
}
