package dev.hallmark.ledger;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Streams records into a {@link Ledger} and acknowledges them in order as soon as each group commit
 * is durable, with bounded memory: at most {@code maxInFlight} chunks are submitted and not yet
 * acknowledged; {@link #append} blocks while that many are outstanding. The producer thread keeps
 * preparing (parsing, signing) the next chunk while earlier ones are being written.
 *
 * <p>Acknowledgements are delivered on one background thread to the {@link Listener}, chunk by
 * chunk in submission order. The first failure (of the ledger, or of the listener, e.g. because the
 * acknowledgements cannot be written) stops the stream: no later chunk is acknowledged, the next
 * {@link #append} and {@link #close} throw it, and {@link #acknowledged()} says how many records were
 * acknowledged before it. Records after those may or may not be in the log; appending them again is
 * safe (appends are idempotent) and tells which.
 *
 * @param <T> what the caller attaches to each record to recognise its acknowledgement (e.g. a line name)
 */
public final class AppendStream<T> implements AutoCloseable {
  /** Receives acknowledgements: the tags and outcomes of one durable chunk, in order. */
  @FunctionalInterface
  public interface Listener<T> {
    void acknowledged(List<T> tags, List<Appended> outcomes) throws IOException;
  }

  private record Chunk<T>(List<T> tags, CompletableFuture<List<Appended>> done) {}

  private static final Chunk<Object> END = new Chunk<>(List.of(), null);

  private final Ledger ledger;
  private final Listener<T> listener;
  private final BlockingQueue<Chunk<T>> inFlight;
  private final Thread acker;
  private volatile Exception failure;
  private volatile long acknowledged;
  private volatile long existing;
  private boolean closed;

  private AppendStream(Ledger ledger, int maxInFlight, Listener<T> listener) {
    this.ledger = ledger;
    this.listener = listener;
    this.inFlight = new ArrayBlockingQueue<>(maxInFlight);
    this.acker = new Thread(this::ackLoop, "hallmark-ledger-acks");
    acker.setDaemon(true);
    acker.start();
  }

  /**
   * Starts a stream into {@code ledger}.
   *
   * @param maxInFlight most chunks submitted but not yet acknowledged (1..1024); with chunks of up to
   *     a few hundred records, 8 keeps the disk busy while bounding memory
   */
  public static <T> AppendStream<T> open(Ledger ledger, int maxInFlight, Listener<T> listener) {
    if (maxInFlight < 1 || maxInFlight > 1024) {
      throw new IllegalArgumentException("maxInFlight must be 1..1024");
    }
    return new AppendStream<>(Objects.requireNonNull(ledger), maxInFlight, Objects.requireNonNull(listener));
  }

  /**
   * Submits one chunk of records (appended as one batch), each with its tag. Returns once submitted;
   * blocks while {@code maxInFlight} chunks are unacknowledged.
   *
   * @throws LedgerException if a record is rejected (nothing of this chunk was appended; earlier
   *     chunks are still acknowledged by {@link #close}), or the stream already failed
   */
  public void append(List<Record> records, List<T> tags) throws LedgerException, InterruptedException {
    if (records.size() != tags.size()) {
      throw new IllegalArgumentException("one tag per record");
    }
    if (closed) {
      throw new IllegalStateException("the append stream is closed");
    }
    rethrow();
    if (records.isEmpty()) {
      return;
    }
    CompletableFuture<List<Appended>> f = ledger.appendDetailed(records);
    inFlight.put(new Chunk<>(List.copyOf(tags), f));
  }

  /** Records acknowledged so far (existing ones included). */
  public long acknowledged() {
    return acknowledged;
  }

  /** Of the acknowledged records, those that were already in the log. */
  public long existing() {
    return existing;
  }

  /** The failure that stopped the stream, or null. */
  public Exception failure() {
    return failure;
  }

  @SuppressWarnings("unchecked")
  private void ackLoop() {
    while (true) {
      Chunk<T> c;
      try {
        c = inFlight.take();
      } catch (InterruptedException e) {
        return;
      }
      if (c == (Chunk<T>) (Chunk<?>) END) {
        return;
      }
      if (failure != null) {
        continue; // drain: nothing after the first failure is acknowledged
      }
      try {
        List<Appended> out = c.done().get();
        listener.acknowledged(c.tags(), out);
        long ex = 0;
        for (Appended a : out) {
          if (a.existing()) {
            ex++;
          }
        }
        existing += ex;
        acknowledged += out.size();
      } catch (ExecutionException e) {
        failure = e.getCause() instanceof Exception x ? x : new LedgerException("append failed: " + e.getCause(), e.getCause());
      } catch (IOException | RuntimeException e) {
        failure = e;
      } catch (InterruptedException e) {
        failure = e;
        return;
      }
    }
  }

  private void rethrow() throws LedgerException {
    Exception f = failure;
    if (f instanceof LedgerException le) {
      throw le;
    }
    if (f != null) {
      throw new LedgerException("acknowledging appends failed (" + f.getMessage() + ")", f);
    }
  }

  /**
   * Waits until every submitted chunk is acknowledged (or the stream failed) and stops the
   * acknowledgement thread.
   *
   * @throws LedgerException the failure that stopped the stream; {@link #acknowledged()} says how
   *     far it got
   */
  @Override
  @SuppressWarnings("unchecked")
  public void close() throws LedgerException, InterruptedException {
    if (!closed) {
      closed = true;
      inFlight.put((Chunk<T>) (Chunk<?>) END);
      acker.join();
    }
    rethrow();
  }
}
