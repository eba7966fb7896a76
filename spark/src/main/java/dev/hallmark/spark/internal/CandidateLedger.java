package dev.hallmark.spark.internal;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.ConsistencyProof;
import dev.hallmark.ledger.InclusionProof;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.MatchRules;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.RecordQuery;
import dev.hallmark.ledger.SignedCheckpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The look-ups of a {@link LedgerSnapshot}, answered from the candidates that the registry join found
 * for the current document instead of from the ledger's index. Each answer applies the snapshot's own
 * rules to the candidates: the same candidate condition (a shared LSH band; a 16-bit chunk within the
 * multi-index-hashing radius; an equal content hash), the same exact check (MinHash agreement at or
 * above the threshold, Hamming distance within the bound), the same order (best first, then oldest)
 * and the same limit, so the detector's decision equals the one it makes against the ledger folder.
 *
 * <p>The rules are the ledger's own, {@link MatchRules}. Matches carry no {@link Record} (the export
 * holds fingerprints only); the detector uses the index, similarity and distance. Proofs and record
 * reads are not available. Not thread-safe: one per task, with {@link #setCandidates} before each
 * document.
 */
public final class CandidateLedger implements LedgerSnapshot {
  private final SignedCheckpoint checkpoint;
  private List<Candidate> current = List.of();

  public CandidateLedger(SignedCheckpoint checkpoint) {
    this.checkpoint = checkpoint;
  }

  /** The candidates of the document about to be decided. */
  public void setCandidates(List<Candidate> candidates) {
    this.current = candidates == null ? List.of() : candidates;
  }

  @Override
  public SignedCheckpoint checkpoint() {
    return checkpoint;
  }

  @Override
  public List<Match> findBySha256(String sha256Hex) throws LedgerException {
    String h = sha256Hex.toLowerCase(java.util.Locale.ROOT);
    if (!h.matches("[0-9a-f]{64}")) {
      throw new LedgerException("a SHA-256 is 64 hex digits");
    }
    List<Match> hits = new ArrayList<>();
    for (Candidate c : current) {
      if (c.index() < size() && c.sha256().equals(h)) {
        hits.add(new Match(c.index(), null, 1.0, -1));
      }
    }
    return MatchRules.best(hits, MatchRules.SHA_ORDER, MatchRules.MAX_SHA_MATCHES);
  }

  @Override
  public List<Match> findText(int[] minHash, double minJaccard, int limit) throws LedgerException {
    if (minHash.length != Record.MINHASH_LENGTH) {
      throw new LedgerException("a text MinHash signature has " + Record.MINHASH_LENGTH + " values, got " + minHash.length);
    }
    List<Match> hits = new ArrayList<>();
    for (Candidate c : current) {
      int[] m = c.minHash();
      if (m == null || m.length != minHash.length || c.index() >= size() || !MatchRules.shareBand(minHash, m)) {
        continue;
      }
      double j = MatchRules.minHashSimilarity(minHash, m);
      if (j >= minJaccard) {
        hits.add(new Match(c.index(), null, j, -1));
      }
    }
    return MatchRules.best(hits, MatchRules.TEXT_ORDER, limit);
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
    int radius = MatchRules.chunkRadius(maxDistance);
    List<Match> hits = new ArrayList<>();
    for (Candidate c : current) {
      if (c.imageHash() == null || c.index() >= size()) {
        continue;
      }
      byte[] b = Hex.decode(c.imageHash());
      if (b.length != q.length || !MatchRules.shareChunk(q, b, radius)) {
        continue;
      }
      int d = MatchRules.hammingDistance(q, b);
      if (d <= maxDistance) {
        hits.add(new Match(c.index(), null, 1.0 - d / 256.0, d));
      }
    }
    return MatchRules.best(hits, MatchRules.IMAGE_ORDER, limit);
  }

  private static UnsupportedOperationException unavailable() {
    return new UnsupportedOperationException("a registry export holds fingerprints only: no records, entries or proofs");
  }

  @Override
  public byte[] entry(long index) {
    throw unavailable();
  }

  @Override
  public Record get(long index) {
    throw unavailable();
  }

  @Override
  public List<Match> find(RecordQuery query, int limit) {
    throw unavailable();
  }

  @Override
  public InclusionProof inclusionProof(long index) {
    throw unavailable();
  }

  @Override
  public ConsistencyProof consistencyProof(long oldSize) {
    throw unavailable();
  }

  @Override
  public byte[] rootHash(long treeSize) {
    if (treeSize == size()) {
      return checkpoint.rootHash();
    }
    throw unavailable();
  }

  @Override
  public void close() {}
}
