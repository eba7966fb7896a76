package dev.hallmark.watermark.internal.text;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * tiktoken's byte-pair merge ({@code _byte_pair_merge} of tiktoken 0.5+, which JTokkit ports) for one
 * pre-tokenizer piece: a piece that is itself a token is that token; otherwise, starting from single
 * bytes, the adjacent pair whose concatenation has the lowest rank is merged (the leftmost on ties)
 * until no adjacent pair is a token, and each part's rank is its token id. Immutable and thread-safe
 * after construction; the rank table is an open-addressing hash of the token byte strings, so a
 * look-up neither allocates nor boxes. Meant for short pieces (the caller hands long ones to JTokkit:
 * this loop is quadratic in the piece length). {@code R50kPreTokenizerTest} checks it against JTokkit.
 */
public final class BytePairMerger {
  private final byte[][] keys;
  private final int[] ranks;
  private final int mask;

  /**
   * @param tokenBytes the bytes of each mergeable token id (rank) {@code 0..count-1}; null for a gap
   * @param count the number of mergeable ranks (special tokens excluded)
   */
  public BytePairMerger(IntFunction<byte[]> tokenBytes, int count) {
    int size = Integer.highestOneBit(Math.max(16, count * 3)) << 1;
    keys = new byte[size][];
    ranks = new int[size];
    mask = size - 1;
    for (int r = 0; r < count; r++) {
      byte[] b = tokenBytes.apply(r);
      if (b == null || b.length == 0) {
        continue;
      }
      int slot = hash(b, 0, b.length) & mask;
      while (keys[slot] != null) {
        if (Arrays.equals(keys[slot], b)) {
          throw new IllegalArgumentException("token bytes of rank " + r + " repeat rank " + ranks[slot]);
        }
        slot = (slot + 1) & mask;
      }
      keys[slot] = b.clone();
      ranks[slot] = r;
    }
  }

  private static int hash(byte[] b, int from, int to) {
    int h = 0x811c9dc5;
    for (int i = from; i < to; i++) {
      h = (h ^ (b[i] & 0xff)) * 0x01000193;
    }
    return h ^ (h >>> 15);
  }

  /** The rank of {@code b[from..to)}, or -1 when it is no token. */
  public int rank(byte[] b, int from, int to) {
    int len = to - from;
    int slot = hash(b, from, to) & mask;
    byte[] k;
    while ((k = keys[slot]) != null) {
      if (k.length == len && same(k, b, from, len)) {
        return ranks[slot];
      }
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** A plain loop: the keys are a few bytes long, below where {@code Arrays.equals} pays off. */
  private static boolean same(byte[] k, byte[] b, int from, int len) {
    for (int i = 0; i < len; i++) {
      if (k[i] != b[from + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The token ids of one piece's UTF-8 bytes (non-empty).
   *
   * @throws IllegalStateException if a single byte is no token (not so for any byte-level BPE)
   */
  public int[] encode(byte[] piece) {
    int n = piece.length;
    int whole = rank(piece, 0, n);
    if (whole >= 0) {
      return new int[] {whole};
    }
    // parts: start[i] and the rank of merging part i with part i+1 (MAX when that is no token); the
    // last two entries are sentinels, as in tiktoken.
    int[] start = new int[n + 1];
    int[] rank = new int[n + 1];
    int parts = n + 1;
    int minRank = Integer.MAX_VALUE;
    int minAt = -1;
    for (int i = 0; i < n - 1; i++) {
      int r = rankOrMax(piece, i, i + 2);
      start[i] = i;
      rank[i] = r;
      if (r < minRank) {
        minRank = r;
        minAt = i;
      }
    }
    start[n - 1] = n - 1;
    rank[n - 1] = Integer.MAX_VALUE;
    start[n] = n;
    rank[n] = Integer.MAX_VALUE;
    while (minRank != Integer.MAX_VALUE) {
      int i = minAt;
      if (i > 0) {
        rank[i - 1] = i + 2 < parts ? rankOrMax(piece, start[i - 1], start[i + 2]) : Integer.MAX_VALUE;
      }
      rank[i] = i + 3 < parts ? rankOrMax(piece, start[i], start[i + 3]) : Integer.MAX_VALUE;
      System.arraycopy(start, i + 2, start, i + 1, parts - i - 2);
      System.arraycopy(rank, i + 2, rank, i + 1, parts - i - 2);
      parts--;
      minRank = Integer.MAX_VALUE;
      minAt = -1;
      for (int j = 0; j < parts - 1; j++) {
        if (rank[j] < minRank) {
          minRank = rank[j];
          minAt = j;
        }
      }
    }
    int[] out = new int[parts - 1];
    for (int i = 0; i < parts - 1; i++) {
      int r = rank(piece, start[i], start[i + 1]);
      if (r < 0) {
        throw new IllegalStateException("byte-pair merge left a part that is no token");
      }
      out[i] = r;
    }
    return out;
  }

  private int rankOrMax(byte[] b, int from, int to) {
    int r = rank(b, from, to);
    return r < 0 ? Integer.MAX_VALUE : r;
  }
}
