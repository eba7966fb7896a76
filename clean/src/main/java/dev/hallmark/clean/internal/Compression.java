package dev.hallmark.clean.internal;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Compression of a JSONL stream, detected from its magic bytes; kept shards are written the same way. */
enum Compression {
  NONE(""), GZIP(".gz"), ZSTD(".zst");

  final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  /** Peeks at the first bytes of {@code in}, which must support mark/reset. */
  static Compression sniff(BufferedInputStream in) throws IOException {
    in.mark(4);
    byte[] b = new byte[4];
    int n = in.readNBytes(b, 0, 4);
    in.reset();
    if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (n == 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f && (b[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  InputStream decode(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPInputStream(in, 1 << 16);
      case ZSTD:
        return new ZstdInputStream(in);
      default:
        return in;
    }
  }

  OutputStream encode(OutputStream out) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPOutputStream(out, 1 << 16);
      case ZSTD:
        return new ZstdOutputStream(out, 3);
      default:
        return out;
    }
  }
}
