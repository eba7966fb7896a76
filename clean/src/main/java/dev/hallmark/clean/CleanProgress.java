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
 * @param elapsedNanos time since the run started
 * @param finished true for the last snapshot
 */
public record CleanProgress(
    long documents,
    long bytes,
    long inputBytesRead,
    long inputBytesTotal,
    long shardsSkipped,
    long elapsedNanos,
    boolean finished) {
  /** Documents per second so far. */
  public double documentsPerSecond() {
    return elapsedNanos <= 0 ? 0 : documents * 1e9 / elapsedNanos;
  }

  /** Estimated seconds to go from the share of input read, or -1 when unknown. */
  public double etaSeconds() {
    if (inputBytesTotal <= 0 || inputBytesRead <= 0 || elapsedNanos <= 0) {
      return -1;
    }
    double done = Math.min(1.0, (double) inputBytesRead / inputBytesTotal);
    return elapsedNanos / 1e9 * (1 - done) / done;
  }

  /** Receives snapshots from a background thread, about once per interval and once at the end. */
  @FunctionalInterface
  public interface Listener {
    void onProgress(CleanProgress progress);

    /** Ignores progress. */
    Listener NONE = p -> {};
  }
}
