package dev.hallmark.ledger.internal;

import dev.hallmark.core.DurableFiles;
import dev.hallmark.core.FormatVersion;
import dev.hallmark.core.FormatVersionException;
import dev.hallmark.ledger.LedgerException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of acknowledged entries not yet (or recently) written to tiles.
 *
 * <p>Layout: 8-byte magic {@code "HMLWAL\0\1"} (format version 1 in the last byte), uint64 index of
 * the first entry, uint32 CRC-32C of those 16 bytes; then frames of uint16 length, uint32 CRC-32C of
 * (uint64 index || entry), entry. A torn final frame (crash mid-write) is cut off on recovery; it
 * was never acknowledged, as acknowledgement follows the fsync.
 *
 * <p>The file is extended with zeros ahead of the frames, {@link #ZERO_AHEAD} bytes at a time, so
 * that a group commit overwrites blocks the file already has: its {@code fdatasync} then writes the
 * data alone, where an append that grows the file also has to commit the new size through the file
 * system's journal (on ext4 about twice the time: 170 against 360 us for 11 KB on the reference VM).
 * Readers stop at the first frame of length zero (no entry is empty), which is where the zeros begin.
 */
public final class Wal implements AutoCloseable {
  static final byte[] MAGIC = {'H', 'M', 'L', 'W', 'A', 'L', 0, 1};
  static final int HEADER = 20;

  private final Path path;
  private final FileChannel ch;
  private final long base;
  private long next;
  /** Length to cut the file back to before the next append, after a failed write; -1 when clean. */
  private long dirtyAt = -1;
  /**
   * File length up to which the bytes after the last frame are known to be zeros written ahead (or,
   * on a nearly full file system, where to look at the free space again).
   */
  private long zeroedTo;
  /** How far the file is extended with zeros at a time (about 1,000 records of 1 KB). */
  static final int ZERO_AHEAD = 1 << 20;
  /** No zeros are written ahead on a file system with less free space than this. */
  static final long MIN_FREE_FOR_ZEROS = 64L << 20;
  /** Set when writing zeros ahead failed (a nearly full disk): this WAL then grows frame by frame. */
  private boolean noZeroAhead;
  /** Zeros are written this many bytes at a time, from one buffer allocated with the first of them. */
  static final int ZERO_CHUNK = 64 << 10;
  /** The largest group buffer kept between groups (a group larger than this gets a buffer of its own). */
  static final int MAX_REUSED_FRAMES = 4 << 20;
  /**
   * Reused by {@link #appendDurably} (one caller at a time: the ledger's writer): the frames of the
   * group, and the zeros written ahead. Fresh buffers per group and per megabyte of zeros were about
   * a tenth of the writer's allocation, and at 1 MiB and for large groups G1 "humongous" objects,
   * each of which may start a concurrent marking cycle of the whole heap.
   */
  private ByteBuffer frameBuffer;
  private ByteBuffer zeros;

  private Wal(Path path, FileChannel ch, long base, long next, long zeroedTo) {
    this.path = path;
    this.ch = ch;
    this.base = base;
    this.next = next;
    this.zeroedTo = zeroedTo;
  }

  /**
   * Result of reading a WAL on recovery. {@code zeroTail}: every byte after the last whole frame is
   * zero (the zeros written ahead, or nothing), i.e. no torn frame to cut off.
   */
  public record Recovered(long base, List<byte[]> entries, long validBytes, long fileBytes, boolean zeroTail,
      long intactAfter) {
    Recovered(long base, List<byte[]> entries, long validBytes, long fileBytes, boolean zeroTail) {
      this(base, entries, validBytes, fileBytes, zeroTail, 0);
    }

    /** The index of the first entry not read. */
    public long end() {
      return base + entries.size();
    }

    /**
     * True when intact frames of later entries follow the first unreadable one: the file was damaged
     * after it was written (a crash tears only the frames of its last, unacknowledged write, at the
     * end), so entries from {@link #end()} on, acknowledged ones among them, cannot be read.
     */
    public boolean damaged() {
      return intactAfter > 0;
    }
  }

  /** Reads every intact frame; a missing file yields null. */
  public static Recovered read(Path path) throws LedgerException, IOException {
    if (!Files.exists(path)) {
      return null;
    }
    byte[] all = Files.readAllBytes(path);
    if (all.length < HEADER) {
      throw new LedgerException(path + ": write-ahead log header is truncated (" + all.length + " bytes); the log is corrupt");
    }
    if (!Arrays.equals(Arrays.copyOf(all, 7), Arrays.copyOf(MAGIC, 7))) {
      throw new LedgerException(path + ": not a Hallmark write-ahead log (bad magic)");
    }
    try {
      FormatVersion.check("write-ahead log", all[7] & 0xff, MAGIC[7], null);
    } catch (FormatVersionException e) {
      throw new LedgerException(path + ": " + e.getMessage(), e);
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    b.position(8);
    long base = b.getLong();
    int crc = b.getInt();
    CRC32C c = new CRC32C();
    c.update(all, 0, 16);
    if ((int) c.getValue() != crc) {
      throw new LedgerException(path + ": write-ahead log header checksum mismatch; the log is corrupt");
    }
    List<byte[]> entries = new ArrayList<>();
    byte[] index = new byte[8];
    int p = HEADER;
    while (p + 6 <= all.length) {
      int len = ((all[p] & 0xff) << 8) | (all[p + 1] & 0xff);
      int fcrc = ByteBuffer.wrap(all, p + 2, 4).getInt();
      if (len == 0 || p + 6 + len > all.length) {
        break; // the zeros written ahead of the frames (no entry is empty), or a torn frame
      }
      if (frameCrc(c, index, base + entries.size(), all, p + 6, len) != fcrc) {
        break;
      }
      entries.add(Arrays.copyOfRange(all, p + 6, p + 6 + len));
      p += 6 + len;
    }
    boolean zeroTail = true;
    for (int i = p; i < all.length && zeroTail; i++) {
      zeroTail = all[i] == 0;
    }
    long intactAfter = zeroTail ? 0 : intactFramesAfter(all, p, base + entries.size(), c, index);
    return new Recovered(base, entries, p, all.length, zeroTail, intactAfter);
  }

  /**
   * The number of intact frames, in sequence from entry {@code next + 1}, found after the unreadable
   * frame at {@code p}: first where its length says the next frame starts, else at any offset within
   * the largest frame's reach (its length field may be what was damaged).
   */
  private static long intactFramesAfter(byte[] all, int p, long next, CRC32C c, byte[] scratch) {
    int len = p + 2 <= all.length ? ((all[p] & 0xff) << 8) | (all[p + 1] & 0xff) : 0;
    int start = len > 0 && p + 6 + len <= all.length && validFrameAt(all, p + 6 + len, next + 1, c, scratch) ? p + 6 + len : -1;
    for (int q = p + 1; start < 0 && q + 6 < all.length && q <= p + 6 + 0xffff; q++) {
      if (validFrameAt(all, q, next + 1, c, scratch)) {
        start = q;
      }
    }
    long n = 0;
    for (int q = start; q >= 0 && validFrameAt(all, q, next + 1 + n, c, scratch); ) {
      q += 6 + (((all[q] & 0xff) << 8) | (all[q + 1] & 0xff));
      n++;
    }
    return n;
  }

  private static boolean validFrameAt(byte[] all, int q, long index, CRC32C c, byte[] scratch) {
    if (q < 0 || q + 6 > all.length) {
      return false;
    }
    int len = ((all[q] & 0xff) << 8) | (all[q + 1] & 0xff);
    return len > 0 && q + 6 + len <= all.length && frameCrc(c, scratch, index, all, q + 6, len) == ByteBuffer.wrap(all, q + 2, 4).getInt();
  }

  /**
   * Cuts the WAL at {@code path} durably after its last frame read intact, dropping a damaged frame
   * and everything after it (see {@link Recovered#damaged()}); the caller holds the log's lock.
   */
  public static void cutAt(Path path, Recovered r) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ch.truncate(r.validBytes());
      ch.force(true);
    }
  }

  /**
   * Opens an existing WAL for appending after {@code validBytes}, cutting off a torn tail; zeros
   * written ahead are kept (opening a log with nothing to recover writes nothing).
   */
  public static Wal openAppend(Path path, Recovered r) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
    boolean cut = r.fileBytes() > r.validBytes() && !r.zeroTail();
    if (cut) {
      ch.truncate(r.validBytes());
      ch.force(true);
    }
    ch.position(r.validBytes());
    return new Wal(path, ch, r.base(), r.base() + r.entries().size(), cut ? r.validBytes() : r.fileBytes());
  }

  /** Atomically replaces the WAL with a fresh one starting at {@code base} holding {@code entries}. */
  public static Wal create(Path path, long base, List<byte[]> entries) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    h.put(MAGIC).putLong(base);
    CRC32C c = new CRC32C();
    c.update(h.array(), 0, 16);
    h.putInt((int) c.getValue());
    ByteBuffer frames = frames(base, entries);
    byte[] data = new byte[HEADER + frames.remaining()];
    System.arraycopy(h.array(), 0, data, 0, HEADER);
    frames.get(data, HEADER, data.length - HEADER);
    DurableFiles.write(path, data);
    FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
    ch.position(data.length);
    return new Wal(path, ch, base, base + entries.size(), data.length);
  }

  static ByteBuffer frames(long firstIndex, List<byte[]> entries) {
    return frames(firstIndex, entries, null);
  }

  /** The frames of {@code entries}, in {@code reuse} when it is large enough, flipped for reading. */
  private static ByteBuffer frames(long firstIndex, List<byte[]> entries, ByteBuffer reuse) {
    int total = 0;
    for (byte[] e : entries) {
      total += 6 + e.length;
    }
    ByteBuffer b = reuse != null && reuse.capacity() >= total ? reuse.clear() : ByteBuffer.allocate(total);
    long i = firstIndex;
    byte[] index = new byte[8];
    CRC32C c = new CRC32C();
    for (byte[] e : entries) {
      b.putShort((short) e.length).putInt(frameCrc(c, index, i++, e, 0, e.length)).put(e);
    }
    b.flip();
    return b;
  }

  /** The CRC-32C of a frame: entry index (8 bytes, big-endian), then data; {@code c} and {@code scratch} are reused. */
  private static int frameCrc(CRC32C c, byte[] scratch, long index, byte[] data, int off, int len) {
    c.reset();
    for (int k = 0; k < 8; k++) {
      scratch[k] = (byte) (index >>> (56 - 8 * k));
    }
    c.update(scratch, 0, 8);
    c.update(data, off, len);
    return (int) c.getValue();
  }

  /**
   * Thrown by {@link #appendDurably} when none of the entries is in the log: the write failed and was
   * undone (the file cut back to its length before the call, durably), or an earlier failed write
   * still cannot be undone and nothing was written.
   */
  public static final class NotWritten extends IOException {
    private static final long serialVersionUID = 1L;

    NotWritten(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Appends entries and fsyncs once; they are durable when this returns. When the write or fsync
   * fails, the file is cut back to its previous length and that is fsynced: then {@link NotWritten}
   * is thrown and none of the entries is in the log. When even that fails, the original
   * {@link IOException} is thrown: the entries may or may not be in the log, and every later call
   * first retries the cut (and fails until it succeeds), so the log recovers once the fault clears.
   */
  public void appendDurably(List<byte[]> entries) throws IOException {
    if (dirtyAt >= 0) {
      try {
        rollback(dirtyAt);
      } catch (IOException e) {
        throw new NotWritten(new IOException("an earlier failed write cannot be undone yet (" + e.getMessage() + ")", e));
      }
      dirtyAt = -1;
    }
    long pos = ch.position();
    ByteBuffer b = frames(next, entries, frameBuffer);
    if (b != frameBuffer && b.capacity() <= MAX_REUSED_FRAMES) {
      frameBuffer = b; // kept for the next group; a larger one (a huge batch) is not kept
    }
    try {
      zeroAhead(pos + b.remaining());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    } catch (IOException e) {
      try {
        rollback(pos);
      } catch (IOException | RuntimeException r) {
        e.addSuppressed(r);
        dirtyAt = pos;
        throw e;
      }
      throw new NotWritten(e);
    }
    next += entries.size();
  }

  /**
   * Extends the file with zeros so that it reaches past {@code end} (by up to {@link #ZERO_AHEAD}),
   * made durable before frames overwrite them; the channel stays at its position. The zeros read as
   * the end of the log, so a crash at any point leaves a readable WAL.
   */
  private void zeroAhead(long end) throws IOException {
    if (end <= zeroedTo || noZeroAhead) {
      return;
    }
    long size = ch.size();
    long target = end + ZERO_AHEAD;
    // With little space left the zeros would take what the tiles, bundles and index still need (a log
    // that fills its disk should fail on its frames, with its checkpoints intact): grow frame by frame,
    // and look again a megabyte of frames later.
    if (size < target && Files.getFileStore(path).getUsableSpace() >= MIN_FREE_FOR_ZEROS) {
      try {
        if (zeros == null) {
          zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        }
        ByteBuffer z = zeros;
        for (long at = size; at < target; ) {
          z.clear().limit((int) Math.min(z.capacity(), target - at));
          while (z.hasRemaining()) {
            at += ch.write(z, at);
          }
        }
        ch.force(false);
      } catch (IOException e) {
        // A nearly full disk may hold the frames but not a megabyte of zeros: append without them
        // (the frames themselves still fail cleanly if they do not fit). Zeros already written are
        // harmless (they read as the end of the log) but are cut back where possible.
        noZeroAhead = true;
        try {
          ch.truncate(size);
        } catch (IOException ignored) {
          // zeros past the frames read as the end of the log
        }
        return;
      }
    }
    zeroedTo = target;
  }

  private void rollback(long pos) throws IOException {
    zeroedTo = 0; // the cut drops the zeros written ahead; the next append writes them again
    if (ch.size() > pos) {
      ch.truncate(pos);
    }
    ch.force(true);
    ch.position(pos);
  }

  public long base() {
    return base;
  }

  public long next() {
    return next;
  }

  /** Length of the header and frames (not of the zeros written ahead of them). */
  public long bytes() throws IOException {
    return ch.position();
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }

  static String magicString() {
    return new String(MAGIC, 0, 6, StandardCharsets.US_ASCII);
  }
}
