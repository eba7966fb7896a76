package dev.hallmark.clean.internal;

import dev.hallmark.detector.EmbeddedImage;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipe protocol between {@link ForkedExtractor} and {@link ExtractWorker}, big-endian: the
 * worker first writes {@link #READY}; a request is {@code name, contentType, file, data,
 * timeoutMillis} (strings as int length + UTF-8, -1 for null; data as int length + bytes, -1 for
 * null); an answer is a status byte, then for {@link #OK} {@code mediaType, text, imageCount,
 * (name, type, bytes)*, truncated}, for {@link #ERROR} a one-line message. Lengths are checked
 * against {@link #MAX_FIELD} so a confused peer cannot make the other allocate without bound.
 */
final class ExtractProtocol {
  static final int READY = 0x484d5831; // "HMX1"
  static final byte OK = 0;
  static final byte ERROR = 1;
  static final int MAX_FIELD = Integer.MAX_VALUE - 16;

  private ExtractProtocol() {}

  record Request(String name, String contentType, String file, byte[] data, long timeoutMillis) {}

  static void writeRequest(DataOutputStream out, Request r) throws IOException {
    writeString(out, r.name());
    writeString(out, r.contentType());
    writeString(out, r.file());
    writeBytes(out, r.data());
    out.writeLong(r.timeoutMillis());
    out.flush();
  }

  static Request readRequest(DataInputStream in) throws IOException {
    String name = readString(in);
    String ct = readString(in);
    String file = readString(in);
    byte[] data = readBytes(in);
    long t = in.readLong();
    return new Request(name, ct, file, data, t);
  }

  static void writeOk(DataOutputStream out, TikaExtractor.Extracted x) throws IOException {
    out.writeByte(OK);
    writeString(out, x.mediaType());
    writeString(out, x.text());
    out.writeInt(x.images().size());
    for (EmbeddedImage i : x.images()) {
      writeString(out, i.name());
      writeString(out, i.mediaType());
      writeBytes(out, i.bytes());
    }
    out.writeBoolean(x.truncated());
  }

  static void writeError(DataOutputStream out, String message) throws IOException {
    out.writeByte(ERROR);
    writeString(out, message == null ? "extraction failed" : message.replace('\n', ' '));
  }

  /** Reads an answer: the extracted content, or throws the worker's one-line error. */
  static TikaExtractor.Extracted readAnswer(DataInputStream in) throws IOException, dev.hallmark.detector.DocumentException {
    byte status = in.readByte();
    if (status == ERROR) {
      throw new dev.hallmark.detector.DocumentException(readString(in));
    }
    if (status != OK) {
      throw new IOException("extraction worker protocol error (status " + status + ")");
    }
    String type = readString(in);
    String text = readString(in);
    int n = in.readInt();
    if (n < 0 || n > 1_000_000) {
      throw new IOException("extraction worker protocol error (" + n + " images)");
    }
    List<EmbeddedImage> images = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      images.add(new EmbeddedImage(readString(in), readString(in), readBytes(in)));
    }
    return new TikaExtractor.Extracted(type, text, images, in.readBoolean());
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static String readString(DataInputStream in) throws IOException {
    byte[] b = readBytes(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > MAX_FIELD) {
      throw new IOException("extraction worker protocol error (field of " + n + " bytes)");
    }
    byte[] b = in.readNBytes(n); // grows as bytes arrive: a bogus length costs nothing up front
    if (b.length != n) {
      throw new java.io.EOFException("extraction worker closed its pipe mid-answer");
    }
    return b;
  }
}
