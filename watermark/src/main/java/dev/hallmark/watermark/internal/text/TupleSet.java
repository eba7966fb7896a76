package dev.hallmark.watermark.internal.text;

import java.util.Arrays;

/** An open-addressing set of fixed-arity int tuples, for first-occurrence filtering. Not thread-safe. */
final class TupleSet {
  private final int arity;
  private int[] keys;
  private boolean[] used;
  private int size;
  private int mask;

  TupleSet(int arity, int expected) {
    this.arity = arity;
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new int[cap * arity];
    used = new boolean[cap];
    mask = cap - 1;
  }

  /** Adds the tuple {@code t[0..arity)}; true if it was not present. */
  boolean add(int[] t) {
    if ((size + 1) * 2 > used.length) {
      grow();
    }
    int slot = (int) (mix(t) & mask);
    while (used[slot]) {
      if (equalsAt(slot, t)) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    used[slot] = true;
    System.arraycopy(t, 0, keys, slot * arity, arity);
    size++;
    return true;
  }

  private boolean equalsAt(int slot, int[] t) {
    int base = slot * arity;
    for (int i = 0; i < arity; i++) {
      if (keys[base + i] != t[i]) {
        return false;
      }
    }
    return true;
  }

  private long mix(int[] t) {
    long h = 0x9e3779b97f4a7c15L;
    for (int i = 0; i < arity; i++) {
      h = (h ^ t[i]) * 0xbf58476d1ce4e5b9L;
      h ^= h >>> 31;
    }
    return h ^ (h >>> 29);
  }

  private void grow() {
    int[] oldKeys = keys;
    boolean[] oldUsed = used;
    int cap = oldUsed.length * 2;
    keys = new int[cap * arity];
    used = new boolean[cap];
    mask = cap - 1;
    size = 0;
    int[] t = new int[arity];
    for (int s = 0; s < oldUsed.length; s++) {
      if (oldUsed[s]) {
        System.arraycopy(oldKeys, s * arity, t, 0, arity);
        add(t);
      }
    }
    Arrays.fill(t, 0);
  }
}
