package dev.hallmark.provenance.internal;

import dev.hallmark.detector.ContentSniffer;
import dev.hallmark.provenance.ProvenanceReference;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Writes and reads the provenance reference in image metadata at the byte level, leaving the pixel
 * data untouched: a PNG {@code iTXt} chunk with keyword {@code hallmark} right after {@code IHDR},
 * and a JPEG XMP packet (APP1, {@code hallmark:provenance} property): added to the image's own
 * packet, or in a packet of its own after the JFIF and EXIF segments. Readers also accept a {@code tEXt} chunk and XMP inside a PNG.
 */
public final class Metadata {
  /** PNG text keyword. */
  public static final String PNG_KEYWORD = "hallmark";
  /** XMP namespace of the {@code hallmark:provenance} property. */
  public static final String XMP_NAMESPACE = "https://hallmark.dev/ns/xmp/1.0/";

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final byte[] XMP_HEADER = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern XMP_PROPERTY =
      Pattern.compile("hallmark:provenance\\s*=\\s*\"([^\"]{1,1024})\"|<hallmark:provenance>([^<]{1,1024})</hallmark:provenance>");

  private Metadata() {}

  /** The image format recognised from the first bytes: "png", "jpeg" or null. */
  public static String sniff(byte[] b) {
    String f = ContentSniffer.imageFormat(b).orElse(null);
    return "png".equals(f) || "jpeg".equals(f) ? f : null;
  }


  /**
   * A copy of {@code image} (PNG or JPEG bytes) carrying {@code ref}; other formats are returned
   * unchanged.
   */
  public static byte[] embed(byte[] image, ProvenanceReference ref) {
    String f = sniff(image);
    if ("png".equals(f)) {
      return embedPng(image, ref.encode());
    }
    if ("jpeg".equals(f)) {
      return embedJpeg(image, ref.encode());
    }
    return image;
  }

  /** First code point of the Unicode tag block; tag characters mirror ASCII 0x20-0x7E at +0xE0000. */
  private static final int TAG_BASE = 0xE0000;

  /** {@code text} followed by {@code ref} spelled in invisible Unicode tag characters. */
  public static String appendUnicodeTag(String text, ProvenanceReference ref) {
    StringBuilder b = new StringBuilder(text);
    for (char c : ref.encode().toCharArray()) {
      b.appendCodePoint(TAG_BASE + c);
    }
    return b.toString();
  }

  /** The reference spelled in Unicode tag characters in {@code text}, if any. */
  public static String readUnicodeTag(String text) {
    int start = text.indexOf(new String(Character.toChars(TAG_BASE + 'h')) + new String(Character.toChars(TAG_BASE + 'a')));
    if (start < 0) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int i = start; i < text.length() && b.length() <= ProvenanceReference.MAX_LENGTH; ) {
      int cp = text.codePointAt(i);
      if (cp < TAG_BASE + 0x20 || cp > TAG_BASE + 0x7e) {
        break;
      }
      b.append((char) (cp - TAG_BASE));
      i += Character.charCount(cp);
    }
    return b.toString();
  }

  /** The reference in the file's metadata (or, for text, in Unicode tag characters), if any well-formed one is present. */
  public static Optional<ProvenanceReference> read(byte[] file) {
    String raw = null;
    try {
      String f = sniff(file);
      if ("png".equals(f)) {
        raw = readPng(file);
      } else if ("jpeg".equals(f)) {
        raw = readJpeg(file);
      } else {
        raw = readUnicodeTag(new String(file, StandardCharsets.UTF_8));
      }
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ProvenanceReference.parse(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] embedPng(byte[] png, String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 128);
    out.write(png, 0, 8);
    int p = 8;
    boolean written = false;
    while (p + 12 <= png.length) {
      int len = ByteBuffer.wrap(png, p, 4).getInt();
      if (len < 0 || p + 12L + len > png.length) {
        throw new IllegalArgumentException("PNG chunk at offset " + p + " runs past the end of the file");
      }
      String type = new String(png, p + 4, 4, StandardCharsets.US_ASCII);
      boolean ours = (type.equals("iTXt") || type.equals("tEXt")) && hasKeyword(png, p + 8, len, PNG_KEYWORD);
      if (!ours) {
        out.write(png, p, 12 + len);
      }
      p += 12 + len;
      if (type.equals("IHDR") && !written) {
        writeChunk(out, "iTXt", itxt(PNG_KEYWORD, text));
        written = true;
      }
      if (type.equals("IEND")) {
        break;
      }
    }
    return out.toByteArray();
  }

  private static byte[] itxt(String keyword, String text) {
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    d.writeBytes(keyword.getBytes(StandardCharsets.ISO_8859_1));
    d.write(0); // keyword terminator
    d.write(0); // not compressed
    d.write(0); // compression method
    d.write(0); // empty language tag
    d.write(0); // empty translated keyword
    d.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    return d.toByteArray();
  }

  private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static boolean hasKeyword(byte[] b, int off, int len, String keyword) {
    byte[] k = keyword.getBytes(StandardCharsets.ISO_8859_1);
    if (len < k.length + 1) {
      return false;
    }
    for (int i = 0; i < k.length; i++) {
      if (b[off + i] != k[i]) {
        return false;
      }
    }
    return b[off + k.length] == 0;
  }

  private static String readPng(byte[] png) {
    int p = 8;
    String xmpFound = null;
    while (p + 12 <= png.length) {
      int len = ByteBuffer.wrap(png, p, 4).getInt();
      if (len < 0 || p + 12L + len > png.length) {
        return xmpFound;
      }
      String type = new String(png, p + 4, 4, StandardCharsets.US_ASCII);
      if (type.equals("tEXt") && hasKeyword(png, p + 8, len, PNG_KEYWORD)) {
        int s = p + 8 + PNG_KEYWORD.length() + 1;
        return new String(png, s, p + 8 + len - s, StandardCharsets.ISO_8859_1);
      }
      if (type.equals("iTXt")) {
        String text = itxtText(png, p + 8, len);
        if (text != null && hasKeyword(png, p + 8, len, PNG_KEYWORD)) {
          return text;
        }
        if (text != null && hasKeyword(png, p + 8, len, "XML:com.adobe.xmp")) {
          xmpFound = xmpProperty(text);
        }
      }
      if (type.equals("IEND")) {
        break;
      }
      p += 12 + len;
    }
    return xmpFound;
  }

  /** The text of an uncompressed iTXt chunk, or null. */
  private static String itxtText(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end && b[i] != 0) {
      i++;
    }
    i++; // keyword terminator
    if (i + 2 > end || b[i] != 0) {
      return null; // compressed: Hallmark never writes those
    }
    i += 2;
    for (int nul = 0; nul < 2; nul++) {
      while (i < end && b[i] != 0) {
        i++;
      }
      i++;
    }
    if (i > end) {
      return null;
    }
    return new String(b, i, end - i, StandardCharsets.UTF_8);
  }

  /** What a JPEG XMP segment can hold after its namespace header (65,535 less the length field). */
  private static final int MAX_XMP_PACKET = 65533 - XMP_HEADER.length;

  /**
   * The JPEG with the reference in its XMP packet: the image's own packet keeps every property and gets
   * the {@code hallmark:provenance} property added (or its value replaced), in place; an image with
   * no packet gets one after its JFIF and EXIF segments (EXIF stays the first APP1, where readers
   * look for it). Before, the image's own packet was dropped, with its creator, rights and captions.
   *
   * @throws IllegalArgumentException if the image's packet leaves no room for the property
   */
  private static byte[] embedJpeg(byte[] jpg, String text) {
    int p = 2;
    int xmpAt = -1;
    int xmpLen = 0;
    int insertAt = -1;
    while (p + 4 <= jpg.length && (jpg[p] & 0xff) == 0xff) {
      int marker = jpg[p + 1] & 0xff;
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        p += 2;
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        break;
      }
      int len = ((jpg[p + 2] & 0xff) << 8) | (jpg[p + 3] & 0xff);
      if (len < 2 || p + 2 + len > jpg.length) {
        break;
      }
      boolean isXmp = marker == 0xe1 && len >= 2 + XMP_HEADER.length && regionStartsWith(jpg, p + 4, XMP_HEADER);
      if (isXmp && xmpAt < 0) {
        xmpAt = p;
        xmpLen = len;
      }
      boolean exif = marker == 0xe1 && len >= 8 && regionStartsWith(jpg, p + 4, "Exif\0".getBytes(StandardCharsets.US_ASCII));
      if (insertAt < 0 && marker != 0xe0 && !exif) {
        insertAt = p;
      }
      p += 2 + len;
    }
    if (insertAt < 0) {
      insertAt = p;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpg.length + 512);
    if (xmpAt >= 0) {
      int s = xmpAt + 4 + XMP_HEADER.length;
      String packet = mergedPacket(new String(jpg, s, xmpAt + 2 + xmpLen - s, StandardCharsets.UTF_8), text);
      out.write(jpg, 0, xmpAt);
      writeXmpPacket(out, packet);
      out.write(jpg, xmpAt + 2 + xmpLen, jpg.length - (xmpAt + 2 + xmpLen));
    } else {
      out.write(jpg, 0, insertAt);
      writeXmpSegment(out, text);
      out.write(jpg, insertAt, jpg.length - insertAt);
    }
    return out.toByteArray();
  }

  /** {@code packet} with the provenance property set to {@code text}, every other property kept. */
  static String mergedPacket(String packet, String text) {
    String value = xmlEscape(text);
    Matcher m = XMP_PROPERTY.matcher(packet);
    String merged;
    if (m.find()) {
      int g = m.group(1) != null ? 1 : 2;
      merged = packet.substring(0, m.start(g)) + value + packet.substring(m.end(g));
    } else {
      Matcher rdf = Pattern.compile("<rdf:RDF\\b[^>]*>").matcher(packet);
      if (!rdf.find()) {
        return freshPacket(text); // no RDF, so no properties to keep
      }
      merged = packet.substring(0, rdf.end()) + "<rdf:Description rdf:about=\"\" xmlns:hallmark=\"" + XMP_NAMESPACE
          + "\" hallmark:provenance=\"" + value + "\"/>" + packet.substring(rdf.end());
    }
    int size = merged.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_XMP_PACKET) {
      // Padding (trailing white space before the packet's end) gives room without dropping anything.
      merged = merged.replaceFirst("(?s)\\s{1," + (size - MAX_XMP_PACKET) + "}(<\\?xpacket end)", "$1");
      size = merged.getBytes(StandardCharsets.UTF_8).length;
      if (size > MAX_XMP_PACKET) {
        throw new IllegalArgumentException("the image's XMP packet (" + packet.getBytes(StandardCharsets.UTF_8).length
            + " bytes) leaves no room in its JPEG segment for the provenance reference");
      }
    }
    return merged;
  }

  private static void writeXmpSegment(ByteArrayOutputStream out, String text) {
    writeXmpPacket(out, freshPacket(text));
  }

  private static String freshPacket(String text) {
    return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
        + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        + "<rdf:Description rdf:about=\"\" xmlns:hallmark=\"" + XMP_NAMESPACE + "\" hallmark:provenance=\""
        + xmlEscape(text) + "\"/></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";
  }

  private static void writeXmpPacket(ByteArrayOutputStream out, String packet) {
    byte[] p = packet.getBytes(StandardCharsets.UTF_8);
    int len = 2 + XMP_HEADER.length + p.length;
    out.write(0xff);
    out.write(0xe1);
    out.write(len >>> 8);
    out.write(len & 0xff);
    out.writeBytes(XMP_HEADER);
    out.writeBytes(p);
  }

  private static String readJpeg(byte[] jpg) {
    int p = 2;
    while (p + 4 <= jpg.length && (jpg[p] & 0xff) == 0xff) {
      int marker = jpg[p + 1] & 0xff;
      if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        p += 2;
        continue;
      }
      if (marker == 0xda || marker == 0xd9) {
        return null;
      }
      int len = ((jpg[p + 2] & 0xff) << 8) | (jpg[p + 3] & 0xff);
      if (len < 2 || p + 2 + len > jpg.length) {
        return null;
      }
      if (marker == 0xe1 && len >= 2 + XMP_HEADER.length && regionStartsWith(jpg, p + 4, XMP_HEADER)) {
        int s = p + 4 + XMP_HEADER.length;
        String v = xmpProperty(new String(jpg, s, p + 2 + len - s, StandardCharsets.UTF_8));
        if (v != null) {
          return v;
        }
      }
      p += 2 + len;
    }
    return null;
  }

  private static String xmpProperty(String xmp) {
    Matcher m = XMP_PROPERTY.matcher(xmp);
    if (!m.find()) {
      return null;
    }
    return xmlUnescape(m.group(1) != null ? m.group(1) : m.group(2));
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String xmlUnescape(String s) {
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return regionStartsWith(b, 0, prefix);
  }

  private static boolean regionStartsWith(byte[] b, int off, byte[] prefix) {
    if (off + prefix.length > b.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
