package dev.hallmark.core.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Batch verification of Ed25519 signatures (RFC 8032, pure Ed25519), cofactored: for random coefficients
 * z_i in [2^126, 2^127) it checks
 *
 * <pre>  [8] ( [sum z_i s_i] B - sum [z_i] R_i - sum_k [sum_{i: A_i = k} z_i h_i] A_k ) = 0 </pre>
 *
 * with one multi-scalar multiplication (Straus, wNAF, doublings shared by every point). Every scalar
 * is at most 128 bits: the coefficients z_i are, and the two 253-bit scalars (of B and of each key A)
 * are split as c = c_lo + 2^128 c_hi against the points P and 2^128 P, whose tables are precomputed
 * (B's once, a key's from its second batch on: see {@link Key}), so the loop doubles 128 times
 * instead of 253.
 * Bouncy Castle's single verification is cofactored too (its Straus loop ends with the doublings that
 * clear the cofactor), so a batch of signatures that each verify passes, and a batch containing one
 * that does not fails except with probability about 2^-125 over the coefficients. The caller must
 * therefore draw them from a source the signers cannot predict ({@link SecureRandom}); a failing batch
 * tells nothing about which signature failed, so callers re-check its members one by one.
 *
 * <p>The encoding checks are Bouncy Castle's: R's y below p, R on the curve with x = 0 only for sign
 * bit 0, and S below the group order L; a signature failing them makes {@link #prepare} return null.
 *
 * <p>Field arithmetic is Bouncy Castle's {@link X25519Field} (ten 25/26-bit limbs; products are carried,
 * sums of two carried values may be multiplied). Nothing here handles secrets: every input is public,
 * so the code is variable-time.
 */
public final class Ed25519Batch {
  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  /** The prime order of the base point. */
  private static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  /** wNAF widths: the coefficients' points (tables built per batch), keys (per key), B (once). */
  private static final int R_W = 5;
  private static final int KEY_W = 6;
  private static final int BASE_W = 8;
  /** Digits of a scalar below 2^128: 129 at most. */
  private static final int NAF_LEN = 130;
  /** Digits of a scalar below L (a key on its first batch): 254 at most. */
  private static final int NAF_LEN_FULL = 256;
  private static final BigInteger LOW128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private static final int[] D2;
  private static final int[] D;
  /** Odd multiples of B and of 2^128 B, width {@value #BASE_W}. */
  private static final Cached[] BASE_TABLE;
  private static final Cached[] BASE128_TABLE;

  static {
    // d = -121665 / 121666
    int[] t = X25519Field.create();
    X25519Field.zero(t);
    t[0] = 121666;
    int[] inv = X25519Field.create();
    X25519Field.inv(t, inv);
    D = X25519Field.create();
    X25519Field.mul(inv, 121665, D);
    X25519Field.negate(D, D);
    X25519Field.normalize(D);
    D2 = X25519Field.create();
    X25519Field.add(D, D, D2);
    X25519Field.carry(D2);
    // B: y = 4/5, x even; encoded as 0x58 followed by 31 bytes of 0x66.
    byte[] b = new byte[32];
    java.util.Arrays.fill(b, (byte) 0x66);
    b[0] = 0x58;
    Point base = decode(b, 0);
    if (base == null) {
      throw new IllegalStateException("Ed25519 base point does not decode");
    }
    BASE_TABLE = table(base, BASE_W);
    BASE128_TABLE = table(times2To128(base), BASE_W);
  }

  private Ed25519Batch() {}

  /** A point in extended coordinates: x = X/Z, y = Y/Z, T = XY/Z. */
  public static final class Point {
    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();
  }

  /**
   * A decoded public key and, from its second batch on, the tables a batch needs for it: odd multiples
   * of -A and of -2^128 A. Building them costs about as much as one single verification, so a key seen
   * in one batch only (a log where every record has its own producer) is multiplied in full instead,
   * with a table built for that batch: that batch then doubles 253 times, as every batch did before
   * the split. {@code Ed25519PublicKey} keeps its {@code Key}, so a producer's key pays once. Safe to
   * share between threads (two may build the same tables; either result is kept).
   */
  public static final class Key {
    final Point a;
    private volatile boolean seen;
    private volatile Cached[][] tables;

    private Key(Point a) {
      this.a = a;
    }

    /** The two tables, or null on the key's first batch (which multiplies it in full). */
    Cached[][] splitTables() {
      Cached[][] t = tables;
      if (t == null && seen) {
        Point neg = copy(a);
        negate(neg);
        t = new Cached[][] {table(neg, KEY_W), table(times2To128(neg), KEY_W)};
        tables = t;
      }
      if (!seen) {
        seen = true;
      }
      return t;
    }
  }

  /** The key encoded at {@code off}, or null when it is not a valid point encoding. */
  public static Key key(byte[] enc, int off) {
    Point a = decode(enc, off);
    return a == null ? null : new Key(a);
  }

  /** A point ready to be added: (Y+X, Y-X, 2dT, 2Z). */
  private static final class Cached {
    final int[] ypx = X25519Field.create();
    final int[] ymx = X25519Field.create();
    final int[] t2d = X25519Field.create();
    final int[] z2 = X25519Field.create();
  }

  /** Scratch space of one multiplication. */
  private static final class Temp {
    final int[] a = X25519Field.create();
    final int[] b = X25519Field.create();
    final int[] c = X25519Field.create();
    final int[] d = X25519Field.create();
    final int[] f = X25519Field.create();
    final int[] g = X25519Field.create();
    final int[] h = X25519Field.create();
  }

  /**
   * Decodes a 32-byte point encoding at {@code off} as Bouncy Castle does for R (canonical y, on the
   * curve, no negative zero); null when it is not a valid encoding.
   */
  public static Point decode(byte[] enc, int off) {
    byte[] le = new byte[32];
    System.arraycopy(enc, off, le, 0, 32);
    int sign = (le[31] & 0x80) >>> 7;
    le[31] &= 0x7F;
    if (littleEndian(le).compareTo(P) >= 0) {
      return null;
    }
    Point r = new Point();
    X25519Field.decode255(le, 0, r.y, 0);
    int[] u = X25519Field.create();
    int[] v = X25519Field.create();
    X25519Field.sqr(r.y, u);
    X25519Field.mul(D, u, v);
    X25519Field.subOne(u);
    X25519Field.addOne(v);
    if (!X25519Field.sqrtRatioVar(u, v, r.x)) {
      return null;
    }
    X25519Field.normalize(r.x);
    if (sign == 1 && X25519Field.isZeroVar(r.x)) {
      return null;
    }
    if (sign != (r.x[0] & 1)) {
      X25519Field.negate(r.x, r.x);
      X25519Field.normalize(r.x);
    }
    X25519Field.one(r.z);
    X25519Field.mul(r.x, r.y, r.t);
    return r;
  }

  /** One signature's share of a batch, or null from {@link #prepare} when its encoding is invalid. */
  public static final class Item {
    /** Odd multiples of -R, width {@value #R_W}. */
    final Cached[] negRTable;
    final BigInteger s;
    final BigInteger h;

    private Item(Cached[] negRTable, BigInteger s, BigInteger h) {
      this.negRTable = negRTable;
      this.s = s;
      this.h = h;
    }
  }

  /** A SHA-512 digest for {@link #prepare}: one per batch, not one per signature. */
  public static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-512", e);
    }
  }

  /**
   * Decodes a signature over {@code message} by the key whose encoding is {@code publicKey}, hashes
   * it with {@code sha512} (from {@link #sha512()}; reset on return) and builds the table of -R: all of
   * a batch check's work that depends on this signature alone. Null when R or S is malformed (such a
   * signature never verifies).
   */
  public static Item prepare(byte[] publicKey, byte[] message, byte[] signature, MessageDigest sha512) {
    if (signature.length != 64 || publicKey.length != 32) {
      return null;
    }
    Point r = decode(signature, 0);
    if (r == null) {
      return null;
    }
    byte[] sBytes = new byte[32];
    System.arraycopy(signature, 32, sBytes, 0, 32);
    BigInteger s = littleEndian(sBytes);
    if (s.compareTo(L) >= 0) {
      return null;
    }
    sha512.update(signature, 0, 32);
    sha512.update(publicKey);
    sha512.update(message);
    BigInteger h = littleEndian(sha512.digest()).mod(L);
    negate(r);
    return new Item(table(r, R_W), s, h);
  }

  /**
   * True when every item verifies under its key ({@code keys[i]} is the key of {@code items[i]};
   * items sharing a key object are combined into one scalar). False when at least one does not,
   * except with probability about 2^-125.
   */
  public static boolean allValid(Item[] items, Key[] keys, SecureRandom random) {
    int n = items.length;
    if (n == 0) {
      return true;
    }
    java.util.IdentityHashMap<Key, BigInteger> keyScalars = new java.util.IdentityHashMap<>();
    BigInteger sSum = BigInteger.ZERO;
    BigInteger[] zs = new BigInteger[n];
    byte[] all = new byte[16 * n];
    random.nextBytes(all); // one call: a SecureRandom may lock or read the OS per call
    byte[] zb = new byte[16];
    for (int i = 0; i < n; i++) {
      System.arraycopy(all, 16 * i, zb, 0, 16);
      zb[15] &= 0x7F; // below 2^127 ...
      zb[15] |= 0x40; // ... and never zero: a zero coefficient would leave its signature unchecked
      BigInteger z = littleEndian(zb);
      zs[i] = z;
      sSum = sSum.add(z.multiply(items[i].s));
      keyScalars.merge(keys[i], z.multiply(items[i].h), BigInteger::add);
    }
    // Keys on their first batch are multiplied in full (253-bit scalar, table built here); every other
    // scalar is split at 2^128. Doublings: 128, or 253 when a full-length scalar is present.
    Key[] keyList = keyScalars.keySet().toArray(new Key[0]);
    Cached[][][] split = new Cached[keyList.length][][];
    boolean full = false;
    int m = n + 2;
    for (int k = 0; k < keyList.length; k++) {
      split[k] = keyList[k].splitTables();
      full |= split[k] == null;
      m += split[k] == null ? 1 : 2;
    }
    int len = full ? NAF_LEN_FULL : NAF_LEN;
    Cached[][] tables = new Cached[m][];
    byte[][] nafs = new byte[m][];
    int j = 0;
    for (int i = 0; i < n; i++, j++) {
      tables[j] = items[i].negRTable;
      nafs[j] = wnaf(zs[i], R_W, len);
    }
    for (int k = 0; k < keyList.length; k++) {
      BigInteger c = keyScalars.get(keyList[k]).mod(L);
      if (split[k] == null) {
        Point neg = copy(keyList[k].a);
        negate(neg);
        tables[j] = table(neg, R_W);
        nafs[j++] = wnaf(c, R_W, len);
      } else {
        tables[j] = split[k][0];
        nafs[j++] = wnaf(c.and(LOW128), KEY_W, len);
        tables[j] = split[k][1];
        nafs[j++] = wnaf(c.shiftRight(128), KEY_W, len);
      }
    }
    BigInteger s = sSum.mod(L);
    tables[j] = BASE_TABLE;
    nafs[j++] = wnaf(s.and(LOW128), BASE_W, len);
    tables[j] = BASE128_TABLE;
    nafs[j] = wnaf(s.shiftRight(128), BASE_W, len);

    Point acc = new Point();
    X25519Field.zero(acc.x);
    X25519Field.one(acc.y);
    X25519Field.one(acc.z);
    X25519Field.zero(acc.t);
    Temp t = new Temp();
    int top = len - 1;
    while (top >= 0 && !anyDigit(nafs, top)) {
      top--;
    }
    for (int bit = top; bit >= 0; bit--) {
      boolean adds = anyDigit(nafs, bit);
      dbl(acc, acc, t, adds); // T only when an addition reads it
      if (adds) {
        for (int q = 0; q < m; q++) {
          int d = nafs[q][bit];
          if (d != 0) {
            add(acc, tables[q][(d < 0 ? -d : d) >> 1], d < 0, acc, t);
          }
        }
      }
    }
    dbl(acc, acc, t, false);
    dbl(acc, acc, t, false);
    dbl(acc, acc, t, false);
    X25519Field.normalize(acc.x);
    X25519Field.normalize(acc.y);
    X25519Field.normalize(acc.z);
    return X25519Field.isZeroVar(acc.x) && !X25519Field.isZeroVar(acc.y) && X25519Field.areEqualVar(acc.y, acc.z);
  }

  private static boolean anyDigit(byte[][] nafs, int bit) {
    for (byte[] naf : nafs) {
      if (naf[bit] != 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Width-{@code w} non-adjacent form of {@code s} in {@code len} digits (0 <= s < 2^(len - 2), len
   * at most 256): odd digits in [-(2^(w-1) - 1), 2^(w-1) - 1], least significant first.
   */
  static byte[] wnaf(BigInteger s, int w, int len) {
    if (s.signum() < 0 || s.bitLength() > len - 2 || len > 256) {
      throw new IllegalArgumentException("scalar out of range for the wNAF");
    }
    long[] limbs = new long[5]; // a zero top limb: windows may read past the scalar's last bit
    for (int i = 0; i < 4; i++) {
      limbs[i] = s.shiftRight(64 * i).longValue();
    }
    byte[] naf = new byte[len];
    int width = 1 << w;
    long mask = width - 1;
    int carry = 0;
    int pos = 0;
    while (pos < len) {
      int idx = pos / 64;
      int bitIdx = pos % 64;
      long buf = limbs[idx] >>> bitIdx;
      if (bitIdx > 64 - w && idx < 4) {
        buf |= limbs[idx + 1] << (64 - bitIdx);
      }
      int window = carry + (int) (buf & mask);
      if ((window & 1) == 0) {
        pos++;
        continue;
      }
      if (window < width / 2) {
        carry = 0;
        naf[pos] = (byte) window;
      } else {
        carry = 1;
        naf[pos] = (byte) (window - width);
      }
      pos += w;
    }
    if (carry != 0) {
      throw new IllegalStateException("scalar out of range for the wNAF");
    }
    return naf;
  }

  /** P, 3P, 5P, ..., (2^(w-1) - 1)P in cached form. */
  private static Cached[] table(Point p, int w) {
    Cached[] tab = new Cached[1 << (w - 2)];
    Temp t = new Temp();
    Point p2 = new Point();
    dbl(p, p2, t, true);
    Cached c2 = cached(p2);
    Point q = copy(p);
    tab[0] = cached(q);
    for (int i = 1; i < tab.length; i++) {
      add(q, c2, false, q, t);
      tab[i] = cached(q);
    }
    return tab;
  }

  private static Cached cached(Point p) {
    Cached c = new Cached();
    X25519Field.apm(p.y, p.x, c.ypx, c.ymx);
    X25519Field.mul(p.t, D2, c.t2d);
    X25519Field.add(p.z, p.z, c.z2);
    return c;
  }

  /** 2^128 p. */
  private static Point times2To128(Point p) {
    Point r = copy(p);
    Temp t = new Temp();
    for (int i = 0; i < 128; i++) {
      dbl(r, r, t, i == 127);
    }
    return r;
  }

  private static Point copy(Point p) {
    Point r = new Point();
    X25519Field.copy(p.x, 0, r.x, 0);
    X25519Field.copy(p.y, 0, r.y, 0);
    X25519Field.copy(p.z, 0, r.z, 0);
    X25519Field.copy(p.t, 0, r.t, 0);
    return r;
  }

  private static void negate(Point p) {
    X25519Field.negate(p.x, p.x);
    X25519Field.carry(p.x);
    X25519Field.negate(p.t, p.t);
    X25519Field.carry(p.t);
  }

  /** r = p + q (or p - q when {@code negate}); r may be p. Unified formulas for a = -1 (Hisil et al. 2008). */
  private static void add(Point p, Cached q, boolean negate, Point r, Temp t) {
    int[] a = t.a;
    int[] b = t.b;
    int[] c = t.c;
    int[] d = t.d;
    X25519Field.apm(p.y, p.x, b, a); // b = Y1 + X1, a = Y1 - X1
    X25519Field.mul(a, negate ? q.ypx : q.ymx, a);
    X25519Field.mul(b, negate ? q.ymx : q.ypx, b);
    X25519Field.mul(p.t, q.t2d, c);
    X25519Field.mul(p.z, q.z2, d);
    // e = b - a, h = b + a; f = d - c, g = d + c (c negated for a subtraction: f and g swap)
    int[] e = r.x;
    int[] h = r.y;
    int[] f = r.z;
    int[] g = r.t;
    X25519Field.apm(b, a, h, e);
    if (negate) {
      X25519Field.apm(d, c, f, g);
    } else {
      X25519Field.apm(d, c, g, f);
    }
    // r.x = e*f, r.y = g*h, r.t = e*h, r.z = f*g; e, h, f, g live in r's own arrays, so go through a..d
    X25519Field.mul(e, f, a);
    X25519Field.mul(g, h, b);
    X25519Field.mul(e, h, c);
    X25519Field.mul(f, g, d);
    X25519Field.copy(a, 0, r.x, 0);
    X25519Field.copy(b, 0, r.y, 0);
    X25519Field.copy(c, 0, r.t, 0);
    X25519Field.copy(d, 0, r.z, 0);
  }

  /**
   * r = 2p; r may be p. Reads X, Y and Z of p only; computes r's T only when {@code withT} (an addition
   * needs it, a doubling does not).
   */
  private static void dbl(Point p, Point r, Temp t, boolean withT) {
    int[] a = t.a;
    int[] b = t.b;
    int[] c = t.c;
    int[] e = t.d;
    int[] h = t.h;
    int[] g = t.g;
    int[] f = t.f;
    X25519Field.add(p.x, p.y, e);
    X25519Field.sqr(p.x, a);
    X25519Field.sqr(p.y, b);
    X25519Field.sqr(p.z, c);
    X25519Field.add(c, c, c);
    X25519Field.apm(a, b, h, g); // h = A + B, g = A - B
    X25519Field.sqr(e, e);
    X25519Field.sub(h, e, e); // e = A + B - (X + Y)^2 = -2XY
    X25519Field.add(c, g, f); // f = 2Z^2 + A - B
    X25519Field.carry(f);
    X25519Field.mul(e, f, r.x);
    X25519Field.mul(g, h, r.y);
    if (withT) {
      X25519Field.mul(e, h, r.t);
    }
    X25519Field.mul(f, g, r.z);
  }

  private static BigInteger littleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }
}
