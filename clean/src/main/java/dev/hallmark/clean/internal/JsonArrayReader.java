package dev.hallmark.clean.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The elements of a JSON file whose top level is an array ({@code [{"text": ...}, ...]}, pretty-printed
 * or not, plain or compressed), each one document: Alpaca-style instruction sets and many dataset
 * exports are written this way, and were one Tika document before (one tagged element removed the
 * whole file). Each element is re-written as one compact JSON line (the same fields and values in
 * the same order, numbers exactly as written, whitespace dropped) and then parsed like a JSONL line;
 * its location is {@code element N} (from 1), its size the bytes it spans in the decompressed input.
 * An element longer than the document limit is one error; a truncated or malformed array ends the
 * input with one error after the elements before it; content after the closing bracket is one error.
 */
final class JsonArrayReader implements UnitReader {
  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
  private final String name;
  private final long maxBytes;
  private final InputStream raw;
  private Compression compression = Compression.NONE;
  private JsonParser parser;
  private String openError;
  private long element;
  private boolean done;
  private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();

  JsonArrayReader(InputStream raw, String name, long maxBytes) {
    this.raw = raw;
    this.name = name;
    this.maxBytes = maxBytes;
    try {
      BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
      compression = Compression.sniff(b);
      parser = JSON.createParser(compression.decode(b));
      JsonToken t = parser.nextToken();
      if (t != JsonToken.START_ARRAY) {
        openError = "its top level is not a JSON array";
      }
    } catch (IOException | RuntimeException e) {
      openError = JsonlReader.describe(e);
    }
  }

  Compression compression() {
    return compression;
  }

  /** True if the file's first non-blank character (decompressed, after a byte order mark) is {@code [}. */
  static boolean startsAnArray(java.nio.file.Path f) {
    try (BufferedInputStream b = new BufferedInputStream(java.nio.file.Files.newInputStream(f), 1 << 16);
        InputStream in = Compression.sniff(b).decode(b)) {
      int c;
      int n = 0;
      while ((c = in.read()) >= 0 && n++ < 1 << 20) {
        if (c == '[') {
          return true;
        }
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0xef && c != 0xbb && c != 0xbf) {
          return false;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
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
    String loc = "element " + (element + 1);
    long start = -1;
    try {
      JsonToken t = parser.nextToken();
      if (t == JsonToken.END_ARRAY) {
        done = true;
        JsonToken after = parser.nextToken();
        if (after != null) {
          return RawDoc.error("after element " + element, null, name + ": content after the array's closing bracket: not read", 0);
        }
        return null;
      }
      if (t == null) {
        throw new java.io.EOFException("the array is not closed");
      }
      element++;
      start = parser.currentTokenLocation().getByteOffset();
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      boolean overflow = false;
      try (JsonGenerator g = JSON.createGenerator(out)) {
        int depth = 0;
        do {
          if (!overflow) {
            g.copyCurrentEventExact(parser);
          }
          if (t.isStructStart()) {
            depth++;
          } else if (t.isStructEnd()) {
            depth--;
          }
          if (!overflow && parser.currentLocation().getByteOffset() - start > maxBytes) {
            overflow = true;
          }
          if (depth == 0) {
            break;
          }
          t = parser.nextToken();
          if (t == null) {
            throw new java.io.EOFException("element " + element + " is not closed");
          }
        } while (true);
        if (!overflow) {
          g.flush();
        }
      }
      long size = Math.max(0, parser.currentLocation().getByteOffset() - start);
      if (overflow) {
        return RawDoc.error(loc, null, "element is longer than the limit of " + maxBytes + " bytes", size);
      }
      byte[] data = out.toByteArray();
      crc.reset();
      crc.update(data, 0, data.length);
      long check = crc.getValue();
      if (skip) {
        return RawDoc.skipped(loc, size, check);
      }
      return RawDoc.bytes(loc, null, data, null, size).checked(check);
    } catch (IOException | RuntimeException e) {
      done = true;
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n", 2)[0];
      return RawDoc.error(loc, null, name + ": the JSON array is truncated or malformed after element "
          + (start >= 0 ? element - 1 : element) + ": " + m, 0);
    }
  }

  @Override
  public long takeSkipped() {
    return 0;
  }

  @Override
  public void close() {
    try {
      if (parser != null) {
        parser.close();
      }
      raw.close();
    } catch (IOException ignored) {
      // Read-only input: nothing to lose.
    }
  }
}
