package dev.hallmark.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a byte stream, each at most a byte limit: the one bounded line reader of the JSON Lines
 * inputs that arrive as a stream ({@code ledger add -}, {@code POST /add}, {@code text detect
 * --jsonl}). A line ends at LF; a CR before it is kept (JSON parsers read it as white space), and
 * the last line may lack its LF. It never holds more than one line of at most the limit plus a
 * 64 KiB buffer, so a stream without line breaks, or one giant line, cannot exhaust memory: the
 * caller gets a {@link LineTooLongException} as soon as the limit is passed, and may stop there
 * or {@link #skipLine() skip} to the next line. Not thread-safe.
 */
public final class LineReader {
  /** The current line is longer than the limit; nothing of it has been returned. */
  public static final class LineTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int limit;

    LineTooLongException(int limit) {
      super("line longer than " + limit + " bytes");
      this.limit = limit;
    }

    /** The limit the line passed. */
    public int limit() {
      return limit;
    }
  }

  private final InputStream in;
  private final int max;
  private final byte[] buf = new byte[64 << 10];
  private int pos;
  private int end;
  /** True after a {@link LineTooLongException} until {@link #skipLine} has consumed the line. */
  private boolean inside;

  /** Reads lines of {@code in}, each at most {@code maxLineBytes} bytes (without the LF). */
  public LineReader(InputStream in, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
    }
    this.in = in;
    this.max = maxLineBytes;
  }

  /** True if bytes already read from the stream wait in this reader (so the next line may need no read). */
  public boolean hasBuffered() {
    return pos < end;
  }

  /**
   * The next line without its LF, or null at the end of the stream.
   *
   * @throws LineTooLongException if the line is longer than the limit; call {@link #skipLine} to
   *     go on with the next one
   * @throws IllegalStateException if called after a {@link LineTooLongException} without {@link #skipLine}
   */
  public byte[] next() throws IOException {
    if (inside) {
      throw new IllegalStateException("the previous line was too long; call skipLine() first");
    }
    ByteArrayOutputStream acc = null;
    while (true) {
      if (pos == end) {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          return acc == null || acc.size() == 0 ? null : acc.toByteArray();
        }
        pos = 0;
        end = n;
      }
      int i = pos;
      while (i < end && buf[i] != '\n') {
        i++;
      }
      int len = i - pos;
      if ((acc == null ? 0L : acc.size()) + len > max) {
        inside = true;
        throw new LineTooLongException(max);
      }
      if (i < end) {
        byte[] line;
        if (acc == null) {
          line = Arrays.copyOfRange(buf, pos, i);
        } else {
          acc.write(buf, pos, len);
          line = acc.toByteArray();
        }
        pos = i + 1;
        return line;
      }
      if (acc == null) {
        acc = new ByteArrayOutputStream();
      }
      acc.write(buf, pos, len);
      pos = end;
    }
  }

  /**
   * Discards the rest of the current line, through its LF (or to the end of the stream). After a
   * {@link LineTooLongException} this moves to the next line; otherwise it skips the next line.
   */
  public void skipLine() throws IOException {
    inside = false;
    while (true) {
      if (pos == end) {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          return;
        }
        pos = 0;
        end = n;
      }
      while (pos < end) {
        if (buf[pos++] == '\n') {
          return;
        }
      }
    }
  }

  /** True if {@code line} holds only spaces, tabs and CRs (or nothing): a blank line of JSON Lines. */
  public static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
