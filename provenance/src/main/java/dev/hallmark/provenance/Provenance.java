package dev.hallmark.provenance;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.provenance.internal.HttpSink;
import dev.hallmark.provenance.internal.LedgerServerSource;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.security.SecureRandom;
import java.time.Clock;
import dev.hallmark.provenance.internal.HttpLedgerSource;
import dev.hallmark.provenance.internal.Metadata;
import dev.hallmark.provenance.internal.ReceiptSource;
import dev.hallmark.provenance.internal.SnapshotSource;
import dev.hallmark.provenance.internal.TaggerImpl;
import dev.hallmark.provenance.internal.VerifierImpl;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Receipt;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Entry point of tag and verify: taggers, verifiers and the ledger sources they read. */
public final class Provenance {
  private Provenance() {}

  /** A thread-safe tagger appending to {@code settings.ledger()}. */
  public static Tagger tagger(TaggerSettings settings) {
    return new TaggerImpl(settings);
  }

  /**
   * A thread-safe tagger appending to a ledger server ({@code hallmark ledger serve}) with
   * {@code token}: records are signed here by {@code signingKey} and sent with {@code POST /add};
   * receipts come from {@code GET /prove} after the server's next checkpoint.
   */
  public static Tagger remoteTagger(URI ledgerServer, String token, SigningKey signingKey, WatermarkKey watermarkKey,
      ImageWatermarkParameters imageParameters, Clock clock, SecureRandom random) {
    if (token == null || token.isEmpty() || signingKey == null || watermarkKey == null || imageParameters == null
        || clock == null || random == null) {
      throw new IllegalArgumentException("a remote tagger needs a token, a signing key, a watermark key, image parameters, a clock and randomness");
    }
    return new TaggerImpl(new TaggerImpl.Parts(signingKey, watermarkKey, imageParameters, clock, random),
        new HttpSink(ledgerServer, token));
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

  /**
   * Lookups in the ledger folder {@code dir}, whose log key {@code logKey} is trusted because the
   * caller chose the folder. One snapshot serves every lookup until the log's checkpoint changes, so
   * a verifier or server does not re-read the log's leaf hashes per lookup.
   */
  public static LedgerSource localLedger(Path dir, NoteVerifierKey logKey) {
    return new SnapshotSource("ledger " + dir, logKey, () -> Ledgers.openSnapshot(dir, logKey),
        () -> Ledgers.currentCheckpointText(dir), null);
  }

  /** Lookups in the ledger a Tagger appends to (for a server that tags and verifies). */
  public static LedgerSource ledger(Ledger ledger) {
    return new SnapshotSource("log " + ledger.origin(), ledger.logKey(), ledger::snapshot, null);
  }

  /**
   * Lookups against a served ledger: a {@code hallmark serve} instance (recognised by its
   * {@code /api/v1/ledger/info}) or a {@code hallmark ledger serve} instance (tlog-tiles and
   * {@code /lookup}, {@code /prove}); its log key must be trusted separately.
   *
   * @throws LedgerException if the server cannot be reached or is neither
   */
  public static LedgerSource remoteLedger(URI base) throws LedgerException {
    HttpLedgerSource hallmark = new HttpLedgerSource(base);
    try {
      hallmark.announcedLogKey();
      return hallmark;
    } catch (LedgerException e) {
      if (e.getCause() instanceof java.io.IOException) {
        throw e;
      }
    }
    LedgerServerSource tlog = new LedgerServerSource(base);
    new HttpSink(base, "-").origin();
    return tlog;
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

  /**
   * A copy of a PNG or JPEG file carrying {@code ref} in its metadata (other formats unchanged); a
   * JPEG's own XMP packet keeps its properties and gets the reference added.
   *
   * @throws IllegalArgumentException if a JPEG's XMP packet leaves no room for the reference
   */
  public static byte[] embedReference(byte[] file, ProvenanceReference ref) {
    return Metadata.embed(file, ref);
  }
}
