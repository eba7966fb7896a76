package dev.hallmark.ledger;

import java.util.Set;

/**
 * What {@link Ledgers#verify} checked: the signed checkpoint, every entry (canonical record, producer
 * signature, leaf hash against its tile), every tile at every level, the root, and, when an earlier
 * checkpoint was given, that the log only grew since ({@code sinceSize}, else null).
 */
public record VerifyReport(SignedCheckpoint checkpoint, long entries, int tiles, Set<String> producerKeyIds, Long sinceSize) {
  public VerifyReport {
    producerKeyIds = Set.copyOf(producerKeyIds);
  }
}
