package dev.hallmark.ledger;

import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a ledger at one signed checkpoint. Every method sees exactly the
 * {@link #size()} entries the checkpoint commits to, whatever is appended meanwhile. Thread-safe;
 * close it to release its index reader.
 *
 * <p>Lookups use the lookup index only to find candidates; every returned {@link Match} carries the
 * record read from the log and a similarity recomputed from it (or, for {@link #find}, the query
 * re-checked against it). After max(1,000, size/200) exact-hash and text lookups a snapshot builds an
 * in-memory filter of the index's hash terms and LSH band keys (about 66 bytes of heap per record), so
 * that a miss, the common case when cleaning a corpus, is answered without reading the index.
 */
public interface LedgerSnapshot extends AutoCloseable {
  /** The signed checkpoint this snapshot is fixed at. */
  SignedCheckpoint checkpoint();

  /** Number of entries (the checkpoint size). */
  default long size() {
    return checkpoint().size();
  }

  /** The raw log entry at {@code index}. */
  byte[] entry(long index) throws LedgerException;

  /** The record at {@code index}. */
  Record get(long index) throws LedgerException;

  /** Records whose {@code contentSha256} equals {@code sha256Hex}, oldest first. */
  List<Match> findBySha256(String sha256Hex) throws LedgerException;

  /**
   * Text near-duplicates: records whose MinHash signature agrees with {@code minHash} in at least
   * {@code minJaccard} of positions, best first. Candidates come from LSH over 32 bands of 4 rows,
   * so a record with true Jaccard similarity s is a candidate with probability {@code 1-(1-s^4)^32}
   * (0.98 at s = 0.5, 0.9995 at s = 0.6).
   */
  List<Match> findText(int[] minHash, double minJaccard, int limit) throws LedgerException;

  /**
   * Image near-duplicates: records whose 256-bit hash is within Hamming distance
   * {@code maxDistance} of {@code hashHex}, closest first. Multi-index hashing over 16 chunks of 16
   * bits probing each chunk's neighbours within radius {@code r = floor(maxDistance / 16)}: by
   * pigeonhole every hash within the distance shares some chunk within r bits, so recall is exact
   * for {@code maxDistance <= 31} (r <= 1); larger distances are refused.
   */
  List<Match> findImage(String hashHex, int maxDistance, int limit) throws LedgerException;

  /** Records matching every non-null field of {@code query}, oldest first. */
  List<Match> find(RecordQuery query, int limit) throws LedgerException;

  /** Inclusion proof for entry {@code index} in this snapshot's tree. */
  InclusionProof inclusionProof(long index);

  /** Consistency proof from an earlier size to this snapshot's size. */
  ConsistencyProof consistencyProof(long oldSize);

  /** The root hash of the tree of the first {@code treeSize <= size()} entries. */
  byte[] rootHash(long treeSize);

  /** An offline receipt (C2SP tlog-proof) for entry {@code index}. */
  default Receipt receipt(long index) throws LedgerException {
    return new Receipt(entry(index), inclusionProof(index), checkpoint());
  }

  @Override
  void close();
}
