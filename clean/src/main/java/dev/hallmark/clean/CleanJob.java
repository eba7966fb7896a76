package dev.hallmark.clean;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to clean and how: inputs, output folder, field names, threads, limits. Immutable; validated in
 * {@link Builder#build()}. Run it with {@link CorpusCleaner#run}.
 *
 * <p>Inputs are paths: a {@code .jsonl}/{@code .ndjson} file, or a {@code .json} file whose first line
 * is a JSON object (C4's and Dolma's shards; any other {@code .json} file is one document), optionally
 * {@code .gz}, {@code .zst}, {@code .bz2} or {@code .xz}, a {@code .warc}/{@code .warc.gz} file (Common Crawl's
 * {@code .warc.wet.gz} text files included; their {@code .warc.wat.gz} metadata files are read as
 * WARC too and give no documents, which {@link CleanReport.InputCounts#warning()} says; ARC files,
 * {@code .arc}/{@code .arc.gz}, are read record by record the same way), a folder (JSONL and WARC files inside are read
 * as such, every other file is extracted with Apache Tika), any other file (extracted with Tika), or
 * {@code -} for JSONL on standard input.
 *
 * <p>Every setting that changes which document lands where (inputs, fields, shard sizes, limits) is
 * part of the job's {@link #fingerprint()}: a resumed run must have the same fingerprint. Threads and
 * progress settings are not, so a resumed run may use a different thread count.
 */
public final class CleanJob {
  /** Stands for standard input in {@link Builder#input(String)}. */
  public static final String STDIN = "-";

  private final List<String> inputs;
  private final Path output;
  private final String textField;
  private final String idField;
  private final int threads;
  private final boolean resume;
  private final int shardDocuments;
  private final int shardFiles;
  private final int shardRecords;
  private final long shardBytes;
  private final long maxDocumentBytes;
  private final int maxTextChars;
  private final Duration documentTimeout;
  private final int maxEmbeddedDepth;
  private final int maxEmbeddedResources;
  private final Duration progressInterval;
  private final InputStream stdin;
  private final Isolation isolation;
  private final int extractorMemoryMb;

  /** Where documents that need extraction (files, WARC payloads) are parsed. */
  public enum Isolation {
    /**
     * In child JVMs with a capped heap, killed at the document time-out: a decompression bomb or a
     * parser loop costs one child, and the document lands in {@code errors/}. The default.
     */
    PROCESS,
    /** In the run's own JVM: faster to start, but one hostile document can exhaust its memory. */
    IN_PROCESS
  }

  private CleanJob(Builder b) {
    this.inputs = List.copyOf(b.inputs);
    this.output = b.output;
    this.textField = b.textField;
    this.idField = b.idField;
    this.threads = b.threads;
    this.resume = b.resume;
    this.shardDocuments = b.shardDocuments;
    this.shardFiles = b.shardFiles;
    this.shardRecords = b.shardRecords;
    this.shardBytes = b.shardBytes;
    this.maxDocumentBytes = b.maxDocumentBytes;
    this.maxTextChars = b.maxTextChars;
    this.documentTimeout = b.documentTimeout;
    this.isolation = b.isolation;
    this.extractorMemoryMb = b.extractorMemoryMb;
    this.maxEmbeddedDepth = b.maxEmbeddedDepth;
    this.maxEmbeddedResources = b.maxEmbeddedResources;
    this.progressInterval = b.progressInterval;
    this.stdin = b.stdin;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> inputs() {
    return inputs;
  }

  public Path output() {
    return output;
  }

  public String textField() {
    return textField;
  }

  public String idField() {
    return idField;
  }

  public int threads() {
    return threads;
  }

  public boolean resume() {
    return resume;
  }

  /** Documents per shard for JSONL inputs. */
  public int shardDocuments() {
    return shardDocuments;
  }

  /** Documents per shard for the files of a folder (each is extracted with Tika, so shards are small). */
  public int shardFiles() {
    return shardFiles;
  }

  /** Documents per shard for WARC records (response, resource, conversion). */
  public int shardRecords() {
    return shardRecords;
  }

  /** A shard is closed once its documents reach this many input bytes. */
  public long shardBytes() {
    return shardBytes;
  }

  /** Larger documents (JSONL line, WARC payload, file) go to errors/. */
  public long maxDocumentBytes() {
    return maxDocumentBytes;
  }

  /** Extracted text beyond this many characters is cut off (and the cut is noted in errors/ only if nothing was extracted). */
  public int maxTextChars() {
    return maxTextChars;
  }

  /** Extraction of one document is abandoned after this long and the document goes to errors/. */
  public Duration documentTimeout() {
    return documentTimeout;
  }

  /** Where extraction runs (default {@link Isolation#PROCESS}). */
  public Isolation isolation() {
    return isolation;
  }

  /** Heap of each extraction child process, in MiB (default 768). */
  public int extractorMemoryMb() {
    return extractorMemoryMb;
  }

  public int maxEmbeddedDepth() {
    return maxEmbeddedDepth;
  }

  public int maxEmbeddedResources() {
    return maxEmbeddedResources;
  }

  public Duration progressInterval() {
    return progressInterval;
  }

  /** The stream read for {@link #STDIN}. */
  public InputStream stdin() {
    return stdin;
  }

  /** The settings that decide where each document lands, as plain values. */
  public Map<String, Object> fingerprint() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputs", inputs);
    m.put("textField", textField);
    m.put("idField", idField);
    m.put("shardDocuments", shardDocuments);
    m.put("shardFiles", shardFiles);
    m.put("shardRecords", shardRecords);
    m.put("shardBytes", shardBytes);
    m.put("maxDocumentBytes", maxDocumentBytes);
    m.put("maxTextChars", maxTextChars);
    m.put("documentTimeoutMillis", documentTimeout.toMillis());
    m.put("maxEmbeddedDepth", maxEmbeddedDepth);
    m.put("maxEmbeddedResources", maxEmbeddedResources);
    return m;
  }

  /** Builder with production defaults. */
  public static final class Builder {
    private final List<String> inputs = new ArrayList<>();
    private Path output;
    private String textField = "text";
    private String idField = "id";
    private int threads = Runtime.getRuntime().availableProcessors();
    private boolean resume;
    private int shardDocuments = 2000;
    private int shardFiles = 64;
    private int shardRecords = 256;
    private long shardBytes = 64L << 20;
    private long maxDocumentBytes = 32L << 20;
    private int maxTextChars = 4_000_000;
    private Duration documentTimeout = Duration.ofSeconds(60);
    private int maxEmbeddedDepth = 5;
    private int maxEmbeddedResources = 256;
    private Duration progressInterval = Duration.ofSeconds(1);
    private InputStream stdin = System.in;
    private Isolation isolation = Isolation.PROCESS;
    private int extractorMemoryMb = 768;

    private Builder() {}

    /** Adds an input path, or {@link CleanJob#STDIN}. */
    public Builder input(String pathOrDash) {
      inputs.add(Objects.requireNonNull(pathOrDash));
      return this;
    }

    public Builder input(Path path) {
      return input(path.toString());
    }

    public Builder output(Path dir) {
      this.output = dir;
      return this;
    }

    public Builder textField(String f) {
      this.textField = f;
      return this;
    }

    public Builder idField(String f) {
      this.idField = f;
      return this;
    }

    public Builder threads(int n) {
      this.threads = n;
      return this;
    }

    public Builder resume(boolean r) {
      this.resume = r;
      return this;
    }

    public Builder shardDocuments(int n) {
      this.shardDocuments = n;
      return this;
    }

    public Builder shardFiles(int n) {
      this.shardFiles = n;
      return this;
    }

    public Builder shardRecords(int n) {
      this.shardRecords = n;
      return this;
    }

    public Builder shardBytes(long n) {
      this.shardBytes = n;
      return this;
    }

    public Builder maxDocumentBytes(long n) {
      this.maxDocumentBytes = n;
      return this;
    }

    public Builder maxTextChars(int n) {
      this.maxTextChars = n;
      return this;
    }

    public Builder documentTimeout(Duration d) {
      this.documentTimeout = d;
      return this;
    }

    public Builder maxEmbeddedDepth(int n) {
      this.maxEmbeddedDepth = n;
      return this;
    }

    public Builder maxEmbeddedResources(int n) {
      this.maxEmbeddedResources = n;
      return this;
    }

    public Builder progressInterval(Duration d) {
      this.progressInterval = d;
      return this;
    }

    public Builder isolation(Isolation i) {
      this.isolation = Objects.requireNonNull(i);
      return this;
    }

    /** Heap of each extraction child process, in MiB (64-65536). */
    public Builder extractorMemoryMb(int mb) {
      this.extractorMemoryMb = mb;
      return this;
    }

    public Builder stdin(InputStream in) {
      this.stdin = in;
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid setting */
    public CleanJob build() {
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException("at least one input is required");
      }
      if (inputs.stream().filter(STDIN::equals).count() > 1) {
        throw new IllegalArgumentException("standard input ('-') can be given only once");
      }
      if (output == null) {
        throw new IllegalArgumentException("an output folder is required");
      }
      if (textField == null || textField.isEmpty() || idField == null || idField.isEmpty()) {
        throw new IllegalArgumentException("text and id field names must be non-empty");
      }
      if (threads < 1 || threads > 1024) {
        throw new IllegalArgumentException("threads must be in [1, 1024], not " + threads);
      }
      if (shardDocuments < 1 || shardFiles < 1 || shardRecords < 1 || shardBytes < 1) {
        throw new IllegalArgumentException("shard sizes must be positive");
      }
      if (maxDocumentBytes < 1 || maxDocumentBytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("maxDocumentBytes must be in [1, 2^31-17], not " + maxDocumentBytes);
      }
      if (maxTextChars < 1) {
        throw new IllegalArgumentException("maxTextChars must be positive");
      }
      if (documentTimeout == null || documentTimeout.isNegative() || documentTimeout.isZero()) {
        throw new IllegalArgumentException("documentTimeout must be positive");
      }
      if (maxEmbeddedDepth < 0 || maxEmbeddedResources < 0) {
        throw new IllegalArgumentException("embedded limits must be >= 0");
      }
      if (extractorMemoryMb < 64 || extractorMemoryMb > 65536) {
        throw new IllegalArgumentException("extractorMemoryMb must be in [64, 65536], not " + extractorMemoryMb);
      }
      Objects.requireNonNull(progressInterval, "progressInterval");
      Objects.requireNonNull(stdin, "stdin");
      return new CleanJob(this);
    }
  }
}
