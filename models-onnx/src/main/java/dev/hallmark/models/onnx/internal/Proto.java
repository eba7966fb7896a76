package dev.hallmark.models.onnx.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal protocol-buffers message writer (varint, 64-bit and length-delimited fields only),
 * enough to write ONNX {@code ModelProto} files without a protobuf runtime. A message is a list of
 * encoded chunks, so a large tensor's bytes are written once and never copied into a bigger array.
 * Not thread-safe.
 */
public final class Proto {
  private final List<byte[]> chunks = new ArrayList<>();
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private long size;

  private void flushBuf() {
    if (buf.size() > 0) {
      chunks.add(buf.toByteArray());
      buf.reset();
    }
  }

  private void raw(int b) {
    buf.write(b);
    size++;
  }

  private void varint(long v) {
    while ((v & ~0x7FL) != 0) {
      raw((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    raw((int) v);
  }

  private void tag(int field, int wire) {
    varint(((long) field << 3) | wire);
  }

  public Proto i64(int field, long v) {
    tag(field, 0);
    varint(v);
    return this;
  }

  public Proto f32(int field, float v) {
    tag(field, 5);
    int b = Float.floatToRawIntBits(v);
    for (int i = 0; i < 4; i++) {
      raw((b >>> (8 * i)) & 0xff);
    }
    return this;
  }

  public Proto str(int field, String s) {
    return bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  public Proto bytes(int field, byte[] b) {
    tag(field, 2);
    varint(b.length);
    flushBuf();
    chunks.add(b);
    size += b.length;
    return this;
  }

  public Proto msg(int field, Proto m) {
    tag(field, 2);
    m.flushBuf();
    varint(m.size);
    flushBuf();
    chunks.addAll(m.chunks);
    size += m.size;
    return this;
  }

  public long size() {
    return size;
  }

  public void writeTo(OutputStream out) throws IOException {
    flushBuf();
    for (byte[] c : chunks) {
      out.write(c);
    }
  }
}
