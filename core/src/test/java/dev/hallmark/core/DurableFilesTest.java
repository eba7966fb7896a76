package dev.hallmark.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable-file helper and the format version check. */
class DurableFilesTest {
  @TempDir Path dir;

  @Test
  void replacesAFileAndLeavesNoTemporaryFiles() throws Exception {
    Path f = dir.resolve("sub/a.txt");
    DurableFiles.writeString(f, "one");
    DurableFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
    assertEquals("two", Files.readString(f));
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(1, s.count(), "only the target remains");
    }
  }

  @Test
  void aFailedWriteLeavesTheTargetAndNoTemporaryFile() throws Exception {
    Path target = dir.resolve("t");
    Files.createDirectories(target.resolve("child")); // a non-empty folder cannot be replaced by a file
    java.io.IOException e = assertThrows(java.io.IOException.class, () -> DurableFiles.write(target, new byte[] {1, 2}));
    // The message names the target, not the temporary file the rename would have failed on.
    assertEquals(target + ": is a folder; give a file name", e.getMessage());
    assertTrue(Files.isDirectory(target.resolve("child")));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "the temporary file was removed");
    }
  }

  @Test
  void writtenFilesGetTheUsualPermissionsNotThoseOfATemporaryFile() throws Exception {
    // A published ledger folder and a tagged output are read by other users (a web server): the
    // write must not leave them 0600 the way Files.createTempFile would.
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path plain = Files.createFile(dir.resolve("plain"));
    Path durable = dir.resolve("durable");
    DurableFiles.write(durable, new byte[] {1, 2, 3});
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(durable));
  }

  @Test
  void deferredFolderSyncWritesTheSameBytes() throws Exception {
    Path f = dir.resolve("b.bin");
    byte[] data = {0, 1, 2, (byte) 255};
    DurableFiles.writeDeferringFolderSync(f, data);
    DurableFiles.syncDirectories(java.util.List.of(dir));
    assertArrayEquals(data, Files.readAllBytes(f));
  }

  @Test
  void formatVersionsAreTypedTooOldOrTooNew() throws Exception {
    FormatVersion.check("widget", 2, 2, null);
    FormatVersion.check("widget", 3, 2, 4, null);
    FormatVersionException n = assertThrows(FormatVersionException.class, () -> FormatVersion.check("widget", 3, 2, null));
    assertInstanceOf(FormatVersionException.TooNew.class, n);
    assertTrue(n.getMessage().contains("too new") && n.getMessage().contains("upgrade"), n.getMessage());
    assertEquals(3, n.found());
    assertEquals(2, n.supported());
    FormatVersionException o = assertThrows(FormatVersionException.class, () -> FormatVersion.check("widget", 1, 2, "rebuild it"));
    assertInstanceOf(FormatVersionException.TooOld.class, o);
    assertTrue(o.getMessage().endsWith("; rebuild it"), o.getMessage());
    assertEquals("widget", o.format());
  }
}
