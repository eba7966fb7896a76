package dev.hallmark.core.http;

import java.io.IOException;
import java.io.InputStream;

/** A request body on a connection: Content-Length or chunked framing, bounded by a limit. */
final class BodyStream extends InputStream {
  interface Events {
    /** Before the first byte is read (sends 100 Continue when the client asked for it). */
    void beforeFirstRead() throws IOException;

    /** Once the body has been read to its end. */
    void finished();

    /** After each read that returned data. */
    default void progress() {}
  }

  private static final int MAX_CHUNK_LINE = 1024;
  private static final int MAX_TRAILER_BYTES = 8192;

  private final InputStream in;
  private final boolean chunked;
  private final long declared;
  private long max;
  private final Events events;
  private long remaining;
  private long count;
  private boolean started;
  private boolean eof;
  private boolean tooLarge;
  /**
   * The framing was found malformed: nothing after it can be trusted (reading on would take the
   * next bytes as a chunk size and wait for data that never comes), so the connection closes.
   */
  private boolean broken;

  /** A chunk's data has been read and its closing CRLF not yet. */
  private boolean chunkData;

  /** {@code length} -1 with {@code chunked} false means no body. */
  BodyStream(InputStream in, boolean chunked, long length, long max, Events events) {
    this.in = in;
    this.chunked = chunked;
    this.declared = chunked ? -1 : length;
    this.max = max;
    this.events = events;
    this.remaining = chunked ? 0 : Math.max(0, length);
    this.eof = !chunked && length <= 0;
  }

  void limit(long max) {
    this.max = max;
  }

  long declaredLength() {
    return declared;
  }

  boolean finished() {
    return eof;
  }

  boolean hitLimit() {
    return tooLarge;
  }

  boolean started() {
    return started;
  }

  @Override
  public int read() throws IOException {
    byte[] b = new byte[1];
    int n = read(b, 0, 1);
    return n < 0 ? -1 : b[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (eof) {
      return -1;
    }
    if (broken) {
      throw new BadBodyException("the request body's framing is malformed");
    }
    if (!started) {
      started = true;
      events.beforeFirstRead();
    }
    if (chunked && remaining == 0) {
      long size = nextChunkSize();
      if (size == 0) {
        readTrailers();
        eof = true;
        events.finished();
        return -1;
      }
      remaining = size;
      chunkData = true;
    }
    if (count >= max) {
      tooLarge = true;
      throw new BodyTooLargeException(max);
    }
    int want = (int) Math.min(len, Math.min(remaining, max - count));
    int n = in.read(b, off, want);
    if (n < 0) {
      throw bad("the client closed the connection before the end of the request body");
    }
    remaining -= n;
    count += n;
    events.progress();
    if (!chunked && remaining == 0) {
      eof = true;
      events.finished();
    }
    return n;
  }

  /**
   * Bytes that can be read without blocking, as far as the connection's buffer tells: 0 when the
   * next read would wait for the client (a streaming handler submits what it has then).
   */
  @Override
  public int available() throws IOException {
    if (eof) {
      return 0;
    }
    int buffered = in.available();
    if (chunked && remaining == 0) {
      // Between chunks: what is buffered is framing first (the CRLF closing the last chunk's data,
      // then the next size line), so only more than that says the client sent on.
      return buffered > (chunkData ? 2 : 0) ? 1 : 0;
    }
    return (int) Math.min(remaining, buffered);
  }

  private BadBodyException bad(String message) {
    broken = true;
    return new BadBodyException(message);
  }

  /** Reads and drops up to {@code limit} more bytes; true if the body then ended. */
  boolean drain(long limit) {
    if (broken) {
      return false;
    }
    byte[] buf = new byte[16 << 10];
    long left = limit;
    try {
      while (!eof && left > 0) {
        if (chunked && remaining == 0) {
          long size = nextChunkSize();
          if (size == 0) {
            readTrailers();
            eof = true;
            events.finished();
            break;
          }
          remaining = size;
          chunkData = true;
        }
        int n = in.read(buf, 0, (int) Math.min(buf.length, Math.min(left, remaining)));
        if (n < 0) {
          return false;
        }
        remaining -= n;
        left -= n;
        if (!chunked && remaining == 0) {
          eof = true;
          events.finished();
        }
      }
    } catch (IOException e) {
      return false;
    }
    return eof;
  }

  private long nextChunkSize() throws IOException {
    if (chunkData) {
      chunkData = false;
      if (!line().isEmpty()) {
        throw bad("missing CRLF after a chunk of the request body");
      }
    }
    String line = line();
    int semi = line.indexOf(';');
    String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
    if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw bad("bad chunk size line in the request body");
    }
    return Long.parseLong(hex, 16);
  }

  private void readTrailers() throws IOException {
    int total = 0;
    while (true) {
      String l = line();
      if (l.isEmpty()) {
        return;
      }
      total += l.length();
      if (total > MAX_TRAILER_BYTES) {
        throw bad("request trailers too large");
      }
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw bad("the client closed the connection inside a chunked body");
      }
      if (c == '\n') {
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') {
          sb.setLength(n - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_CHUNK_LINE) {
        throw bad("chunk line too long in the request body");
      }
      sb.append((char) c);
    }
  }
}
