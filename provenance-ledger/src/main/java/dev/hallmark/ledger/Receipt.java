package dev.hallmark.ledger;

import dev.hallmark.core.NoteVerifierKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An offline proof that a record is in the log, in the C2SP tlog-proof format: the {@code extra}
 * line carries the record's log entry (base64), then the entry index, the inclusion proof hashes and
 * the signed checkpoint. {@link #verify} needs nothing but the log's verifier key.
 *
 * @see <a href="https://c2sp.org/tlog-proof">c2sp.org/tlog-proof</a>
 */
public final class Receipt {
  /** First line of every tlog-proof. */
  public static final String HEADER = "c2sp.org/tlog-proof@v1";

  private final byte[] entry;
  private final long index;
  private final List<byte[]> hashes;
  private final String checkpointNote;

  private Receipt(byte[] entry, long index, List<byte[]> hashes, String checkpointNote) {
    this.entry = entry == null ? null : entry.clone();
    this.index = index;
    this.hashes = List.copyOf(hashes);
    this.checkpointNote = checkpointNote;
  }

  public Receipt(byte[] entry, InclusionProof proof, SignedCheckpoint checkpoint) {
    this(entry, proof.index(), proof.hashes(), checkpoint.encode());
    if (proof.treeSize() != checkpoint.size()) {
      throw new IllegalArgumentException("inclusion proof is for size " + proof.treeSize() + ", checkpoint for " + checkpoint.size());
    }
  }

  /**
   * Parses a tlog-proof.
   *
   * @throws IllegalArgumentException naming the malformed line
   */
  public static Receipt parse(String text) {
    int sep = text.indexOf("\n\n");
    if (sep < 0) {
      throw new IllegalArgumentException("tlog-proof has no blank line before its checkpoint");
    }
    String[] lines = text.substring(0, sep).split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("tlog-proof must start with '" + HEADER + "'");
    }
    int i = 1;
    byte[] extra = null;
    if (i < lines.length && lines[i].startsWith("extra ")) {
      extra = b64(lines[i].substring(6), "extra");
      i++;
    }
    if (i >= lines.length || !lines[i].matches("index (0|[1-9][0-9]{0,19})")) {
      throw new IllegalArgumentException("tlog-proof needs an 'index N' line (decimal, no leading zeros)");
    }
    long index;
    try {
      index = Long.parseUnsignedLong(lines[i].substring(6));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tlog-proof index does not fit in 64 bits");
    }
    i++;
    List<byte[]> hashes = new ArrayList<>();
    for (; i < lines.length; i++) {
      byte[] h = b64(lines[i], "proof hash " + hashes.size());
      if (h.length != Merkle.HASH_BYTES) {
        throw new IllegalArgumentException("tlog-proof hash " + hashes.size() + " is " + h.length + " bytes, not 32");
      }
      hashes.add(h);
    }
    return new Receipt(extra, index, hashes, text.substring(sep + 2));
  }

  private static byte[] b64(String s, String what) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tlog-proof " + what + " is not valid base64");
    }
  }

  public long index() {
    return index;
  }

  /** The log entry carried in the {@code extra} line, if present. */
  public byte[] entry() {
    return entry == null ? null : entry.clone();
  }

  /** The signed checkpoint note, verbatim. */
  public String checkpointNote() {
    return checkpointNote;
  }

  /**
   * The log origin the checkpoint names (its first line), unverified: which log the receipt claims
   * to be from, to say so or to choose the key that {@link #verify} needs.
   *
   * @throws IllegalArgumentException when the checkpoint note is malformed
   */
  public String origin() {
    return Checkpoint.parse(SignedNote.parse(checkpointNote).text()).origin();
  }

  /**
   * Verifies the receipt against the log key: checkpoint signature and origin, the inclusion of the
   * carried entry at {@link #index()}, and the record's producer signature.
   *
   * @return the verified record
   * @throws VerificationException naming the failed check
   */
  public Record verify(NoteVerifierKey logKey) throws VerificationException {
    if (entry == null) {
      throw new VerificationException("receipt carries no entry (no 'extra' line); use verify(logKey, entry)");
    }
    return verify(logKey, entry);
  }

  /** As {@link #verify(NoteVerifierKey)} for a given log entry (the {@code extra} line is ignored). */
  public Record verify(NoteVerifierKey logKey, byte[] logEntry) throws VerificationException {
    SignedCheckpoint cp = SignedCheckpoint.verify(checkpointNote, logKey);
    Merkle.verifyInclusion(index, cp.size(), Merkle.leafHash(logEntry), hashes, cp.rootHash());
    Record r;
    try {
      r = Record.parse(logEntry);
    } catch (LedgerException e) {
      throw new VerificationException("receipt entry is not a valid record: " + e.getMessage());
    }
    r.verifySignature();
    return r;
  }

  /** The tlog-proof text. */
  public String encode() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    if (entry != null) {
      b.append("extra ").append(Base64.getEncoder().encodeToString(entry)).append('\n');
    }
    b.append("index ").append(Long.toUnsignedString(index)).append('\n');
    hashes.forEach(h -> b.append(Base64.getEncoder().encodeToString(h)).append('\n'));
    return b.append('\n').append(checkpointNote).toString();
  }

  @Override
  public String toString() {
    return encode();
  }
}
