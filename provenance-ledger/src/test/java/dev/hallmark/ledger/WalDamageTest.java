package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write-ahead log damaged after it was written: acknowledged entries after a damaged frame were
 * dropped in silence (a flipped byte read as a torn final write), and a log whose WAL was cut short
 * before its checkpoint opened but could never be appended to again.
 */
class WalDamageTest {
  @TempDir Path tmp;

  /**
   * A log with 10 entries checkpointed and 10 more acknowledged only in the WAL, as a crash leaves
   * it: the folder copied while the writer holds it open.
   */
  private Path crashedLog(String name) throws Exception {
    Path live = tmp.resolve(name + "-live");
    Ledgers.init(live, TestRecords.ORIGIN, TestRecords.LOG_KEY, "log");
    Path copy = tmp.resolve(name);
    try (Ledger l = Ledgers.open(live, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
      for (int i = 0; i < 10; i++) {
        l.append(TestRecords.simple(i));
      }
      l.checkpoint();
      for (int i = 10; i < 20; i++) {
        assertEquals(i, l.append(TestRecords.simple(i)));
      }
      LookupIndexTest.copyTree(live, copy);
    }
    return copy;
  }

  private static Path wal(Path log) {
    return log.resolve(".hallmark-ledger").resolve("wal");
  }

  /** The file offset of entry {@code index}'s frame (header 20 bytes, frames of uint16 length, CRC, entry). */
  private static int frameOffset(Path wal, long index) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wal));
    long base = b.getLong(8);
    int p = 20;
    for (long i = base; i < index; i++) {
      p += 6 + (b.getShort(p) & 0xffff);
    }
    return p;
  }

  @Test
  void aDamagedFrameWithIntactFramesAfterItIsRefusedNotDropped() throws Exception {
    for (int field : new int[] {30, 0}) { // a byte of the entry, then of the frame's length
      Path log = crashedLog("field" + field);
      TamperTest.flip(wal(log), frameOffset(wal(log), 14) + field);
      LedgerException e = assertThrows(LedgerException.class, () -> Ledgers.open(log, TestRecords.LOG_KEY, LedgerOptions.DEFAULT).close());
      assertTrue(e.getMessage().contains("the frame of entry 14 is damaged and 5 intact frame(s)")
          && e.getMessage().contains("--drop-from 14"), e.getMessage());

      LedgerException wrong = assertThrows(LedgerException.class, () -> Ledgers.dropDamagedWal(log, 13));
      assertTrue(wrong.getMessage().contains("give --drop-from 14"), wrong.getMessage());
      assertEquals(5, Ledgers.dropDamagedWal(log, 14));
      try (Ledger l = Ledgers.open(log, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
        assertEquals(14, l.append(TestRecords.simple(14)), "entries 0-13 kept; the next append is entry 14");
      }
      assertEquals(15, Ledgers.verify(log, TestRecords.LOG_KEY.verifierKey(TestRecords.ORIGIN), null, null).entries());
      LedgerException none = assertThrows(LedgerException.class, () -> Ledgers.dropDamagedWal(log, 15));
      assertTrue(none.getMessage().contains("not damaged"), none.getMessage());
    }
  }

  @Test
  void aWalCutShortBeforeTheCheckpointStartsAfreshFromTheTiles() throws Exception {
    Path live = tmp.resolve("cut");
    Ledgers.init(live, TestRecords.ORIGIN, TestRecords.LOG_KEY, "log");
    try (Ledger l = Ledgers.open(live, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
      for (int i = 0; i < 20; i++) {
        l.append(TestRecords.simple(i));
      }
    }
    try (FileChannel ch = FileChannel.open(wal(live), StandardOpenOption.WRITE)) {
      ch.truncate(frameOffset(wal(live), 6) + 7);
    }
    try (Ledger l = Ledgers.open(live, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
      assertEquals(20, l.append(TestRecords.simple(20)), "was: 'write-ahead log position 6 differs from tree size 20' on every append");
    }
    assertEquals(21, Ledgers.verify(live, TestRecords.LOG_KEY.verifierKey(TestRecords.ORIGIN), null, null).entries());
  }
}
