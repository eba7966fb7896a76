package dev.hallmark.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanOptions;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.core.ErrorText;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.Terminal;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Reason;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.spark.internal.hadoop.HadoopInputs;
import dev.hallmark.watermark.text.TextDetectionSettings;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code hallmark-spark}: {@code clean} (the Spark job) and {@code ledger-export} (the registry
 * table). Run by {@code ./hallmark-spark} (Spark from Maven, {@code --master} given) or by
 * {@code spark-submit --class dev.hallmark.spark.Main spark/target/hallmark-spark.jar} (the master
 * comes from spark-submit). Exit codes and error lines as {@code hallmark}: 0 ok, 2 usage, 3 bad input,
 * 4 internal; one line starting {@code hallmark:} ({@link ErrorText}), a stack trace with {@code --verbose}.
 */
@Command(name = "hallmark-spark", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    subcommands = {Main.Clean.class, Main.Export.class},
    description = {"Hallmark corpus cleaning on Apache Spark.", "",
      "Exit codes: 0 ok, 2 usage error, 3 bad input (missing or corrupt file, wrong key), 4 internal error."})
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int USAGE = 2;
  static final int BAD_INPUT = 3;
  static final int INTERNAL = 4;

  @Spec CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
  boolean verbose;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (clean or ledger-export)");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line on stdout and stderr and returns its exit code (never exits). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
  }

  /** Runs the command line with data on {@code out}, diagnostics on {@code err}; returns its exit code. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    Main root = new Main();
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    // A mistyped option after --input (arity 1..*) is an unknown option, with a suggestion, not an input path.
    cl.setUnmatchedOptionsAllowedAsOptionParameters(false);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("hallmark: " + parameterMessage(ex) + suggestion(ex));
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
      c.getErr().flush();
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, p) -> {
      Throwable e = cause(ex);
      int code = exitCode(e);
      PrintWriter w = c.getErr();
      w.println("hallmark: " + (code == INTERNAL ? "internal error: " + e.getClass().getName() + ": " + oneLine(e.getMessage())
          : CleanOptions.optionNames(ErrorText.describe(e))));
      if (root.verbose) {
        ex.printStackTrace(w);
      } else if (code == INTERNAL) {
        w.println("Run again with --verbose for details, and report it if it persists.");
      }
      w.flush();
      c.getOut().flush();
      return code;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** An unknown option after a list option's values ("--input a.jsonl --quiett"): "Unknown option: '--quiett'". */
  private static final java.util.regex.Pattern UNKNOWN_AFTER_LIST = java.util.regex.Pattern.compile("^(Unknown option: '([^']*)'); Expected parameter.*", java.util.regex.Pattern.DOTALL);

  private static String parameterMessage(CommandLine.ParameterException ex) {
    String unknown = unknownOption(ex);
    if (unknown != null) {
      return "Unknown option: '" + unknown + "'";
    }
    return ex.getMessage();
  }

  /**
   * The mistyped option behind {@code ex}, or null: picocli reports a missing required option
   * ({@code --ouptut x} for {@code --output x}) before the unknown one, and an unknown option after a
   * list option's values as a missing value; either way the typo is what to tell.
   */
  private static String unknownOption(CommandLine.ParameterException ex) {
    java.util.regex.Matcher m = UNKNOWN_AFTER_LIST.matcher(String.valueOf(ex.getMessage()));
    if (m.matches()) {
      return m.group(2);
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      return u.getUnmatched().isEmpty() || !u.getUnmatched().get(0).startsWith("-") ? null : u.getUnmatched().get(0);
    }
    List<String> unmatched = ex.getCommandLine() == null ? List.of() : ex.getCommandLine().getUnmatchedArguments();
    return !unmatched.isEmpty() && unmatched.get(0).startsWith("-") ? unmatched.get(0) : null;
  }

  /** "; did you mean ...?" for a mistyped option or command, as hallmark's own command line says it. */
  static String suggestion(CommandLine.ParameterException ex) {
    String arg = unknownOption(ex);
    if (arg == null && ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      arg = u.getUnmatched().get(0);
    }
    if (arg == null) {
      return "";
    }
    CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
    List<String> names = new ArrayList<>();
    if (arg.startsWith("-")) {
      spec.options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(List.of(o.names())));
    } else {
      names.addAll(spec.subcommands().keySet());
    }
    return ErrorText.suggestion(arg, names);
  }

  /**
   * The error to report: a failure inside a Spark task reaches the driver wrapped in Spark's
   * {@code SparkException} ("Job aborted due to stage failure: ..."), which carries the task's own
   * exception as its cause; that (bad input, an unreadable file) is what the user must hear about.
   */
  static Throwable cause(Throwable ex) {
    if (!isSparkWrapper(ex)) {
      return ex;
    }
    for (Throwable t = ex.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof UsageException || ErrorText.isBadInput(t)) {
        return t;
      }
      if (!isSparkWrapper(t) && !(t instanceof java.lang.reflect.UndeclaredThrowableException)
          && !(t instanceof java.util.concurrent.ExecutionException)) {
        return t;
      }
    }
    return ex;
  }

  private static boolean isSparkWrapper(Throwable t) {
    return t.getClass().getName().startsWith("org.apache.spark.");
  }

  static int exitCode(Throwable e) {
    if (e instanceof UsageException) {
      return USAGE;
    }
    return ErrorText.isBadInput(e) && !isSparkWrapper(e) ? BAD_INPUT : INTERNAL;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.split("\n", 2)[0];
  }

  /** The command line is inconsistent in a way picocli cannot see (exit code 2). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    static String version() {
      return dev.hallmark.core.BuildVersion.of(Main.class);
    }

    @Override
    public String[] getVersion() {
      return new String[] {"hallmark-spark " + version(), "Spark " + sparkVersion()
          + ", Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }

    /** Spark's version constant ({@code org.apache.spark.SPARK_VERSION}: {@code package} is no Java name). */
    private static String sparkVersion() {
      try {
        Class<?> c = Class.forName("org.apache.spark.package$");
        Object module = c.getField("MODULE$").get(null);
        return String.valueOf(c.getMethod("SPARK_VERSION").invoke(module));
      } catch (ReflectiveOperationException | LinkageError e) {
        return "unknown";
      }
    }
  }

  /** Options shared by both subcommands. */
  abstract static class SparkOptions {
    @Spec CommandSpec spec;

    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master, e.g. local[2] (default: what spark-submit set, else local[*]).")
    String master;

    @Option(names = "--home", paramLabel = "DIR", description = "Hallmark home with the keyring (default: $HALLMARK_HOME, else ~/.hallmark).")
    Path home;

    @Option(names = "--progress", paramLabel = "auto|bar|none", defaultValue = "auto",
        description = "Spark's progress bar on stderr: auto shows it only when stderr is a terminal (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar and no notes on stderr (errors still are).")
    boolean quiet;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    /** Notes and warnings: stderr, or nowhere with --quiet. */
    PrintWriter notes() {
      return quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err();
    }

    /** Whether Spark draws its console progress bar (it redraws one line with \r: only for a terminal). */
    boolean progressBar() {
      String mode = quiet ? "none" : progress.toLowerCase(Locale.ROOT);
      return switch (mode) {
        case "none" -> false;
        case "bar" -> true;
        case "auto" -> Terminal.stderrIsTerminal();
        default -> throw new UsageException("--progress must be auto, bar or none, not '" + progress + "'");
      };
    }

    SparkSession session(String app) {
      SparkSession.Builder b = SparkSession.builder().appName(app).config("spark.ui.showConsoleProgress", String.valueOf(progressBar()));
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

    NoteVerifierKey logKey(Path ledger, String logKey) throws IOException, HallmarkException {
      if (logKey == null) {
        if (ledger == null) {
          throw new UsageException("--registry needs --log-key (the log's verifier key, as ledger init prints it)");
        }
        NoteVerifierKey k = Ledgers.configuredLogKey(ledger);
        notes().println("note: trusting the log key recorded in " + ledger + " (" + k.encode() + "); pin it with --log-key");
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

    @Option(names = {"--key", "--keys"}, split = ",", paramLabel = "NAME",
        description = "Watermark key; repeatable or comma-separated (default: every watermark key in the keyring).")
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
        throw new UsageException("give --ledger or --registry, not both");
      }
      if (logKey != null && ledger == null && registry == null) {
        throw new UsageException("--log-key applies to --ledger or --registry, neither of which is given");
      }
      if (registry != null && logKey == null) {
        throw new UsageException("--registry needs --log-key (the log's verifier key, as ledger init prints it)");
      }
      DetectionPolicy policy;
      CleanJob job;
      Path out;
      try {
        // As hallmark clean: a value the library refuses is a usage error, told by the option's name.
        if (maxDocumentMb < 1 || maxDocumentMb > 2000) {
          throw new IllegalArgumentException("--max-document-mb must be in [1, 2000]");
        }
        if (timeoutSeconds < 1) {
          throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        DetectionPolicy.Builder pb = DetectionPolicy.builder().alpha(alpha).textJaccardThreshold(jaccard).imageHammingThreshold(hamming);
        TextDetectionSettings textSettings = CleanOptions.textSettings(schemes);
        if (textSettings != null) {
          pb.textSettings(textSettings);
        }
        policy = pb.build();
        out = localPath(output);
        CleanJob.Builder jb = CleanJob.builder().output(out).textField(textField).idField(idField).resume(resume)
            .maxDocumentBytes((long) maxDocumentMb << 20).documentTimeout(java.time.Duration.ofSeconds(timeoutSeconds))
            // Executors load Hallmark through Spark's class loader (the application jar), which a forked
            // extraction JVM started from java.class.path cannot see; Spark's task retries and executor
            // memory limits bound a hostile document instead.
            .isolation(CleanJob.Isolation.IN_PROCESS);
        for (String in : inputs) {
          // hdfs://, s3a://... are read through Hadoop's FileSystem API on the executors; the rest is local.
          if (HadoopInputs.isHadoopUri(in)) {
            jb.input(in);
          } else {
            jb.input(HadoopInputs.localPath(in).toString());
          }
        }
        job = jb.build();
      } catch (IllegalArgumentException e) {
        throw new UsageException(CleanOptions.optionNames(e.getMessage()));
      }
      Keyring ring = Keyring.open(home());
      List<WatermarkKey> keys = ring.watermarkKeys(keyNames);
      String untested = CleanOptions.untestedKeys(CleanOptions.textSettings(schemes), schemes, keys,
          keyNames != null && !keyNames.isEmpty(), ledger == null && registry == null);
      if (untested != null) {
        keys.forEach(WatermarkKey::destroy);
        throw new UsageException(untested);
      }
      if (keys.isEmpty() && ledger == null && registry == null) {
        throw new UsageException("nothing to detect: no watermark keys in " + ring.directory()
            + " and no --ledger or --registry; create or import a key (or pass --home), or pass --ledger DIR or --registry PATH");
      }
      SparkSession spark = null;
      Path tmpRegistry = null;
      try {
        spark = session("hallmark-spark clean");
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
            notes().println("hallmark-spark clean: warning: " + c.warning());
          }
        }
        PrintWriter o = out();
        if (json) {
          o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.toMap()));
        } else {
          o.printf(Locale.ROOT, "%,d documents: %,d kept, %,d removed, %,d errors (%s) in %s%n", r.documents(), r.kept(),
              r.removed(), r.errors(), r.conserved() ? "all accounted for" : "COUNTS DO NOT ADD UP", output);
          for (Reason reason : Reason.values()) {
            long n = r.byReason().getOrDefault(reason, 0L);
            if (n > 0) {
              o.printf(Locale.ROOT, "  removed for %s: %,d%n", reason.name().toLowerCase(Locale.ROOT).replace('_', ' '), n);
            }
          }
          o.println("report: " + out.resolve("report.html"));
        }
        o.flush();
        return r.conserved() ? OK : INTERNAL;
      } finally {
        keys.forEach(WatermarkKey::destroy);
        if (spark != null) {
          spark.stop();
        }
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
      if (partitions < 0) {
        throw new UsageException("--partitions must be at least 1 (or 0 for the default parallelism)");
      }
      if (!HadoopInputs.isHadoopUri(output)) {
        // Checked before Spark starts; a Hadoop URI is checked by Registry.export through its file system.
        Registry.refuseExisting(output, Files.exists(HadoopInputs.localPath(output), java.nio.file.LinkOption.NOFOLLOW_LINKS));
      }
      NoteVerifierKey lk = logKey(ledger, logKey);
      SparkSession spark = session("hallmark-spark ledger-export");
      try {
        long n = Registry.export(spark, ledger, lk, output, partitions > 0 ? partitions : spark.sparkContext().defaultParallelism());
        out().printf(Locale.ROOT, "%,d records exported to %s%n", n, output);
        out().flush();
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
    if (HadoopInputs.isHadoopUri(s)) {
      throw new IllegalArgumentException(s + ": --output must be a folder every executor sees (a local or shared mount, "
          + "or file:); inputs may be on hdfs:// or s3a://, the output not yet: mount the bucket or HDFS folder "
          + "(e.g. with a FUSE client) and give its path");
    }
    return HadoopInputs.localPath(s);
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
