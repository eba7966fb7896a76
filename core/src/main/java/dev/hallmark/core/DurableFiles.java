package dev.hallmark.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * Crash-safe whole-file writes, the one place Hallmark replaces a file: the bytes go to a temporary
 * file in the target's folder, the temporary file is fsynced, atomically renamed over the target,
 * and the folder is fsynced. After a crash a reader sees either the old file or the new one, never a
 * mix or an empty file. There is no fallback to a non-atomic move: on a file system that cannot
 * rename atomically the write fails with an {@link IOException} that says so, and the target is left
 * untouched.
 */
public final class DurableFiles {
  private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

  /** See {@link #injectFaults}; null in production. */
  private static volatile Function<Path, IOException> faults;

  private DurableFiles() {}

  /**
   * Test seam for fault injection (#19): while set, every write through this class first asks
   * {@code fault} about its target and, when it answers with an exception, throws it after the
   * temporary file was created and before any byte of it is written, as a full disk (ENOSPC) would.
   * {@code null} removes it. Not for production use; the real-disk counterpart is
   * {@code scripts/reliability/faults.sh} (strace and a full tmpfs).
   */
  public static void injectFaults(Function<Path, IOException> fault) {
    faults = fault;
  }

  /** Replaces {@code target} with {@code data} durably (file and folder fsynced when this returns). */
  public static void write(Path target, byte[] data) throws IOException {
    writeDeferringFolderSync(target, data);
    syncDirectory(parent(target));
  }

  /** {@link #write(Path, byte[])} of a string's UTF-8 bytes. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Like {@link #write(Path, byte[])} but leaves the folder's fsync to the caller, who writes many
   * files into few folders and then calls {@link #syncDirectories(Collection)} once: until then the
   * file's contents are durable but its name may not be.
   */
  public static void writeDeferringFolderSync(Path target, byte[] data) throws IOException {
    if (Files.isDirectory(target)) {
      // Said here: the rename over it would fail naming the temporary file instead.
      throw new java.nio.file.FileSystemException(target.toString(), null, "is a folder; give a file name");
    }
    Path dir = parent(target);
    Files.createDirectories(dir);
    // Not Files.createTempFile: that makes the file 0600, and a published ledger folder or a tagged
    // output must get the usual umask permissions. CREATE_NEW with a random name is just as safe.
    Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        Function<Path, IOException> f = faults;
        IOException injected = f == null ? null : f.apply(target);
        if (injected != null) {
          throw injected;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      moveIntoPlace(tmp, target);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Atomically renames {@code tmp}, a file the caller has written and fsynced (a streamed output),
   * over {@code target} in the same folder; the folder's fsync is left to the caller
   * ({@link #syncDirectory(Path)}), who may commit several files first. No fallback to a
   * non-atomic move.
   */
  public static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(target + ": the file system cannot replace files atomically (" + e.getMessage()
          + "); use a local POSIX or NTFS file system", e);
    }
  }

  /**
   * fsyncs a folder so that file creations, renames and deletions in it are durable. On Windows,
   * where a folder cannot be opened for fsync and NTFS journals renames, this does nothing.
   */
  public static void syncDirectory(Path dir) throws IOException {
    if (WINDOWS) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** {@link #syncDirectory(Path)} for each folder. */
  public static void syncDirectories(Collection<Path> dirs) throws IOException {
    for (Path d : dirs) {
      syncDirectory(d);
    }
  }

  private static Path parent(Path target) {
    Path p = target.toAbsolutePath().getParent();
    if (p == null) {
      throw new IllegalArgumentException(target + " has no parent folder");
    }
    return p;
  }
}
