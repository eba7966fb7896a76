package dev.hallmark.provenance;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.LedgerException;
import java.util.List;

/**
 * Where a {@link Verifier} looks for ledger records: a local ledger folder, a served ledger, or
 * receipts alone (offline). Every lookup returns records together with their tlog-proof receipts,
 * so the verifier checks signatures and inclusion the same way whatever the source; a source is
 * never trusted for anything it returns. Implementations are thread-safe.
 */
public interface LedgerSource extends AutoCloseable {
  /** Says where records come from, for verdicts and errors (a folder, a URL, "receipt FILE"). */
  String describe();

  /**
   * Log verifier keys this source can vouch for because the user chose it locally (a ledger folder
   * the user opened); empty for a remote or receipt-only source, whose log keys must be trusted
   * separately.
   */
  List<NoteVerifierKey> localLogKeys();

  /** Records whose content SHA-256 is {@code sha256Hex}. */
  List<LedgerHit> bySha256(String sha256Hex) throws LedgerException;

  /** Image records whose perceptual hash is within {@code maxDistance} bits of {@code hashHex}, closest first. */
  List<LedgerHit> byImageHash(String hashHex, int maxDistance) throws LedgerException;

  /** Text records whose MinHash agrees with {@code minHash} in at least {@code minJaccard} of positions. */
  List<LedgerHit> byMinHash(int[] minHash, double minJaccard) throws LedgerException;

  /**
   * Records carrying watermark facts under {@code keyId}, restricted to {@code payloadHex} when it
   * is not null; at most {@code limit}.
   */
  List<LedgerHit> byWatermark(String keyId, String payloadHex, int limit) throws LedgerException;

  /**
   * Text records under watermark key {@code keyId} whose MinHash agrees with {@code minHash} in at
   * least {@code minJaccard} of positions, best first, at most {@code limit}. Unlike
   * {@link #byMinHash} this also finds heavily edited copies (similarity below the LSH band range),
   * at the cost of reading the key's text records (at most {@link #MAX_KEY_SCAN}).
   */
  List<LedgerHit> byWatermarkAndText(String keyId, int[] minHash, double minJaccard, int limit) throws LedgerException;

  /** Most records of one key that {@link #byWatermarkAndText} reads (payload lookups are indexed and read only matches). */
  int MAX_KEY_SCAN = 1_000_000;

  @Override
  void close();
}
