package dev.hallmark.provenance;

/**
 * Answers "where does this file come from?" by combining every signal (metadata reference,
 * watermark, ledger lookups, producer signature, inclusion proof, hash relation) into a
 * {@link Verdict}. Thread-safe; obtain one from {@link Provenance#verifier}.
 */
public interface Verifier {
  /**
   * Verifies the file's bytes; {@code name} labels it in the verdict and in errors. Never throws for
   * odd content: an unreadable image or a failing ledger source becomes a note in the verdict.
   */
  Verdict verify(byte[] content, String name) throws InterruptedException;
}
