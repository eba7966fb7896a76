package dev.hallmark.ledger.internal;

import dev.hallmark.ledger.Merkle;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Every complete subtree hash of the tree, level by level ({@code level k, index i} is the hash of
 * leaves {@code [i*2^k, (i+1)*2^k)}), 64 bytes of memory per leaf in total. One writer appends; any
 * number of readers may read hashes of a tree size they obtained from {@link #size()} (the volatile
 * size publishes the writes before it).
 */
public final class HashStore {
  private static final int CHUNK_SHIFT = 12;
  private static final int CHUNK = 1 << CHUNK_SHIFT;
  private static final int H = Merkle.HASH_BYTES;

  private static final class Level {
    volatile byte[][] chunks = new byte[16][];
    long count;

    void add(byte[] h) {
      int c = (int) (count >>> CHUNK_SHIFT);
      byte[][] cs = chunks;
      if (c >= cs.length) {
        byte[][] n = new byte[cs.length * 2][];
        System.arraycopy(cs, 0, n, 0, cs.length);
        cs = n;
        chunks = n;
      }
      if (cs[c] == null) {
        cs[c] = new byte[CHUNK * H];
      }
      System.arraycopy(h, 0, cs[c], (int) (count & (CHUNK - 1)) * H, H);
      count++;
    }

    boolean equalsAt(long i, byte[] h) {
      int off = (int) (i & (CHUNK - 1)) * H;
      return java.util.Arrays.equals(chunks[(int) (i >>> CHUNK_SHIFT)], off, off + H, h, 0, H);
    }

    byte[] get(long i) {
      byte[] out = new byte[H];
      System.arraycopy(chunks[(int) (i >>> CHUNK_SHIFT)], (int) (i & (CHUNK - 1)) * H, out, 0, H);
      return out;
    }
  }

  /** Used by the single appender only: one digest instead of a provider lookup per node (a third of opening a large log). */
  private final MessageDigest appendDigest = sha256();
  private final List<Level> levels = new ArrayList<>();
  private volatile Level[] levelView = new Level[0];
  private volatile long size;

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Number of leaves whose hashes are published. */
  public long size() {
    return size;
  }

  /** Appends a leaf hash (writer only). */
  public void append(byte[] leafHash) {
    long j = size;
    byte[] h = leafHash;
    int k = 0;
    level(0).add(h);
    while ((j & 1) == 1) {
      appendDigest.update((byte) 1);
      appendDigest.update(level(k).get(j - 1));
      appendDigest.update(h);
      h = appendDigest.digest();
      k++;
      j >>>= 1;
      level(k).add(h);
    }
    size = size + 1;
  }

  private Level level(int k) {
    while (levels.size() <= k) {
      levels.add(new Level());
      levelView = levels.toArray(new Level[0]);
    }
    return levels.get(k);
  }

  /** The hash of the complete subtree at {@code level}, {@code index}. */
  public byte[] hash(int level, long index) {
    return levelView[level].get(index);
  }

  /** Whether leaf {@code index} (below {@link #size()}) has hash {@code leafHash}; no copy (public data, not constant-time). */
  public boolean leafEquals(long index, byte[] leafHash) {
    return levelView[0].equalsAt(index, leafHash);
  }

  /** MTH(D[start:end]) for {@code end <= size()}. */
  public byte[] rangeHash(long start, long end) {
    long n = end - start;
    if (n == 0) {
      return Merkle.emptyRoot();
    }
    if ((n & (n - 1)) == 0 && (start & (n - 1)) == 0) {
      return hash(Long.numberOfTrailingZeros(n), start >>> Long.numberOfTrailingZeros(n));
    }
    long k = Long.highestOneBit(n - 1);
    return Merkle.nodeHash(rangeHash(start, start + k), rangeHash(start + k, end));
  }

  /** The root of the tree of the first {@code treeSize} leaves. */
  public byte[] root(long treeSize) {
    return rangeHash(0, treeSize);
  }

  /** RFC 6962 PATH(index, D[0:treeSize]), leaf sibling first. */
  public List<byte[]> inclusionProof(long index, long treeSize) {
    if (index < 0 || index >= treeSize || treeSize > size) {
      throw new IllegalArgumentException("no entry " + index + " in a tree of size " + treeSize);
    }
    List<byte[]> out = new ArrayList<>();
    path(index, 0, treeSize, out);
    return out;
  }

  private void path(long m, long start, long end, List<byte[]> out) {
    long n = end - start;
    if (n <= 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, start, start + k, out);
      out.add(rangeHash(start + k, end));
    } else {
      path(m - k, start + k, end, out);
      out.add(rangeHash(start, start + k));
    }
  }

  /** RFC 6962 PROOF(m, D[0:n]) for {@code 0 < m <= n <= size()}. */
  public List<byte[]> consistencyProof(long m, long n) {
    if (m <= 0 || m > n || n > size) {
      throw new IllegalArgumentException("no consistency proof from size " + m + " to " + n);
    }
    List<byte[]> out = new ArrayList<>();
    if (m < n) {
      subproof(m, 0, n, true, out);
    }
    return out;
  }

  private void subproof(long m, long start, long end, boolean b, List<byte[]> out) {
    long n = end - start;
    if (m == n) {
      if (!b) {
        out.add(rangeHash(start, end));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(m, start, start + k, b, out);
      out.add(rangeHash(start + k, end));
    } else {
      subproof(m - k, start + k, end, false, out);
      out.add(rangeHash(start, start + k));
    }
  }
}
