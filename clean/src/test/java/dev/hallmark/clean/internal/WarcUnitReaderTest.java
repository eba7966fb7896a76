package dev.hallmark.clean.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * #19 finding 4 (WARC): a record with {@code Content-Length: -5} was counted twice, the valid record
 * after it appeared nowhere, a bogus length inflated the bytes, and later errors said "offset 0".
 */
class WarcUnitReaderTest {
  @TempDir Path tmp;

  static byte[] record(String contentLength, String body) {
    String http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body;
    int len = http.getBytes(StandardCharsets.UTF_8).length;
    String head = "WARC/1.0\r\nWARC-Type: response\r\n"
        + "WARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-12345678901" + (body.length() % 10) + ">\r\n"
        + "WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: http://x/" + body.length() + "\r\n"
        + "Content-Type: application/http;msgtype=response\r\n"
        + "Content-Length: " + (contentLength == null ? String.valueOf(len) : contentLength) + "\r\n\r\n";
    return (head + http + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
  }

  static int blockLength(String body) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body).length();
  }

  private List<RawDoc> readAll(byte[] warc, String fileName, boolean skip) throws IOException {
    Path f = tmp.resolve(fileName);
    Files.write(f, warc);
    List<RawDoc> docs = new ArrayList<>();
    WarcUnitReader r = new WarcUnitReader(f, fileName, 1 << 20);
    try {
      RawDoc d;
      while ((d = r.next(skip)) != null) {
        docs.add(d);
        assertTrue(docs.size() < 100, "the reader advances");
      }
    } finally {
      r.close();
    }
    return docs;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  @Test
  void negativeContentLengthIsOneErrorAndTheNextRecordIsRead() throws IOException {
    byte[] bad = record("-5", "<p>bad</p>");
    byte[] good = record(null, "<p>good</p>");
    byte[] warc = concat(bad, good);
    List<RawDoc> docs = readAll(warc, "neg.warc", false);
    assertEquals(2, docs.size(), "one document per record, not two for the bad one: " + describe(docs));
    RawDoc e = docs.get(0);
    assertNotNull(e.readError);
    assertTrue(e.readError.contains("invalid Content-Length (-5)"), e.readError);
    assertEquals("offset 0", e.location);
    assertEquals(bad.length, e.size, "the error counts the bytes passed over, no more");
    RawDoc g = docs.get(1);
    assertNull(g.readError, String.valueOf(g.readError));
    assertEquals("<p>good</p>", new String(g.data, StandardCharsets.UTF_8));
    assertTrue(g.location.startsWith("offset " + bad.length + " "), g.location);
    assertEquals(blockLength("<p>good</p>"), g.size);
    assertTrue(docs.stream().mapToLong(d -> d.size).sum() <= warc.length, "bytes never exceed the file");
    // Resume (skip) sees the same documents with the same sizes, so shards are cut the same way.
    List<RawDoc> skipped = readAll(warc, "neg2.warc", true);
    assertEquals(docs.size(), skipped.size());
    for (int i = 0; i < docs.size(); i++) {
      assertEquals(docs.get(i).size, skipped.get(i).size, "size of document " + i);
    }
  }

  @Test
  void aLengthLargerThanTheFileCountsOnlyTheBytesPresent() throws IOException {
    byte[] good = record(null, "<p>one</p>");
    byte[] bogus = record("1000000000000", "<p>two</p>");
    byte[] warc = concat(good, bogus);
    List<RawDoc> docs = readAll(warc, "bogus.warc", false);
    assertEquals(2, docs.size(), describe(docs));
    assertNull(docs.get(0).readError);
    RawDoc e = docs.get(1);
    assertTrue(e.readError.contains("truncated") && e.readError.contains("1000000000000"), e.readError);
    assertEquals("offset " + good.length, e.location);
    assertTrue(e.size > 0 && e.size < bogus.length, "honest bytes: " + e.size);
    assertTrue(docs.stream().mapToLong(d -> d.size).sum() <= warc.length, "bytes never exceed the file");
  }

  @Test
  void laterErrorsNameTheirOwnOffsetAndReadingGoesOn() throws IOException {
    byte[] one = record(null, "<p>one</p>");
    byte[] broken = "WARC/1.0\r\nWARC-Type response without a colon\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] three = record(null, "<p>three</p>");
    byte[] warc = concat(one, broken, three);
    List<RawDoc> docs = readAll(warc, "later.warc", false);
    assertEquals(3, docs.size(), describe(docs));
    assertNull(docs.get(0).readError);
    RawDoc e = docs.get(1);
    assertNotNull(e.readError);
    assertEquals("offset " + one.length, e.location, e.readError);
    assertTrue(e.readError.contains("at offset " + one.length), e.readError);
    assertEquals(broken.length, e.size);
    assertEquals("<p>three</p>", new String(docs.get(2).data, StandardCharsets.UTF_8));
  }

  @Test
  void gzipMembersResynchroniseToo() throws IOException {
    byte[] warc = concat(gzip(record("-5", "<p>bad</p>")), gzip(record(null, "<p>good</p>")));
    List<RawDoc> docs = readAll(warc, "neg.warc.gz", false);
    assertEquals(2, docs.size(), describe(docs));
    assertTrue(docs.get(0).readError.contains("invalid Content-Length (-5)"), docs.get(0).readError);
    assertEquals("offset 0", docs.get(0).location);
    assertArrayEquals("<p>good</p>".getBytes(StandardCharsets.UTF_8), docs.get(1).data);
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(o)) {
      z.write(b);
    }
    return o.toByteArray();
  }

  private static String describe(List<RawDoc> docs) {
    StringBuilder s = new StringBuilder();
    for (RawDoc d : docs) {
      s.append('[').append(d.location).append(" size=").append(d.size).append(' ')
          .append(d.readError != null ? d.readError : d.data == null ? "skipped" : new String(d.data, StandardCharsets.UTF_8)).append("] ");
    }
    return s.toString();
  }
}
