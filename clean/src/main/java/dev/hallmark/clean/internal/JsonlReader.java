package dev.hallmark.clean.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Lines of a JSONL stream (plain, gzip or zstd), each up to a byte limit. */
final class JsonlReader implements UnitReader {
  private final InputStream raw;
  private final long maxLine;
  private final String name;
  private InputStream in;
  private Compression compression;
  private String openError;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;
  private byte[] line = new byte[1024];
  private long lineNo;
  private long skipped;
  private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
  private boolean done;

  JsonlReader(InputStream raw, String name, long maxLine) {
    this.raw = raw;
    this.name = name;
    this.maxLine = maxLine;
    try {
      BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
      compression = Compression.sniff(b);
      in = compression.decode(b);
    } catch (IOException e) {
      compression = Compression.NONE;
      openError = describe(e);
    }
  }

  Compression compression() {
    return compression;
  }

  @Override
  public RawDoc next(boolean skip) {
    if (done) {
      return null;
    }
    if (openError != null) {
      done = true;
      return RawDoc.error("line 1", null, name + ": cannot read: " + openError, 0);
    }
    while (true) {
      int len = 0;
      boolean overflow = false;
      boolean sawAny = false;
      try {
        while (true) {
          if (pos == lim) {
            lim = in.read(buf, 0, buf.length);
            pos = 0;
            if (lim <= 0) {
              lim = 0;
              break;
            }
          }
          sawAny = true;
          int start = pos;
          int nl = -1;
          for (int i = pos; i < lim; i++) {
            if (buf[i] == '\n') {
              nl = i;
              break;
            }
          }
          int end = nl < 0 ? lim : nl;
          int chunk = end - start;
          if (!overflow) {
            if ((long) len + chunk > maxLine) {
              overflow = true;
            } else {
              if (len + chunk > line.length) {
                line = Arrays.copyOf(line, (int) Math.min(maxLine, Math.max((long) line.length * 2, len + chunk)));
              }
              System.arraycopy(buf, start, line, len, chunk);
            }
          }
          len += overflow ? 0 : chunk;
          if (overflow) {
            len = (int) Math.min(Integer.MAX_VALUE, (long) len);
          }
          pos = nl < 0 ? lim : nl + 1;
          if (nl >= 0) {
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        done = true;
        return RawDoc.error("line " + (lineNo + 1), null,
            name + ": input is truncated or corrupt after line " + lineNo + ": " + describe(e), len);
      }
      if (!sawAny) {
        done = true;
        return null;
      }
      lineNo++;
      String loc = "line " + lineNo;
      if (overflow) {
        return RawDoc.error(loc, null, "line is longer than the limit of " + maxLine + " bytes", maxLine);
      }
      if (isBlank(line, len)) {
        skipped++;
        if (pos == lim && lim == 0) {
          // End of input right after a blank last line.
        }
        continue;
      }
      crc.reset();
      crc.update(line, 0, len);
      long check = crc.getValue();
      if (skip) {
        return RawDoc.skipped(loc, len, check);
      }
      return RawDoc.bytes(loc, null, Arrays.copyOf(line, len), null).checked(check);
    }
  }

  private static boolean isBlank(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  @Override
  public long takeSkipped() {
    long s = skipped;
    skipped = 0;
    return s;
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    String kind = e instanceof java.io.EOFException ? "unexpected end of stream" : e.getClass().getSimpleName();
    return m == null || m.isBlank() ? kind : kind + " (" + m.split("\n", 2)[0] + ")";
  }

  @Override
  public void close() {
    try {
      if (in != null) {
        in.close();
      } else {
        raw.close();
      }
    } catch (IOException ignored) {
      // Read-only input: nothing to lose.
    }
  }
}
