package dev.hallmark.ledger.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;

/** Crash-safe file writes: temp file, fsync, atomic rename, fsync of the directory. */
public final class Durable {
  private Durable() {}

  /** Writes {@code data} to {@code target} atomically; the directory is fsynced only if {@code syncDir}. */
  public static void write(Path target, byte[] data, boolean syncDir) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    if (syncDir) {
      syncDirectory(dir);
    }
  }

  /** fsyncs a directory so renames and creations in it are durable (a no-op where unsupported). */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
        throw e;
      }
    }
  }

  public static void syncDirectories(Collection<Path> dirs) throws IOException {
    for (Path d : dirs) {
      syncDirectory(d);
    }
  }
}
