package dev.hallmark.spark.internal;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import java.io.Serializable;

/** A signed checkpoint and the log's public verifier key as text, for shipping to executors (which verify it again). */
public final class CheckpointRef implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String note;
  private final String verifierKey;

  public CheckpointRef(SignedCheckpoint cp, NoteVerifierKey key) {
    this.note = cp.encode();
    this.verifierKey = key.encode();
  }

  public SignedCheckpoint open() {
    try {
      return SignedCheckpoint.verify(note, NoteVerifierKey.parse(verifierKey));
    } catch (VerificationException e) {
      throw new IllegalStateException("registry checkpoint no longer verifies: " + e.getMessage(), e);
    }
  }

  public long size() {
    return open().size();
  }
}
