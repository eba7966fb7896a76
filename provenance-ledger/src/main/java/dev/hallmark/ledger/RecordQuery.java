package dev.hallmark.ledger;

import java.time.Instant;

/**
 * Exact-field lookup: every non-null field must match; {@code from} (inclusive) and {@code to}
 * (exclusive) bound the producer timestamp.
 */
public record RecordQuery(String model, String producerKeyId, String watermarkKeyId, String kind, Instant from, Instant to) {
  public static RecordQuery byModel(String model) {
    return new RecordQuery(model, null, null, null, null, null);
  }
}
