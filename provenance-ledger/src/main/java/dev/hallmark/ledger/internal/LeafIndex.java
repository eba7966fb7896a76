package dev.hallmark.ledger.internal;

/**
 * Leaf hash to entry index for every durable entry of the log, for idempotent appends: an
 * open-addressing table (linear probing, at most half full) of entry indices, placed by the first
 * 8 bytes of the leaf hash (a SHA-256, so uniformly spread); every candidate is confirmed against
 * the full 32-byte leaf hash held by the {@link HashStore}. 8-16 bytes of memory per entry.
 *
 * <p>The slots live in segments of {@code 2^segmentBits} longs (default 2^20, 8 MiB each), so the
 * table is not bounded by the largest Java array: its capacity is any power of two (a long), and
 * a log of billions of entries is indexed the same way as a small one.
 *
 * <p>Derived data, nothing on disk: built from the leaf hashes when the log is opened (after the
 * write-ahead log is recovered) and extended by the committer after each durable write. Replaces a
 * Lucene term seek in every index segment per appended record. Not thread-safe: used by the
 * writer under its commit lock. When a log holds the same entry twice (written before appends were
 * idempotent), the lower index is the one found.
 */
final class LeafIndex {
  static final int DEFAULT_SEGMENT_BITS = 20;
  private static final long MIN_CAPACITY = 1024;

  private final HashStore hashes;
  private final int segmentBits;
  /** Entry index + 1 per slot; 0 is an empty slot. */
  private long[][] segments;
  private long capacity;
  private long count;

  private LeafIndex(HashStore hashes, long capacity, int segmentBits) {
    this.hashes = hashes;
    this.segmentBits = segmentBits;
    this.capacity = capacity;
    this.segments = allocate(capacity, segmentBits);
  }

  /** A table of the first {@code size} leaf hashes of {@code hashes}. */
  static LeafIndex of(HashStore hashes, long size) {
    return of(hashes, size, DEFAULT_SEGMENT_BITS);
  }

  /** As {@link #of(HashStore, long)} with segments of {@code 2^segmentBits} slots (tests use small ones). */
  static LeafIndex of(HashStore hashes, long size, int segmentBits) {
    if (segmentBits < 1 || segmentBits > 30) {
      throw new IllegalArgumentException("segmentBits must be 1..30");
    }
    long cap = MIN_CAPACITY;
    while (cap < size * 2) {
      cap <<= 1;
    }
    LeafIndex t = new LeafIndex(hashes, cap, segmentBits);
    for (long i = 0; i < size; i++) {
      byte[] leaf = hashes.hash(0, i);
      if (t.find(leaf) < 0) {
        t.add(leaf, i);
      }
    }
    return t;
  }

  private static long[][] allocate(long capacity, int segmentBits) {
    long seg = 1L << segmentBits;
    if (capacity <= seg) {
      return new long[][] {new long[(int) capacity]};
    }
    long n = capacity >>> segmentBits;
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("idempotency table cannot hold " + capacity + " slots");
    }
    long[][] out = new long[(int) n][];
    for (int i = 0; i < n; i++) {
      out[i] = new long[(int) seg];
    }
    return out;
  }

  private long get(long[][] segs, long slot) {
    return segs[(int) (slot >>> segmentBits)][(int) (slot & ((1L << segmentBits) - 1))];
  }

  private void set(long[][] segs, long slot, long v) {
    segs[(int) (slot >>> segmentBits)][(int) (slot & ((1L << segmentBits) - 1))] = v;
  }

  /** The index of the entry with this leaf hash, or -1. */
  long find(byte[] leaf) {
    long mask = capacity - 1;
    for (long s = slot(leaf) & mask; ; s = (s + 1) & mask) {
      long v = get(segments, s);
      if (v == 0) {
        return -1;
      }
      if (hashes.leafEquals(v - 1, leaf)) {
        return v - 1;
      }
    }
  }

  /** Records that entry {@code index} (already in the {@link HashStore}) has leaf hash {@code leaf}. */
  void add(byte[] leaf, long index) {
    if ((count + 1) * 2 > capacity) {
      grow();
    }
    put(segments, capacity, leaf, index);
    count++;
  }

  long size() {
    return count;
  }

  /** Slots in the table (a power of two; for tests of the growth logic). */
  long capacity() {
    return capacity;
  }

  /** Segments the slots are spread over (for tests of the growth logic). */
  int segmentCount() {
    return segments.length;
  }

  private void grow() {
    if (capacity > Long.MAX_VALUE / 4) {
      throw new IllegalStateException("idempotency table full at " + count + " entries");
    }
    long ncap = capacity * 2;
    long[][] n = allocate(ncap, segmentBits);
    for (long[] seg : segments) {
      for (long v : seg) {
        if (v != 0) {
          put(n, ncap, hashes.hash(0, v - 1), v - 1);
        }
      }
    }
    segments = n;
    capacity = ncap;
  }

  private void put(long[][] table, long cap, byte[] leaf, long index) {
    long mask = cap - 1;
    long s = slot(leaf) & mask;
    while (get(table, s) != 0) {
      s = (s + 1) & mask;
    }
    set(table, s, index + 1);
  }

  static long slot(byte[] leaf) {
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (leaf[i] & 0xff);
    }
    return h ^ (h >>> 29);
  }
}
