package dev.hallmark.clean.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The elements of a JSON file whose top level is an array ({@code [{"text": ...}, ...]}, pretty-printed
 * or not, plain or compressed), each one document: Alpaca-style instruction sets and many dataset
 * exports are written this way, and were one Tika document before (one tagged element removed the
 * whole file).
 *
 * <p>The array is split into elements at the byte level, tracking strings (with their escapes) and
 * bracket depth, without parsing the values: each element's bytes, with the white space between
 * tokens dropped (outside strings; so numbers, strings and escapes exactly as written), become one
 * compact line that is then parsed like a JSONL line. So a damaged element (invalid UTF-8, a value no
 * parser accepts, a string or nesting beyond a parser's limits) is an error of that element alone
 * and the elements after it are read, as lines of a JSONL file are. (A streaming parser over the
 * whole array ended the file at the first such element, and rewrote numbers and escapes.)
 *
 * <p>An element's location is {@code element N} (from 1), its size the bytes it spans in the
 * decompressed input. An element over the document limit, an empty one (two commas, or a comma
 * before the closing bracket) and content after the closing bracket are one error each; a file that
 * ends inside the array ends with one error after the elements before it.
 */
final class JsonArrayReader implements UnitReader {
  private final String name;
  private final long maxBytes;
  private final InputStream raw;
  private Compression compression = Compression.NONE;
  private InputStream in;
  private String openError;
  private long element;
  private boolean done;
  private boolean closed;
  private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int lim;
  private boolean eof;

  JsonArrayReader(InputStream raw, String name, long maxBytes) {
    this.raw = raw;
    this.name = name;
    this.maxBytes = maxBytes;
    try {
      BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
      compression = Compression.sniff(b);
      in = compression.decode(b);
      int c = skipSpace(true);
      if (c != '[') {
        openError = c < 0 ? "it is empty" : "its top level is not a JSON array";
      } else {
        pos++;
      }
    } catch (IOException | RuntimeException e) {
      openError = JsonlReader.describe(e);
    }
  }

  Compression compression() {
    return compression;
  }

  /** The next byte without consuming it, or -1 at the end. */
  private int peek() throws IOException {
    if (pos == lim) {
      if (eof) {
        return -1;
      }
      lim = in.read(buf, 0, buf.length);
      pos = 0;
      if (lim <= 0) {
        lim = 0;
        eof = true;
        return -1;
      }
    }
    return buf[pos] & 0xff;
  }

  /** Skips white space (and, first, a UTF-8 byte order mark); returns the next byte, not consumed. */
  private int skipSpace(boolean bom) throws IOException {
    int c = peek();
    if (bom && c == 0xef) {
      pos++;
      if (peek() == 0xbb) {
        pos++;
        if (peek() == 0xbf) {
          pos++;
        }
      }
      c = peek();
    }
    while (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pos++;
      c = peek();
    }
    return c;
  }

  @Override
  public RawDoc next(boolean skip) {
    if (done) {
      return null;
    }
    if (openError != null) {
      done = true;
      return RawDoc.error("element 1", null, name + ": cannot read as a JSON array: " + openError, 0);
    }
    try {
      if (closed) {
        // After the closing bracket only white space may follow.
        done = true;
        int c = skipSpace(false);
        return c < 0 ? null
            : RawDoc.error("after element " + element, null, name + ": content after the array's closing bracket: not read", 0);
      }
      long spanned = 0;
      int c;
      while ((c = peek()) == ' ' || c == '\t' || c == '\r' || c == '\n') {
        pos++;
        spanned++;
      }
      if (c == ']' && element == 0) {
        pos++;
        closed = true;
        return next(skip); // an empty array
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      boolean overflow = false;
      int depth = 0;
      boolean inString = false;
      boolean escape = false;
      boolean stray = false;
      while (true) {
        c = peek();
        if (c < 0) {
          done = true;
          return RawDoc.error("element " + (element + 1), null, name + ": the JSON array is truncated after element "
              + element + " (the file ends inside " + (spanned == 0 ? "the array" : "element " + (element + 1)) + ")", spanned);
        }
        pos++;
        spanned++;
        if (inString) {
          if (escape) {
            escape = false;
          } else if (c == '\\') {
            escape = true;
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (depth == 0) {
            if (c == ']') {
              closed = true;
              spanned--; // the closing bracket is the array's
              break;
            }
            stray = true; // a '}' with nothing open: this element is malformed, its neighbours are not
          } else {
            depth--;
          }
        } else if (c == ',' && depth == 0) {
          spanned--;
          break;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
          continue; // white space between tokens
        }
        if (!overflow) {
          if (out.size() >= maxBytes) {
            overflow = true;
          } else {
            out.write(c);
          }
        }
      }
      element++;
      String loc = "element " + element;
      if (overflow) {
        return RawDoc.error(loc, null, "element is longer than the limit of " + maxBytes + " bytes", spanned);
      }
      byte[] data = out.toByteArray();
      if (data.length == 0) {
        return RawDoc.error(loc, null, "not a JSON value: an empty element (two commas, or a comma before the closing bracket)",
            spanned);
      }
      if (stray) {
        return RawDoc.error(loc, null, "not a JSON value: a closing brace with nothing open", spanned);
      }
      crc.reset();
      crc.update(data, 0, data.length);
      long check = crc.getValue();
      if (skip) {
        return RawDoc.skipped(loc, spanned, check);
      }
      return RawDoc.bytes(loc, null, data, null, spanned).checked(check);
    } catch (IOException | RuntimeException e) {
      done = true;
      return RawDoc.error("element " + (element + 1), null, name + ": the JSON array's input is truncated or corrupt after element "
          + element + ": " + JsonlReader.describe(e), 0);
    }
  }

  @Override
  public long takeSkipped() {
    return 0;
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
