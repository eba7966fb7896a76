package dev.hallmark.ledger.internal;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * An in-memory Bloom filter over the terms of some index fields, so that a lookup whose terms are
 * all absent (the common case when cleaning a corpus: human text) answers without touching the
 * index. It never gives a false negative: {@link #mightContain} is false only for a term that no
 * segment holds. Blocked layout (every probe of a key in one 64-byte block, one cache miss per
 * key), 12 bits per term and 7 probes: about 0.5% false positives. Immutable once built.
 */
final class KeyFilter {
  static final int BITS_PER_KEY = 12;
  private static final int PROBES = 7;

  private final long[] words;
  private final long blocks;
  private final long keys;

  private KeyFilter(long expectedKeys) {
    long b = Math.max(1, (Math.max(1, expectedKeys) * BITS_PER_KEY + 511) / 512);
    if (b * 8 > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many index terms for an in-memory filter: " + expectedKeys);
    }
    this.blocks = b;
    this.words = new long[(int) (b * 8)];
    this.keys = expectedKeys;
  }

  /** Builds the filter from every term of {@code fields} in every segment of {@code reader}. */
  static KeyFilter build(IndexReader reader, List<String> fields) throws IOException {
    long n = 0;
    for (LeafReaderContext ctx : reader.leaves()) {
      for (String f : fields) {
        Terms t = ctx.reader().terms(f);
        if (t != null) {
          long s = t.size();
          n += s >= 0 ? s : (long) ctx.reader().maxDoc() * RecordIndex.BANDS;
        }
      }
    }
    KeyFilter k = new KeyFilter(n);
    for (LeafReaderContext ctx : reader.leaves()) {
      for (String f : fields) {
        Terms t = ctx.reader().terms(f);
        if (t == null) {
          continue;
        }
        TermsEnum te = t.iterator();
        long salt = salt(f);
        for (BytesRef b = te.next(); b != null; b = te.next()) {
          k.add(hash(salt, b));
        }
      }
    }
    return k;
  }

  /** Bytes of heap the filter holds. */
  long bytes() {
    return words.length * 8L;
  }

  long expectedKeys() {
    return keys;
  }

  static long salt(String field) {
    return RecordIndex.mix64(field.hashCode() * 0x9E3779B97F4A7C15L + 1);
  }

  /** A 64-bit hash of a term of the field with salt {@code salt} (FNV-1a, then a full-avalanche finaliser). */
  static long hash(long salt, BytesRef b) {
    long h = 0xcbf29ce484222325L ^ salt;
    for (int i = b.offset, end = b.offset + b.length; i < end; i++) {
      h = (h ^ (b.bytes[i] & 0xff)) * 0x100000001b3L;
    }
    return RecordIndex.mix64(h);
  }

  private int block(long h) {
    // Unsigned multiply-high maps the hash onto [0, blocks) without a division.
    return (int) Math.multiplyHigh(h >>> 1, blocks << 1) * 8;
  }

  private void add(long h) {
    int base = block(h);
    long g = RecordIndex.mix64(h ^ 0x5851F42D4C957F2DL);
    for (int i = 0; i < PROBES; i++) {
      int bit = (int) (g >>> (9 * i)) & 511;
      words[base + (bit >>> 6)] |= 1L << (bit & 63);
    }
  }

  boolean mightContain(long h) {
    int base = block(h);
    long g = RecordIndex.mix64(h ^ 0x5851F42D4C957F2DL);
    for (int i = 0; i < PROBES; i++) {
      int bit = (int) (g >>> (9 * i)) & 511;
      if ((words[base + (bit >>> 6)] & (1L << (bit & 63))) == 0) {
        return false;
      }
    }
    return true;
  }
}
