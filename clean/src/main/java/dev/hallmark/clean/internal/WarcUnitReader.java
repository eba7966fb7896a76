package dev.hallmark.clean.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcTargetRecord;

/**
 * The content records of a WARC (plain or gzip): {@code response} records with their decoded HTTP
 * payload, {@code resource} records (a payload stored without HTTP headers) and {@code conversion}
 * records (a payload derived from another, such as the plain text of Common Crawl's WET files), each
 * with the record's own Content-Type. Other records (warcinfo, request, metadata, revisit) are not
 * documents and are counted as skipped. ARC files (version 1, plain or gzip, whose first record is
 * the {@code filedesc://} version block) are read the same way: jwarc presents their records as
 * response records; a record's id is its URL and capture date, and a damaged record in a plain ARC file ends the
 * file's reading (nothing marks where the next one starts).
 *
 * <p>Hostile or damaged records cost exactly one error document each, and reading goes on:
 * <ul>
 *   <li>A record whose {@code Content-Length} is not a non-negative number cannot be delimited: it
 *       becomes one error, and reading resumes at the next record start found in the file (a line
 *       starting {@code WARC/1.} in a plain WARC, the next gzip member in a compressed one).
 *   <li>Every document's size is the number of block bytes actually present in the file, never a
 *       declared length the file does not hold (a truncated last record counts what is there).
 *   <li>Error offsets are the byte offset of the failing record in the file (in a gzip WARC, of its
 *       gzip member; when the member cannot be located exactly the message says after which record).
 * </ul>
 * Documents and sizes do not depend on {@code skip}, so a resumed run cuts the same shards.
 */
final class WarcUnitReader implements UnitReader {
  private static final byte[] PLAIN_MAGIC = {'\n', 'W', 'A', 'R', 'C', '/', '1', '.'};
  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};
  /** WARC headers longer than this are treated as corrupt when locating the block. */
  private static final int MAX_HEADER = 1 << 20;

  private final String name;
  private final long maxBytes;
  private FileChannel channel;
  private WarcReader reader;
  private String openError;
  private long skipped;
  private boolean done;
  private boolean gzip;
  /** An ARC file (the Internet Archive's format before WARC; Common Crawl 2008-2012), which jwarc reads as WARC records. */
  private boolean arc;
  /** "ARC" or "WARC", for messages. */
  private String format = "WARC";
  private long fileSize;
  /** Plain WARC: where the next record should start. Gzip: the start of the last record read, or -1. */
  private long expected;
  /** Start of the record last read (for gzip messages). */
  private long lastRecord = -1;
  /** Offset to reopen the reader at before reading on (after a resynchronisation), or -1. */
  private long reopenAt = -1;

  WarcUnitReader(Path path, String name, long maxBytes) {
    this.name = name;
    this.maxBytes = maxBytes;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      fileSize = channel.size();
      ByteBuffer head = ByteBuffer.allocate(2);
      channel.read(head, 0);
      gzip = head.position() == 2 && head.get(0) == GZIP_MAGIC[0] && head.get(1) == GZIP_MAGIC[1];
      arc = startsWithArcHeader(channel, gzip);
      format = arc ? "ARC" : "WARC";
      reader = new WarcReader(channel);
    } catch (IOException | RuntimeException e) {
      openError = JsonlReader.describe(e);
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Nothing to lose on a read-only channel.
        }
      }
    }
  }

  /** Compressed bytes read so far. */
  long position() {
    try {
      return channel == null ? 0 : Math.min(channel.position(), fileSize);
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public RawDoc next(boolean skip) {
    if (done) {
      return null;
    }
    if (openError != null) {
      done = true;
      return RawDoc.error("offset 0", null, name + ": not a readable " + format + " file: " + openError, 0);
    }
    while (true) {
      if (reopenAt >= 0) {
        long at = reopenAt;
        reopenAt = -1;
        try {
          channel.position(at);
          reader = new WarcReader(channel);
          expected = at;
          lastRecord = -1;
        } catch (IOException | RuntimeException e) {
          return corrupt(at, "unreadable " + format + " record at offset " + at + ": " + JsonlReader.describe(e));
        }
      }
      Optional<WarcRecord> r;
      try {
        r = reader.next();
      } catch (IOException | RuntimeException e) {
        if (gzip && lastRecord >= 0) {
          // The failing gzip member starts somewhere after the last record: say so, and stop (a broken
          // gzip stream cannot be re-entered reliably).
          done = true;
          return RawDoc.error("after offset " + lastRecord, null, name + ": corrupt or truncated " + format + " record after the record at offset "
              + lastRecord + ": " + JsonlReader.describe(e), 0);
        }
        return corrupt(expected, "corrupt or truncated " + format + " record at offset " + expected + ": " + JsonlReader.describe(e));
      }
      if (r.isEmpty()) {
        done = true;
        return null;
      }
      WarcRecord rec = r.get();
      long at = rec.position();
      lastRecord = at;
      String declaredText = rec.headers().first("Content-Length").orElse(null);
      long declared = parseLength(declaredText);
      if (declared < 0) {
        return corrupt(at, format + " record at offset " + at + " has an invalid Content-Length ("
            + (declaredText == null ? "missing" : clip(declaredText)) + ")");
      }
      // Plain WARC: locate the block, so a length the file does not hold is caught before reading.
      long present = declared;
      if (!gzip) {
        long blockStart = blockStart(at);
        if (blockStart < 0) {
          return corrupt(at, format + " record at offset " + at + " has no end of headers");
        }
        present = Math.max(0, Math.min(declared, fileSize - blockStart));
        // A WARC record ends with CRLF CRLF, an ARC record with one LF.
        expected = blockStart + declared + (arc ? 1 : 4);
      }
      if (present < declared) {
        done = true;
        return RawDoc.error("offset " + at, null, name + ": " + format + " record at offset " + at + " is truncated: it declares "
            + declared + " bytes but the file holds " + present, present);
      }
      if (!(rec instanceof WarcResponse || rec instanceof WarcResource || rec instanceof WarcConversion)) {
        if (gzip && truncatedGzip(rec, declared)) {
          return truncatedGzipError(at, declared, rec);
        }
        skipped++;
        continue;
      }
      String id;
      String loc;
      try {
        // An ARC record has no record id: its URL and capture date are its identity (as in a CDX index).
        id = arc ? ((WarcTargetRecord) rec).target() + " " + rec.headers().first("WARC-Date").orElse("")
            : rec.id().toString();
        loc = "offset " + at + " " + ((WarcTargetRecord) rec).target();
      } catch (RuntimeException e) {
        return corrupt(at, "corrupt " + format + " record header at offset " + at + ": " + JsonlReader.describe(e));
      }
      RawDoc doc;
      if (skip) {
        doc = RawDoc.skipped(loc, declared, 0);
      } else if (declared > maxBytes) {
        doc = RawDoc.error(loc, id, "record is larger than the limit of " + maxBytes + " bytes", declared);
      } else if (rec instanceof WarcResponse resp) {
        doc = decode(resp, loc, id, declared);
      } else {
        doc = block(rec, loc, id, declared);
      }
      if (gzip && truncatedGzip(rec, declared)) {
        return truncatedGzipError(at, declared, rec);
      }
      return doc;
    }
  }

  private RawDoc decode(WarcResponse resp, String loc, String id, long size) {
    try {
      HttpResponse http = resp.http();
      String ct = http.contentType() == null ? null : http.contentType().base().toString();
      try (InputStream in = http.bodyDecoded().stream()) {
        byte[] data = in.readNBytes((int) maxBytes + 1);
        if (data.length > maxBytes) {
          return RawDoc.error(loc, id, "decoded HTTP payload is larger than the limit of " + maxBytes + " bytes", size);
        }
        return RawDoc.bytes(loc, id, data, ct, size);
      }
    } catch (IOException | RuntimeException e) {
      return RawDoc.error(loc, id, "cannot decode the HTTP response: " + JsonlReader.describe(e), size);
    }
  }

  /** A resource or conversion record: its block is the payload, typed by the record's Content-Type. */
  private RawDoc block(WarcRecord rec, String loc, String id, long size) {
    try {
      String ct = rec.headers().first("Content-Type").isPresent() ? rec.contentType().base().toString() : null;
      byte[] data = rec.body().stream().readNBytes((int) maxBytes + 1);
      if (data.length > maxBytes) {
        return RawDoc.error(loc, id, "record payload is larger than the limit of " + maxBytes + " bytes", size);
      }
      return RawDoc.bytes(loc, id, data, ct, size);
    } catch (IOException | RuntimeException e) {
      return RawDoc.error(loc, id, "cannot read the record's payload: " + JsonlReader.describe(e), size);
    }
  }

  /** Gzip WARC: reads the rest of the block; true if the file ends before the declared length. */
  private static boolean truncatedGzip(WarcRecord rec, long declared) {
    try {
      rec.body().consume();
      return rec.body().position() < declared;
    } catch (EOFException e) {
      return true;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  private RawDoc truncatedGzipError(long at, long declared, WarcRecord rec) {
    done = true;
    long present;
    try {
      present = Math.min(declared, rec.body().position());
    } catch (IOException | RuntimeException e) {
      present = 0;
    }
    return RawDoc.error("offset " + at, null, name + ": " + format + " record at offset " + at + " is truncated or corrupt: it declares "
        + declared + " bytes but the file holds " + present, present);
  }

  /**
   * One error document for the damaged region starting at {@code at}; reading resumes at the next
   * record start after it. Its size is the number of file bytes passed over (plain WARC) or 0 (gzip,
   * whose passed-over bytes are compressed).
   */
  private RawDoc corrupt(long at, String message) {
    long next = resync(at + 1);
    long size = gzip ? 0 : Math.max(0, next - at);
    String tail;
    if (next >= fileSize) {
      done = true;
      tail = "; no record after it";
    } else {
      reopenAt = next;
      tail = "; reading resumed at the next record, offset " + next;
    }
    return RawDoc.error("offset " + at, null, name + ": " + message + tail, size);
  }

  /** The offset of the next record start at or after {@code from}, or the file size. */
  private long resync(long from) {
    if (arc && !gzip) {
      // A plain ARC record starts with a URL line: nothing marks it, so nothing after a damaged one can be found.
      return fileSize;
    }
    byte[] magic = gzip ? GZIP_MAGIC : PLAIN_MAGIC;
    // Plain: the magic includes the newline before "WARC/1.", so look one byte earlier and skip it.
    long pos = gzip ? from : from - 1;
    int lead = gzip ? 0 : 1;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    try {
      while (pos < fileSize) {
        buf.clear();
        int n = channel.read(buf, pos);
        if (n <= 0) {
          break;
        }
        byte[] a = buf.array();
        int limit = n - magic.length;
        for (int i = 0; i <= limit; i++) {
          if (matches(a, i, magic) && pos + i + lead >= from) {
            return pos + i + lead;
          }
        }
        if (pos + n >= fileSize) {
          break;
        }
        pos += Math.max(1, n - magic.length + 1);
      }
    } catch (IOException e) {
      // Unreadable from here on: nothing after it.
    }
    return fileSize;
  }

  private static boolean matches(byte[] a, int i, byte[] magic) {
    for (int k = 0; k < magic.length; k++) {
      if (a[i + k] != magic[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Plain WARC or ARC: the offset of the first block byte of the record at {@code at}, or -1: after
   * the blank line ending a WARC record's headers, or after an ARC record's one header line.
   */
  private long blockStart(long at) {
    ByteBuffer buf = ByteBuffer.allocate(1 << 14);
    long pos = at;
    int end = arc ? 1 : 4;
    int state = 0; // bytes of "\n" (ARC) or "\r\n\r\n" (WARC) matched so far
    try {
      while (pos < fileSize && pos - at < MAX_HEADER) {
        buf.clear();
        int n = channel.read(buf, pos);
        if (n <= 0) {
          return -1;
        }
        byte[] a = buf.array();
        for (int i = 0; i < n; i++) {
          byte b = a[i];
          state = arc ? (b == '\n' ? 1 : 0)
              : (b == '\r' && (state == 0 || state == 2)) ? state + 1
              : (b == '\n' && (state == 1 || state == 3)) ? state + 1
              : (b == '\r') ? 1 : 0;
          if (state == end) {
            return pos + i + 1;
          }
        }
        pos += n;
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** True if the file (its first gzip member, if compressed) starts with an ARC version block's header. */
  private static boolean startsWithArcHeader(FileChannel ch, boolean gzip) throws IOException {
    byte[] want = "filedesc://".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ByteBuffer buf = ByteBuffer.allocate(gzip ? 4096 : want.length);
    ch.read(buf, 0);
    byte[] first = java.util.Arrays.copyOf(buf.array(), buf.position());
    if (gzip) {
      try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(first))) {
        first = in.readNBytes(want.length);
      } catch (IOException e) {
        // A first member longer than the bytes read ends early here: the bytes decoded so far are enough.
        return false;
      }
    }
    return java.util.Arrays.equals(first, 0, Math.min(first.length, want.length), want, 0, want.length)
        && first.length >= want.length;
  }

  /** A Content-Length value as a non-negative number, or -1 if it is missing, negative or not a number. */
  static long parseLength(String s) {
    if (s == null) {
      return -1;
    }
    String t = s.trim();
    if (t.isEmpty() || t.length() > 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String clip(String s) {
    String t = s.replaceAll("[\\p{Cntrl}]", "?");
    return t.length() > 40 ? t.substring(0, 40) + "..." : t;
  }

  @Override
  public long takeSkipped() {
    long s = skipped;
    skipped = 0;
    return s;
  }

  @Override
  public void close() {
    try {
      if (reader != null) {
        reader.close();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // Read-only input.
    }
  }
}
