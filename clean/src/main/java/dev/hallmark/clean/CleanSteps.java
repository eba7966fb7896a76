package dev.hallmark.clean;

import dev.hallmark.clean.internal.CleanRunner;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The {@link CorpusCleaner} pipeline cut into steps that a distributed runner (the Spark job of
 * {@code hallmark-spark}) schedules itself: plan the input units once, lay out the output once, clean
 * each unit anywhere (each exactly once at a time), then sum the committed shards into the report.
 * Every step reads and writes exactly what {@link CorpusCleaner#run} does, so the output folder is
 * byte for byte the one a single-machine run produces (see {@code docs/spec/clean-output.md}).
 *
 * <p>Planning is deterministic: a {@code CleanSteps} built from the same job on another machine sees
 * the same units in the same order, so units are addressed by index. Not thread-safe: use one
 * instance per thread.
 */
public final class CleanSteps {
  /** Opens an input file as a stream of JSON lines (for formats the clean module does not read itself). */
  public interface JsonlOpener {
    InputStream open(Path file) throws IOException;
  }

  /** One input unit: a JSONL or WARC file, or the other files of one folder argument. */
  public record Unit(int index, String name, String input, String kind) {}

  private final CleanRunner runner;
  private final int units;

  private CleanSteps(CleanJob job, Detector detector, Predicate<Path> asJsonl, JsonlOpener opener, Predicate<Path> ignore,
      java.util.function.Function<String, Path> inputPaths) throws IOException {
    this.runner = new CleanRunner(job, detector, CleanProgress.Listener.NONE);
    if (inputPaths != null) {
      runner.resolveInputs(inputPaths);
    }
    if (asJsonl != null) {
      runner.readAsJsonl(asJsonl, opener::open);
    }
    runner.ignoreInFolders(ignore);
    this.units = runner.plan();
  }

  /** Plans {@code job}; {@code detector} decides (it may be a placeholder for {@link #scan}). */
  public static CleanSteps plan(CleanJob job, Detector detector) throws IOException {
    return new CleanSteps(job, detector, null, null, null, null);
  }

  /**
   * Like {@link #plan(CleanJob, Detector)}, but files accepted by {@code asJsonl} (found directly or
   * inside a folder) are JSONL units whose lines come from {@code opener}, e.g. Parquet rows, and
   * files inside folder inputs accepted by {@code ignore} (may be null) are not inputs at all.
   */
  public static CleanSteps plan(CleanJob job, Detector detector, Predicate<Path> asJsonl, JsonlOpener opener,
      Predicate<Path> ignore) throws IOException {
    return new CleanSteps(job, detector, asJsonl, opener, ignore, null);
  }

  /**
   * Like {@link #plan(CleanJob, Detector, Predicate, JsonlOpener, Predicate)}, with {@code inputPaths}
   * turning each input argument into a path (it may be on any {@code java.nio.file} file system, e.g.
   * a Hadoop one; its errors, as {@link java.io.UncheckedIOException}, surface as the IOException).
   * The output folder stays on the default file system.
   */
  public static CleanSteps plan(CleanJob job, Detector detector, Predicate<Path> asJsonl, JsonlOpener opener,
      Predicate<Path> ignore, java.util.function.Function<String, Path> inputPaths) throws IOException {
    return new CleanSteps(job, detector, asJsonl, opener, ignore, inputPaths);
  }

  /** Number of input units. */
  public int units() {
    return units;
  }

  public Unit unit(int i) {
    String[] u = runner.unit(i);
    return new Unit(i, u[0], u[1], u[2]);
  }

  /**
   * Checks the output folder (empty, or on resume the same job, keys, ledger and policy) and lays it
   * out, taking the folder's lock (as {@link CorpusCleaner#run} does). Call once, before any unit runs,
   * and close the returned lock after {@link #finish}. Units may run in other processes meanwhile.
   *
   * @throws HallmarkException as {@link CorpusCleaner#run} does for a bad output folder or one that
   *     another run is writing to
   */
  public java.io.Closeable prepareOutput() throws IOException, HallmarkException {
    return runner.prepareOutput();
  }

  /**
   * Cleans unit {@code i} in the calling thread; shards already committed (by an earlier, interrupted
   * attempt) are read past, not redone. Documents that cannot be read go to errors/, never here.
   *
   * @throws IOException when the output cannot be written
   */
  public void runUnit(int i) throws IOException, HallmarkException {
    runner.runUnit(i);
  }

  /** Receives the documents of {@link #scan}. */
  public interface DocumentVisitor {
    void visit(Document document) throws IOException;
  }

  /**
   * Reads, parses and extracts unit {@code i} exactly as {@link #runUnit} does and hands every
   * document that would reach the detector to {@code visitor}, in input order; decides and writes
   * nothing. For a first pass that computes look-up keys (registry joins).
   */
  public void scan(int i, DocumentVisitor visitor) throws IOException {
    runner.scanUnit(i, visitor::visit);
  }

  /**
   * Sums the committed shard markers of every unit into the report and writes report.json and
   * report.html. {@code seconds} and {@code parallelism} fill the report's run section, whose counts
   * are this run's, as {@link CorpusCleaner#run} gives them: the shards committed since
   * {@link #prepareOutput} (processed, with their documents and bytes) and those an interrupted run
   * had committed (skipped). Call it on the instance whose {@code prepareOutput} took the lock.
   */
  public CleanReport finish(int parallelism, double seconds) throws IOException, HallmarkException {
    return runner.finish(parallelism, seconds);
  }
}
