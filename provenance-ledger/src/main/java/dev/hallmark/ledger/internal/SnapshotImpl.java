package dev.hallmark.ledger.internal;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.ConsistencyProof;
import dev.hallmark.ledger.InclusionProof;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.MatchRules;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.RecordQuery;
import dev.hallmark.ledger.SignedCheckpoint;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.BytesRef;

/** A ledger view fixed at one checkpoint (see {@link LedgerSnapshot}). */
public final class SnapshotImpl implements LedgerSnapshot {
  /** Releases the index searcher. */
  public interface Release {
    void release() throws IOException;
  }

  private final LogDir dir;
  private final SignedCheckpoint checkpoint;
  private final long size;
  private final HashStore hashes;
  private final IndexSearcher searcher;
  private final Release release;
  private final BundleCache bundles;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final IndexReader reader;
  private final BandTable.View bands;
  private final AtomicLong lookups = new AtomicLong();
  private final AtomicBoolean filterStarted = new AtomicBoolean();
  private volatile KeyFilter filter;

  /**
   * @param searcher the lookup index at (or beyond) the checkpoint, or null for none
   * @param bands its band table (text look-ups), or null for none
   * @param release releases both when the snapshot is closed
   */
  public SnapshotImpl(LogDir dir, SignedCheckpoint checkpoint, HashStore hashes, IndexSearcher searcher, BandTable.View bands,
      Release release, BundleCache bundles) {
    this.dir = dir;
    this.bands = bands;
    this.checkpoint = checkpoint;
    this.size = checkpoint.size();
    this.hashes = hashes;
    this.searcher = searcher;
    this.release = release;
    this.bundles = bundles;
    this.reader = searcher == null ? null : searcher.getIndexReader();
  }

  /**
   * Exact-hash and text lookups after which a snapshot builds its in-memory {@link KeyFilter}:
   * {@code max(1000, size / 200)}. Building costs time proportional to the size (33 keys per
   * record), and so do unfiltered lookups (one term seek per band and segment), so this is the
   * ski-rental rule: pay per lookup until the total is about the one-off cost of the filter. A long
   * cleaning run gets the filter early on; a single {@code verify} or server request never builds it.
   */
  public long filterAfterLookups() {
    return Math.max(1000, size / 200);
  }

  /** The filter, building it when this snapshot has done enough lookups; null until then. */
  private KeyFilter filter() throws IOException {
    KeyFilter f = filter;
    if (f != null) {
      return f;
    }
    long n = lookups.incrementAndGet();
    if (n >= filterAfterLookups() && filterStarted.compareAndSet(false, true)) {
      try {
        // Null when the filter would not fit the free heap: lookups stay correct and go to the
        // index, and filterStarted stays set so it is not retried.
        filter = KeyFilter.build(reader, bands);
      } catch (IOException | RuntimeException e) {
        filterStarted.set(false);
        throw e;
      }
      return filter;
    }
    return null;
  }

  /** Heap bytes of this snapshot's key filter, or 0 while it is not built (for benchmarks). */
  public long filterBytes() {
    KeyFilter f = filter;
    return f == null ? 0 : f.bytes();
  }

  /** Whether the index may hold the {@code sha} term {@code term} (always, while the filter is not built). */
  private boolean mayHoldSha(BytesRef term) throws IOException {
    KeyFilter f = filter();
    return f == null || f.mightContain(KeyFilter.shaKey(term));
  }

  /** Moves the band keys that may be in the table to the front of {@code keys}; returns their count. */
  private int presentBands(long[] keys) throws IOException {
    KeyFilter f = filter();
    if (f == null) {
      return keys.length;
    }
    int n = 0;
    for (long k : keys) {
      if (f.mightContain(k)) {
        keys[n++] = k;
      }
    }
    return n;
  }

  /**
   * The near-duplicate candidates of a text or image look-up: the entries below this snapshot's size
   * that hold any of {@code keys} in the band table (keys the key filter rules out are not looked up),
   * scored on the binary doc value {@code valueField} and kept at {@code min} or above, as
   * {@code {index, score}} pairs.
   */
  private List<double[]> bandCandidates(long[] keys, String valueField, java.util.function.ToDoubleFunction<BytesRef> score,
      double min) throws LedgerException {
    if (reader == null || bands == null || size == 0) {
      return List.of();
    }
    try {
      int n = presentBands(keys);
      return n == 0 ? List.of() : RecordIndex.score(reader, bands.lookup(keys, n, size), valueField, score, min);
    } catch (IOException e) {
      throw indexFailure(e);
    }
  }

  private LedgerException indexFailure(IOException e) {
    return new LedgerException("index read failed (" + e.getMessage() + "); rebuild it with 'hallmark ledger reindex'", e);
  }

  @Override
  public SignedCheckpoint checkpoint() {
    return checkpoint;
  }

  private void checkIndex(long index) throws LedgerException {
    if (index < 0 || index >= size) {
      throw new LedgerException("no entry " + Long.toUnsignedString(index) + ": the checkpoint has " + size + " entries (0.." + (size - 1) + ")");
    }
  }

  @Override
  public byte[] entry(long index) throws LedgerException {
    checkIndex(index);
    long t = index / TilePaths.WIDTH;
    int w = (int) Math.min(TilePaths.WIDTH, size - t * TilePaths.WIDTH);
    byte[] e = bundles.get(t, w).get((int) (index % TilePaths.WIDTH));
    if (!MessageDigest.isEqual(Merkle.leafHash(e), hashes.hash(0, index))) {
      throw new LedgerException("entry " + index + " in " + TilePaths.entries(t, w)
          + " does not match the Merkle tree; the log was tampered with (run 'hallmark ledger verify')");
    }
    return e.clone();
  }

  @Override
  public Record get(long index) throws LedgerException {
    return Record.parse(entry(index));
  }

  @Override
  public List<Match> findBySha256(String sha256Hex) throws LedgerException {
    String h = sha256Hex.toLowerCase(java.util.Locale.ROOT);
    if (!isSha256(h)) {
      throw new LedgerException("'" + sha256Hex + "' is not a SHA-256 (64 hex digits)");
    }
    if (size == 0 || reader == null) {
      return List.of();
    }
    List<double[]> found;
    try {
      BytesRef term = RecordIndex.shaTerm(h);
      found = !mayHoldSha(term) ? List.of() : RecordIndex.lookup(reader, RecordIndex.SHA, List.of(term), size);
    } catch (IOException e) {
      throw indexFailure(e);
    }
    if (found.isEmpty()) {
      return List.of();
    }
    long[] idx = new long[found.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = (long) found.get(i)[0];
    }
    java.util.Arrays.sort(idx);
    List<Match> out = new ArrayList<>();
    for (int k = 0; k < Math.min(idx.length, MatchRules.MAX_SHA_MATCHES); k++) {
      long i = idx[k];
      Record r = get(i);
      if (r.contentSha256().equals(h)) {
        out.add(new Match(i, r, 1.0, -1));
      }
    }
    return out;
  }

  private static boolean isSha256(String h) {
    if (h.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = h.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /** {@link MatchRules#minHashSimilarity} against a signature stored as big-endian 32-bit values. */
  static double jaccard(int[] a, BytesRef b) {
    if (b.length != a.length * 4) {
      return 0;
    }
    byte[] x = b.bytes;
    int eq = 0;
    for (int i = 0, o = b.offset; i < a.length; i++, o += 4) {
      int v = ((x[o] & 0xff) << 24) | ((x[o + 1] & 0xff) << 16) | ((x[o + 2] & 0xff) << 8) | (x[o + 3] & 0xff);
      if (v == a[i]) {
        eq++;
      }
    }
    return (double) eq / a.length;
  }

  @Override
  public List<Match> findText(int[] minHash, double minJaccard, int limit) throws LedgerException {
    if (minHash.length != Record.MINHASH_LENGTH) {
      throw new LedgerException("a text MinHash signature has " + Record.MINHASH_LENGTH + " values, got " + minHash.length);
    }
    List<double[]> ranked = bandCandidates(RecordIndex.bandKeys(minHash), "mh", b -> jaccard(minHash, b), minJaccard);
    if (ranked.isEmpty()) {
      return List.of();
    }
    List<Match> candidates = new ArrayList<>(ranked.size());
    for (double[] c : ranked) {
      candidates.add(new Match((long) c[0], null, c[1], -1));
    }
    candidates.sort(MatchRules.TEXT_ORDER);
    List<Match> out = new ArrayList<>();
    for (Match c : candidates) {
      if (out.size() >= limit) {
        break;
      }
      Record r = get(c.index());
      if (r.textMinHash().isEmpty()) {
        continue;
      }
      double j = MatchRules.minHashSimilarity(minHash, r.textMinHash().get());
      if (j >= minJaccard) {
        out.add(new Match(c.index(), r, j, -1));
      }
    }
    return out;
  }

  @Override
  public List<Match> findImage(String hashHex, int maxDistance, int limit) throws LedgerException {
    if (hashHex == null || !hashHex.matches("[0-9a-fA-F]{64}")) {
      throw new LedgerException("an image hash is 64 hex digits (256 bits)");
    }
    if (maxDistance < 0 || maxDistance > 31) {
      throw new LedgerException("image lookups support Hamming distances 0..31, got " + maxDistance);
    }
    byte[] q = Hex.decode(hashHex);
    List<Match> candidates = new ArrayList<>();
    for (double[] c : bandCandidates(RecordIndex.imageKeys(q, MatchRules.chunkRadius(maxDistance)), "phb",
        b -> b.length == q.length ? -hamming(q, b) : Double.NEGATIVE_INFINITY, -maxDistance)) {
      int d = (int) -c[1];
      candidates.add(new Match((long) c[0], null, 1.0 - d / 256.0, d));
    }
    candidates.sort(MatchRules.IMAGE_ORDER);
    List<Match> out = new ArrayList<>();
    for (Match c : candidates) {
      if (out.size() >= limit) {
        break;
      }
      Record r = get(c.index());
      if (r.imageHash().isEmpty()) {
        continue;
      }
      int d = MatchRules.hammingDistance(q, Hex.decode(r.imageHash().get()));
      if (d <= maxDistance) {
        out.add(new Match(c.index(), r, 1.0 - d / 256.0, d));
      }
    }
    return out;
  }

  static int hamming(byte[] a, BytesRef b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Integer.bitCount((a[i] ^ b.bytes[b.offset + i]) & 0xff);
    }
    return d;
  }


  @Override
  public List<Match> find(RecordQuery query, int limit) throws LedgerException {
    List<Match> out = new ArrayList<>();
    if (size == 0 || searcher == null || limit <= 0) {
      return out;
    }
    List<long[]> found;
    try {
      found = RecordIndex.search(searcher, RecordIndex.fieldQuery(query), size, limit);
    } catch (IOException e) {
      throw new LedgerException("index search failed (" + e.getMessage() + "); rebuild it with 'hallmark ledger reindex'", e);
    }
    for (long[] c : found) {
      Record r = get(c[0]);
      if (query.matches(r)) {
        out.add(new Match(c[0], r, 1.0, -1));
      }
    }
    return out;
  }

  @Override
  public InclusionProof inclusionProof(long index) {
    return new InclusionProof(index, size, hashes.inclusionProof(index, size));
  }

  @Override
  public ConsistencyProof consistencyProof(long oldSize) {
    return new ConsistencyProof(oldSize, size, hashes.consistencyProof(oldSize, size));
  }

  @Override
  public byte[] rootHash(long treeSize) {
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException("tree size " + treeSize + " is beyond this snapshot's " + size);
    }
    return hashes.root(treeSize);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && release != null) {
      try {
        release.release();
      } catch (IOException e) {
        // releasing a reader cannot lose data
      }
    }
  }
}
