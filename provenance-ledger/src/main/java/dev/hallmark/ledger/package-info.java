/**
 * Signed provenance records in an RFC 6962 / C2SP tlog-tiles transparency log.
 *
 * <p>Entry point: {@link dev.hallmark.ledger.Ledgers} ({@code init}, {@code open} for writing,
 * {@code openSnapshot} for read-only use, {@code verify}, {@code reindex}). Writers append
 * {@link dev.hallmark.ledger.Record}s through {@link dev.hallmark.ledger.Ledger}; readers use a
 * {@link dev.hallmark.ledger.LedgerSnapshot} fixed at one {@link dev.hallmark.ledger.SignedCheckpoint}
 * for look-ups, inclusion and consistency proofs and offline {@link dev.hallmark.ledger.Receipt}s.
 * Formats: {@code docs/spec/ledger.md}.
 */
package dev.hallmark.ledger;
