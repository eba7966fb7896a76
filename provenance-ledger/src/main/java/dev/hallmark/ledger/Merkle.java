package dev.hallmark.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256 and strict proof verification.
 *
 * <p>Indices and sizes are unsigned 64-bit values carried in {@code long}. Every hash (leaf hash,
 * root, proof element) must be exactly 32 bytes; anything else fails verification.
 */
public final class Merkle {
  /** Bytes in a SHA-256 hash. */
  public static final int HASH_BYTES = 32;

  private Merkle() {}

  /** {@code SHA-256(0x00 || entry)}. */
  public static byte[] leafHash(byte[] entry) {
    MessageDigest d = sha256();
    d.update((byte) 0);
    d.update(entry);
    return d.digest();
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 1);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  /** The hash of the empty tree, {@code SHA-256("")}. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /**
   * Verifies an inclusion proof (RFC 9162 section 2.1.3.2).
   *
   * @throws VerificationException if the proof does not bind {@code leafHash} at {@code index} to
   *     {@code root} in a tree of {@code size} leaves
   */
  public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws VerificationException {
    checkHash("leaf hash", leafHash);
    checkHash("root", root);
    checkProof(proof);
    if (Long.compareUnsigned(index, size) >= 0) {
      throw new VerificationException(
          "inclusion proof: index " + Long.toUnsignedString(index) + " is not below tree size " + Long.toUnsignedString(size));
    }
    byte[] r = rootFromInclusion(index, size, leafHash, proof);
    if (!MessageDigest.isEqual(r, root)) {
      throw new VerificationException("inclusion proof: computed root does not match (index "
          + Long.toUnsignedString(index) + ", tree size " + Long.toUnsignedString(size) + ")");
    }
  }

  private static byte[] rootFromInclusion(long index, long size, byte[] leafHash, List<byte[]> proof)
      throws VerificationException {
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new VerificationException("inclusion proof is too long for tree size " + Long.toUnsignedString(size));
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new VerificationException("inclusion proof is too short for tree size " + Long.toUnsignedString(size));
    }
    return r;
  }

  /**
   * Verifies a consistency proof between trees of {@code size1} and {@code size2} leaves (RFC 9162
   * section 2.1.4.2), so the larger tree is an append-only extension of the smaller. As in the
   * reference implementation (transparency-dev/merkle), equal sizes need byte-identical roots and an
   * empty proof, and a first size of 0 is rejected (RFC 9162 needs 0 &lt; size1); otherwise
   * both roots and every proof hash must be 32 bytes.
   *
   * @throws VerificationException if it does not
   */
  public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
      throws VerificationException {
    checkProof(proof);
    if (root1 == null || root2 == null) {
      throw new VerificationException("consistency proof: a root is missing");
    }
    if (Long.compareUnsigned(size1, size2) > 0) {
      throw new VerificationException("consistency proof: size " + Long.toUnsignedString(size1)
          + " is larger than " + Long.toUnsignedString(size2) + " (the log shrank)");
    }
    if (size1 == 0) {
      throw new VerificationException("consistency proof from the empty tree proves nothing; the first size must be at least 1");
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new VerificationException("consistency proof between equal sizes must be empty");
      }
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new VerificationException("consistency proof: roots differ at equal size " + Long.toUnsignedString(size1) + " (forked log)");
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new VerificationException("consistency proof is empty");
    }
    checkHash("first root", root1);
    checkHash("second root", root2);
    int start = 0;
    byte[] seed;
    if ((size1 & (size1 - 1)) == 0) {
      seed = root1;
    } else {
      seed = proof.get(0);
      start = 1;
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = seed;
    byte[] sr = seed;
    for (int i = start; i < proof.size(); i++) {
      byte[] c = proof.get(i);
      if (sn == 0) {
        throw new VerificationException("consistency proof is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>>= 1;
            sn >>>= 1;
          }
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    if (sn != 0) {
      throw new VerificationException("consistency proof is too short");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new VerificationException("consistency proof: first root does not match (size "
          + Long.toUnsignedString(size1) + "): the log was rewritten or forked");
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new VerificationException("consistency proof: second root does not match (size " + Long.toUnsignedString(size2) + ")");
    }
  }

  private static void checkHash(String what, byte[] h) throws VerificationException {
    if (h == null || h.length != HASH_BYTES) {
      throw new VerificationException(what + " must be " + HASH_BYTES + " bytes, got " + (h == null ? "none" : h.length));
    }
  }

  private static void checkProof(List<byte[]> proof) throws VerificationException {
    if (proof == null) {
      throw new VerificationException("proof is missing");
    }
    if (proof.size() > 64) {
      throw new VerificationException("proof has " + proof.size() + " hashes; at most 64 are possible");
    }
    for (int i = 0; i < proof.size(); i++) {
      checkHash("proof hash " + i, proof.get(i));
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
