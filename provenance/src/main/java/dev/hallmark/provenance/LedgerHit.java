package dev.hallmark.provenance;

import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import java.util.Objects;

/**
 * A record returned by a {@link LedgerSource}, unverified: its index, its receipt (log entry,
 * inclusion proof and signed checkpoint), and the similarity the source computed (1 for an exact
 * match; -1 distance when not an image-hash match).
 */
public record LedgerHit(long index, Record record, Receipt receipt, double similarity, int distance) {
  public LedgerHit {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(receipt, "receipt");
  }
}
