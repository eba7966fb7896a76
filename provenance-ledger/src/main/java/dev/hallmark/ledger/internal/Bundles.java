package dev.hallmark.ledger.internal;

import java.util.ArrayList;
import java.util.List;

/** Entry bundles: big-endian uint16 length-prefixed entries. */
public final class Bundles {
  private Bundles() {}

  public static byte[] encode(List<byte[]> entries) {
    int total = 0;
    for (byte[] e : entries) {
      if (e.length > 0xffff) {
        throw new IllegalArgumentException("entry of " + e.length + " bytes does not fit a uint16 length");
      }
      total = Math.addExact(total, 2 + e.length);
    }
    // Sized once: a growing stream copied each 256-entry bundle about ten times over (a tenth of
    // everything `ledger add` allocated).
    byte[] out = new byte[total];
    int p = 0;
    for (byte[] e : entries) {
      out[p++] = (byte) (e.length >>> 8);
      out[p++] = (byte) e.length;
      System.arraycopy(e, 0, out, p, e.length);
      p += e.length;
    }
    return out;
  }

  /**
   * Decodes a bundle that must hold exactly {@code expected} entries (or at least, when
   * {@code prefixOk}).
   *
   * @throws IllegalArgumentException naming the byte offset of the problem
   */
  public static List<byte[]> decode(byte[] data, int expected, boolean prefixOk) {
    List<byte[]> out = new ArrayList<>();
    int p = 0;
    while (p < data.length && (!prefixOk || out.size() < expected)) {
      if (p + 2 > data.length) {
        throw new IllegalArgumentException("truncated length prefix at byte offset " + p);
      }
      int len = ((data[p] & 0xff) << 8) | (data[p + 1] & 0xff);
      if (p + 2 + len > data.length) {
        throw new IllegalArgumentException("entry " + out.size() + " at byte offset " + p + " claims " + len
            + " bytes but only " + (data.length - p - 2) + " remain");
      }
      byte[] e = new byte[len];
      System.arraycopy(data, p + 2, e, 0, len);
      out.add(e);
      p += 2 + len;
    }
    if (out.size() < expected || (!prefixOk && out.size() != expected)) {
      throw new IllegalArgumentException("holds " + out.size() + " entries, expected " + expected);
    }
    return out;
  }
}
