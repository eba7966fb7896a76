package dev.hallmark.ledger.internal;

import dev.hallmark.core.Ed25519BatchVerifier;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import dev.hallmark.ledger.VerifyReport;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/** Full verification of a log folder from its files alone. */
public final class Verifier {
  private Verifier() {}

  private static String where(long tile, String bundlePath, int i) {
    return "entry " + (tile * TilePaths.WIDTH + i) + " (" + bundlePath + ", entry " + i + ")";
  }

  public static VerifyReport verify(java.nio.file.Path logRoot, NoteVerifierKey key, String sinceNote, LongConsumer progress)
      throws VerificationException, LedgerException {
    LogDir dir = new LogDir(logRoot);
    // Batch coefficients must be unpredictable to producers, hence a SecureRandom.
    Ed25519BatchVerifier batchVerifier = new Ed25519BatchVerifier(new java.security.SecureRandom());
    SignedCheckpoint cp;
    try {
      cp = SignedCheckpoint.verify(dir.readCheckpointText(), key);
    } catch (VerificationException e) {
      throw new VerificationException("checkpoint: " + e.getMessage());
    }
    long size = cp.size();
    HashStore hs = new HashStore();
    Set<String> producers = new TreeSet<>();
    for (long t = 0; t * TilePaths.WIDTH < size; t++) {
      int w = (int) Math.min(TilePaths.WIDTH, size - t * TilePaths.WIDTH);
      Object[] bf = read(dir, true, 0, t, w);
      String bpath = (String) bf[0];
      boolean exactB = bpath.equals(TilePaths.entries(t, w));
      List<byte[]> entries;
      try {
        entries = Bundles.decode((byte[]) bf[1], w, !exactB);
      } catch (IllegalArgumentException e) {
        throw new VerificationException(bpath + ": corrupt entry bundle: " + e.getMessage());
      }
      Object[] tf = read(dir, false, 0, t, w);
      String tpath = (String) tf[0];
      byte[] tile = (byte[]) tf[1];
      boolean exactT = tpath.equals(TilePaths.tile(0, t, w));
      if (exactT ? tile.length != w * Merkle.HASH_BYTES : tile.length < w * Merkle.HASH_BYTES || tile.length % Merkle.HASH_BYTES != 0) {
        throw new VerificationException(tpath + ": is " + tile.length + " bytes, expected " + w * Merkle.HASH_BYTES);
      }
      final long tile0 = t;
      final String bp = bpath;
      final List<byte[]> es = entries;
      // Parse in parallel, then check the tile's signatures as batches on all cores (the costly part);
      // report the lowest failing entry.
      String[] problems = new String[w];
      Record[] parsed = new Record[w];
      java.util.stream.IntStream.range(0, w).parallel().forEach(i -> {
        byte[] e = es.get(i);
        try {
          Record r = Record.parse(e);
          if (!Arrays.equals(r.entryBytes(), e)) {
            problems[i] = where(tile0, bp, i) + ": not in RFC 8785 canonical form";
            return;
          }
          parsed[i] = r;
        } catch (LedgerException | RuntimeException ex) {
          problems[i] = where(tile0, bp, i) + ": " + ex.getMessage();
        }
      });
      // Entries that did not parse are null, and skipped.
      VerificationException[] bad = Record.verifySignatures(Arrays.asList(parsed), batchVerifier);
      Set<String> found = new java.util.HashSet<>();
      for (int i = 0; i < w; i++) {
        if (bad[i] != null) {
          problems[i] = where(tile0, bp, i) + ": " + bad[i].getMessage();
        } else if (parsed[i] != null) {
          parsed[i].producerKeyId().ifPresent(found::add);
        }
      }
      for (int i = 0; i < w; i++) {
        if (problems[i] != null) {
          throw new VerificationException(problems[i]);
        }
      }
      producers.addAll(found);
      for (int i = 0; i < w; i++) {
        long idx = t * TilePaths.WIDTH + i;
        byte[] lh = Merkle.leafHash(entries.get(i));
        if (!MessageDigest.isEqual(lh, Arrays.copyOfRange(tile, i * Merkle.HASH_BYTES, (i + 1) * Merkle.HASH_BYTES))) {
          throw new VerificationException(tpath + ": hash " + i + " (byte offset " + i * Merkle.HASH_BYTES + ") does not match "
              + "entry " + idx + " (" + bpath + ", entry " + i + ")");
        }
        hs.append(lh);
      }
      if (progress != null) {
        progress.accept(hs.size());
      }
    }
    int tilesChecked = (int) ((size + TilePaths.WIDTH - 1) / TilePaths.WIDTH);
    for (int level = 1; level < 8; level++) {
      int shift = TilePaths.HEIGHT * level;
      long count = size >>> shift;
      if (count == 0) {
        break;
      }
      for (long t = 0; t * TilePaths.WIDTH < count; t++) {
        int w = (int) Math.min(TilePaths.WIDTH, count - t * TilePaths.WIDTH);
        Object[] tf = read(dir, false, level, t, w);
        String tpath = (String) tf[0];
        byte[] tile = (byte[]) tf[1];
        if (tile.length < w * Merkle.HASH_BYTES) {
          throw new VerificationException(tpath + ": is " + tile.length + " bytes, expected " + w * Merkle.HASH_BYTES);
        }
        for (int i = 0; i < w; i++) {
          byte[] want = hs.hash(shift, t * TilePaths.WIDTH + i);
          if (!MessageDigest.isEqual(want, Arrays.copyOfRange(tile, i * Merkle.HASH_BYTES, (i + 1) * Merkle.HASH_BYTES))) {
            throw new VerificationException(tpath + ": hash " + i + " (byte offset " + i * Merkle.HASH_BYTES
                + ") does not match the tiles below it");
          }
        }
        tilesChecked++;
      }
    }
    byte[] root = hs.root(size);
    if (!MessageDigest.isEqual(root, cp.rootHash())) {
      throw new VerificationException("checkpoint: root hash does not match the tree recomputed from the " + size + " entries");
    }
    Long since = null;
    if (sinceNote != null) {
      SignedCheckpoint old;
      try {
        old = SignedCheckpoint.verify(sinceNote, key);
      } catch (VerificationException e) {
        throw new VerificationException("earlier checkpoint: " + e.getMessage());
      }
      if (Long.compareUnsigned(old.size(), size) > 0) {
        throw new VerificationException("log rolled back: an earlier checkpoint covers " + Long.toUnsignedString(old.size())
            + " entries but the log now has " + size);
      }
      if (old.size() > 0) {
        try {
          Merkle.verifyConsistency(old.size(), size, old.rootHash(), root, hs.consistencyProof(old.size(), size));
        } catch (VerificationException e) {
          throw new VerificationException("log forked or rewritten: it is not an extension of the earlier checkpoint of size "
              + old.size() + " (" + e.getMessage() + ")");
        }
      }
      since = old.size();
    }
    return new VerifyReport(cp, size, tilesChecked, producers, since);
  }

  private static Object[] read(LogDir dir, boolean entries, int level, long t, int w) throws VerificationException {
    try {
      return dir.readTileFile(entries, level, t, w);
    } catch (IOException e) {
      throw new VerificationException((entries ? TilePaths.entries(t, w) : TilePaths.tile(level, t, w)) + ": missing or unreadable");
    }
  }
}
