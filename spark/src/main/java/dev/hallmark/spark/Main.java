package dev.hallmark.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.KeyringException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Reason;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hallmark-spark}: {@code clean} (the Spark job) and {@code ledger-export} (the registry
 * table). Run by {@code ./hallmark-spark} (Spark from Maven, {@code --master} given) or by
 * {@code spark-submit --class dev.hallmark.spark.Main spark/target/hallmark-spark.jar} (the master
 * comes from spark-submit). Exit codes as {@code hallmark}: 0 ok, 2 usage, 3 bad input, 4 internal.
 */
@Command(name = "hallmark-spark", mixinStandardHelpOptions = true, subcommands = {Main.Clean.class, Main.Export.class},
    description = "Hallmark corpus cleaning on Apache Spark.")
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int USAGE = 2;
  static final int BAD_INPUT = 3;
  static final int INTERNAL = 4;

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.err);
    return USAGE;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (never exits). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler((e, c, p) -> {
      PrintWriter err = c.getErr();
      if (e instanceof HallmarkException || e instanceof IOException || e instanceof KeyringException) {
        err.println("hallmark: " + oneLine(e.getMessage()));
        return BAD_INPUT;
      }
      if (e instanceof IllegalArgumentException) {
        err.println("hallmark: " + oneLine(e.getMessage()));
        return USAGE;
      }
      err.println("hallmark: internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage())));
      return INTERNAL;
    });
    return cl.execute(args);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.split("\n", 2)[0];
  }

  /** Options shared by both subcommands. */
  abstract static class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master, e.g. local[2] (default: what spark-submit set, else local[*]).")
    String master;

    @Option(names = "--home", paramLabel = "DIR", description = "Hallmark home with the keyring (default: $HALLMARK_HOME, else ~/.hallmark).")
    Path home;

    SparkSession session(String app) {
      // Progress on stderr: Spark's console bar (stages, tasks done / total).
      SparkSession.Builder b = SparkSession.builder().appName(app).config("spark.ui.showConsoleProgress", "true");
      if (master != null) {
        b.master(master);
      } else if (!new org.apache.spark.SparkConf().contains("spark.master")) {
        b.master("local[*]");
      }
      SparkSession s = b.getOrCreate();
      s.sparkContext().setLogLevel("WARN");
      return s;
    }

    Path home() {
      if (home != null) {
        return home;
      }
      String env = System.getenv("HALLMARK_HOME");
      return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".hallmark");
    }

    static NoteVerifierKey logKey(Path ledger, String logKey) throws IOException, HallmarkException {
      if (logKey == null) {
        if (ledger == null) {
          throw new IllegalArgumentException("--registry needs --log-key (the log's verifier key, as ledger init prints it)");
        }
        NoteVerifierKey k = Ledgers.configuredLogKey(ledger);
        System.err.println("note: trusting the log key recorded in " + ledger + " (" + k.encode() + "); pin it with --log-key");
        return k;
      }
      String v = logKey;
      if (!logKey.contains("+") && Files.exists(Path.of(logKey))) {
        v = Files.readString(Path.of(logKey), StandardCharsets.UTF_8).trim();
      }
      try {
        return NoteVerifierKey.parse(v);
      } catch (IllegalArgumentException e) {
        throw new HallmarkException("--log-key '" + logKey + "': " + e.getMessage());
      }
    }
  }

  @Command(name = "clean", mixinStandardHelpOptions = true,
      description = "Clean a corpus on Spark: the output of `hallmark clean`, byte for byte.")
  static final class Clean extends SparkOptions implements Callable<Integer> {
    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
        description = "JSONL(.gz/.zst/.bz2/.xz), Parquet, WARC(.gz) or ARC(.gz) files (WET text .warc.wet.gz too), or folders (other files go through Tika): local paths, "
            + "file: or any Hadoop file system URI (hdfs://, s3a://... with its connector on the classpath).")
    List<String> inputs;

    @Option(names = "--output", required = true, paramLabel = "DIR",
        description = "Output folder, empty or absent (or with --resume, the interrupted run's); a local path or shared mount seen by every executor.")
    String output;

    @Option(names = "--key", paramLabel = "NAME", description = "Watermark keys to detect (default: every key in the keyring).")
    List<String> keyNames;

    @Option(names = "--scheme", paramLabel = "NAME", description = "Text schemes to test (default: all).")
    List<String> schemes;

    @Option(names = "--ledger", paramLabel = "DIR", description = "Ledger folder to match against (exported to a registry table first).")
    Path ledger;

    @Option(names = "--registry", paramLabel = "PATH", description = "A registry table made by ledger-export (any Hadoop path).")
    String registry;

    @Option(names = "--log-key", paramLabel = "VKEY|FILE", description = "The log's verifier key (default with --ledger: the one recorded there).")
    String logKey;

    @Option(names = "--text-field", defaultValue = "text", paramLabel = "F", description = "JSONL/Parquet text field (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--id-field", defaultValue = "id", paramLabel = "F", description = "JSONL/Parquet id field (default: ${DEFAULT-VALUE}).")
    String idField;

    @Option(names = "--alpha", defaultValue = "1e-6", paramLabel = "A", description = "False-positive budget per document (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--jaccard", defaultValue = "0.6", paramLabel = "J", description = "Text near-duplicate threshold (default: ${DEFAULT-VALUE}).")
    double jaccard;

    @Option(names = "--hamming", defaultValue = "31", paramLabel = "H", description = "Image near-duplicate Hamming distance (default: ${DEFAULT-VALUE}).")
    int hamming;

    @Option(names = "--max-document-mb", defaultValue = "32", paramLabel = "MB", description = "Larger documents go to errors/ (default: ${DEFAULT-VALUE}).")
    int maxDocumentMb;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Extraction time limit per document (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--resume", description = "Finish an interrupted run in --output (same arguments required).")
    boolean resume;

    @Option(names = "--json", description = "Print the report (report.json) on stdout instead of a summary.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (ledger != null && registry != null) {
        throw new IllegalArgumentException("give --ledger or --registry, not both");
      }
      if (maxDocumentMb < 1 || maxDocumentMb > 2000) {
        throw new IllegalArgumentException("--max-document-mb must be in [1, 2000]");
      }
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("--timeout must be at least 1 second");
      }
      DetectionPolicy.Builder pb = DetectionPolicy.builder().alpha(alpha).textJaccardThreshold(jaccard).imageHammingThreshold(hamming);
      if (schemes != null && !schemes.isEmpty()) {
        List<WatermarkParameters> ps = new ArrayList<>();
        for (String n : schemes) {
          WatermarkParameters p = WatermarkParameters.defaults(Scheme.parse(n));
          if (!ps.contains(p)) {
            ps.add(p);
          }
        }
        pb.textSettings(TextDetectionSettings.DEFAULT.withSchemes(ps));
      }
      DetectionPolicy policy = pb.build();
      CleanJob.Builder jb = CleanJob.builder().output(localPath(output)).textField(textField).idField(idField).resume(resume)
          .maxDocumentBytes((long) maxDocumentMb << 20).documentTimeout(java.time.Duration.ofSeconds(timeoutSeconds))
          // Executors load Hallmark through Spark's class loader (the application jar), which a forked
          // extraction JVM started from java.class.path cannot see; Spark's task retries and executor
          // memory limits bound a hostile document instead.
          .isolation(CleanJob.Isolation.IN_PROCESS);
      for (String in : inputs) {
        // hdfs://, s3a://... are read through Hadoop's FileSystem API on the executors; the rest is local.
        if (dev.hallmark.spark.internal.hadoop.HadoopInputs.isHadoopUri(in)) {
          jb.input(in);
        } else {
          jb.input(localPath(in));
        }
      }
      CleanJob job = jb.build();
      Keyring ring = Keyring.open(home());
      List<WatermarkKey> keys = new ArrayList<>();
      keys.addAll(ring.watermarkKeys(keyNames == null ? List.of() : keyNames));
      if (keys.isEmpty() && ledger == null && registry == null) {
        throw new IllegalArgumentException("nothing to detect: no watermark keys in " + ring.directory()
            + " and no --ledger or --registry");
      }
      SparkSession spark = session("hallmark-spark clean");
      Path tmpRegistry = null;
      try {
        Registry reg = null;
        if (ledger != null) {
          NoteVerifierKey lk = logKey(ledger, logKey);
          tmpRegistry = Files.createTempDirectory("hallmark-registry-");
          String target = tmpRegistry.resolve("table").toUri().toString();
          Registry.export(spark, ledger, lk, target, spark.sparkContext().defaultParallelism());
          reg = Registry.open(spark, target, lk);
        } else if (registry != null) {
          reg = Registry.open(spark, registry, logKey(null, logKey));
        }
        CleanReport r = SparkCleaner.run(spark, job, policy, keys, reg);
        for (CleanReport.InputCounts c : r.inputs()) {
          if (c.warning() != null) {
            System.err.println("hallmark-spark clean: warning: " + c.warning());
          }
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        if (json) {
          out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.toMap()));
        } else {
          out.printf(Locale.ROOT, "%,d documents: %,d kept, %,d removed, %,d errors (%s) in %s%n", r.documents(), r.kept(),
              r.removed(), r.errors(), r.conserved() ? "all accounted for" : "COUNTS DO NOT ADD UP", output);
          for (Reason reason : Reason.values()) {
            long n = r.byReason().getOrDefault(reason, 0L);
            if (n > 0) {
              out.printf(Locale.ROOT, "  removed for %s: %,d%n", reason.name().toLowerCase(Locale.ROOT).replace('_', ' '), n);
            }
          }
          out.println("report: " + localPath(output).resolve("report.html"));
        }
        return r.conserved() ? OK : INTERNAL;
      } finally {
        keys.forEach(WatermarkKey::destroy);
        spark.stop();
        if (tmpRegistry != null) {
          deleteTree(tmpRegistry);
        }
      }
    }
  }

  @Command(name = "ledger-export", mixinStandardHelpOptions = true,
      description = "Export a ledger's fingerprints as a Parquet registry table for registry joins.")
  static final class Export extends SparkOptions implements Callable<Integer> {
    @Option(names = "--ledger", required = true, paramLabel = "DIR", description = "The ledger folder (readable by every executor).")
    Path ledger;

    @Option(names = "--log-key", paramLabel = "VKEY|FILE", description = "The log's verifier key (default: the one recorded in --ledger).")
    String logKey;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "Where to write the table (any Hadoop path; must not exist).")
    String output;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N", description = "Output files (default: the default parallelism).")
    int partitions;

    @Override
    public Integer call() throws Exception {
      NoteVerifierKey lk = logKey(ledger, logKey);
      SparkSession spark = session("hallmark-spark ledger-export");
      try {
        long n = Registry.export(spark, ledger, lk, output, partitions > 0 ? partitions : spark.sparkContext().defaultParallelism());
        System.out.printf(Locale.ROOT, "%,d records exported to %s%n", n, output);
        return OK;
      } finally {
        spark.stop();
      }
    }
  }

  /**
   * The output folder is written through the file system every executor mounts: a plain path or a
   * {@code file:} URI (the job commits shards with atomic renames, fsync and a lock file, which object
   * stores do not offer). Other schemes are refused with a pointer to a mount. Inputs and the
   * registry table (--registry) may be on any Hadoop file system.
   */
  static Path localPath(String s) {
    if (s.startsWith("file:")) {
      return Path.of(java.net.URI.create(s));
    }
    if (s.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      throw new IllegalArgumentException(s + ": --output must be a folder every executor sees (a local or shared mount, "
          + "or file:); inputs may be on hdfs:// or s3a://, the output not yet: mount the bucket or HDFS folder "
          + "(e.g. with a FUSE client) and give its path");
    }
    return Path.of(s);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
