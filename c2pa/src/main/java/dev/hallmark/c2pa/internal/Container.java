package dev.hallmark.c2pa.internal;

import dev.hallmark.c2pa.C2paException;
import dev.hallmark.c2pa.MediaFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Where a C2PA manifest store sits in a JPEG (APP11 JPEG XT segments carrying JUMBF, ISO 19566-5) or a
 * PNG ({@code caBX} chunk): extract it, strip it, insert a new one.
 */
public final class Container {
  /** Store payload per APP11 segment (below the 65533-byte limit, as c2pa-rs does). */
  static final int JPEG_CHUNK = 64000;
  private static final byte[] STORE_TYPE_PREFIX = {0x63, 0x32, 0x70, 0x61}; // "c2pa" in the jumd UUID
  static final String PNG_CHUNK = "caBX";

  private Container() {}

  /**
   * A found store: its JUMBF bytes, the byte ranges of the file that carry it, and how many stores the
   * file holds. A file carries at most one; when it holds more, {@code store} is the first (as c2pa-rs
   * reads it), {@code ranges} cover them all (so {@link #strip} removes them all) and the reader reports
   * the file's Content Credentials as malformed.
   */
  public record Found(byte[] store, List<long[]> ranges, int storeCount) {}

  /** The manifest store in {@code file}, or null when there is none. */
  public static Found find(byte[] file, MediaFormat format) throws C2paException {
    return format == MediaFormat.JPEG ? findJpeg(file) : findPng(file);
  }

  /** {@code file} with every manifest store removed. */
  public static byte[] strip(byte[] file, MediaFormat format) throws C2paException {
    Found f = find(file, format);
    if (f == null) {
      return file;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(file.length);
    int p = 0;
    for (long[] r : f.ranges()) {
      out.write(file, p, (int) r[0] - p);
      p = (int) (r[0] + r[1]);
    }
    out.write(file, p, file.length - p);
    return out.toByteArray();
  }

  /** Where a new store goes in a stripped file: after SOI and any APP0 (JPEG), after IHDR (PNG). */
  public static int insertionOffset(byte[] file, MediaFormat format) throws C2paException {
    if (format == MediaFormat.PNG) {
      if (file.length < 33 || !"IHDR".equals(new String(file, 12, 4, StandardCharsets.ISO_8859_1))) {
        throw new C2paException("PNG: the first chunk is not IHDR");
      }
      return 8 + 12 + (int) Jumbf.u32(file, 8);
    }
    int p = 2;
    while (p + 4 <= file.length && (file[p] & 0xff) == 0xFF && (file[p + 1] & 0xff) == 0xE0) {
      p += 2 + (((file[p + 2] & 0xff) << 8) | (file[p + 3] & 0xff));
    }
    if (p > file.length) {
      throw new C2paException("JPEG: truncated APP0 segment");
    }
    return p;
  }

  /** The bytes that carry {@code store} in {@code format}: APP11 segments or one caBX chunk. */
  public static byte[] wrap(byte[] store, MediaFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(store.length + 64);
    if (format == MediaFormat.PNG) {
      int len = store.length;
      out.write(len >>> 24);
      out.write(len >>> 16);
      out.write(len >>> 8);
      out.write(len);
      byte[] type = PNG_CHUNK.getBytes(StandardCharsets.ISO_8859_1);
      out.writeBytes(type);
      out.writeBytes(store);
      CRC32 crc = new CRC32();
      crc.update(type);
      crc.update(store);
      long c = crc.getValue();
      out.write((int) (c >>> 24));
      out.write((int) (c >>> 16));
      out.write((int) (c >>> 8));
      out.write((int) c);
      return out.toByteArray();
    }
    int seq = 1;
    for (int off = 0; off < store.length; off += JPEG_CHUNK, seq++) {
      int n = Math.min(JPEG_CHUNK, store.length - off);
      int extra = off == 0 ? 0 : 8;
      int lp = 2 + 8 + extra + n;
      out.write(0xFF);
      out.write(0xEB);
      out.write(lp >>> 8);
      out.write(lp);
      out.write('J');
      out.write('P');
      out.write(0x02); // En: box instance number (c2pa-rs uses 0x0211 too)
      out.write(0x11);
      out.write(seq >>> 24);
      out.write(seq >>> 16);
      out.write(seq >>> 8);
      out.write(seq);
      if (off != 0) {
        out.write(store, 0, 8); // LBox and TBox repeat in every continuation segment
      }
      out.write(store, off, n);
    }
    return out.toByteArray();
  }

  /** {@code stripped} with {@code carrier} inserted at {@code offset}. */
  public static byte[] insert(byte[] stripped, int offset, byte[] carrier) {
    byte[] out = new byte[stripped.length + carrier.length];
    System.arraycopy(stripped, 0, out, 0, offset);
    System.arraycopy(carrier, 0, out, offset, carrier.length);
    System.arraycopy(stripped, offset, out, offset + carrier.length, stripped.length - offset);
    return out;
  }

  private static Found findJpeg(byte[] d) throws C2paException {
    if (d.length < 4 || (d[0] & 0xff) != 0xFF || (d[1] & 0xff) != 0xD8) {
      throw new C2paException("JPEG: no start-of-image marker");
    }
    ByteArrayOutputStream store = null;
    ByteArrayOutputStream current = null;
    int stores = 0;
    List<long[]> ranges = new ArrayList<>();
    int en = -1;
    long lastZ = 0;
    int p = 2;
    while (p + 4 <= d.length) {
      if ((d[p] & 0xff) != 0xFF) {
        throw new C2paException("JPEG: expected a marker at offset " + p);
      }
      int m = d[p + 1] & 0xff;
      if (m == 0xFF) {
        p++;
        continue;
      }
      if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
        p += 2;
        continue;
      }
      if (m == 0xD9 || m == 0xDA) {
        break; // end of image / start of scan: metadata segments come before
      }
      int len = ((d[p + 2] & 0xff) << 8) | (d[p + 3] & 0xff);
      if (len < 2 || p + 2 + len > d.length) {
        throw new C2paException("JPEG: segment at offset " + p + " runs past the end of the file");
      }
      if (m == 0xEB && len >= 2 + 16 && d[p + 4] == 'J' && d[p + 5] == 'P') {
        int segEn = ((d[p + 6] & 0xff) << 8) | (d[p + 7] & 0xff);
        long z = Jumbf.u32(d, p + 8);
        int content = p + 4;
        int contentLen = len - 2;
        boolean starts = contentLen >= 28 && d[content + 12] == 'j' && d[content + 13] == 'u'
            && d[content + 14] == 'm' && d[content + 15] == 'b'
            && d[content + 24] == STORE_TYPE_PREFIX[0] && d[content + 25] == STORE_TYPE_PREFIX[1]
            && d[content + 26] == STORE_TYPE_PREFIX[2] && d[content + 27] == STORE_TYPE_PREFIX[3];
        if (current != null && segEn == en && z > lastZ && !starts) {
          current.write(d, content + 16, contentLen - 16);
          ranges.add(new long[] {p, 2 + len});
          lastZ = z;
        } else if (starts) {
          // A second store (a duplicated segment, or two tools' stores) is collected apart and counted.
          stores++;
          current = new ByteArrayOutputStream();
          if (store == null) {
            store = current;
          }
          current.write(d, content + 8, contentLen - 8);
          ranges.add(new long[] {p, 2 + len});
          en = segEn;
          lastZ = z;
        }
      }
      p += 2 + len;
    }
    if (store == null) {
      return null;
    }
    return new Found(store.toByteArray(), merge(ranges), stores);
  }

  private static Found findPng(byte[] d) throws C2paException {
    if (MediaFormat.sniff(d) != MediaFormat.PNG) {
      throw new C2paException("PNG: bad signature");
    }
    int p = 8;
    Found found = null;
    List<long[]> ranges = new ArrayList<>();
    while (p + 12 <= d.length) {
      long len = Jumbf.u32(d, p);
      if (len > d.length - p - 12) {
        throw new C2paException("PNG: chunk at offset " + p + " runs past the end of the file");
      }
      String type = new String(d, p + 4, 4, StandardCharsets.ISO_8859_1);
      if (type.equals(PNG_CHUNK)) {
        ranges.add(new long[] {p, len + 12});
        if (found == null) {
          byte[] s = new byte[(int) len];
          System.arraycopy(d, p + 8, s, 0, (int) len);
          found = new Found(s, ranges, 1);
        } else {
          found = new Found(found.store(), ranges, found.storeCount() + 1);
        }
      }
      p += (int) len + 12;
      if (type.equals("IEND")) {
        break;
      }
    }
    return found;
  }

  private static List<long[]> merge(List<long[]> ranges) {
    List<long[]> out = new ArrayList<>();
    for (long[] r : ranges) {
      if (!out.isEmpty()) {
        long[] last = out.get(out.size() - 1);
        if (last[0] + last[1] == r[0]) {
          last[1] += r[1];
          continue;
        }
      }
      out.add(new long[] {r[0], r[1]});
    }
    return out;
  }
}
