package dev.hallmark.ledger.internal;

import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Record;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the writer's Lucene lookup index off the append and checkpoint paths (issue #20). The
 * committer hands over the records of each durable group commit (already parsed: no re-parsing of
 * entries); one background thread adds them to the {@link RecordIndex} and commits the index only
 * every {@link #COMMIT_ENTRIES} entries or {@link #COMMIT_NANOS} (and at close), not at every
 * checkpoint. The index is derived data: a commit records the number of leading log entries it
 * covers, and a writer that opens the log re-indexes what the last index commit lacks; read-only
 * snapshots index that gap in memory. Every entry handed over is already durable in the
 * write-ahead log, so an index commit never covers an entry the log could lose.
 *
 * <p>Bounded: {@link #backlog()} is what is queued and not yet indexed; the writer makes appends
 * wait while it is above its limit. A writer snapshot waits until every entry of its checkpoint is
 * indexed ({@link #acquireCovering}).
 */
final class AsyncIndexer {
  /** Entries indexed since the last index commit after which the index is committed again. */
  static final long COMMIT_ENTRIES = 65_536;
  /** Time after which indexed but uncommitted entries are committed. */
  static final long COMMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record Work(long first, Record[] records) {}

  private final RecordIndex index;
  private final ArrayDeque<Work> queue = new ArrayDeque<>();
  private final Thread thread;
  private final Object refreshLock = new Object();
  /** Entries queued and not yet indexed (changed under this; read without it). */
  private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
  /** The index of the entry the next submission must start at (guarded by this). */
  private long next;
  private boolean stopping;
  /** Entries {@code [0, indexedTo)} are in the index writer. */
  private volatile long indexedTo;
  /** Entries {@code [0, committedTo)} are in the last index commit (indexer thread, then close). */
  private long committedTo;
  /** Entries {@code [0, refreshedTo)} are visible to newly acquired searchers (under refreshLock). */
  private long refreshedTo;
  private long lastCommit = System.nanoTime();
  private volatile Throwable failure;

  /**
   * @param indexedTo entries already in {@code index}'s writer (committed or not)
   * @param committedTo entries in its last commit
   */
  AsyncIndexer(RecordIndex index, long indexedTo, long committedTo) {
    this.index = index;
    this.indexedTo = indexedTo;
    this.next = indexedTo;
    this.committedTo = committedTo;
    this.refreshedTo = indexedTo;
    this.thread = new Thread(this::loop, "hallmark-ledger-indexer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Hands over entries {@code [first, first + records.length)}, durable in the log (committer only). */
  synchronized void submit(long first, Record[] records) {
    if (records.length == 0) {
      return;
    }
    if (first != next) {
      // Cannot happen: the committer hands over every durable entry in order. Stop indexing rather
      // than index a gap; the next open re-indexes from the last index commit.
      failure = new IllegalStateException("index hand-over out of order: entry " + first + ", expected " + next);
      notifyAll();
      return;
    }
    queue.add(new Work(first, records));
    queued.addAndGet(records.length);
    next += records.length;
    notifyAll();
  }

  /** Entries handed over and not yet indexed. */
  long backlog() {
    return queued.get();
  }

  long indexedTo() {
    return indexedTo;
  }

  private void loop() {
    while (true) {
      Work w;
      boolean commit;
      synchronized (this) {
        while (queue.isEmpty() && !stopping && failure == null && !commitDue()) {
          try {
            wait(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (failure != null || (stopping && queue.isEmpty())) {
          return;
        }
        w = queue.poll();
        commit = w == null && commitDue();
      }
      try {
        if (w != null) {
          Record[] rs = w.records();
          for (int i = 0; i < rs.length; i++) {
            index.add(w.first() + i, rs[i]);
          }
          indexedTo = w.first() + rs.length;
          synchronized (this) {
            queued.addAndGet(-rs.length);
            notifyAll();
          }
          commit = commitDue();
        }
        if (commit) {
          commitNow();
        }
      } catch (IOException | RuntimeException | Error e) {
        synchronized (this) {
          failure = e;
          queue.clear();
          queued.set(0);
          notifyAll();
        }
        return;
      }
    }
  }

  private boolean commitDue() {
    long pending = indexedTo - committedTo;
    return pending >= COMMIT_ENTRIES || (pending > 0 && System.nanoTime() - lastCommit >= COMMIT_NANOS);
  }

  private void commitNow() throws IOException {
    long to = indexedTo;
    index.commit(to);
    committedTo = to;
    lastCommit = System.nanoTime();
  }

  /**
   * A searcher that sees every entry below {@code size} (and perhaps later ones; look-ups filter by
   * size), waiting for the indexer to get there. Refreshes the searcher at most once per new size.
   */
  RecordIndex.Searcher acquireCovering(long size) throws LedgerException, IOException {
    synchronized (this) {
      while (indexedTo < size) {
        if (failure != null) {
          throw failed();
        }
        if (stopping && queue.isEmpty() && indexedTo < size) {
          break;
        }
        try {
          wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new LedgerException("interrupted while waiting for the lookup index", e);
        }
      }
      if (failure != null) {
        throw failed();
      }
    }
    synchronized (refreshLock) {
      if (refreshedTo < size) {
        long to = indexedTo;
        index.refresh();
        refreshedTo = to;
      }
    }
    return index.acquire();
  }

  void release(RecordIndex.Searcher s) throws IOException {
    index.release(s);
  }

  private LedgerException failed() {
    return new LedgerException("index update failed (" + failure + "); look-ups in this process cannot continue, the log itself"
        + " is unaffected; reopen the log (it re-indexes what the index lacks) or run 'hallmark ledger reindex'", failure);
  }

  /**
   * Indexes everything handed over, commits the index when it covers more than its last commit,
   * and stops the thread. Index failures are not thrown: the index is derived data, and the next
   * open re-indexes whatever the last commit lacks.
   */
  void finish() throws InterruptedException {
    synchronized (this) {
      stopping = true;
      notifyAll();
    }
    thread.join();
    if (failure == null && indexedTo > committedTo) {
      try {
        commitNow();
      } catch (IOException | RuntimeException e) {
        failure = e;
      }
    }
  }

  /** The indexing failure, or null. */
  Throwable failure() {
    return failure;
  }
}
