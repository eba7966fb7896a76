package dev.hallmark.watermark.internal.text;

/**
 * An open-addressing set of (PRF seed, token) pairs, for first-occurrence filtering. Seeds are
 * SipHash outputs, so one multiply-shift of the pair spreads them well. Not thread-safe.
 */
final class SeedTokenSet {
  private long[] seeds;
  private int[] tokens;
  private boolean[] used;
  private int size;
  private int mask;

  SeedTokenSet(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    allocate(cap);
  }

  private void allocate(int cap) {
    seeds = new long[cap];
    tokens = new int[cap];
    used = new boolean[cap];
    mask = cap - 1;
    size = 0;
  }

  /** Adds the pair; true if it was not present. */
  boolean add(long seed, int token) {
    if ((size + 1) * 2 > used.length) {
      grow();
    }
    int slot = slot(seed, token);
    while (used[slot]) {
      if (seeds[slot] == seed && tokens[slot] == token) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    used[slot] = true;
    seeds[slot] = seed;
    tokens[slot] = token;
    size++;
    return true;
  }

  private int slot(long seed, int token) {
    long h = (seed ^ (token * 0x9e3779b97f4a7c15L)) * 0xbf58476d1ce4e5b9L;
    return (int) (h >>> 32) & mask;
  }

  private void grow() {
    long[] oldSeeds = seeds;
    int[] oldTokens = tokens;
    boolean[] oldUsed = used;
    allocate(oldUsed.length * 2);
    for (int s = 0; s < oldUsed.length; s++) {
      if (oldUsed[s]) {
        add(oldSeeds[s], oldTokens[s]);
      }
    }
  }
}
