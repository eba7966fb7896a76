package dev.hallmark.ledger;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;

/**
 * A checkpoint together with its signed note, as stored in the log's {@code checkpoint} file.
 * Instances from {@link #verify} have had their log signature checked.
 */
public final class SignedCheckpoint {
  private final Checkpoint checkpoint;
  private final SignedNote note;

  private SignedCheckpoint(Checkpoint checkpoint, SignedNote note) {
    this.checkpoint = checkpoint;
    this.note = note;
  }

  /** Signs {@code checkpoint} with the log key; the key name is the checkpoint's origin. */
  public static SignedCheckpoint sign(Checkpoint checkpoint, SigningKey logKey) {
    return new SignedCheckpoint(checkpoint, SignedNote.sign(checkpoint.text(), logKey, checkpoint.origin()));
  }

  /**
   * Parses a signed checkpoint note and verifies it against the log's verifier key, whose name must
   * equal the checkpoint origin.
   *
   * @throws VerificationException if it is malformed, for another origin, or not validly signed
   */
  public static SignedCheckpoint verify(String noteText, NoteVerifierKey logKey) throws VerificationException {
    SignedNote note;
    Checkpoint cp;
    try {
      note = SignedNote.parse(noteText);
      cp = Checkpoint.parse(note.text());
    } catch (IllegalArgumentException e) {
      throw new VerificationException("malformed checkpoint: " + e.getMessage());
    }
    if (!cp.origin().equals(logKey.name())) {
      throw new VerificationException("the checkpoint is of log '" + cp.origin() + "' but the log key given is for '"
          + logKey.name() + "' (a verifier key names its log: origin+keyid+key); give the key of '" + cp.origin() + "'");
    }
    note.verify(logKey);
    return new SignedCheckpoint(cp, note);
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  public SignedNote note() {
    return note;
  }

  public long size() {
    return checkpoint.size();
  }

  public byte[] rootHash() {
    return checkpoint.rootHash();
  }

  /** The signed note text, exactly as stored and served. */
  public String encode() {
    return note.encode();
  }

  @Override
  public String toString() {
    return encode();
  }
}
