package dev.hallmark.clean;

/**
 * A snapshot of a running clean job, for progress displays.
 *
 * @param documents documents finished in this run (kept, removed or errors)
 * @param bytes document bytes finished in this run (uncompressed)
 * @param inputBytesRead input bytes (compressed size for compressed inputs) of the shards finished so far,
 *     including shards an earlier run had finished
 * @param inputBytesTotal total size of the input files, or -1 when unknown (stdin)
 * @param shardsSkipped shards already committed by an earlier run and skipped
 * @param inputBytesSkipped the part of {@code inputBytesRead} that belongs to the skipped shards
 * @param elapsedNanos time since the run started
 * @param finished true for the last snapshot
 */
public record CleanProgress(
    long documents,
    long bytes,
    long inputBytesRead,
    long inputBytesTotal,
    long shardsSkipped,
    long inputBytesSkipped,
    long elapsedNanos,
    boolean finished) {
  /** A snapshot of a run that skipped no input bytes (or does not know which). */
  public CleanProgress(long documents, long bytes, long inputBytesRead, long inputBytesTotal, long shardsSkipped,
      long elapsedNanos, boolean finished) {
    this(documents, bytes, inputBytesRead, inputBytesTotal, shardsSkipped, 0, elapsedNanos, finished);
  }

  /** Documents per second so far. */
  public double documentsPerSecond() {
    return elapsedNanos <= 0 ? 0 : documents * 1e9 / elapsedNanos;
  }

  /**
   * Estimated seconds to go: the input left, at the rate this run has cleaned input so far; -1 when
   * unknown. Shards an earlier run had done are read past in a moment, so their bytes count as done
   * but not towards the rate (they made the estimate far too short on resume).
   */
  public double etaSeconds() {
    long cleaned = inputBytesRead - inputBytesSkipped;
    if (inputBytesTotal <= 0 || cleaned <= 0 || elapsedNanos <= 0) {
      return -1;
    }
    double left = Math.max(0, inputBytesTotal - inputBytesRead);
    return elapsedNanos / 1e9 * left / cleaned;
  }

  /** Receives snapshots from a background thread, about once per interval and once at the end. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(CleanProgress progress);

    /** Ignores progress. */
    Listener NONE = p -> {};
  }
}
