package dev.hallmark.ledger;

import dev.hallmark.core.DurableFiles;
import dev.hallmark.core.NoteVerifierKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Rollback protection for readers of a log: remembers, per log key, the last signed checkpoint that
 * verified, in a folder (the command line uses {@code HOME/checkpoints}), and checks every later view
 * of the log against it. A log that was rolled back or forked since (a checkpoint that is not a
 * consistent extension of the remembered one) fails verification. One file per log key:
 * {@code ORIGIN+KEYID.checkpoint}, replaced durably.
 */
public final class CheckpointMemory {
  private final Path folder;

  private CheckpointMemory(Path folder) {
    this.folder = folder;
  }

  /** Memory kept in {@code folder} (created on first use). */
  public static CheckpointMemory in(Path folder) {
    return new CheckpointMemory(folder);
  }

  /** The file that holds the remembered checkpoint of the log with key {@code k}. */
  public Path fileFor(NoteVerifierKey k) {
    String name = k.name().replaceAll("[^A-Za-z0-9.-]", "_");
    if (name.length() > 100) {
      // File names are limited (255 bytes on most file systems) and origins are not: a long origin
      // is kept as its start and a hash of the whole, so its memory can be written at all.
      byte[] h;
      try {
        h = java.security.MessageDigest.getInstance("SHA-256").digest(k.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      name = name.substring(0, 64) + "-" + dev.hallmark.core.Hex.encode(java.util.Arrays.copyOf(h, 8));
    }
    return folder.resolve(name + "+" + k.keyIdHex() + ".checkpoint");
  }

  /**
   * The remembered checkpoint of the log with key {@code k}, its signature checked, or empty.
   *
   * @throws LedgerException if the file exists but is unreadable or does not verify
   */
  public Optional<SignedCheckpoint> remembered(NoteVerifierKey k) throws LedgerException {
    Path f = fileFor(k);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(SignedCheckpoint.verify(Files.readString(f, StandardCharsets.UTF_8), k));
    } catch (IOException | VerificationException e) {
      throw new LedgerException(f + ": the remembered checkpoint of this log is unreadable (" + e.getMessage()
          + "); delete the file to start over", e);
    }
  }

  /** Remembers {@code cp} as the latest verified checkpoint of its log (durably). */
  public void remember(NoteVerifierKey k, SignedCheckpoint cp) throws IOException {
    DurableFiles.writeString(fileFor(k), cp.encode());
  }

  /**
   * Verifies the log in {@code dir} completely ({@link Ledgers#verify}) and proves it consistent
   * with the remembered checkpoint, if any; then remembers the newly verified checkpoint.
   *
   * @throws VerificationException if the log does not verify or does not extend the remembered checkpoint
   * @throws LedgerException if the memory cannot be read or written
   */
  public VerifyReport verify(Path dir, NoteVerifierKey k, LongConsumer progress) throws VerificationException, LedgerException {
    Optional<SignedCheckpoint> old = remembered(k);
    VerifyReport rep = Ledgers.verify(dir, k, old.map(SignedCheckpoint::encode).orElse(null), progress);
    try {
      remember(k, rep.checkpoint());
    } catch (IOException e) {
      throw new LedgerException(fileFor(k) + ": cannot remember the verified checkpoint (" + e.getMessage() + ")", e);
    }
    return rep;
  }
}
