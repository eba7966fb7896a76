package dev.hallmark.provenance;

/**
 * Answers "where does this file come from?" by combining every signal (metadata reference,
 * watermark, ledger lookups, producer signature, inclusion proof, hash relation) into a
 * {@link Verdict}. Thread-safe; obtain one from {@link Provenance#verifier}.
 */
public interface Verifier {
  /**
   * Verifies the file's bytes; {@code name} labels it in the verdict and in errors. A failing ledger
   * source becomes a note in the verdict; content that is neither a decodable image nor a UTF-8 text
   * is verified by its hash alone.
   *
   * @throws IllegalArgumentException when the content starts like an image (PNG, JPEG, GIF, BMP, WebP,
   *     TIFF) but cannot be decoded and is not a UTF-8 text: a corrupt or truncated image is bad input
   *     (the CLI's exit code 3, the HTTP API's 422), not a file without provenance
   */
  Verdict verify(byte[] content, String name) throws InterruptedException;
}
