package dev.hallmark.ledger.internal;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.ConsistencyProof;
import dev.hallmark.ledger.InclusionProof;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.RecordQuery;
import dev.hallmark.ledger.SignedCheckpoint;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.search.IndexSearcher;

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

  public SnapshotImpl(LogDir dir, SignedCheckpoint checkpoint, HashStore hashes, IndexSearcher searcher, Release release, BundleCache bundles) {
    this.dir = dir;
    this.checkpoint = checkpoint;
    this.size = checkpoint.size();
    this.hashes = hashes;
    this.searcher = searcher;
    this.release = release;
    this.bundles = bundles;
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
    if (!h.matches("[0-9a-f]{64}")) {
      throw new LedgerException("'" + sha256Hex + "' is not a SHA-256 (64 hex digits)");
    }
    List<Match> out = new ArrayList<>();
    for (long[] c : candidates(RecordIndex.shaQuery(h), RecordIndex.MAX_CANDIDATES)) {
      Record r = get(c[0]);
      if (r.contentSha256().equals(h)) {
        out.add(new Match(c[0], r, 1.0, -1));
      }
    }
    return out;
  }

  /** Fraction of equal positions of two MinHash signatures. */
  public static double jaccard(int[] a, int[] b) {
    int eq = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
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
    List<double[]> ranked;
    try {
      ranked = searcher == null || size == 0 ? new ArrayList<>() : RecordIndex.scan(searcher, RecordIndex.textQuery(minHash), size, "mh", b -> {
        int[] mh = new int[Record.MINHASH_LENGTH];
        java.nio.ByteBuffer.wrap(b).asIntBuffer().get(mh);
        return jaccard(minHash, mh);
      }, minJaccard);
    } catch (IOException e) {
      throw new LedgerException("index read failed (" + e.getMessage() + "); rebuild it with 'hallmark ledger reindex'");
    }
    ranked.sort(Comparator.<double[]>comparingDouble(x -> -x[1]).thenComparingDouble(x -> x[0]));
    List<Match> out = new ArrayList<>();
    for (double[] c : ranked) {
      if (out.size() >= limit) {
        break;
      }
      Record r = get((long) c[0]);
      if (r.textMinHash().isEmpty()) {
        continue;
      }
      double j = jaccard(minHash, r.textMinHash().get());
      if (j >= minJaccard) {
        out.add(new Match((long) c[0], r, j, -1));
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
    List<long[]> ranked = new ArrayList<>();
    try {
      if (searcher != null && size > 0) {
        for (double[] c : RecordIndex.scan(searcher, RecordIndex.imageQuery(q, maxDistance / 16), size, "phb",
            b -> -hamming(q, b), -maxDistance)) {
          ranked.add(new long[] {(long) c[0], (long) -c[1]});
        }
      }
    } catch (IOException e) {
      throw new LedgerException("index read failed (" + e.getMessage() + "); rebuild it with 'hallmark ledger reindex'");
    }
    ranked.sort(Comparator.<long[]>comparingLong(x -> x[1]).thenComparingLong(x -> x[0]));
    List<Match> out = new ArrayList<>();
    for (long[] c : ranked) {
      if (out.size() >= limit) {
        break;
      }
      Record r = get(c[0]);
      if (r.imageHash().isEmpty()) {
        continue;
      }
      int d = hamming(q, Hex.decode(r.imageHash().get()));
      if (d <= maxDistance) {
        out.add(new Match(c[0], r, 1.0 - d / 256.0, d));
      }
    }
    return out;
  }

  public static int hamming(byte[] a, byte[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Integer.bitCount((a[i] ^ b[i]) & 0xff);
    }
    return d;
  }

  @Override
  public List<Match> find(RecordQuery query, int limit) throws LedgerException {
    List<Match> out = new ArrayList<>();
    for (long[] c : candidates(RecordIndex.fieldQuery(query), limit)) {
      out.add(new Match(c[0], get(c[0]), 1.0, -1));
    }
    return out;
  }

  private List<long[]> candidates(org.apache.lucene.search.Query q, int max) throws LedgerException {
    if (size == 0 || searcher == null) {
      return List.of();
    }
    try {
      return RecordIndex.search(searcher, q, size, Math.max(1, max), false, null);
    } catch (IOException e) {
      throw new LedgerException("index search failed (" + e.getMessage() + "); rebuild it with 'hallmark ledger reindex'");
    }
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
