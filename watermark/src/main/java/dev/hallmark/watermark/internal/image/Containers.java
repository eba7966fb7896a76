package dev.hallmark.watermark.internal.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Byte-level JPEG marker and PNG chunk surgery: reads the colour profile, EXIF block and other
 * descriptive metadata of a file, and carries them into a freshly encoded file of either format.
 * The pixel codecs (ImageIO) never see or rewrite this metadata, so nothing is converted on the
 * way: a profile comes out byte for byte as it went in. Stateless.
 */
public final class Containers {
  private Containers() {}

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] ICC_ID = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] EXIF_ID = {'E', 'x', 'i', 'f', 0, 0};
  /** Largest ICC payload per APP2 segment: 65535 - length field - identifier - sequence bytes. */
  private static final int ICC_CHUNK = 65535 - 2 - ICC_ID.length - 2;
  /** Largest decompressed iCCP profile accepted (profiles are kilobytes; this bounds a zip bomb). */
  private static final int MAX_ICC = 16 << 20;

  /** One JPEG marker segment before the scan: marker byte and the segment's payload (after the length). */
  public record Segment(int marker, int offset, int end, byte[] payload) {}

  /** Metadata carried from a source file into its watermarked copy. Immutable by convention. */
  public record Carried(byte[] icc, byte[] exif, List<Segment> jpegExtras, List<byte[]> pngExtras) {}

  public static boolean isJpeg(byte[] b) {
    return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
  }

  public static boolean isPng(byte[] b) {
    return b.length > 8 && Arrays.equals(Arrays.copyOf(b, 8), PNG_SIGNATURE);
  }

  /** The marker segments from SOI up to (not including) SOS; stops quietly at malformed data. */
  public static List<Segment> jpegSegments(byte[] b) {
    List<Segment> out = new ArrayList<>();
    int p = 2;
    while (p + 4 <= b.length) {
      if ((b[p] & 0xff) != 0xff) {
        break;
      }
      int m = b[p + 1] & 0xff;
      if (m == 0xff) {
        p++;
        continue;
      }
      if (m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
        p += 2;
        continue;
      }
      if (m == 0xda || m == 0xd9) {
        break;
      }
      int len = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
      if (len < 2 || p + 2 + len > b.length) {
        break;
      }
      out.add(new Segment(m, p, p + 2 + len, Arrays.copyOfRange(b, p + 4, p + 2 + len)));
      p += 2 + len;
    }
    return out;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length && Arrays.equals(Arrays.copyOf(b, prefix.length), prefix);
  }

  static boolean isIccSegment(Segment s) {
    return s.marker() == 0xe2 && startsWith(s.payload(), ICC_ID) && s.payload().length >= ICC_ID.length + 2;
  }

  static boolean isExifSegment(Segment s) {
    return s.marker() == 0xe1 && startsWith(s.payload(), EXIF_ID);
  }

  /** The ICC profile of a JPEG (APP2 chunks reassembled in sequence order), or null. */
  public static byte[] jpegIcc(List<Segment> segments) {
    List<Segment> icc = new ArrayList<>();
    for (Segment s : segments) {
      if (isIccSegment(s)) {
        icc.add(s);
      }
    }
    if (icc.isEmpty()) {
      return null;
    }
    icc.sort((a, c) -> Integer.compare(a.payload()[ICC_ID.length] & 0xff, c.payload()[ICC_ID.length] & 0xff));
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    for (Segment s : icc) {
      bos.write(s.payload(), ICC_ID.length + 2, s.payload().length - ICC_ID.length - 2);
    }
    return bos.toByteArray();
  }

  /** The TIFF-structured EXIF block of a JPEG (after "Exif\0\0"), or null. */
  public static byte[] jpegExif(List<Segment> segments) {
    for (Segment s : segments) {
      if (isExifSegment(s)) {
        return Arrays.copyOfRange(s.payload(), EXIF_ID.length, s.payload().length);
      }
    }
    return null;
  }

  /** The Adobe APP14 colour transform (0 none, 1 YCbCr, 2 YCCK), or -1 when there is no Adobe marker. */
  public static int adobeTransform(List<Segment> segments) {
    for (Segment s : segments) {
      byte[] p = s.payload();
      if (s.marker() == 0xee && p.length >= 12 && p[0] == 'A' && p[1] == 'd' && p[2] == 'o' && p[3] == 'b'
          && p[4] == 'e') {
        return p[11] & 0xff;
      }
    }
    return -1;
  }

  /** Number of components in the frame header, or -1. */
  public static int jpegComponents(List<Segment> segments) {
    for (Segment s : segments) {
      int m = s.marker();
      if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc && s.payload().length >= 6) {
        return s.payload()[5] & 0xff;
      }
    }
    return -1;
  }

  /** {@code b} without its APP2 ICC segments (so a decoder sees the samples without converting them). */
  public static byte[] withoutJpegIcc(byte[] b, List<Segment> segments) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream(b.length);
    int p = 0;
    for (Segment s : segments) {
      if (isIccSegment(s)) {
        bos.write(b, p, s.offset() - p);
        p = s.end();
      }
    }
    bos.write(b, p, b.length - p);
    return bos.toByteArray();
  }

  /** Metadata of a JPEG worth carrying: ICC, EXIF, and the other APP1 (XMP), APP13 (IPTC) segments. */
  public static Carried fromJpeg(List<Segment> segments) {
    List<Segment> extras = new ArrayList<>();
    for (Segment s : segments) {
      if ((s.marker() == 0xe1 && !isExifSegment(s)) || s.marker() == 0xed || s.marker() == 0xfe) {
        extras.add(s);
      }
    }
    return new Carried(jpegIcc(segments), jpegExif(segments), List.copyOf(extras), List.of());
  }

  /**
   * Inserts {@code carried} into a freshly encoded JPEG: the encoder's own APP1/APP2 segments are
   * dropped, the carried EXIF, ICC and extras go after its JFIF/Adobe header segments.
   */
  public static byte[] intoJpeg(byte[] encoded, Carried carried) {
    List<Segment> segs = jpegSegments(encoded);
    ByteArrayOutputStream bos = new ByteArrayOutputStream(encoded.length + 4096);
    bos.write(encoded, 0, 2);
    int p = 2;
    // Leading APP0 (JFIF) and APP14 (Adobe) stay first, as decoders expect.
    int i = 0;
    while (i < segs.size() && (segs.get(i).marker() == 0xe0 || segs.get(i).marker() == 0xee)
        && segs.get(i).offset() == p) {
      bos.write(encoded, p, segs.get(i).end() - p);
      p = segs.get(i).end();
      i++;
    }
    if (carried.exif() != null) {
      writeSegment(bos, 0xe1, concat(EXIF_ID, carried.exif()));
    }
    if (carried.icc() != null) {
      int n = (carried.icc().length + ICC_CHUNK - 1) / ICC_CHUNK;
      for (int k = 0; k < n; k++) {
        int from = k * ICC_CHUNK;
        int to = Math.min(carried.icc().length, from + ICC_CHUNK);
        byte[] seg = new byte[ICC_ID.length + 2 + to - from];
        System.arraycopy(ICC_ID, 0, seg, 0, ICC_ID.length);
        seg[ICC_ID.length] = (byte) (k + 1);
        seg[ICC_ID.length + 1] = (byte) n;
        System.arraycopy(carried.icc(), from, seg, ICC_ID.length + 2, to - from);
        writeSegment(bos, 0xe2, seg);
      }
    }
    for (Segment s : carried.jpegExtras()) {
      writeSegment(bos, s.marker(), s.payload());
    }
    for (; i < segs.size(); i++) {
      Segment s = segs.get(i);
      bos.write(encoded, p, s.offset() - p);
      p = s.end();
      if (s.marker() != 0xe1 && s.marker() != 0xe2) {
        bos.write(encoded, s.offset(), s.end() - s.offset());
      }
    }
    bos.write(encoded, p, encoded.length - p);
    return bos.toByteArray();
  }

  private static void writeSegment(ByteArrayOutputStream bos, int marker, byte[] payload) {
    int len = payload.length + 2;
    if (len > 65535) {
      throw new IllegalArgumentException("JPEG segment too long: " + len + " bytes");
    }
    bos.write(0xff);
    bos.write(marker);
    bos.write(len >>> 8);
    bos.write(len & 0xff);
    bos.write(payload, 0, payload.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** A PNG chunk: type and data, at [offset, end) in the file. */
  public record Chunk(String type, int offset, int end, byte[] data) {}

  /** All chunks of a PNG; stops quietly at malformed data. */
  public static List<Chunk> pngChunks(byte[] b) {
    List<Chunk> out = new ArrayList<>();
    int p = 8;
    while (p + 12 <= b.length) {
      long len = ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
      if (len > b.length - p - 12) {
        break;
      }
      String type = new String(b, p + 4, 4, StandardCharsets.ISO_8859_1);
      int end = p + 12 + (int) len;
      out.add(new Chunk(type, p, end, Arrays.copyOfRange(b, p + 8, p + 8 + (int) len)));
      p = end;
      if (type.equals("IEND")) {
        break;
      }
    }
    return out;
  }

  /** Colour and descriptive chunks carried besides iCCP and eXIf. */
  private static final List<String> PNG_CARRIED = List.of("sRGB", "gAMA", "cHRM", "pHYs", "tEXt", "zTXt", "iTXt", "tIME");

  /** Metadata of a PNG worth carrying: iCCP (decompressed), eXIf, colour and text chunks. */
  public static Carried fromPng(List<Chunk> chunks) throws DataFormatException {
    byte[] icc = null;
    byte[] exif = null;
    List<byte[]> extras = new ArrayList<>();
    for (Chunk c : chunks) {
      if (c.type().equals("iCCP")) {
        icc = iccpProfile(c.data());
      } else if (c.type().equals("eXIf")) {
        exif = c.data();
      } else if (PNG_CARRIED.contains(c.type())) {
        extras.add(Arrays.copyOfRange(chunkBytes(c.type(), c.data()), 0, c.data().length + 12));
      }
    }
    return new Carried(icc, exif, List.of(), List.copyOf(extras));
  }

  private static byte[] iccpProfile(byte[] data) throws DataFormatException {
    int z = 0;
    while (z < data.length && data[z] != 0) {
      z++;
    }
    if (z + 2 > data.length || data[z + 1] != 0) {
      throw new DataFormatException("iCCP chunk: bad name or compression method");
    }
    Inflater inf = new Inflater();
    try {
      inf.setInput(data, z + 2, data.length - z - 2);
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw new DataFormatException("iCCP chunk: truncated profile");
        }
        bos.write(buf, 0, n);
        if (bos.size() > MAX_ICC) {
          throw new DataFormatException("iCCP chunk: profile larger than " + MAX_ICC + " bytes");
        }
      }
      return bos.toByteArray();
    } finally {
      inf.end();
    }
  }

  /**
   * Inserts {@code carried} into a freshly encoded PNG right after IHDR (iCCP and the colour chunks
   * must precede PLTE and IDAT); the encoder's own colour and text chunks are dropped.
   */
  public static byte[] intoPng(byte[] encoded, Carried carried) {
    List<Chunk> chunks = pngChunks(encoded);
    ByteArrayOutputStream bos = new ByteArrayOutputStream(encoded.length + 4096);
    bos.write(encoded, 0, 8);
    for (Chunk c : chunks) {
      if (c.type().equals("iCCP") || c.type().equals("eXIf") || PNG_CARRIED.contains(c.type())) {
        continue;
      }
      bos.write(encoded, c.offset(), c.end() - c.offset());
      if (c.type().equals("IHDR")) {
        boolean hasIcc = carried.icc() != null;
        if (hasIcc) {
          Deflater d = new Deflater(9);
          try {
            d.setInput(carried.icc());
            d.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            z.write("ICC profile".getBytes(StandardCharsets.ISO_8859_1), 0, 11);
            z.write(0);
            z.write(0);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
              int n = d.deflate(buf);
              z.write(buf, 0, n);
            }
            byte[] chunk = chunkBytes("iCCP", z.toByteArray());
            bos.write(chunk, 0, chunk.length);
          } finally {
            d.end();
          }
        }
        for (byte[] extra : carried.pngExtras()) {
          String type = new String(extra, 4, 4, StandardCharsets.ISO_8859_1);
          // With a profile, sRGB must not also be present (PNG 11.3.3.5).
          if (hasIcc && type.equals("sRGB")) {
            continue;
          }
          bos.write(extra, 0, extra.length);
        }
        if (carried.exif() != null) {
          byte[] chunk = chunkBytes("eXIf", carried.exif());
          bos.write(chunk, 0, chunk.length);
        }
      }
    }
    return bos.toByteArray();
  }

  private static byte[] chunkBytes(String type, byte[] data) {
    byte[] out = new byte[data.length + 12];
    int n = data.length;
    out[0] = (byte) (n >>> 24);
    out[1] = (byte) (n >>> 16);
    out[2] = (byte) (n >>> 8);
    out[3] = (byte) n;
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(t, 0, out, 4, 4);
    System.arraycopy(data, 0, out, 8, n);
    CRC32 crc = new CRC32();
    crc.update(out, 4, n + 4);
    long c = crc.getValue();
    out[n + 8] = (byte) (c >>> 24);
    out[n + 9] = (byte) (c >>> 16);
    out[n + 10] = (byte) (c >>> 8);
    out[n + 11] = (byte) c;
    return out;
  }

  /** The EXIF orientation (1-8) in a TIFF-structured EXIF block, or 1 when absent or unreadable. */
  public static int exifOrientation(byte[] tiff) {
    if (tiff == null || tiff.length < 8) {
      return 1;
    }
    boolean le = tiff[0] == 'I' && tiff[1] == 'I';
    if (!le && !(tiff[0] == 'M' && tiff[1] == 'M')) {
      return 1;
    }
    long ifd = u32(tiff, 4, le);
    if (ifd < 8 || ifd + 2 > tiff.length) {
      return 1;
    }
    int n = u16(tiff, (int) ifd, le);
    for (int k = 0; k < n; k++) {
      int e = (int) ifd + 2 + 12 * k;
      if (e + 12 > tiff.length) {
        return 1;
      }
      if (u16(tiff, e, le) == 0x0112 && u16(tiff, e + 2, le) == 3) {
        int v = u16(tiff, e + 8, le);
        return v >= 1 && v <= 8 ? v : 1;
      }
    }
    return 1;
  }

  private static int u16(byte[] b, int p, boolean le) {
    return le ? (b[p] & 0xff) | ((b[p + 1] & 0xff) << 8) : ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  private static long u32(byte[] b, int p, boolean le) {
    return le ? (u16(b, p, true) & 0xffffL) | ((long) u16(b, p + 2, true) << 16)
        : ((long) u16(b, p, false) << 16) | u16(b, p + 2, false);
  }
}
