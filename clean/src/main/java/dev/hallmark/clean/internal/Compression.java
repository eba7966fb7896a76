package dev.hallmark.clean.internal;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Compression of a JSONL stream, detected from its magic bytes; kept shards are written the same way. */
enum Compression {
  NONE(""), GZIP(".gz"), ZSTD(".zst"), BZIP2(".bz2"), XZ(".xz");

  final String suffix;

  Compression(String suffix) {
    this.suffix = suffix;
  }

  /** Peeks at the first bytes of {@code in}, which must support mark/reset. */
  static Compression sniff(BufferedInputStream in) throws IOException {
    in.mark(6);
    byte[] b = new byte[6];
    int n = in.readNBytes(b, 0, 6);
    in.reset();
    if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (n >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f && (b[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' && b[3] >= '1' && b[3] <= '9') {
      return BZIP2;
    }
    if (n == 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z' && b[5] == 0) {
      return XZ;
    }
    return NONE;
  }

  InputStream decode(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GZIPInputStream(in, 1 << 16);
      case ZSTD:
        return new ZstdInputStream(in);
      case BZIP2:
        return new BZip2CompressorInputStream(in, true); // concatenated streams, as pbzip2 writes
      case XZ:
        return new XZCompressorInputStream(in, true);
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
      case BZIP2:
        return new BZip2CompressorOutputStream(out);
      case XZ:
        return new XZCompressorOutputStream(out, 3);
      default:
        return out;
    }
  }
}
