package dev.hallmark.ledger.internal;

import dev.hallmark.core.Ed25519BatchVerifier;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.VerificationException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Producer signatures of many records checked as batches on all cores: the one place the ledger's
 * append path and {@code ledger verify} check signatures in bulk. A batch costs about a third of
 * single checks from 32 records on (docs/BENCHMARKS.md, "Provenance ledger"), so the records are cut
 * into one chunk per core, of at least {@link #MIN_CHUNK} records.
 */
public final class BatchSignatures {
  /** Chunks smaller than this lose more to a smaller batch than they gain from another core. */
  static final int MIN_CHUNK = 16;

  private final Ed25519BatchVerifier verifier;

  /** Batch coefficients from the platform's {@link SecureRandom}: they must be unpredictable to producers. */
  public BatchSignatures() {
    this(new Ed25519BatchVerifier(new SecureRandom()));
  }

  BatchSignatures(Ed25519BatchVerifier verifier) {
    this.verifier = verifier;
  }

  /** Per record, null when its producer signature verifies, else what {@link Record#verifySignature} throws. */
  public VerificationException[] verify(List<Record> records) {
    int n = records.size();
    int chunks = Math.max(1, Math.min(ForkJoinPool.getCommonPoolParallelism(), n / MIN_CHUNK));
    if (chunks == 1) {
      return Record.verifySignatures(records, verifier);
    }
    VerificationException[] out = new VerificationException[n];
    int size = (n + chunks - 1) / chunks;
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = c * size;
      int to = Math.min(n, from + size);
      if (from < to) {
        VerificationException[] part = Record.verifySignatures(records.subList(from, to), verifier);
        System.arraycopy(part, 0, out, from, to - from);
      }
    });
    return out;
  }
}
