package dev.hallmark.core.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Batch verification of Ed25519 signatures (RFC 8032, pure Ed25519), cofactored: for random 128-bit
 * coefficients z_i it checks
 *
 * <pre>  [8] ( [sum z_i s_i] B - sum [z_i] R_i - sum_k [sum_{i: A_i = k} z_i h_i] A_k ) = 0 </pre>
 *
 * with one multi-scalar multiplication (Straus, width-5 wNAF, doublings shared by every point).
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

  private static final int[] D2;
  private static final int[] D;
  private static final Cached[] BASE_TABLE;

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
    BASE_TABLE = table(base);
  }

  private Ed25519Batch() {}

  /** A point in extended coordinates: x = X/Z, y = Y/Z, T = XY/Z. */
  public static final class Point {
    final int[] x = X25519Field.create();
    final int[] y = X25519Field.create();
    final int[] z = X25519Field.create();
    final int[] t = X25519Field.create();
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
    final Point negR;
    final BigInteger s;
    final BigInteger h;

    private Item(Point negR, BigInteger s, BigInteger h) {
      this.negR = negR;
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
   * Decodes a signature over {@code message} by the key whose encoding is {@code publicKey} and hashes
   * it with {@code sha512} (from {@link #sha512()}; reset on return): null when R or S is malformed
   * (such a signature never verifies).
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
    return new Item(r, s, h);
  }

  /**
   * True when every item verifies under its key ({@code keys[i]} is the decoded public key of
   * {@code items[i]}; items sharing a key object are combined into one scalar multiplication). False
   * when at least one does not, except with probability about 2^-125.
   */
  public static boolean allValid(Item[] items, Point[] keys, SecureRandom random) {
    int n = items.length;
    if (n == 0) {
      return true;
    }
    java.util.IdentityHashMap<Point, BigInteger> keyScalars = new java.util.IdentityHashMap<>();
    BigInteger sSum = BigInteger.ZERO;
    BigInteger[] zs = new BigInteger[n];
    byte[] all = new byte[16 * n];
    random.nextBytes(all); // one call: a SecureRandom may lock or read the OS per call
    byte[] zb = new byte[16];
    for (int i = 0; i < n; i++) {
      System.arraycopy(all, 16 * i, zb, 0, 16);
      zb[15] |= 0x40; // never zero: a zero coefficient would leave its signature unchecked
      BigInteger z = littleEndian(zb);
      zs[i] = z;
      sSum = sSum.add(z.multiply(items[i].s));
      keyScalars.merge(keys[i], z.multiply(items[i].h), BigInteger::add);
    }
    int m = n + keyScalars.size() + 1;
    Cached[][] tables = new Cached[m][];
    byte[][] nafs = new byte[m][];
    int k = 0;
    for (int i = 0; i < n; i++) {
      tables[k] = table(items[i].negR);
      nafs[k++] = wnaf(zs[i]);
    }
    for (java.util.Map.Entry<Point, BigInteger> e : keyScalars.entrySet()) {
      Point negA = copy(e.getKey());
      negate(negA);
      tables[k] = table(negA);
      nafs[k++] = wnaf(e.getValue().mod(L));
    }
    tables[k] = BASE_TABLE;
    nafs[k] = wnaf(sSum.mod(L));

    Point acc = new Point();
    X25519Field.zero(acc.x);
    X25519Field.one(acc.y);
    X25519Field.one(acc.z);
    X25519Field.zero(acc.t);
    Temp t = new Temp();
    int top = NAF_LEN - 1;
    while (top >= 0 && !anyDigit(nafs, top)) {
      top--;
    }
    for (int bit = top; bit >= 0; bit--) {
      dbl(acc, acc);
      for (int j = 0; j < m; j++) {
        int d = nafs[j][bit];
        if (d != 0) {
          add(acc, tables[j][(d < 0 ? -d : d) >> 1], d < 0, acc, t);
        }
      }
    }
    dbl(acc, acc);
    dbl(acc, acc);
    dbl(acc, acc);
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

  private static final int W = 5;
  private static final int NAF_LEN = 257;

  /** Width-5 non-adjacent form of {@code s} (0 <= s < 2^253): odd digits in [-15, 15], least significant first. */
  static byte[] wnaf(BigInteger s) {
    long[] limbs = new long[5];
    byte[] le = s.toByteArray();
    for (int i = 0; i < le.length; i++) {
      int bytePos = le.length - 1 - i; // toByteArray is big-endian
      if (i / 8 < 5) {
        limbs[i / 8] |= (le[bytePos] & 0xFFL) << ((i % 8) * 8);
      }
    }
    byte[] naf = new byte[NAF_LEN];
    int width = 1 << W;
    long mask = width - 1;
    int carry = 0;
    int pos = 0;
    while (pos < NAF_LEN - 1) {
      int idx = pos / 64;
      int bitIdx = pos % 64;
      long buf;
      if (bitIdx < 64 - W || idx == 4) {
        buf = limbs[idx] >>> bitIdx;
      } else {
        buf = (limbs[idx] >>> bitIdx) | (limbs[idx + 1] << (64 - bitIdx));
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
      pos += W;
    }
    if (carry != 0) {
      throw new IllegalStateException("scalar out of range for the wNAF");
    }
    return naf;
  }

  /** P, 3P, 5P, ..., 15P in cached form. */
  private static Cached[] table(Point p) {
    Cached[] tab = new Cached[1 << (W - 2)];
    Temp t = new Temp();
    Point p2 = new Point();
    dbl(p, p2);
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

  /** r = 2p; r may be p. */
  private static void dbl(Point p, Point r) {
    int[] a = X25519Field.create();
    int[] b = X25519Field.create();
    int[] c = X25519Field.create();
    int[] e = X25519Field.create();
    int[] h = X25519Field.create();
    int[] g = X25519Field.create();
    int[] f = X25519Field.create();
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
    X25519Field.mul(e, h, r.t);
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
