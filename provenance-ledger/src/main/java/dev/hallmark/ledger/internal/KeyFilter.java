package dev.hallmark.ledger.internal;

import dev.hallmark.ledger.Record;
import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * An in-memory Bloom filter over the index's content-hash terms and MinHash LSH band keys, so that
 * a lookup whose terms are all absent (the common case when cleaning a corpus: human text) answers
 * without touching the index. It never gives a false negative: {@link #mightContain} is false only
 * for a term that no segment holds. Blocked layout (all probes of a key in one 64-byte block, one
 * cache miss per key), 16 bits per term and 10 probes: about 0.1% false positives per term.
 * Immutable once built.
 */
final class KeyFilter {
  static final int BITS_PER_KEY = 16;
  private static final int PROBES = 10;
  private static final long SHA_SALT = 0x2545F4914F6CDD1DL;
  private static final long LSH_SALT = 0x9FB21C651E98DF25L;
  private static final long IMAGE_SALT = 0xD6E8FEB86659FD93L;

  private final long[] words;
  private final long blocks;
  private final long keys;

  private KeyFilter(long expectedKeys) {
    long b = blocksFor(expectedKeys);
    this.blocks = b;
    this.words = new long[(int) (b * 8)];
    this.keys = expectedKeys;
  }

  private static long blocksFor(long keys) {
    return Math.max(1, (Math.max(1, keys) * BITS_PER_KEY + 511) / 512);
  }

  /**
   * Whether a filter for {@code keys} fits one array and at most a quarter of the heap not yet in
   * use; otherwise lookups simply go to the index (the filter is only an optimisation).
   */
  static boolean fits(long keys) {
    long words = blocksFor(keys) * 8;
    if (words > Integer.MAX_VALUE - 8) {
      return false;
    }
    Runtime rt = Runtime.getRuntime();
    long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    return words * Long.BYTES <= available / 4;
  }

  /**
   * Builds the filter over every {@code sha} term of {@code reader} and every key of the band table
   * {@code bands} (read in key order from its runs). Null when it would not fit ({@link #fits}).
   */
  static KeyFilter build(IndexReader reader, BandTable.View bands) throws IOException {
    return build(reader, bands, 1 << 20);
  }

  /** {@link #build(IndexReader, BandTable.View)}, setting keys in batches of {@code batchKeys}. */
  static KeyFilter build(IndexReader reader, BandTable.View bands, int batchKeys) throws IOException {
    long n = bands == null ? 0 : bands.size();
    for (LeafReaderContext ctx : reader.leaves()) {
      Terms sha = ctx.reader().terms(RecordIndex.SHA);
      n += sha == null ? 0 : Math.max(0, sha.size());
    }
    if (!fits(n)) {
      return null;
    }
    KeyFilter k = new KeyFilter(n);
    Batch batch = k.new Batch(batchKeys);
    for (LeafReaderContext ctx : reader.leaves()) {
      LeafReader leaf = ctx.reader();
      Terms sha = leaf.terms(RecordIndex.SHA);
      if (sha != null) {
        TermsEnum te = sha.iterator();
        for (BytesRef b = te.next(); b != null; b = te.next()) {
          batch.add(shaKey(b));
        }
      }
    }
    if (bands != null) {
      bands.forEachKey(batch::add);
    }
    batch.flush();
    return k;
  }

  /**
   * Sets keys in batches partitioned by their top 8 bits (one counting-sort pass): the top bits of
   * a key choose its block, so each partition writes one 1/256 slice of the bit array, which stays
   * in cache, instead of one cache and TLB miss per key (about 3x faster at 1M records).
   */
  private final class Batch {
    private final long[] keys;
    private final long[] sorted;
    private final int[] start = new int[257];
    private int n;

    Batch(int size) {
      keys = new long[size];
      sorted = new long[size];
    }

    void add(long key) {
      keys[n++] = key;
      if (n == keys.length) {
        flush();
      }
    }

    void flush() {
      java.util.Arrays.fill(start, 0);
      for (int i = 0; i < n; i++) {
        start[(int) (keys[i] >>> 56) + 1]++;
      }
      for (int b = 0; b < 256; b++) {
        start[b + 1] += start[b];
      }
      for (int i = 0; i < n; i++) {
        sorted[start[(int) (keys[i] >>> 56)]++] = keys[i];
      }
      for (int i = 0; i < n; i++) {
        KeyFilter.this.add(sorted[i]);
      }
      n = 0;
    }
  }

  private static long longAt(byte[] x, int o) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (x[o + i] & 0xff);
    }
    return v;
  }

  /** The filter key of a {@code sha} term (32 bytes; its first 8 are already uniformly distributed). */
  static long shaKey(BytesRef term) {
    return RecordIndex.mix64(longAt(term.bytes, term.offset) ^ SHA_SALT);
  }

  /** The key of MinHash band {@code band} with hash {@code bandHash}: in this filter and in the {@link BandTable}. */
  static long lshKey(int band, long bandHash) {
    return RecordIndex.mix64(bandHash ^ (LSH_SALT * (band + 1)));
  }

  /**
   * The key of 16-bit image-hash chunk {@code chunk} (0-15) with value {@code value}: in this filter
   * and in the {@link BandTable}. Distinct for every (chunk, value): the salt's 16 multiples differ
   * pairwise above bit 15 (so no chunk value can turn one into another), and {@code mix64} is a
   * bijection; {@code RecordIndexLookupTest} checks all 1,048,576 keys.
   */
  static long imageKey(int chunk, int value) {
    return RecordIndex.mix64((IMAGE_SALT * (chunk + 1)) ^ (value & 0xffff));
  }

  /** Bytes of heap the filter holds. */
  long bytes() {
    return words.length * 8L;
  }

  long expectedKeys() {
    return keys;
  }

  private int block(long h) {
    // Unsigned multiply-high maps the key onto [0, blocks) without a division.
    return (int) Math.multiplyHigh(h >>> 1, blocks << 1) * 8;
  }

  void add(long h) {
    int base = block(h);
    long g = RecordIndex.mix64(h ^ 0x5851F42D4C957F2DL);
    long g2 = RecordIndex.mix64(g);
    for (int i = 0; i < PROBES; i++) {
      int bit = (int) ((i < 7 ? g >>> (9 * i) : g2 >>> (9 * (i - 7)))) & 511;
      words[base + (bit >>> 6)] |= 1L << (bit & 63);
    }
  }

  boolean mightContain(long h) {
    int base = block(h);
    long g = RecordIndex.mix64(h ^ 0x5851F42D4C957F2DL);
    long g2 = RecordIndex.mix64(g);
    for (int i = 0; i < PROBES; i++) {
      int bit = (int) ((i < 7 ? g >>> (9 * i) : g2 >>> (9 * (i - 7)))) & 511;
      if ((words[base + (bit >>> 6)] & (1L << (bit & 63))) == 0) {
        return false;
      }
    }
    return true;
  }
}
