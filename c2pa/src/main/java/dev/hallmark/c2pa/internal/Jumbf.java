package dev.hallmark.c2pa.internal;

import dev.hallmark.c2pa.C2paException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * ISO/IEC 19566-5 JUMBF boxes: parsing (offsets into the source array, so hashes can be taken over
 * the exact stored bytes) and writing.
 */
public final class Jumbf {
  private static final String C2PA_SUFFIX = "00110010800000aa00389b71";
  /** Manifest store. */
  public static final String UUID_STORE = "63327061" + C2PA_SUFFIX;
  /** One manifest. */
  public static final String UUID_MANIFEST = "63326d61" + C2PA_SUFFIX;
  /** Assertion store. */
  public static final String UUID_ASSERTIONS = "63326173" + C2PA_SUFFIX;
  /** Claim. */
  public static final String UUID_CLAIM = "6332636c" + C2PA_SUFFIX;
  /** Claim signature. */
  public static final String UUID_SIGNATURE = "63326373" + C2PA_SUFFIX;
  /** CBOR content. */
  public static final String UUID_CBOR = "63626f72" + C2PA_SUFFIX;
  /** JSON content. */
  public static final String UUID_JSON = "6a736f6e" + C2PA_SUFFIX;

  private static final int MAX_DEPTH = 16;

  private Jumbf() {}

  /** One parsed box: its type, where it sits in {@link #source}, and for a superbox its label and children. */
  public static final class Box {
    final byte[] source;
    public final String type;
    public final int boxOffset;
    public final int boxLength;
    public final int payloadOffset;
    public final int payloadLength;
    /** For a {@code jumb} superbox: its description's type UUID (lower-case hex) and label, else null. */
    public final String uuid;
    public final String label;
    /** For a superbox: the boxes after the description box. */
    public final List<Box> children;

    Box(byte[] source, String type, int boxOffset, int boxLength, int payloadOffset, int payloadLength,
        String uuid, String label, List<Box> children) {
      this.source = source;
      this.type = type;
      this.boxOffset = boxOffset;
      this.boxLength = boxLength;
      this.payloadOffset = payloadOffset;
      this.payloadLength = payloadLength;
      this.uuid = uuid;
      this.label = label;
      this.children = children;
    }

    public byte[] payload() {
      byte[] out = new byte[payloadLength];
      System.arraycopy(source, payloadOffset, out, 0, payloadLength);
      return out;
    }

    public byte[] source() {
      return source;
    }

    public boolean isSuperbox() {
      return children != null;
    }

    /** The first child superbox labelled {@code childLabel}, or null. */
    public Box child(String childLabel) {
      if (children == null) {
        return null;
      }
      for (Box b : children) {
        if (b.isSuperbox() && childLabel.equals(b.label)) {
          return b;
        }
      }
      return null;
    }

    /** The first child superbox with description type {@code childUuid}, or null. */
    public Box childByUuid(String childUuid) {
      if (children == null) {
        return null;
      }
      for (Box b : children) {
        if (b.isSuperbox() && childUuid.equals(b.uuid)) {
          return b;
        }
      }
      return null;
    }

    /** The payload of the first plain content box of type {@code boxType} inside this superbox, or null. */
    public byte[] content(String boxType) {
      if (children == null) {
        return null;
      }
      for (Box b : children) {
        if (!b.isSuperbox() && b.type.equals(boxType)) {
          return b.payload();
        }
      }
      return null;
    }
  }

  /** Parses one top-level box that must fill {@code data} exactly. */
  public static Box parseSingle(byte[] data) throws C2paException {
    List<Box> boxes = parse(data, 0, data.length, 0);
    if (boxes.size() != 1) {
      throw new C2paException("JUMBF: expected one manifest store box, found " + boxes.size());
    }
    return boxes.get(0);
  }

  private static List<Box> parse(byte[] d, int start, int end, int depth) throws C2paException {
    if (depth > MAX_DEPTH) {
      throw new C2paException("JUMBF: boxes nested deeper than " + MAX_DEPTH);
    }
    List<Box> out = new ArrayList<>();
    int p = start;
    while (p < end) {
      if (end - p < 8) {
        throw new C2paException("JUMBF: truncated box header at offset " + p);
      }
      long len = u32(d, p);
      String type = new String(d, p + 4, 4, StandardCharsets.ISO_8859_1);
      int header = 8;
      if (len == 1) {
        if (end - p < 16) {
          throw new C2paException("JUMBF: truncated extended box header at offset " + p);
        }
        len = (u32(d, p + 8) << 32) | u32(d, p + 12);
        header = 16;
      } else if (len == 0) {
        len = end - p;
      }
      if (len < header || len > end - p) {
        throw new C2paException("JUMBF: box '" + type + "' at offset " + p + " has bad length " + len);
      }
      int boxLen = (int) len;
      int payOff = p + header;
      int payLen = boxLen - header;
      if (type.equals("jumb")) {
        List<Box> inner = parse(d, payOff, payOff + payLen, depth + 1);
        if (inner.isEmpty() || !inner.get(0).type.equals("jumd")) {
          throw new C2paException("JUMBF: superbox at offset " + p + " has no description box");
        }
        Box desc = inner.get(0);
        String[] ul = description(d, desc.payloadOffset, desc.payloadLength);
        out.add(new Box(d, type, p, boxLen, payOff, payLen, ul[0], ul[1],
            Collections.unmodifiableList(new ArrayList<>(inner.subList(1, inner.size())))));
      } else {
        out.add(new Box(d, type, p, boxLen, payOff, payLen, null, null, null));
      }
      p += boxLen;
    }
    return out;
  }

  private static String[] description(byte[] d, int off, int len) throws C2paException {
    if (len < 17) {
      throw new C2paException("JUMBF: description box too short");
    }
    String uuid = HexFormat.of().formatHex(d, off, off + 16);
    int toggles = d[off + 16] & 0xff;
    String label = null;
    if ((toggles & 0x02) != 0) {
      int s = off + 17;
      int e = s;
      while (e < off + len && d[e] != 0) {
        e++;
      }
      if (e >= off + len) {
        throw new C2paException("JUMBF: description label is not terminated");
      }
      label = new String(d, s, e - s, StandardCharsets.UTF_8);
    }
    return new String[] {uuid, label};
  }

  static long u32(byte[] d, int p) {
    return ((d[p] & 0xffL) << 24) | ((d[p + 1] & 0xffL) << 16) | ((d[p + 2] & 0xffL) << 8) | (d[p + 3] & 0xffL);
  }

  // ---- writing ----

  /** A plain box: 4-byte length, 4-character type, payload. */
  public static byte[] box(String type, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
    int len = payload.length + 8;
    out.write(len >>> 24);
    out.write(len >>> 16);
    out.write(len >>> 8);
    out.write(len);
    out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A requestable, labelled description box. */
  public static byte[] description(String uuidHex, String label) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.writeBytes(HexFormat.of().parseHex(uuidHex));
    p.write(0x03);
    p.writeBytes(label.getBytes(StandardCharsets.UTF_8));
    p.write(0);
    return box("jumd", p.toByteArray());
  }

  /** The payload of a superbox (description + contents), the bytes a hashed URI covers. */
  public static byte[] superboxPayload(String uuidHex, String label, List<byte[]> contents) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.writeBytes(description(uuidHex, label));
    for (byte[] c : contents) {
      p.writeBytes(c);
    }
    return p.toByteArray();
  }

  /** A superbox wrapping {@link #superboxPayload}. */
  public static byte[] superbox(String uuidHex, String label, List<byte[]> contents) {
    return box("jumb", superboxPayload(uuidHex, label, contents));
  }
}
