package dev.hallmark.ledger.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.DurableFiles;
import dev.hallmark.core.FormatVersion;
import dev.hallmark.core.FormatVersionException;
import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A log folder: the public tlog-tiles tree ({@code checkpoint}, {@code tile/...}) plus private state
 * under {@code .hallmark-ledger/} (configuration, write-ahead log, lock, Lucene index).
 */
public final class LogDir {
  public static final String STATE = ".hallmark-ledger";
  public static final int CONFIG_VERSION = 1;

  private final Path root;

  public LogDir(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path state() {
    return root.resolve(STATE);
  }

  public Path configPath() {
    return state().resolve("ledger.json");
  }

  public Path walPath() {
    return state().resolve("wal");
  }

  public Path indexPath() {
    return state().resolve("index");
  }

  public Path checkpointPath() {
    return root.resolve("checkpoint");
  }

  public Path resolve(String rel) {
    return root.resolve(rel);
  }

  /** The log configuration: origin, log verifier key, and the keyring name of the signing key. */
  public record Config(String origin, NoteVerifierKey logKey, String signingKeyName) {}

  public void writeConfig(Config c) throws IOException {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("format", "hallmark-ledger");
    o.put("version", CONFIG_VERSION);
    o.put("origin", c.origin());
    o.put("logKey", c.logKey().encode());
    if (c.signingKeyName() != null) {
      o.put("signingKey", c.signingKeyName());
    }
    o.put("checksum", Hex.encode(sha256(Jcs.canonicalize(o))));
    byte[] out = (o.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    DurableFiles.write(configPath(), out);
  }

  public Config readConfig() throws LedgerException {
    Path p = configPath();
    JsonNode n;
    try {
      n = Jcs.parse(Files.readAllBytes(p));
    } catch (NoSuchFileException e) {
      throw new LedgerException(root + " is not a Hallmark ledger (no " + STATE + "/ledger.json); create one with 'hallmark ledger init'");
    } catch (IOException e) {
      throw new LedgerException(p + ": unreadable ledger configuration (" + e.getMessage() + ")");
    }
    if (!n.isObject() || !"hallmark-ledger".equals(n.path("format").asText())) {
      throw new LedgerException(p + ": not a Hallmark ledger configuration");
    }
    try {
      FormatVersion.check("ledger configuration", n.path("version").asLong(-1), CONFIG_VERSION, null);
    } catch (FormatVersionException e) {
      throw new LedgerException(p + ": " + e.getMessage(), e);
    }
    ObjectNode copy = ((ObjectNode) n).deepCopy();
    String sum = copy.path("checksum").asText();
    copy.remove("checksum");
    if (!MessageDigest.isEqual(Hex.encode(sha256(Jcs.canonicalize(copy))).getBytes(StandardCharsets.US_ASCII),
        sum.getBytes(StandardCharsets.US_ASCII))) {
      throw new LedgerException(p + ": ledger configuration checksum mismatch (corrupt or edited by hand)");
    }
    try {
      return new Config(n.path("origin").asText(), NoteVerifierKey.parse(n.path("logKey").asText()),
          n.hasNonNull("signingKey") ? n.get("signingKey").asText() : null);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(p + ": bad log key (" + e.getMessage() + ")");
    }
  }

  /** Takes the single-writer lock, or fails with a clear message. */
  public FileLock lock() throws LedgerException {
    Path p = state().resolve("lock");
    FileChannel ch = null;
    try {
      Files.createDirectories(state());
      ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        throw new LedgerException(root + " is open for writing by another process (lock " + p
            + " is held); stop that process (e.g. 'hallmark ledger serve') or send records to it");
      }
      return l;
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new LedgerException(root + " is already open for writing in this process; share the open Ledger instead");
    } catch (IOException e) {
      closeQuietly(ch);
      throw new LedgerException(p + ": cannot take the writer lock (" + e.getMessage() + ")");
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  public String readCheckpointText() throws LedgerException {
    try {
      return Files.readString(checkpointPath(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new LedgerException(checkpointPath() + " is missing; the log is corrupt or was not initialised");
    } catch (IOException e) {
      throw new LedgerException(checkpointPath() + ": " + e.getMessage());
    }
  }

  public SignedCheckpoint readCheckpoint(NoteVerifierKey key) throws LedgerException {
    try {
      return SignedCheckpoint.verify(readCheckpointText(), key);
    } catch (VerificationException e) {
      throw new LedgerException(checkpointPath() + ": " + e.getMessage());
    }
  }

  /**
   * Reads tile or bundle {@code n} with at least {@code width} items: the exact partial if present,
   * else the full one, else a wider partial. Returns the path read and its bytes.
   */
  public Object[] readTileFile(boolean entries, int level, long n, int width) throws IOException {
    // A writer may replace a partial tile by the full one between our existence check and the read.
    for (int attempt = 0; ; attempt++) {
      try {
        return readTileFileOnce(entries, level, n, width);
      } catch (NoSuchFileException e) {
        if (attempt >= 2) {
          throw e;
        }
      }
    }
  }

  private Object[] readTileFileOnce(boolean entries, int level, long n, int width) throws IOException {
    String exact = entries ? TilePaths.entries(n, width) : TilePaths.tile(level, n, width);
    Path p = root.resolve(exact);
    if (Files.exists(p)) {
      return new Object[] {exact, Files.readAllBytes(p)};
    }
    String full = entries ? TilePaths.entries(n, TilePaths.WIDTH) : TilePaths.tile(level, n, TilePaths.WIDTH);
    if (Files.exists(root.resolve(full))) {
      return new Object[] {full, Files.readAllBytes(root.resolve(full))};
    }
    Path pdir = root.resolve(full + ".p");
    if (Files.isDirectory(pdir)) {
      try (Stream<Path> s = Files.list(pdir)) {
        for (Path q : (Iterable<Path>) s.sorted(Comparator.comparing(x -> x.getFileName().toString()))::iterator) {
          String name = q.getFileName().toString();
          if (name.matches("[1-9][0-9]{0,2}") && Integer.parseInt(name) >= width) {
            return new Object[] {full + ".p/" + name, Files.readAllBytes(q)};
          }
        }
      }
    }
    throw new NoSuchFileException(exact);
  }

  /** Level-0 hashes of the first {@code size} entries, read from tiles (unverified). */
  public void loadLeafHashes(long size, HashStore into) throws LedgerException {
    for (long t = 0; t * TilePaths.WIDTH < size; t++) {
      int w = (int) Math.min(TilePaths.WIDTH, size - t * TilePaths.WIDTH);
      Object[] f;
      try {
        f = readTileFile(false, 0, t, w);
      } catch (IOException e) {
        throw new LedgerException(root.resolve(TilePaths.tile(0, t, w)) + " is missing or unreadable; the log is corrupt (run 'hallmark ledger verify')");
      }
      byte[] d = (byte[]) f[1];
      if (d.length < w * Merkle.HASH_BYTES || d.length % Merkle.HASH_BYTES != 0) {
        throw new LedgerException(root.resolve((String) f[0]) + " has " + d.length + " bytes, expected " + w * Merkle.HASH_BYTES + "; the log is corrupt");
      }
      for (int i = 0; i < w; i++) {
        into.append(Arrays.copyOfRange(d, i * Merkle.HASH_BYTES, (i + 1) * Merkle.HASH_BYTES));
      }
    }
  }

  /** The first {@code width} entries of bundle {@code n}. */
  public List<byte[]> readBundle(long n, int width) throws LedgerException {
    Object[] f;
    try {
      f = readTileFile(true, 0, n, width);
    } catch (IOException e) {
      throw new LedgerException(root.resolve(TilePaths.entries(n, width)) + " is missing or unreadable; the log is corrupt (run 'hallmark ledger verify')");
    }
    try {
      return Bundles.decode((byte[]) f[1], width, true);
    } catch (IllegalArgumentException e) {
      throw new LedgerException(root.resolve((String) f[0]) + ": corrupt entry bundle: " + e.getMessage());
    }
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
