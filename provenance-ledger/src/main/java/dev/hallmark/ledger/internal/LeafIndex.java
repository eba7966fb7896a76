package dev.hallmark.ledger.internal;

import java.security.MessageDigest;

/**
 * Leaf hash to entry index for every durable entry of the log, for idempotent appends: an
 * open-addressing table (linear probing, at most half full) of entry indices, placed by the first
 * 8 bytes of the leaf hash (a SHA-256, so uniformly spread); every candidate is confirmed against
 * the full 32-byte leaf hash held by the {@link HashStore}. 8-16 bytes of memory per entry.
 *
 * <p>Derived data, nothing on disk: built from the leaf hashes when the log is opened (after the
 * write-ahead log is recovered) and extended by the committer after each durable write. Replaces a
 * Lucene term seek in every index segment per appended record. Not thread-safe: used by the
 * writer under its commit lock. When a log holds the same entry twice (written before appends were
 * idempotent), the lower index is the one found.
 */
final class LeafIndex {
  private final HashStore hashes;
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private long[] slots;
  private long count;

  private LeafIndex(HashStore hashes, int capacity) {
    this.hashes = hashes;
    this.slots = new long[capacity];
  }

  /** A table of the first {@code size} leaf hashes of {@code hashes}. */
  static LeafIndex of(HashStore hashes, long size) {
    int cap = 1024;
    while (cap < size * 2 && cap < (1 << 30)) {
      cap <<= 1;
    }
    LeafIndex t = new LeafIndex(hashes, cap);
    for (long i = 0; i < size; i++) {
      byte[] leaf = hashes.hash(0, i);
      if (t.find(leaf) < 0) {
        t.add(leaf, i);
      }
    }
    return t;
  }

  /** The index of the entry with this leaf hash, or -1. */
  long find(byte[] leaf) {
    int mask = slots.length - 1;
    for (int s = slot(leaf, mask); ; s = (s + 1) & mask) {
      long v = slots[s];
      if (v == 0) {
        return -1;
      }
      if (MessageDigest.isEqual(hashes.hash(0, v - 1), leaf)) {
        return v - 1;
      }
    }
  }

  /** Records that entry {@code index} (already in the {@link HashStore}) has leaf hash {@code leaf}. */
  void add(byte[] leaf, long index) {
    if ((count + 1) * 2 > slots.length) {
      grow();
    }
    put(slots, leaf, index);
    count++;
  }

  long size() {
    return count;
  }

  private void grow() {
    if (slots.length >= (1 << 30)) {
      throw new IllegalStateException("idempotency table full at " + count + " entries");
    }
    long[] n = new long[slots.length * 2];
    for (long v : slots) {
      if (v != 0) {
        put(n, hashes.hash(0, v - 1), v - 1);
      }
    }
    slots = n;
  }

  private static void put(long[] table, byte[] leaf, long index) {
    int mask = table.length - 1;
    int s = slot(leaf, mask);
    while (table[s] != 0) {
      s = (s + 1) & mask;
    }
    table[s] = index + 1;
  }

  private static int slot(byte[] leaf, int mask) {
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (leaf[i] & 0xff);
    }
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
