package dev.hallmark.ledger;

import java.time.Instant;

/**
 * Exact-field lookup: every non-null field must match; {@code from} (inclusive) and {@code to}
 * (exclusive) bound the producer timestamp; {@code watermarkPayload} is the {@code payload} member
 * of the record's watermark facts (indexed, so finding one record among a key's millions is one
 * term lookup).
 */
public record RecordQuery(String model, String producerKeyId, String watermarkKeyId, String kind, Instant from, Instant to,
    String watermarkPayload) {
  /** A query without a watermark payload condition. */
  public RecordQuery(String model, String producerKeyId, String watermarkKeyId, String kind, Instant from, Instant to) {
    this(model, producerKeyId, watermarkKeyId, kind, from, to, null);
  }

  public static RecordQuery byModel(String model) {
    return new RecordQuery(model, null, null, null, null, null);
  }

  /** Records under watermark key {@code keyId} (null: any key) whose watermark payload is {@code payload}. */
  public static RecordQuery byWatermarkPayload(String keyId, String payload) {
    return new RecordQuery(null, null, keyId, null, null, null, payload);
  }

  /** Whether {@code r} satisfies every non-null field (the check applied to every record the index proposes). */
  public boolean matches(Record r) {
    if (model != null && !model.equals(r.model().orElse(null))) {
      return false;
    }
    if (producerKeyId != null && !producerKeyId.equals(r.producerKeyId().orElse(null))) {
      return false;
    }
    if (watermarkKeyId != null && !watermarkKeyId.equals(r.watermarkKeyId().orElse(null))) {
      return false;
    }
    if (watermarkPayload != null && !watermarkPayload.equals(r.watermarkPayload().orElse(null))) {
      return false;
    }
    if (kind != null && !kind.equals(r.kind())) {
      return false;
    }
    if (from != null || to != null) {
      Instant t = r.timestamp().orElse(null);
      if (t == null) {
        return false;
      }
      // The index compares milliseconds; compare the same way so index and check agree.
      long ms = t.toEpochMilli();
      if (from != null && ms < from.toEpochMilli()) {
        return false;
      }
      if (to != null && ms > to.toEpochMilli() - 1) {
        return false;
      }
    }
    return true;
  }
}
