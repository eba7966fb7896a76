package dev.hallmark.provenance;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Checkpoint;
import dev.hallmark.ledger.ConsistencyProof;
import dev.hallmark.ledger.InclusionProof;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.RecordQuery;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A small in-memory {@link Ledger} for tests of the provenance layer, independent of the on-disk log:
 * RFC 6962 hashing and proofs computed directly (Merkle.leafHash/nodeHash), checkpoints signed with
 * {@link SignedCheckpoint#sign}, lookups by linear scan.
 */
final class MemoryLedger implements Ledger {
  private final String origin;
  private final SigningKey logKey;
  private final List<byte[]> entries = new ArrayList<>();
  private SignedCheckpoint checkpoint;

  MemoryLedger(String origin, SigningKey logKey) {
    this.origin = origin;
    this.logKey = logKey;
    this.checkpoint = SignedCheckpoint.sign(new Checkpoint(origin, 0, Merkle.emptyRoot()), logKey);
  }

  @Override
  public String origin() {
    return origin;
  }

  @Override
  public NoteVerifierKey logKey() {
    return logKey.verifierKey(origin);
  }

  @Override
  public synchronized long append(Record record) throws LedgerException {
    try {
      record.verifySignature();
    } catch (Exception e) {
      throw new LedgerException("unsigned or badly signed record: " + e.getMessage());
    }
    byte[] e = record.entryBytes();
    for (int i = 0; i < entries.size(); i++) {
      if (java.util.Arrays.equals(entries.get(i), e)) {
        return i; // appends are idempotent
      }
    }
    entries.add(e);
    return entries.size() - 1;
  }

  @Override
  public synchronized long[] appendAll(List<Record> records) throws LedgerException {
    long[] out = new long[records.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = append(records.get(i));
    }
    return out;
  }

  @Override
  public CompletableFuture<long[]> appendAsync(List<Record> records) throws LedgerException {
    return CompletableFuture.completedFuture(appendAll(records));
  }

  @Override
  public synchronized CompletableFuture<List<dev.hallmark.ledger.Appended>> appendDetailed(List<Record> records) throws LedgerException {
    List<dev.hallmark.ledger.Appended> out = new java.util.ArrayList<>();
    for (Record r : records) {
      int before = entries.size();
      long i = append(r);
      out.add(new dev.hallmark.ledger.Appended(i, entries.size() == before));
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public synchronized long durableSize() {
    return entries.size();
  }

  @Override
  public synchronized SignedCheckpoint checkpoint() {
    if (checkpoint.size() != entries.size()) {
      checkpoint = SignedCheckpoint.sign(new Checkpoint(origin, entries.size(), root(entries, 0, entries.size())), logKey);
    }
    return checkpoint;
  }

  @Override
  public synchronized LedgerSnapshot snapshot() {
    return new Snap(List.copyOf(entries.subList(0, (int) checkpoint.size())), checkpoint);
  }

  @Override
  public void close() {}

  static byte[] root(List<byte[]> e, int lo, int hi) {
    if (hi - lo == 0) {
      return Merkle.emptyRoot();
    }
    if (hi - lo == 1) {
      return Merkle.leafHash(e.get(lo));
    }
    int k = Integer.highestOneBit(hi - lo - 1);
    return Merkle.nodeHash(root(e, lo, lo + k), root(e, lo + k, hi));
  }

  static void path(List<byte[]> e, int m, int lo, int hi, List<byte[]> out) {
    if (hi - lo <= 1) {
      return;
    }
    int k = Integer.highestOneBit(hi - lo - 1);
    if (m < k) {
      path(e, m, lo, lo + k, out);
      out.add(root(e, lo + k, hi));
    } else {
      path(e, m - k, lo + k, hi, out);
      out.add(root(e, lo, lo + k));
    }
  }

  private static final class Snap implements LedgerSnapshot {
    private final List<byte[]> entries;
    private final SignedCheckpoint cp;

    Snap(List<byte[]> entries, SignedCheckpoint cp) {
      this.entries = entries;
      this.cp = cp;
    }

    @Override
    public SignedCheckpoint checkpoint() {
      return cp;
    }

    @Override
    public byte[] entry(long index) {
      return entries.get((int) index).clone();
    }

    @Override
    public Record get(long index) throws LedgerException {
      return Record.parse(entries.get((int) index));
    }

    private List<Match> all() throws LedgerException {
      List<Match> out = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        out.add(new Match(i, get(i), 1.0, -1));
      }
      return out;
    }

    @Override
    public List<Match> findBySha256(String sha256Hex) throws LedgerException {
      return all().stream().filter(m -> m.record().contentSha256().equals(sha256Hex)).toList();
    }

    @Override
    public List<Match> findText(int[] minHash, double minJaccard, int limit) throws LedgerException {
      List<Match> out = new ArrayList<>();
      for (Match m : all()) {
        if (m.record().textMinHash().isPresent()) {
          double s = TextFingerprint.jaccardEstimate(minHash, m.record().textMinHash().get());
          if (s >= minJaccard) {
            out.add(new Match(m.index(), m.record(), s, -1));
          }
        }
      }
      out.sort(Comparator.comparingDouble(Match::similarity).reversed());
      return out.subList(0, Math.min(limit, out.size()));
    }

    @Override
    public List<Match> findImage(String hashHex, int maxDistance, int limit) throws LedgerException {
      List<Match> out = new ArrayList<>();
      for (Match m : all()) {
        if (m.record().imageHash().isPresent()) {
          String h = m.record().imageHash().get();
          int d = 0;
          for (int i = 0; i < 64; i++) {
            d += Integer.bitCount(Character.digit(h.charAt(i), 16) ^ Character.digit(hashHex.charAt(i), 16));
          }
          if (d <= maxDistance) {
            out.add(new Match(m.index(), m.record(), 1 - d / 256.0, d));
          }
        }
      }
      out.sort(Comparator.comparingInt(Match::distance));
      return out.subList(0, Math.min(limit, out.size()));
    }

    @Override
    public List<Match> find(RecordQuery q, int limit) throws LedgerException {
      List<Match> out = new ArrayList<>();
      for (Match m : all()) {
        if (!q.matches(m.record())) {
          continue;
        }
        out.add(m);
        if (out.size() >= limit) {
          break;
        }
      }
      return out;
    }

    @Override
    public InclusionProof inclusionProof(long index) {
      List<byte[]> p = new ArrayList<>();
      path(entries, (int) index, 0, entries.size(), p);
      return new InclusionProof(index, entries.size(), p);
    }

    @Override
    public ConsistencyProof consistencyProof(long oldSize) {
      throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public byte[] rootHash(long treeSize) {
      return root(entries, 0, (int) treeSize);
    }

    @Override
    public void close() {}
  }

  @Override
  public String toString() {
    return "MemoryLedger{" + origin + ", " + entries.size() + " entries, " + Arrays.toString(new long[] {checkpoint.size()}) + "}";
  }
}
