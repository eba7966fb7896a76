package dev.hallmark.clean;

import dev.hallmark.detector.Detector;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.clean.internal.CleanRunner;
import java.io.IOException;

/**
 * Cleans a corpus: every input document ends up exactly once in {@code kept/}, {@code removed/} or
 * {@code errors/} of the job's output folder, with {@code report.json} and {@code report.html}. See
 * {@code docs/spec/clean-output.md} for the layout and the resume protocol.
 *
 * <p>Runs are resumable: outputs are committed per shard, and a run started again with the same job
 * and {@link CleanJob#resume()} finishes the remaining shards, producing the same files as an
 * uninterrupted run.
 */
public final class CorpusCleaner {
  private CorpusCleaner() {}

  /**
   * Runs {@code job} with {@code detector}, reporting progress to {@code listener}.
   *
   * @throws HallmarkException for a bad job (non-empty output without resume, changed inputs on resume)
   * @throws IOException when an input cannot be found or the output cannot be written; documents that
   *     cannot be read never cause this, they go to {@code errors/}
   */
  public static CleanReport run(CleanJob job, Detector detector, CleanProgress.Listener listener)
      throws IOException, HallmarkException {
    return new CleanRunner(job, detector, listener).run();
  }
}
