package dev.hallmark.ledger;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.internal.BandTable;
import dev.hallmark.ledger.internal.BundleCache;
import dev.hallmark.ledger.internal.HashStore;
import dev.hallmark.ledger.internal.LedgerImpl;
import dev.hallmark.ledger.internal.LogDir;
import dev.hallmark.ledger.internal.RecordIndex;
import dev.hallmark.ledger.internal.SnapshotImpl;
import dev.hallmark.ledger.internal.TilePaths;
import dev.hallmark.ledger.internal.Verifier;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.LongConsumer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;

/** The provenance ledger's entry point: create, open, read, verify and reindex logs. */
public final class Ledgers {
  private Ledgers() {}

  /**
   * Creates an empty log in {@code dir} with checkpoint origin {@code origin}, signed by
   * {@code logKey}; {@code signingKeyName} (may be null) is remembered for the command line.
   *
   * @return the log's verifier key (name = origin)
   */
  public static NoteVerifierKey init(Path dir, String origin, SigningKey logKey, String signingKeyName) throws LedgerException {
    return LedgerImpl.init(dir, origin, logKey, signingKeyName);
  }

  /** Opens a log for writing, recovering automatically from a crash. */
  public static Ledger open(Path dir, SigningKey logKey, LedgerOptions options) throws LedgerException {
    return LedgerImpl.open(dir, logKey, options);
  }

  /** The log's verifier key and keyring key name as recorded in its configuration (not a trust anchor). */
  public static NoteVerifierKey configuredLogKey(Path dir) throws LedgerException {
    return new LogDir(dir).readConfig().logKey();
  }

  /** The keyring name of the log's signing key recorded at init, or null. */
  public static String configuredSigningKeyName(Path dir) throws LedgerException {
    return new LogDir(dir).readConfig().signingKeyName();
  }

  /**
   * The text of the log's current checkpoint note as stored, not verified: a cheap way to tell that
   * a log has moved on since a snapshot was opened (compare with the snapshot's
   * {@code checkpoint().encode()}); {@link #openSnapshot} verifies it.
   */
  public static String currentCheckpointText(Path dir) throws LedgerException {
    return new LogDir(dir).readCheckpointText();
  }

  /**
   * A read-only snapshot at the log's current signed checkpoint, usable while another process
   * appends. The checkpoint signature is checked against {@code logKey} and the level-0 tiles against
   * its root. Lookups use the committed index and index any entries it lacks in memory.
   *
   * @throws LedgerException also when the lookup index was written by another index format (an
   *     older build): the message says to run {@code hallmark ledger reindex}
   */
  public static LedgerSnapshot openSnapshot(Path dir, NoteVerifierKey logKey) throws LedgerException {
    LogDir d = new LogDir(dir);
    SignedCheckpoint cp = d.readCheckpoint(logKey);
    HashStore hs = new HashStore();
    d.loadLeafHashes(cp.size(), hs);
    if (!MessageDigest.isEqual(hs.root(cp.size()), cp.rootHash())) {
      throw new LedgerException(dir + ": the level-0 tiles do not hash to the checkpoint root; the log is corrupt (run 'hallmark ledger verify')");
    }
    BundleCache bundles = new BundleCache(d, 64);
    String problem = java.nio.file.Files.isDirectory(d.indexPath())
        ? RecordIndex.formatProblem(indexFormat(d.indexPath()), dir) : null;
    if (problem != null) {
      throw new LedgerException(problem);
    }
    RecordIndex.ReadOnly disk = null;
    BandTable.View bands = null;
    try {
      disk = RecordIndex.readOnly(d.indexPath());
      // The size recorded in the commit this reader sees: a writer may commit again meanwhile, and
      // the latest commit's size would then skip entries this reader does not have.
      long have = disk == null ? 0 : Math.min(cp.size(), RecordIndex.committedSize(disk.reader()));
      IndexReader gap = null;
      BandTable.View gapBands = null;
      if (have < cp.size()) {
        // Not closed: the gap reader reads from its in-memory directory until the snapshot is dropped.
        RecordIndex mem = RecordIndex.inMemory();
        SnapshotImpl raw = new SnapshotImpl(d, cp, hs, null, null, null, bundles);
        for (long i = have; i < cp.size(); i++) {
          mem.add(i, raw.get(i));
        }
        mem.commit(cp.size());
        gap = DirectoryReader.open(mem.directory());
        gapBands = mem.bandsNow();
      }
      bands = BandTable.View.combine(disk == null ? null : disk.bands(), gapBands);
      IndexReader all = RecordIndex.combine(disk == null ? null : disk.reader(), gap);
      IndexSearcher s = new IndexSearcher(all);
      BandTable.View held = bands;
      return new SnapshotImpl(d, cp, hs, s, held, () -> {
        held.close();
        all.close();
      }, bundles);
    } catch (IOException e) {
      if (bands != null) {
        bands.close();
      }
      if (disk != null) {
        disk.bands().close(); // nothing if its runs went into bands
        try {
          disk.reader().close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      throw new LedgerException(d.indexPath() + ": cannot read the index (" + e.getMessage() + "); run 'hallmark ledger reindex'", e);
    }
  }

  private static String indexFormat(Path indexPath) throws LedgerException {
    try (org.apache.lucene.store.Directory ix = org.apache.lucene.store.FSDirectory.open(indexPath)) {
      return RecordIndex.committedFormat(ix);
    } catch (IOException e) {
      throw new LedgerException(indexPath + ": cannot read the index (" + e.getMessage() + "); run 'hallmark ledger reindex'", e);
    }
  }

  /**
   * Verifies the whole log from its files (see {@link VerifyReport}); {@code sinceCheckpoint} is a
   * signed checkpoint seen earlier (or null), {@code progress} receives entry counts (or null).
   *
   * @throws VerificationException naming the first problem and its location
   */
  public static VerifyReport verify(Path dir, NoteVerifierKey logKey, String sinceCheckpoint, LongConsumer progress)
      throws VerificationException, LedgerException {
    return Verifier.verify(dir, logKey, sinceCheckpoint, progress);
  }

  /**
   * Rebuilds the lookup index from the log up to its current signed checkpoint (verified against
   * {@code logKey}), without the signing key: anyone holding a copy of the log can run it, e.g.
   * after an upgrade changed the index format. Fails when a writer holds the log open. Returns the
   * number of entries indexed.
   */
  public static long reindex(Path dir, NoteVerifierKey logKey) throws LedgerException {
    return LedgerImpl.reindexToCheckpoint(dir, logKey);
  }

  /**
   * As {@link #reindex(Path, NoteVerifierKey)}, reporting the number of entries indexed so far to
   * {@code progress} (every 4,096 entries) for a progress display.
   */
  public static long reindex(Path dir, NoteVerifierKey logKey, java.util.function.LongConsumer progress) throws LedgerException {
    return LedgerImpl.reindexToCheckpoint(dir, logKey, progress);
  }

  /**
   * Rebuilds the lookup index from the log as its writer: also recovers the write-ahead log, so
   * entries appended after the last checkpoint are indexed too (and a checkpoint is signed for
   * them). Takes the writer lock, so it fails while the log is open for writing elsewhere.
   *
   * @return the number of records indexed
   */
  public static long reindex(Path dir, SigningKey logKey) throws LedgerException {
    return LedgerImpl.reindex(dir, logKey);
  }

  /**
   * Repairs a write-ahead log that opening refused because a frame in it is damaged with intact
   * frames after it (a disk fault or an edit, not a crash): cuts it before the damaged frame, whose
   * entry the caller names as {@code dropFrom} (from opening's message) so that what is dropped is
   * a decision, not a default. The entries from {@code dropFrom} on are gone from the log; adding
   * the same records again gives them new indices. Takes the writer lock.
   *
   * @return the number of intact frames that followed the damaged one (dropped with it)
   * @throws LedgerException if the log is open elsewhere, the WAL is not damaged, or its damaged
   *     frame is not that of {@code dropFrom}
   */
  public static long dropDamagedWal(Path dir, long dropFrom) throws LedgerException {
    return LedgerImpl.dropDamagedWal(dir, dropFrom);
  }

  /** The tlog-tiles path of entry bundle / level-0 tile holding entry {@code index} at tree size {@code size}. */
  public static String bundlePath(long index, long size) {
    long t = index / TilePaths.WIDTH;
    return TilePaths.entries(t, (int) Math.min(TilePaths.WIDTH, size - t * TilePaths.WIDTH));
  }

}
