package dev.hallmark.clean.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/** Response records of a WARC (plain or gzip), each with its decoded HTTP payload. */
final class WarcUnitReader implements UnitReader {
  private final String name;
  private final long maxBytes;
  private FileChannel channel;
  private WarcReader reader;
  private String openError;
  private long skipped;
  private boolean done;

  WarcUnitReader(Path path, String name, long maxBytes) {
    this.name = name;
    this.maxBytes = maxBytes;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
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
      return channel == null ? 0 : channel.position();
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
      return RawDoc.error("offset 0", null, name + ": not a readable WARC: " + openError, 0);
    }
    while (true) {
      long at = reader.position();
      Optional<WarcRecord> r;
      try {
        r = reader.next();
      } catch (IOException | RuntimeException e) {
        done = true;
        return RawDoc.error("offset " + at, null,
            name + ": corrupt or truncated WARC record at offset " + at + ": " + JsonlReader.describe(e), 0);
      }
      if (r.isEmpty()) {
        done = true;
        return null;
      }
      WarcRecord rec = r.get();
      if (!(rec instanceof WarcResponse)) {
        skipped++;
        continue;
      }
      WarcResponse resp = (WarcResponse) rec;
      long size;
      String id;
      String loc;
      try {
        size = rec.body().size();
        id = rec.id().toString();
        loc = "offset " + rec.position() + " " + resp.target();
      } catch (IOException | RuntimeException e) {
        done = true;
        return RawDoc.error("offset " + at, null, name + ": corrupt WARC record header at offset " + at + ": " + JsonlReader.describe(e), 0);
      }
      if (skip) {
        return RawDoc.skipped(size);
      }
      if (size > maxBytes) {
        return RawDoc.error(loc, id, "record is larger than the limit of " + maxBytes + " bytes", size);
      }
      try {
        HttpResponse http = resp.http();
        String ct = http.contentType() == null ? null : http.contentType().base().toString();
        try (InputStream in = http.bodyDecoded().stream()) {
          byte[] data = in.readNBytes((int) maxBytes + 1);
          if (data.length > maxBytes) {
            return RawDoc.error(loc, id, "decoded HTTP payload is larger than the limit of " + maxBytes + " bytes", size);
          }
          return RawDoc.bytes(loc, id, data, ct);
        }
      } catch (IOException | RuntimeException e) {
        return RawDoc.error(loc, id, "cannot decode the HTTP response: " + JsonlReader.describe(e), size);
      }
    }
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
