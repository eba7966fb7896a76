package dev.hallmark.ledger;

import dev.hallmark.core.NoteVerifierKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A provenance ledger open for writing: an append-only RFC 6962 log of signed records stored in the
 * C2SP tlog-tiles layout. Thread-safe: many threads may append at once; appends are group-committed
 * (one fsync per batch) and acknowledged only once durable. Only one process may hold a log open for
 * writing (a file lock).
 *
 * <p>Acknowledged entries are durable but become part of a signed checkpoint (and so visible to
 * {@link #snapshot()}, tiles and proofs) at the next {@link #checkpoint()}, which
 * {@link LedgerOptions#autoCheckpoint()} may run periodically and {@link #close()} always runs.
 */
public interface Ledger extends AutoCloseable {
  /** The log's origin, also the name of its checkpoint signing key. */
  String origin();

  /** The verifier key for the log's checkpoints. */
  NoteVerifierKey logKey();

  /**
   * Appends a signed record and returns its index once it is durable. Idempotent: a record identical
   * to one already in the log (the same signed entry bytes) is not appended again; its existing index
   * is returned.
   *
   * @throws LedgerException if the record is unsigned, its signature fails, it is too large, or the
   *     log cannot be written
   */
  long append(Record record) throws LedgerException, InterruptedException;

  /** Appends records as one batch (one fsync); returns their indices in order once durable. */
  long[] appendAll(List<Record> records) throws LedgerException, InterruptedException;

  /** Appends without waiting; the future completes with the index once durable. */
  CompletableFuture<long[]> appendAsync(List<Record> records) throws LedgerException;

  /**
   * Appends without waiting; the future completes, once every record is durable, with each record's
   * index and whether it was already in the log. Futures of one thread's calls complete in call
   * order. On failure the future completes exceptionally with a {@link LedgerException}; if
   * {@link LedgerException#mayHaveLanded()} some of the records may be in the log after all
   * (re-append them to find out: those that landed answer as existing).
   *
   * @throws LedgerException at once if a record is unsigned, fails its signature check, is too large,
   *     or the ledger is closed or stopped (nothing of this call was appended)
   */
  CompletableFuture<List<Appended>> appendDetailed(List<Record> records) throws LedgerException;

  /** Number of durable (acknowledged) entries, including those not yet in a checkpoint. */
  long durableSize();

  /**
   * Writes the tiles and entry bundles for every durable entry and signs a new checkpoint; returns
   * the latest checkpoint unchanged when nothing was appended.
   */
  SignedCheckpoint checkpoint() throws LedgerException;

  /** A read-only view at the latest signed checkpoint. */
  LedgerSnapshot snapshot() throws LedgerException;

  /** Checkpoints pending entries, stops background work and releases the lock. */
  @Override
  void close() throws LedgerException;
}
