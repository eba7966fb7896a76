package dev.hallmark.ledger.internal;

import dev.hallmark.core.DurableFiles;
import dev.hallmark.core.Ed25519BatchVerifier;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Appended;
import dev.hallmark.ledger.Checkpoint;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The writer. Appends are group-committed: each batch of queued calls is written to the write-ahead
 * log with one fsync, by a synchronous caller that finds no write under way (leader/follower) or by
 * the committer thread (asynchronous calls, and what a leader leaves), then the new leaf hashes are
 * published and the records handed to the background indexer; {@link #checkpoint()} writes tiles and entry
 * bundles (each fsynced, directories fsynced) before it atomically replaces the signed checkpoint.
 */
public final class LedgerImpl implements Ledger {
  /**
   * One call's records: entry bytes, leaf hashes, and the future. {@code prepared}, when not null: the
   * producer signatures are still to be checked, by the writer, together with the rest of its group
   * commit; the caller has done the part of each check that depends on its record alone.
   */
  private record Pending(byte[][] entries, byte[][] leafHashes, Record[] records, CompletableFuture<List<Appended>> done,
      Ed25519BatchVerifier.Prepared[] prepared) {
    boolean unverified() {
      return prepared != null;
    }

    int size() {
      return entries.length;
    }
  }

  private final LogDir dir;
  private final String origin;
  private final SigningKey key;
  private final NoteVerifierKey vkey;
  private final LedgerOptions options;
  /** Batch signature checks; the coefficients must be unpredictable to producers, hence a SecureRandom. */
  private final Ed25519BatchVerifier batchVerifier = new Ed25519BatchVerifier(new java.security.SecureRandom());
  private final FileLock lock;
  private final HashStore hashes = new HashStore();
  private final ConcurrentHashMap<Long, byte[]> tail = new ConcurrentHashMap<>();
  /** Calls waiting for a group commit (polled only by the holder of {@link #writeLock}). */
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  /**
   * Held by whoever writes a group commit: the committer thread, or a synchronous caller that leads
   * (leader/follower: {@link #appendAll} writes the queued calls itself when no write is under way,
   * instead of handing them to the committer thread and waiting to be woken).
   */
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Wakes the committer thread: calls were queued that no leader will write. */
  private final java.util.concurrent.Semaphore commitWake = new java.util.concurrent.Semaphore(0);
  private final Object commitLock = new Object();
  private final ReentrantLock checkpointLock = new ReentrantLock();
  private final BundleCache bundles;
  private final RecordIndex index;
  /** Adds durable entries to {@link #index} off the append and checkpoint paths. */
  private final AsyncIndexer indexer;
  private final Thread committer;
  private final Thread autoCheckpointer;
  private volatile SignedCheckpoint current;
  private volatile Wal wal;
  private volatile boolean closing;
  private volatile Throwable failure;
  /** Most durable entries not yet in a checkpoint before appends wait for the automatic checkpointer. */
  static final long MAX_BACKLOG = 16_384;
  /**
   * Most durable records handed to the background indexer and not yet indexed before appends wait
   * (parsed records with their cached canonical bytes, about 4-5 KB each: about 20 MB).
   */
  static final long MAX_INDEX_BACKLOG = 4_096;
  /** Wakes the automatic checkpointer early: at close, and when the backlog passes half of {@link #MAX_BACKLOG}. */
  private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
  private final AtomicReference<LedgerException> backgroundFailure = new AtomicReference<>();
  /**
   * Leaf hash to index of every durable entry, for idempotent appends. Used only under
   * {@link #commitLock} (and while opening).
   */
  private LeafIndex leafIndex;

  private LedgerImpl(LogDir dir, LogDir.Config cfg, SigningKey key, LedgerOptions options, FileLock lock, boolean rebuildIndex)
      throws LedgerException {
    this.dir = dir;
    this.origin = cfg.origin();
    this.key = key;
    this.vkey = cfg.logKey();
    this.options = options;
    this.lock = lock;
    this.bundles = new BundleCache(dir, 64);
    try {
      this.current = dir.readCheckpoint(vkey);
      long s = current.size();
      dir.loadLeafHashes(s, hashes);
      if (!MessageDigest.isEqual(hashes.root(s), current.rootHash())) {
        throw new LedgerException(dir.root() + ": the level-0 tiles do not hash to the checkpoint root; the log is corrupt (run 'hallmark ledger verify')");
      }
      long tailStart = s - s % TilePaths.WIDTH;
      if (s > tailStart) {
        List<byte[]> b = dir.readBundle(tailStart / TilePaths.WIDTH, (int) (s - tailStart));
        for (int i = 0; i < s - tailStart; i++) {
          tail.put(tailStart + i, b.get(i));
        }
      }
      recoverWal(s);
      leafIndex = LeafIndex.of(hashes, hashes.size());
      RecordIndex ix;
      long[] indexed;
      try {
        indexed = new long[2];
        ix = openIndex(s, rebuildIndex, indexed);
      } catch (LedgerException | IOException | RuntimeException e) {
        try {
          wal.close();
        } catch (IOException ignored) {
          // the write-ahead log was only read; nothing to lose
        }
        if (e instanceof IOException && hashes.size() > s) {
          // E.g. a full disk: the entries the write-ahead log holds beyond the checkpoint cannot be
          // indexed. Nothing the checkpoint depends on was touched.
          throw new LedgerException(dir.root() + ": cannot bring the lookup index up to date (" + e.getMessage() + "); "
              + previousCheckpointStays(s, hashes.size()) + "; free space and open the log again", e);
        }
        throw e;
      }
      this.index = ix;
      this.indexer = new AsyncIndexer(ix, indexed[0], indexed[1]);
    } catch (IOException e) {
      throw new LedgerException(dir.root() + ": cannot open the log (" + e.getMessage() + ")", e);
    }
    this.committer = new Thread(this::commitLoop, "hallmark-ledger-committer");
    committer.setDaemon(true);
    committer.start();
    if (hashes.size() > current.size()) {
      try {
        checkpoint();
      } catch (LedgerException e) {
        // E.g. a full disk while integrating entries recovered from the write-ahead log: checkpoint()
        // changed nothing the previous checkpoint depends on. Release what this open holds, so the
        // caller can report the failure and exit; the entries stay in the write-ahead log.
        closing = true;
        failure = e;
        try {
          committer.join(10_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        try {
          index.close();
        } catch (IOException ignored) {
          // derived data, rebuilt at the next open
        }
        try {
          wal.close();
        } catch (IOException ignored) {
          // only recovered entries, fsynced earlier
        }
        throw e;
      }
    }
    indexer.start();
    if (!options.autoCheckpoint().isZero()) {
      autoCheckpointer = new Thread(this::autoLoop, "hallmark-ledger-checkpointer");
      autoCheckpointer.setDaemon(true);
      autoCheckpointer.start();
    } else {
      autoCheckpointer = null;
    }
  }

  /** Opens the log at {@code root} for writing, recovering from any crash. */
  public static Ledger open(Path root, SigningKey key, LedgerOptions options) throws LedgerException {
    return open(root, key, options, false);
  }

  /** Opens the log, rebuilding the lookup index from the entries; returns the records indexed. */
  public static long reindex(Path root, SigningKey key) throws LedgerException {
    try (LedgerImpl l = (LedgerImpl) open(root, key, LedgerOptions.DEFAULT, true)) {
      return l.current.size();
    }
  }

  /**
   * Rebuilds the lookup index from the log up to its signed checkpoint, checked against
   * {@code logKey}, without the log's signing key: the index is derived data, so whoever holds a
   * copy of the log can rebuild it. Takes the writer lock; entries still only in the write-ahead log
   * are indexed by the writer when it next opens.
   */
  public static long reindexToCheckpoint(Path root, NoteVerifierKey logKey) throws LedgerException {
    return reindexToCheckpoint(root, logKey, null);
  }

  /** As {@link #reindexToCheckpoint(Path, NoteVerifierKey)}; {@code progress} (or null) gets entry counts. */
  public static long reindexToCheckpoint(Path root, NoteVerifierKey logKey, java.util.function.LongConsumer progress)
      throws LedgerException {
    LogDir dir = new LogDir(root);
    dir.readConfig(); // a folder that holds no log is refused before the lock creates anything in it
    FileLock lock = dir.lock();
    try {
      SignedCheckpoint cp = dir.readCheckpoint(logKey);
      long s = cp.size();
      HashStore hs = new HashStore();
      dir.loadLeafHashes(s, hs);
      if (!MessageDigest.isEqual(hs.root(s), cp.rootHash())) {
        throw new LedgerException(root + ": the level-0 tiles do not hash to the checkpoint root; the log is corrupt (run 'hallmark ledger verify')");
      }
      deleteTree(dir.indexPath());
      try (RecordIndex ix = RecordIndex.openWriter(dir.indexPath())) {
        indexEntries(dir, new BundleCache(dir, 64), hs, ix, 0, s, progress);
        ix.commit(s);
      }
      return s;
    } catch (IOException e) {
      throw new LedgerException(dir.indexPath() + ": cannot rebuild the index (" + e.getMessage() + ")", e);
    } finally {
      releaseLock(lock);
    }
  }

  /** Adds entries [from, to) to {@code ix}, each checked against the Merkle tree's leaf hashes. */
  private static void indexEntries(LogDir dir, BundleCache bundles, HashStore hashes, RecordIndex ix, long from, long to)
      throws IOException, LedgerException {
    indexEntries(dir, bundles, hashes, ix, from, to, null);
  }

  private static void indexEntries(LogDir dir, BundleCache bundles, HashStore hashes, RecordIndex ix, long from, long to,
      java.util.function.LongConsumer progress) throws IOException, LedgerException {
    for (long i = from; i < to; i++) {
      if (progress != null && i > from && (i - from) % 4096 == 0) {
        progress.accept(i - from);
      }
      long t = i / TilePaths.WIDTH;
      int w = (int) Math.min(TilePaths.WIDTH, to - t * TilePaths.WIDTH);
      byte[] e = bundles.get(t, w).get((int) (i % TilePaths.WIDTH));
      if (!MessageDigest.isEqual(Merkle.leafHash(e), hashes.hash(0, i))) {
        throw new LedgerException("entry " + i + " in " + TilePaths.entries(t, w) + " does not match the Merkle tree; run 'hallmark ledger verify'");
      }
      ix.add(i, Record.parse(e));
    }
  }

  private static Ledger open(Path root, SigningKey key, LedgerOptions options, boolean rebuildIndex) throws LedgerException {
    LogDir dir = new LogDir(root);
    LogDir.Config cfg = dir.readConfig();
    if (!key.publicKey().equals(cfg.logKey().publicKey())) {
      throw new LedgerException("signing key '" + key.name() + "' is not the key of log " + cfg.origin()
          + " (" + cfg.logKey().keyIdHex() + "); use the key the log was created with");
    }
    FileLock lock = dir.lock();
    try {
      return new LedgerImpl(dir, cfg, key, options, lock, rebuildIndex);
    } catch (LedgerException | RuntimeException e) {
      releaseLock(lock);
      throw e;
    }
  }

  /** Creates an empty log: configuration, write-ahead log and a signed checkpoint of size 0. */
  public static NoteVerifierKey init(Path root, String origin, SigningKey key, String signingKeyName) throws LedgerException {
    LogDir dir = new LogDir(root);
    NoteVerifierKey v;
    try {
      v = key.verifierKey(origin);
    } catch (IllegalArgumentException e) {
      throw new LedgerException("origin '" + origin + "' is not a valid signed-note key name: " + e.getMessage());
    }
    if (Files.exists(dir.configPath()) || Files.exists(dir.checkpointPath())) {
      throw new LedgerException(root + " already holds a log; choose an empty folder");
    }
    try {
      Files.createDirectories(dir.state());
      if (Files.exists(dir.root().resolve("tile"))) {
        throw new LedgerException(root + " already has a tile/ folder; choose an empty folder");
      }
      FileLock lock = dir.lock();
      try {
        dir.writeConfig(new LogDir.Config(origin, v, signingKeyName));
        Wal.create(dir.walPath(), 0, List.of()).close();
        SignedCheckpoint cp = SignedCheckpoint.sign(new Checkpoint(origin, 0, Merkle.emptyRoot()), key);
        DurableFiles.write(dir.checkpointPath(), cp.encode().getBytes(StandardCharsets.UTF_8));
      } finally {
        releaseLock(lock);
      }
    } catch (IOException e) {
      throw new LedgerException(root + ": cannot create the log (" + e.getMessage() + ")", e);
    }
    return v;
  }

  private static void releaseLock(FileLock lock) {
    try {
      lock.release();
      lock.channel().close();
    } catch (IOException ignored) {
      // closing a lock channel cannot lose data
    }
  }

  /**
   * Drops a damaged write-ahead log frame and everything after it (see {@link Wal.Recovered#damaged()}),
   * after the caller named the entry it starts at; returns the intact frames that followed it.
   */
  public static long dropDamagedWal(Path root, long dropFrom) throws LedgerException {
    LogDir dir = new LogDir(root);
    try {
      FileLock lock = dir.lock();
      try {
        Wal.Recovered r = Wal.read(dir.walPath());
        if (r == null || !r.damaged()) {
          throw new LedgerException(dir.walPath() + ": not damaged (" + (r == null ? "missing" : "it reads intact to entry "
              + r.end()) + "); nothing to drop");
        }
        if (r.end() != dropFrom) {
          throw new LedgerException(dir.walPath() + ": the damaged frame is that of entry " + r.end() + ", not " + dropFrom
              + "; give --drop-from " + r.end());
        }
        Wal.cutAt(dir.walPath(), r);
        return r.intactAfter();
      } finally {
        releaseLock(lock);
      }
    } catch (IOException e) {
      throw new LedgerException(root + ": cannot repair the write-ahead log (" + e.getMessage() + ")", e);
    }
  }

  private void recoverWal(long s) throws LedgerException, IOException {
    Wal.Recovered r = Wal.read(dir.walPath());
    if (r == null) {
      wal = Wal.create(dir.walPath(), s, List.of());
      return;
    }
    if (r.base() > s) {
      throw new LedgerException(dir.walPath() + " starts at entry " + r.base() + " but the checkpoint has only " + s
          + " entries; entries are missing and the log is corrupt");
    }
    if (r.damaged() && r.end() + 1 + r.intactAfter() > s) {
      throw new LedgerException(dir.walPath() + ": the frame of entry " + r.end() + " is damaged and " + r.intactAfter()
          + " intact frame(s) of later entries follow it, so the file changed after it was written (a disk fault, an"
          + " edit, or a power cut during its last write) and entries from " + r.end() + " on, which may have been acknowledged, cannot be read; entries before "
          + r.end() + " are intact. Keep a copy of the folder, then run 'hallmark ledger recover-wal --dir " + dir.root()
          + " --drop-from " + r.end() + "' and add the dropped records again");
    }
    if (r.end() < s) {
      // The WAL ends before the checkpoint (cut short or damaged): what it lacks is in the tiles, as
      // when it is missing, so it starts afresh at the checkpoint.
      for (int i = 0; i < r.entries().size(); i++) {
        long idx = r.base() + i;
        if (!MessageDigest.isEqual(Merkle.leafHash(r.entries().get(i)), hashes.hash(0, idx))) {
          throw new LedgerException(dir.walPath() + ": entry " + idx + " differs from the one in the tiles; the log is corrupt");
        }
      }
      wal = Wal.create(dir.walPath(), s, List.of());
      return;
    }
    for (int i = 0; i < r.entries().size(); i++) {
      long idx = r.base() + i;
      byte[] e = r.entries().get(i);
      byte[] lh = Merkle.leafHash(e);
      if (idx < s) {
        if (!MessageDigest.isEqual(lh, hashes.hash(0, idx))) {
          throw new LedgerException(dir.walPath() + ": entry " + idx + " differs from the one in the tiles; the log is corrupt");
        }
      } else {
        hashes.append(lh);
        tail.put(idx, e);
      }
    }
    wal = Wal.openAppend(dir.walPath(), r);
  }

  /**
   * Opens the writer's lookup index and brings it up to every durable entry (those only in the
   * write-ahead log included). {@code indexed} receives {entries in the index writer, entries in
   * its last commit}.
   */
  private RecordIndex openIndex(long s, boolean rebuild, long[] indexed) throws IOException, LedgerException {
    RecordIndex ix;
    try {
      ix = RecordIndex.openWriter(dir.indexPath());
    } catch (IOException | RuntimeException e) {
      deleteTree(dir.indexPath());
      ix = RecordIndex.openWriter(dir.indexPath());
    }
    String problem = rebuild ? null : RecordIndex.formatProblem(ix.committedFormat(), dir.root());
    if (problem != null) {
      ix.close();
      throw new LedgerException(problem);
    }
    long durable = hashes.size();
    long have = ix.committedSize();
    // An index without a usable commit, or one covering entries this log does not have, is rebuilt
    // and committed now (read-only snapshots start from a commit). Otherwise opening does not write
    // (a read such as 'ledger checkpoint' on a full disk must not fail, #19): what the last index
    // commit lacks is indexed here and committed by the background indexer later.
    boolean commit = rebuild || have < 0 || have > durable;
    if (commit) {
      ix.deleteAll();
      have = 0;
    }
    indexEntries(dir, bundles, hashes, ix, have, Math.max(have, s));
    for (long i = Math.max(have, s); i < durable; i++) {
      ix.add(i, Record.parse(tail.get(i)));
    }
    if (commit) {
      ix.commit(durable);
      have = durable;
    } else {
      ix.refresh();
    }
    indexed[0] = durable;
    indexed[1] = have;
    return ix;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }

  @Override
  public String origin() {
    return origin;
  }

  @Override
  public NoteVerifierKey logKey() {
    return vkey;
  }

  @Override
  public long append(Record record) throws LedgerException, InterruptedException {
    return appendAll(List.of(record))[0];
  }

  @Override
  public long[] appendAll(List<Record> records) throws LedgerException, InterruptedException {
    Pending p = enqueue(records, true);
    if (p == null) {
      return new long[0];
    }
    lead(p);
    try {
      List<Appended> l = p.done().get();
      long[] out = new long[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = l.get(i).index();
      }
      return out;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof LedgerException) {
        throw (LedgerException) c;
      }
      throw new LedgerException(dir.root() + ": append failed (" + c + ")", c);
    }
  }

  @Override
  public CompletableFuture<long[]> appendAsync(List<Record> records) throws LedgerException {
    return appendDetailed(records).thenApply(l -> {
      long[] out = new long[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = l.get(i).index();
      }
      return out;
    });
  }

  @Override
  public CompletableFuture<List<Appended>> appendDetailed(List<Record> records) throws LedgerException {
    Pending p = enqueue(records, false);
    if (p == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    wakeCommitter();
    return p.done();
  }

  /**
   * Leader/follower group commit for a synchronous call: while {@code p} is not durable, write the
   * queued calls (its own among them) if no one else is writing; otherwise wait for the writer, who
   * takes it into its next batch, or, when it stops, hands what is left to the committer thread.
   */
  private void lead(Pending p) throws InterruptedException {
    while (!p.done().isDone()) {
      if (writeLock.tryLock()) {
        try {
          while (!p.done().isDone() && writeBatch()) {
            // the next batch, as long as our own call is not written
          }
        } finally {
          writeLock.unlock();
        }
        // Calls queued while we wrote, which no one may be about to write (they saw the lock held).
        if (!queue.isEmpty()) {
          wakeCommitter();
        }
        if (p.done().isDone()) {
          return;
        }
      }
      try {
        // Woken when the writer completes our call; the timeout only bounds a missed hand-over.
        p.done().get(20, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        return;
      } catch (TimeoutException e) {
        // try to lead again
      }
    }
  }

  private void wakeCommitter() {
    if (commitWake.availablePermits() == 0) {
      commitWake.release();
    }
  }

  /**
   * Parses, checks and queues one call's records; null when there are none. With {@code deferSignatures}
   * (synchronous calls, which wait for their group commit anyway) a call too small to be a good batch
   * of its own leaves its signature checks to the writer, who checks those of every such call in the
   * group as one batch: single-record appenders then share a batch instead of paying a single check each.
   */
  private Pending enqueue(List<Record> records, boolean deferSignatures) throws LedgerException {
    checkUsable();
    int n = records.size();
    boolean defer = deferSignatures && options.verifySignatures() && n < Record.MIN_CHUNK;
    byte[][] entries = new byte[n][];
    byte[][] leaves = new byte[n][];
    // Deferred checks: this thread decodes and hashes each signature now (in parallel with the
    // writer's fsync), the writer does only the group's combined multiplication.
    Ed25519BatchVerifier.Prepared[] prepared = defer ? new Ed25519BatchVerifier.Prepared[n] : null;
    String[] problems = new String[n];
    {
      // Signatures of a call's records are checked together, as batches on all cores (about a third of
      // the CPU of single checks); a single record is checked alone.
      VerificationException[] badSignatures = !options.verifySignatures() || defer ? null
          : Record.verifySignatures(records, batchVerifier);
      java.util.stream.IntStream range = java.util.stream.IntStream.range(0, n);
      (n >= 8 ? range.parallel() : range).forEach(i -> {
        Record r = records.get(i);
        if (!r.isSigned()) {
          problems[i] = "record for " + r.contentSha256() + " is unsigned; sign it with the producer's key first";
          return;
        }
        try {
          if (badSignatures != null && badSignatures[i] != null) {
            throw badSignatures[i];
          }
          entries[i] = r.entryBytes();
          leaves[i] = Merkle.leafHash(entries[i]);
          if (prepared != null) {
            prepared[i] = r.prepareSignatureCheck();
          }
        } catch (VerificationException e) {
          problems[i] = "record for " + r.contentSha256() + " rejected: " + e.getMessage();
        } catch (LedgerException e) {
          problems[i] = e.getMessage();
        }
      });
    }
    for (String p : problems) {
      if (p != null) {
        throw new LedgerException(p);
      }
    }
    if (n == 0) {
      return null;
    }
    awaitBacklog();
    Pending p = new Pending(entries, leaves, records.toArray(new Record[0]), new CompletableFuture<>(), prepared);
    queue.add(p);
    if (closing || failure != null) {
      checkUsable();
    }
    return p;
  }

  /**
   * Backpressure: durable entries wait in memory until the background indexer has added them to the
   * lookup index and, with automatic checkpoints, until a checkpoint writes their tiles. When appends
   * outrun either, callers wait here until it catches up, so memory stays bounded however long the
   * stream.
   */
  private void awaitBacklog() throws LedgerException {
    boolean auto = autoCheckpointer != null;
    if (auto && hashes.size() - current.size() > MAX_BACKLOG / 2 && wake.availablePermits() == 0) {
      wake.release();
    }
    while (((auto && hashes.size() - current.size() > MAX_BACKLOG) || indexer.backlog() > MAX_INDEX_BACKLOG)
        && !closing && failure == null && backgroundFailure.get() == null && indexer.failure() == null) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerException(dir.root() + ": interrupted while waiting for a checkpoint or the index to catch up", e);
      }
    }
    checkUsable();
  }

  private void checkUsable() throws LedgerException {
    LedgerException bg = backgroundFailure.getAndSet(null);
    if (bg != null) {
      throw LedgerException.writeFailure(dir.root() + ": the last automatic checkpoint failed: " + bg.getMessage()
          + " (acknowledged entries stay durable in the write-ahead log; the next checkpoint retries)", bg);
    }
    if (failure != null) {
      throw LedgerException.writeFailure(dir.root() + ": the log stopped after a write error (" + failure.getMessage()
          + "); reopen it to recover", failure);
    }
    if (closing) {
      throw new LedgerException(dir.root() + ": the ledger is closed");
    }
  }

  private void commitLoop() {
    while (true) {
      try {
        commitWake.tryAcquire(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (queue.isEmpty()) {
        if (closing) {
          return;
        }
        continue;
      }
      writeLock.lock();
      try {
        while (writeBatch()) {
          // until the queue is empty
        }
      } finally {
        writeLock.unlock();
      }
    }
  }

  /** Writes the next group commit from the queue (caller holds {@link #writeLock}); false when it was empty. */
  private boolean writeBatch() {
    Pending first = queue.poll();
    if (first == null) {
      return false;
    }
    List<Pending> batch = new ArrayList<>();
    batch.add(first);
    int n = first.size();
    Pending p;
    while (n < options.maxBatchEntries() && (p = queue.peek()) != null && n + p.size() <= options.maxBatchEntries()) {
      batch.add(queue.poll());
      n += p.size();
    }
    if (failure != null) {
      batch.forEach(b -> b.done().completeExceptionally(LedgerException.writeFailure(dir.root()
          + ": the log stopped after a write error (" + failure.getMessage() + "); nothing of this call was appended; reopen the log", failure)));
      return true;
    }
    List<Pending> write = checkDeferredSignatures(batch);
    if (!write.isEmpty()) {
      commit(write, write.stream().mapToInt(Pending::size).sum());
    }
    return true;
  }

  /**
   * Checks the signatures that calls in {@code batch} left to the writer, as one batch; a call with a
   * record that fails is answered with the error {@link #enqueue} would have thrown and left out.
   *
   * @return the calls to write
   */
  private List<Pending> checkDeferredSignatures(List<Pending> batch) {
    List<Record> recs = new ArrayList<>();
    List<Ed25519BatchVerifier.Prepared> prepared = new ArrayList<>();
    for (Pending b : batch) {
      if (b.unverified()) {
        java.util.Collections.addAll(recs, b.records());
        java.util.Collections.addAll(prepared, b.prepared());
      }
    }
    if (recs.isEmpty()) {
      return batch;
    }
    VerificationException[] bad = Record.verifySignatures(recs, prepared, batchVerifier);
    List<Pending> keep = new ArrayList<>(batch.size());
    int k = 0;
    for (Pending b : batch) {
      if (!b.unverified()) {
        keep.add(b);
        continue;
      }
      String problem = null;
      for (int i = 0; i < b.size(); i++, k++) {
        if (problem == null && bad[k] != null) {
          problem = "record for " + b.records()[i].contentSha256() + " rejected: " + bad[k].getMessage();
        }
      }
      if (problem == null) {
        keep.add(b);
      } else {
        b.done().completeExceptionally(new LedgerException(problem));
      }
    }
    return keep;
  }

  /** Writes one group commit: every record not already in the log, with one fsync. */
  private void commit(List<Pending> batch, int n) {
    List<byte[]> write = new ArrayList<>(n);
    List<byte[]> writeLeaves = new ArrayList<>(n);
    List<Record> writeRecords = new ArrayList<>(n);
    Map<ByteBuffer, Long> added = new HashMap<>();
    List<Appended[]> results = new ArrayList<>(batch.size());
    try {
      synchronized (commitLock) {
        long first0 = wal.next();
        if (first0 != hashes.size()) {
          throw new IOException("write-ahead log position " + first0 + " differs from tree size " + hashes.size());
        }
        long next = first0;
        for (Pending b : batch) {
          Appended[] out = new Appended[b.size()];
          for (int i = 0; i < out.length; i++) {
            ByteBuffer key = ByteBuffer.wrap(b.leafHashes()[i]);
            long have = leafIndex.find(b.leafHashes()[i]);
            if (have < 0) {
              Long h = added.get(key);
              have = h == null ? -1 : h;
            }
            if (have >= 0) {
              out[i] = new Appended(have, true);
            } else {
              out[i] = new Appended(next, false);
              added.put(key, next);
              write.add(b.entries()[i]);
              writeLeaves.add(b.leafHashes()[i]);
              writeRecords.add(b.records()[i]);
              next++;
            }
          }
          results.add(out);
        }
        if (!write.isEmpty()) {
          wal.appendDurably(write);
          long idx = first0;
          for (int i = 0; i < write.size(); i++) {
            tail.put(idx, write.get(i));
            hashes.append(writeLeaves.get(i));
            leafIndex.add(writeLeaves.get(i), idx);
            idx++;
          }
          indexer.submit(first0, writeRecords.toArray(new Record[0]));
        }
      }
    } catch (Wal.NotWritten e) {
      for (Pending b : batch) {
        b.done().completeExceptionally(LedgerException.writeFailure(dir.walPath() + ": write failed (" + e.getMessage()
            + "); none of these " + b.size() + " records was appended; retry them", e));
      }
      return;
    } catch (IOException | RuntimeException e) {
      for (Pending b : batch) {
        b.done().completeExceptionally(LedgerException.mayHaveLanded(dir.walPath() + ": write failed (" + e.getMessage()
            + ") and could not be rolled back; these " + b.size() + " records may or may not be in the log: append them"
            + " again once the fault is fixed (records already in the log answer with their existing index)", e));
      }
      return;
    }
    for (int k = 0; k < batch.size(); k++) {
      batch.get(k).done().complete(List.of(results.get(k)));
    }
  }

  private void autoLoop() {
    long ms = options.autoCheckpoint().toMillis();
    while (!closing) {
      try {
        // Woken early by close() or by a growing backlog; never interrupted, since an interrupt
        // closes the index's file channels.
        // Either way (woken or timed out) a checkpoint follows; extra wake-ups are folded into it.
        if (wake.tryAcquire(ms, TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
      if (closing) {
        return;
      }
      try {
        checkpoint();
      } catch (LedgerException e) {
        backgroundFailure.set(e);
      } catch (RuntimeException | Error e) {
        backgroundFailure.set(new LedgerException(dir.root() + ": checkpoint failed (" + e + ")", e));
      }
    }
  }

  @Override
  public long durableSize() {
    return hashes.size();
  }

  @Override
  public SignedCheckpoint checkpoint() throws LedgerException {
    checkpointLock.lock();
    try {
      if (failure != null) {
        checkUsable();
      }
      long s = current.size();
      long n;
      synchronized (commitLock) {
        n = hashes.size();
      }
      if (n == s) {
        return current;
      }
      Set<String> obsolete = new LinkedHashSet<>();
      try {
        writeTiles(s, n, obsolete);
      } catch (IOException e) {
        throw new LedgerException(dir.root() + ": writing tiles failed (" + e.getMessage() + "); "
            + previousCheckpointStays(s, n) + " and go into the next checkpoint", e);
      }
      Checkpoint cp = new Checkpoint(origin, n, hashes.root(n));
      SignedCheckpoint signed = SignedCheckpoint.sign(cp, key);
      try {
        DurableFiles.write(dir.checkpointPath(), signed.encode().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new LedgerException(dir.checkpointPath() + ": write failed (" + e.getMessage() + "); the checkpoint of size " + n
            + " (all acknowledged entries) may or may not have replaced the one of size " + s + "; both are valid", e);
      }
      current = signed;
      for (String o : obsolete) {
        try {
          deleteTree(dir.resolve(o));
        } catch (IOException e) {
          // a leftover partial tile is still valid data; it is retried at the next full tile
        }
      }
      long keep = n - n % TilePaths.WIDTH;
      tail.keySet().removeIf(k -> k < keep);
      rotateWalIfLarge(n);
      return signed;
    } finally {
      checkpointLock.unlock();
    }
  }

  /**
   * What holds when a checkpoint of {@code n} entries could not be made over the one of {@code s}: the
   * latter stays valid and the entries after it are durable in the write-ahead log.
   */
  private static String previousCheckpointStays(long s, long n) {
    return "no new checkpoint was signed and the previous one (" + s + " entries) stays valid; the " + (n - s)
        + " entries acknowledged since are durable in the write-ahead log";
  }

  private void rotateWalIfLarge(long n) throws LedgerException {
    try {
      if (wal.bytes() < options.walRotateBytes()) {
        return;
      }
      synchronized (commitLock) {
        List<byte[]> keep = new ArrayList<>();
        for (long i = n; i < hashes.size(); i++) {
          keep.add(tail.get(i));
        }
        Wal old = wal;
        wal = Wal.create(dir.walPath(), n, keep);
        old.close();
      }
    } catch (IOException e) {
      failure = e;
      throw new LedgerException(dir.walPath() + ": rotating the write-ahead log failed (" + e.getMessage() + "); reopen the log", e);
    }
  }

  private void writeTiles(long s, long n, Set<String> obsolete) throws IOException {
    Set<Path> dirs = new HashSet<>();
    for (int level = 0; level < 8; level++) {
      int shift = TilePaths.HEIGHT * level;
      long cs = s >>> shift;
      long cn = n >>> shift;
      if (cn == 0) {
        break;
      }
      if (cs == cn) {
        continue;
      }
      for (long t = cs / TilePaths.WIDTH; t <= (cn - 1) / TilePaths.WIDTH; t++) {
        long lo = t * TilePaths.WIDTH;
        long hi = Math.min(cn, lo + TilePaths.WIDTH);
        int w = (int) (hi - lo);
        byte[] data = new byte[w * Merkle.HASH_BYTES];
        for (int i = 0; i < w; i++) {
          System.arraycopy(hashes.hash(shift, lo + i), 0, data, i * Merkle.HASH_BYTES, Merkle.HASH_BYTES);
        }
        String tp = TilePaths.tile(level, t, w);
        write(tp, data, dirs);
        if (w == TilePaths.WIDTH) {
          obsolete.add(tp + ".p");
        }
        if (level == 0) {
          List<byte[]> es = new ArrayList<>(w);
          for (long i = lo; i < hi; i++) {
            es.add(tail.get(i));
          }
          String ep = TilePaths.entries(t, w);
          write(ep, Bundles.encode(es), dirs);
          if (w == TilePaths.WIDTH) {
            obsolete.add(ep + ".p");
          }
        }
      }
    }
    DurableFiles.syncDirectories(dirs);
  }

  private void write(String rel, byte[] data, Set<Path> dirs) throws IOException {
    Path p = dir.resolve(rel);
    Path d = p.getParent();
    if (!Files.isDirectory(d)) {
      Files.createDirectories(d);
      for (Path q = d; q != null && !q.equals(dir.root()); q = q.getParent()) {
        dirs.add(q.getParent());
      }
    }
    DurableFiles.writeDeferringFolderSync(p, data);
    dirs.add(d);
  }

  @Override
  public LedgerSnapshot snapshot() throws LedgerException {
    SignedCheckpoint cp = current;
    try {
      // Waits (if need be) until the background indexer has every entry of this checkpoint.
      RecordIndex.Searcher s = indexer.acquireCovering(cp.size());
      return new SnapshotImpl(dir, cp, hashes, s.searcher(), s.bands(), () -> indexer.release(s), bundles);
    } catch (IOException e) {
      throw new LedgerException(dir.indexPath() + ": cannot open the index (" + e.getMessage() + ")", e);
    }
  }

  /** The failure of the last automatic checkpoint not yet reported by a call, if any. */
  public LedgerException backgroundFailure() {
    return backgroundFailure.get();
  }

  @Override
  public void close() throws LedgerException {
    if (closing) {
      return;
    }
    closing = true;
    wakeCommitter();
    LedgerException err = null;
    try {
      if (autoCheckpointer != null) {
        wake.release();
        autoCheckpointer.join();
      }
      committer.join();
      if (failure == null) {
        checkpointLock.lock();
        try {
          long s = current.size();
          if (hashes.size() > s) {
            checkpoint();
          }
        } finally {
          checkpointLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (LedgerException e) {
      err = e;
    } finally {
      try {
        indexer.finish();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        index.close();
      } catch (IOException e) {
        // index is rebuildable
      }
      try {
        wal.close();
      } catch (IOException e) {
        // fsynced already
      }
      releaseLock(lock);
    }
    if (err != null) {
      throw err;
    }
  }
}
