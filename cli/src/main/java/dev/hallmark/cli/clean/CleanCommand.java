package dev.hallmark.cli.clean;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanOptions;
import dev.hallmark.clean.CleanProgress;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.clean.CorpusCleaner;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Reason;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.watermark.text.TextDetectionSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import dev.hallmark.core.Terminal;
import dev.hallmark.cli.options.LedgerLocationOptions;
import dev.hallmark.cli.options.OutputOptions;
import dev.hallmark.cli.options.TrustedLogKeyOptions;
import dev.hallmark.cli.options.WatermarkKeyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hallmark clean}: removes watermarked and ledger-registered content from a corpus. */
@Command(name = "clean", mixinStandardHelpOptions = true,
    description = {
      "Remove watermarked and ledger-registered documents from a scraped corpus.",
      "",
      "Inputs: JSONL (.jsonl, .jsonl.gz, .jsonl.zst, .jsonl.bz2, .jsonl.xz; '-' reads JSONL from stdin;",
      ".json files of JSON Lines, or of one array: one document per element),",
      "WARC (.warc, .warc.gz: response and resource records; Common Crawl WET text, .warc.wet.gz),",
      "ZIP and tar archives (.zip, .tar, .tar.gz, .tgz, .tar.zst, .tar.bz2, .tar.xz: one",
      "document per member) and folders (JSONL, WARC and archive files",
      "inside are read as such; every other file is extracted with Apache Tika,",
      "images embedded in HTML, PDF and Office files included).",
      "",
      "Output: kept/ (JSONL inputs: the original lines, compressed like the input;",
      "other inputs: JSONL of extracted text and a .sources.txt list), removed/",
      "(id, location, reasons, evidence), errors/ (what could not be read and why),",
      "report.json and report.html. Every document lands in exactly one of kept/,",
      "removed/ and errors/. Finish an interrupted run with --resume.",
      "",
      "Exit code 0 when the run completed (documents in errors/ do not change it).",
      ""
    })
public final class CleanCommand extends BaseCommand {
  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
      description = "Input files or folders ('-' for JSONL on stdin); repeatable.")
  List<String> inputs;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Output folder: must be empty or absent, unless --resume.")
  Path output;

  @Mixin WatermarkKeyOptions keyOptions;

  @Option(names = "--scheme", paramLabel = "NAME",
      description = {"Text watermark scheme to test (repeatable): kgw, kgw-selfhash, unigram, gumbel,",
          "synthid. A key made with --scheme any is tested under each, with default parameters; a key",
          "that records its scheme only under that one (and only if it is listed). Default: all five."})
  List<String> schemes;

  @Mixin LedgerLocationOptions ledgerOptions;

  @Mixin TrustedLogKeyOptions logKeyOptions;

  @Option(names = "--text-field", paramLabel = "F", defaultValue = "text",
      description = "JSONL field holding the text (default: ${DEFAULT-VALUE}).")
  String textField;

  @Option(names = "--id-field", paramLabel = "F", defaultValue = "id",
      description = "JSONL field holding the document id (default: ${DEFAULT-VALUE}).")
  String idField;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "1e-6",
      description = "False-positive budget per document across keys, schemes, windows and images (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--jaccard", paramLabel = "J", defaultValue = "0.6",
      description = "Minimum MinHash Jaccard similarity for a ledger text near-duplicate (default: ${DEFAULT-VALUE}).")
  double jaccard;

  @Option(names = "--hamming", paramLabel = "H", defaultValue = "31",
      description = "Maximum perceptual-hash Hamming distance (of 256) for a ledger image match (default: ${DEFAULT-VALUE}).")
  int hamming;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: the number of cores).")
  Integer threads;

  @Option(names = "--max-document-mb", paramLabel = "MB", defaultValue = "32",
      description = "Documents larger than this go to errors/ (default: ${DEFAULT-VALUE}).")
  int maxDocumentMb;

  @Option(names = "--isolation", paramLabel = "MODE", defaultValue = "process",
      description = "Where files and WARC payloads are parsed: 'process' (child JVMs with capped memory, killed at the time-out; default) or 'in-process'.")
  String isolation;

  @Option(names = "--extractor-memory-mb", paramLabel = "MB", defaultValue = "768",
      description = "Heap of each extraction child process (default: ${DEFAULT-VALUE}).")
  int extractorMemoryMb;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Extraction time limit per document (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(names = "--resume", description = "Finish an interrupted run in --output (same arguments required).")
  boolean resume;

  @Mixin OutputOptions outputOptions;

  @Option(names = "--remove-c2pa-ai", description = "Also remove images whose own C2PA manifest (signature verified) declares them AI-generated (trainedAlgorithmicMedia), whoever made them.")
  boolean removeC2paAi;

  @Option(names = "--progress", paramLabel = "auto|bar|log|none", defaultValue = "auto",
      description = "Progress on stderr: a bar on a terminal, log lines otherwise (default: ${DEFAULT-VALUE}).")
  String progress;

  @Override
  public Integer call() throws IOException, HallmarkException {
    DetectionPolicy policy;
    CleanJob job;
    try {
      DetectionPolicy.Builder pb = DetectionPolicy.builder().alpha(alpha).textJaccardThreshold(jaccard).imageHammingThreshold(hamming)
          .removeC2paAiGenerated(removeC2paAi);
      TextDetectionSettings textSettings = CleanOptions.textSettings(schemes);
      if (textSettings != null) {
        pb.textSettings(textSettings);
      }
      policy = pb.build();
      CleanJob.Builder b = CleanJob.builder().output(output).textField(textField).idField(idField).resume(resume)
          .maxDocumentBytes((long) maxDocumentMb << 20)
          .documentTimeout(java.time.Duration.ofSeconds(timeoutSeconds))
          .extractorMemoryMb(extractorMemoryMb)
          .isolation(switch (isolation) {
            case "process" -> dev.hallmark.clean.CleanJob.Isolation.PROCESS;
            case "in-process" -> dev.hallmark.clean.CleanJob.Isolation.IN_PROCESS;
            default -> throw new IllegalArgumentException("--isolation must be 'process' or 'in-process', not '" + isolation + "'");
          });
      if (maxDocumentMb < 1 || maxDocumentMb > 2000) {
        throw new IllegalArgumentException("--max-document-mb must be in [1, 2000]");
      }
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("--timeout must be at least 1 second");
      }
      if (threads != null) {
        b.threads(threads);
      }
      inputs.forEach(b::input);
      job = b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(optionNames(e.getMessage()));
    }
    if (ledgerOptions.single() == null && logKeyOptions.single() != null) {
      throw new UsageException("--log-key applies to --ledger, which is not given");
    }
    String ledgerArg = ledgerOptions.single();
    if (ledgerArg != null && dev.hallmark.cli.verify.LedgerLocation.isUrl(ledgerArg)) {
      throw new UsageException("--ledger " + ledgerArg + ": clean reads a ledger folder, not a served ledger");
    }
    Path ledgerDir = ledgerArg == null ? null : Path.of(ledgerArg);
    String logKey = logKeyOptions.single();
    boolean json = outputOptions.json;
    List<WatermarkKey> keys = keyOptions.load(keyring());
    String untested;
    try {
      untested = CleanOptions.untestedKeys(CleanOptions.textSettings(schemes), schemes, keys, !keyOptions.names.isEmpty(),
          ledgerDir == null && !removeC2paAi);
    } catch (IllegalArgumentException e) {
      throw new HallmarkException(e.getMessage());
    }
    if (untested != null) {
      keys.forEach(WatermarkKey::destroy);
      throw new UsageException(untested);
    }
    if (keys.isEmpty() && ledgerDir == null && !removeC2paAi) {
      throw new UsageException("nothing to detect: no watermark keys in " + keyring().directory()
          + " and no --ledger; create or import a key, or pass --ledger DIR");
    }
    CleanProgress.Listener listener = listener();
    try (LedgerSnapshot ledger = ledgerDir == null ? null
        : LedgerAccess.open(ledgerDir, logKey, outputOptions.quiet ? new java.io.PrintWriter(java.io.Writer.nullWriter()) : err())) {
      Detector detector;
      try {
        detector = Detector.create(policy, keys, ledger);
      } catch (IllegalArgumentException e) {
        throw new HallmarkException(e.getMessage());
      }
      CleanReport r = CorpusCleaner.run(job, detector, listener);
      if (!outputOptions.quiet) {
        for (CleanReport.InputCounts c : r.inputs()) {
          if (c.warning() != null) {
            err().println("hallmark clean: warning: " + c.warning());
          }
        }
      }
      if (json) {
        printJson(r.toMap());
      } else {
        out().printf(Locale.ROOT, "%,d documents: %,d kept, %,d removed, %,d errors (%s) in %s%n", r.documents(), r.kept(),
            r.removed(), r.errors(), r.conserved() ? "all accounted for" : "COUNTS DO NOT ADD UP", output);
        for (Reason reason : Reason.values()) {
          long n = r.byReason().getOrDefault(reason, 0L);
          if (n > 0) {
            out().printf(Locale.ROOT, "  removed for %s: %,d%n", reason.name().toLowerCase(Locale.ROOT).replace('_', ' '), n);
          }
        }
        out().println("report: " + output.resolve("report.html"));
      }
      return r.conserved() ? ExitCodes.OK : ExitCodes.INTERNAL;
    } finally {
      keys.forEach(WatermarkKey::destroy);
    }
  }

  /** The library's setting names in a message, as the options that set them ({@link CleanOptions#optionNames}). */
  static String optionNames(String message) {
    return CleanOptions.optionNames(message);
  }

  private CleanProgress.Listener listener() {
    String mode = outputOptions.quiet ? "none" : progress.toLowerCase(Locale.ROOT);
    switch (mode) {
      case "none":
        return CleanProgress.Listener.NONE;
      case "bar":
        return new ProgressPrinter(err(), true, 10);
      case "log":
        return new ProgressPrinter(err(), false, 10);
      case "auto":
        // The bar goes to stderr, so whether stderr is a terminal decides: System.console() is null
        // as soon as stdin is piped (zcat ... | hallmark clean --input -) or stdout is redirected.
        return new ProgressPrinter(err(), Terminal.stderrIsTerminal(), 10);
      default:
        throw new UsageException("--progress must be auto, bar, log or none, not '" + progress + "'");
    }
  }
}
