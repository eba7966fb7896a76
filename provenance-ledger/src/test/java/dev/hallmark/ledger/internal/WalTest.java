package dev.hallmark.ledger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log with its zeros written ahead of the frames: what a reader recovers after
 * appends, a reopen, a torn frame inside the zeros, and a frame of length zero.
 */
class WalTest {
  private static final long SEED = 20261205L;
  @TempDir Path tmp;

  private static List<byte[]> entries(SplittableRandom rnd, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] e = new byte[1 + rnd.nextInt(3000)];
      rnd.nextBytes(e);
      out.add(e);
    }
    return out;
  }

  private static void assertEntries(List<byte[]> want, List<byte[]> got) {
    assertEquals(want.size(), got.size(), "entries recovered");
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), got.get(i), "entry " + i);
    }
  }

  @Test
  void appendsOverwriteZerosWrittenAheadAndReopeningContinuesAfterTheLastFrame() throws Exception {
    System.out.println("WalTest seed " + SEED);
    SplittableRandom rnd = new SplittableRandom(SEED);
    Path p = tmp.resolve("wal");
    List<byte[]> all = new ArrayList<>();
    try (Wal w = Wal.create(p, 7, List.of())) {
      for (int g = 0; g < 400; g++) { // about 600 KB per 200 groups: crosses the zeros written ahead
        List<byte[]> group = entries(rnd, 1 + rnd.nextInt(4));
        w.appendDurably(group);
        all.addAll(group);
        assertTrue(Files.size(p) > w.bytes(), "the file reaches past its frames (zeros written ahead)");
      }
      assertEquals(7 + all.size(), w.next());
    }
    Wal.Recovered r = Wal.read(p);
    assertEquals(7, r.base());
    assertEntries(all, r.entries());
    assertTrue(r.fileBytes() > r.validBytes(), "the zeros are after the last frame");
    assertTrue(r.zeroTail());
    reopenAndAppend(p, r, r.fileBytes(), "reopening keeps the zeros (writes nothing)", rnd, 5, all);
  }

  @Test
  void aTornFrameInsideTheZerosIsCutOffAndTheNextAppendFollowsTheLastWholeFrame() throws Exception {
    SplittableRandom rnd = new SplittableRandom(SEED + 1);
    Path p = tmp.resolve("wal");
    List<byte[]> all = new ArrayList<>(entries(rnd, 10));
    long end;
    try (Wal w = Wal.create(p, 0, List.of())) {
      w.appendDurably(all);
      end = w.bytes();
    }
    // A crash mid-write: the first 700 bytes of the next group's frames, then the zeros.
    ByteBuffer torn = Wal.frames(10, entries(rnd, 3));
    torn.limit(700);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.write(torn, end);
    }
    Wal.Recovered r = Wal.read(p);
    assertEntries(all, r.entries());
    assertEquals(end, r.validBytes());
    assertTrue(!r.zeroTail(), "the torn bytes are not zeros");
    reopenAndAppend(p, r, end, "the torn tail is cut off", rnd, 2, all);
  }

  /**
   * Reopens {@code p} for appending after recovery {@code r}, checks the file's length then, appends
   * {@code n} more entries to {@code all} and checks that a reader sees exactly {@code all}.
   */
  private static void reopenAndAppend(Path p, Wal.Recovered r, long sizeAfterOpen, String why, SplittableRandom rnd, int n,
      List<byte[]> all) throws Exception {
    try (Wal w = Wal.openAppend(p, r)) {
      assertEquals(r.validBytes(), w.bytes());
      assertEquals(sizeAfterOpen, Files.size(p), why);
      List<byte[]> more = entries(rnd, n);
      w.appendDurably(more);
      all.addAll(more);
    }
    assertEntries(all, Wal.read(p).entries());
  }

  @Test
  void aFrameOfLengthZeroEndsTheLogEvenWithAMatchingChecksum() throws Exception {
    Path p = tmp.resolve("wal");
    List<byte[]> all = List.of("one".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8));
    long end;
    try (Wal w = Wal.create(p, 0, List.of())) {
      w.appendDurably(all);
      end = w.bytes();
    }
    // An empty "entry" with a correct CRC, followed by a real frame: neither may be read.
    ByteBuffer empty = Wal.frames(2, List.of(new byte[0]));
    ByteBuffer after = Wal.frames(2, List.of("three".getBytes(StandardCharsets.UTF_8)));
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.write(empty, end);
      ch.write(after, end + 6);
    }
    Wal.Recovered r = Wal.read(p);
    assertEntries(all, r.entries());
    assertEquals(end, r.validBytes());
  }
}
