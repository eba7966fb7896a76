package dev.hallmark.ledger;

/**
 * The outcome of appending one record: its entry index, and whether the identical signed record was
 * already in the log ({@code existing}), in which case nothing was appended and {@code index} is
 * the index it has had since it was first appended. Appends are idempotent: retrying a record after
 * any failure never adds it twice.
 */
public record Appended(long index, boolean existing) {
  public Appended {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0");
    }
  }
}
