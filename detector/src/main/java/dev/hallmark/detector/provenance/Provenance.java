package dev.hallmark.detector.provenance;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.detector.internal.provenance.HttpLedgerSource;
import dev.hallmark.detector.internal.provenance.Metadata;
import dev.hallmark.detector.internal.provenance.ReceiptSource;
import dev.hallmark.detector.internal.provenance.SnapshotSource;
import dev.hallmark.detector.internal.provenance.TaggerImpl;
import dev.hallmark.detector.internal.provenance.VerifierImpl;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Receipt;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Entry point of tag and verify: taggers, verifiers and the ledger sources they read. */
public final class Provenance {
  private Provenance() {}

  /** A thread-safe tagger appending to {@code settings.ledger()}. */
  public static Tagger tagger(TaggerSettings settings) {
    return new TaggerImpl(settings);
  }

  /** A thread-safe verifier. */
  public static Verifier verifier(VerifierSettings settings) {
    return new VerifierImpl(settings);
  }

  /** Opens a fresh snapshot for each lookup; the source closes it after use. */
  @FunctionalInterface
  public interface SnapshotOpener {
    LedgerSnapshot open() throws LedgerException;
  }

  /**
   * Lookups in a ledger opened locally, whose log key {@code logKey} is therefore trusted;
   * {@code onClose} (may be null) runs when the source is closed.
   */
  public static LedgerSource localLedger(String description, NoteVerifierKey logKey, SnapshotOpener snapshots,
      AutoCloseable onClose) {
    return new SnapshotSource(description, logKey, snapshots::open, onClose);
  }

  /** Lookups in the ledger a Tagger appends to (for a server that tags and verifies). */
  public static LedgerSource ledger(Ledger ledger) {
    return new SnapshotSource("log " + ledger.origin(), ledger.logKey(), ledger::snapshot, null);
  }

  /** Lookups against a served ledger ({@code hallmark serve}); its log key must be trusted separately. */
  public static LedgerSource remoteLedger(URI base) {
    return new HttpLedgerSource(base);
  }

  /** The log key a served ledger announces (to pin it, compare with one obtained out of band). */
  public static NoteVerifierKey announcedLogKey(URI base) throws LedgerException {
    return new HttpLedgerSource(base).announcedLogKey();
  }

  /** Offline lookups among receipts (tlog-proofs carrying their entries). */
  public static LedgerSource receipts(String description, List<Receipt> receipts) throws LedgerException {
    return new ReceiptSource(description, receipts);
  }

  /** The provenance reference in a PNG or JPEG file's metadata, if any. */
  public static Optional<ProvenanceReference> readReference(byte[] file) {
    return Metadata.read(file);
  }

  /** A copy of a PNG or JPEG file carrying {@code ref} in its metadata (other formats unchanged). */
  public static byte[] embedReference(byte[] file, ProvenanceReference ref) {
    return Metadata.embed(file, ref);
  }
}
