package dev.hallmark.ledger.internal;

import dev.hallmark.ledger.LedgerException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small LRU cache of decoded entry bundles, shared by the snapshots of one ledger. Thread-safe. */
public final class BundleCache {
  private final LogDir dir;
  private final Map<Long, List<byte[]>> cache;

  public BundleCache(LogDir dir, int capacity) {
    this.dir = dir;
    this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, List<byte[]>> e) {
        return size() > capacity;
      }
    };
  }

  /** The first {@code width} entries of bundle {@code n}. */
  public List<byte[]> get(long n, int width) throws LedgerException {
    synchronized (cache) {
      List<byte[]> b = cache.get(n);
      if (b != null && b.size() >= width) {
        return b;
      }
    }
    List<byte[]> b = dir.readBundle(n, width);
    synchronized (cache) {
      List<byte[]> old = cache.get(n);
      if (old == null || old.size() < b.size()) {
        cache.put(n, b);
      }
    }
    return b;
  }
}
