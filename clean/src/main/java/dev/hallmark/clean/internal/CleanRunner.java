package dev.hallmark.clean.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hallmark.core.DurableFiles;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanProgress;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.detector.ContentSniffer;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.DocumentException;
import dev.hallmark.detector.LedgerLookupException;
import dev.hallmark.detector.Reason;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The clean pipeline: one reader thread cuts each input unit into shards of consecutive documents
 * (boundaries depend only on document counts and sizes, never on timing), a bounded queue hands
 * shards to worker threads, and each worker writes its shard's outputs under temporary names, renames
 * them into place, then writes the shard's marker in {@code _state/shards/}. A shard with a marker is
 * done; on resume it is read past, not redone. The report is summed from the markers.
 */
public final class CleanRunner {
  static final String STATE = "_state";
  static final String JOB_FILE = "job.json";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Shard POISON = new Shard(null, -1, List.of(), 0, 0);

  private final CleanJob job;
  private final Detector detector;
  private final CleanProgress.Listener listener;
  private final JsonFactory json;
  private final Path out;
  private final Path markers;
  private final AtomicLong docsDone = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong inputRead = new AtomicLong();
  private final AtomicLong inputDone = new AtomicLong();
  private final AtomicLong shardsSkipped = new AtomicLong();
  /** The input bytes of the shards in {@link #shardsSkipped}, part of {@link #inputDone}. */
  private final AtomicLong inputSkipped = new AtomicLong();
  private final AtomicLong shardsDone = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private TikaExtractor tika;
  private ForkedExtractor forked;
  private long inputTotal;
  private long started;
  /** Files read as JSONL through {@link #opener} (e.g. Parquet rows rendered as JSON lines), or null. */
  private java.util.function.Predicate<Path> extraJsonl;
  private java.util.function.Predicate<Path> ignore;
  private java.util.function.Function<String, Path> inputPaths;
  private Opener opener;
  /** Shards are processed in the reading thread (one unit at a time, for distributed runners). */
  private boolean inline;
  private List<InputUnit> planned;
  /** The shards committed when {@link #prepareOutput} laid out the folder (by an interrupted run), or null before. */
  private java.util.Set<String> committedBefore;

  /** Opens an input file as a JSONL byte stream. */
  public interface Opener {
    InputStream open(Path file) throws IOException;
  }

  public CleanRunner(CleanJob job, Detector detector, CleanProgress.Listener listener) {
    this.job = job;
    this.detector = detector;
    this.listener = listener;
    this.json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength((int) Math.min(Integer.MAX_VALUE, job.maxDocumentBytes() + 16))
            .maxNestingDepth(1000)
            .build())
        .build();
    this.out = job.output();
    this.markers = out.resolve(STATE).resolve("shards");
  }

  private static final class Shard {
    final InputUnit unit;
    final int number;
    final List<RawDoc> docs;
    final long skipped;
    final Compression compression;
    /** Input bytes (compressed, as read) that this shard's documents span, for progress. */
    long inputSpan;

    Shard(InputUnit unit, int number, List<RawDoc> docs, long skipped, int unused) {
      this(unit, number, docs, skipped, Compression.NONE);
    }

    Shard(InputUnit unit, int number, List<RawDoc> docs, long skipped, Compression compression) {
      this.unit = unit;
      this.number = number;
      this.docs = docs;
      this.skipped = skipped;
      this.compression = compression;
    }

    String name() {
      return shardName(unit, number);
    }
  }

  static String shardName(InputUnit unit, int number) {
    return unit.name + "-" + String.format(Locale.ROOT, "%06d", number);
  }

  public CleanReport run() throws IOException, HallmarkException {
    started = System.nanoTime();
    List<InputUnit> units = InputPlanner.plan(job.inputs(), out, extraJsonl, ignore, inputPaths);
    try (java.io.Closeable lock = prepareOutput()) {
      return runLocked(units);
    }
  }


  // ---- the pipeline in separate steps, for distributed runners (see dev.hallmark.clean.CleanSteps) ----

  /**
   * Reads matching files as JSONL through {@code opener} instead of extracting them with Tika. Must be
   * set before {@link #plan()} or {@link #run()}.
   */
  public CleanRunner readAsJsonl(java.util.function.Predicate<Path> files, Opener opener) {
    this.extraJsonl = files;
    this.opener = opener;
    return this;
  }

  /**
   * How input arguments become paths (default {@link Path#of(String, String...)}): a distributed runner
   * reads inputs on other {@code java.nio.file} file systems (HDFS, object stores) through this.
   */
  public CleanRunner resolveInputs(java.util.function.Function<String, Path> paths) {
    this.inputPaths = paths;
    return this;
  }

  /** Files inside folder inputs that are not inputs (e.g. a Hadoop job's _SUCCESS and .crc files). */
  public CleanRunner ignoreInFolders(java.util.function.Predicate<Path> files) {
    this.ignore = files;
    return this;
  }

  /** Expands the job's inputs into units (deterministic: the same job plans the same units anywhere). */
  public int plan() throws IOException {
    planned = InputPlanner.plan(job.inputs(), out, extraJsonl, ignore, inputPaths);
    return planned.size();
  }

  /** {@code {name, input, kind}} of planned unit {@code i}. */
  public String[] unit(int i) {
    InputUnit u = planned.get(i);
    return new String[] {u.name, u.input, u.kind.label};
  }

  /**
   * Checks the output folder (and, on resume, the recorded job), takes its lock and lays it out; call
   * once, first. The returned lock must be held (by the coordinating process) until {@link #finish}.
   */
  public java.io.Closeable prepareOutput() throws IOException, HallmarkException {
    byte[] state = validateOutput();
    Files.createDirectories(out.resolve(STATE));
    java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(out.resolve(STATE).resolve("lock"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    boolean ok = false;
    try {
      java.nio.channels.FileLock lock;
      try {
        lock = lockFile.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new HallmarkException(out + ": another clean run is writing to this folder");
      }
      initOutput(state);
      committedBefore = new java.util.HashSet<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(markers, "*.json")) {
        for (Path p : s) {
          String f = p.getFileName().toString();
          committedBefore.add(f.substring(0, f.length() - ".json".length()));
        }
      }
      ok = true;
      return lockFile;
    } finally {
      if (!ok) {
        lockFile.close();
      }
    }
  }

  /**
   * Cleans planned unit {@code i} in the calling thread, shard after shard, skipping shards whose
   * marker is already committed. Several units may run at once (in threads or processes), each once.
   */
  public void runUnit(int i) throws IOException, HallmarkException {
    started = System.nanoTime();
    inline = true;
    InputUnit u = planned.get(i);
    ensureTika(List.of(u));
    try {
      read(List.of(u), null);
    } finally {
      closeExtractor();
    }
    rethrowFailure();
  }

  /** What {@link #scanUnit} hands over: every document that reaches the detector, in input order. */
  public interface DocumentVisitor {
    void visit(Document document) throws IOException;
  }

  /**
   * Reads, parses and extracts planned unit {@code i} exactly as {@link #runUnit} does, without
   * deciding or writing: documents that would go to errors/ before detection are passed over.
   */
  public void scanUnit(int i, DocumentVisitor visitor) throws IOException {
    InputUnit unit = planned.get(i);
    ensureTika(List.of(unit));
    try (UnitReader reader = openReader(unit, new AtomicLong()); java.io.Closeable extractor = this::closeExtractor) {
      RawDoc d;
      while ((d = reader.next(false)) != null) {
        reader.takeSkipped();
        if (d.readError != null) {
          continue;
        }
        Document doc;
        try {
          doc = toDocument(unit, d, new String[1]);
        } catch (DocumentException | IOException | RuntimeException | StackOverflowError e) {
          continue;
        }
        visitor.visit(doc);
      }
    }
  }

  /** Sums the committed shard markers into the report and writes report.json and report.html. */
  public CleanReport finish(int threads, double seconds) throws IOException, HallmarkException {
    // "This run", as a single-machine run counts it: shards committed since prepareOutput (their
    // documents and bytes), and shards an interrupted run had committed, which this one read past.
    // Units ran elsewhere (executors), so the markers are the record of what this run did. The
    // report reads every unit's markers and hands them over, so that a marker is read once, not a
    // second time here (runs can have many thousands of shards).
    java.util.Map<String, ShardStats> read = new java.util.HashMap<>();
    CleanReport r = buildReport(planned, read::putIfAbsent);
    long processed = 0;
    long skipped = 0;
    long documents = 0;
    long bytes = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(markers, "*.json")) {
      for (Path p : s) {
        String f = p.getFileName().toString();
        String name = f.substring(0, f.length() - ".json".length());
        if (committedBefore != null && committedBefore.contains(name)) {
          skipped++;
        } else {
          processed++;
          ShardStats st = read.get(name);
          if (st == null) {
            st = readMarker(name); // a marker of no planned unit: the report did not read it
          }
          documents += st.documents;
          bytes += st.bytes;
        }
      }
    }
    CleanReport.RunStats run = new CleanReport.RunStats(seconds, documents, bytes, processed, skipped, threads);
    r = new CleanReport(r.output(), r.inputs(), r.byReason(), r.histograms(), r.policy(), r.detector(), run);
    writeAtomically(out.resolve("report.json"), MAPPER.writeValueAsBytes(r.toMap()));
    writeAtomically(out.resolve("report.html"), HtmlReport.render(r, firstRemoved(out, REPORT_REMOVED_LIMIT), r.removed()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return r;
  }

  /**
   * Creates the extractor the units need (none for JSONL only): child JVMs with
   * {@link CleanJob.Isolation#PROCESS}, else Tika in this JVM. {@link #closeExtractor()} ends the children.
   */
  private void ensureTika(List<InputUnit> units) {
    if (tika == null && forked == null && units.stream().anyMatch(u -> !u.jsonLines())) {
      if (job.isolation() == CleanJob.Isolation.PROCESS) {
        forked = ForkedExtractor.tika(job.extractorMemoryMb(), job.maxTextChars(), job.maxEmbeddedDepth(),
            job.maxEmbeddedResources(), job.maxDocumentBytes());
      } else {
        tika = new TikaExtractor(job.maxTextChars(), job.maxEmbeddedDepth(), job.maxEmbeddedResources(), job.maxDocumentBytes());
      }
    }
  }

  /** Ends the extraction child processes, if any (the next step that needs them starts new ones). */
  public void closeExtractor() {
    if (forked != null) {
      forked.close();
      forked = null;
    }
  }

  private void rethrowFailure() throws IOException, HallmarkException {
    Throwable f = failure.get();
    if (f != null) {
      if (f instanceof IOException) {
        throw (IOException) f;
      }
      if (f instanceof HallmarkException) {
        throw (HallmarkException) f;
      }
      if (f instanceof LedgerLookupException) {
        throw new HallmarkException(f.getMessage() + "; the run stopped and kept every shard committed so far:"
            + " fix the ledger, then run the same command again with --resume", f.getCause());
      }
      if (f instanceof RuntimeException) {
        throw (RuntimeException) f;
      }
      throw new IllegalStateException("clean worker failed", f);
    }
  }

  private CleanReport runLocked(List<InputUnit> units) throws IOException, HallmarkException {
    inputTotal = units.stream().anyMatch(u -> u.totalBytes < 0) ? -1 : units.stream().mapToLong(u -> u.totalBytes).sum();
    ensureTika(units);
    try {
      return runWorkers(units);
    } finally {
      closeExtractor();
    }
  }

  private CleanReport runWorkers(List<InputUnit> units) throws IOException, HallmarkException {
    BlockingQueue<Shard> queue = new ArrayBlockingQueue<>(Math.max(2, job.threads() * 2));
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < job.threads(); i++) {
      Thread t = new Thread(() -> work(queue), "hallmark-clean-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hallmark-clean-progress");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(50, job.progressInterval().toMillis());
    ticker.scheduleAtFixedRate(() -> listener.onProgress(snapshot(false)), every, every, TimeUnit.MILLISECONDS);
    try {
      try {
        read(units, queue);
      } finally {
        for (int i = 0; i < workers.size(); i++) {
          putUninterruptibly(queue, POISON);
        }
        for (Thread t : workers) {
          joinUninterruptibly(t);
        }
      }
    } finally {
      ticker.shutdownNow();
    }
    rethrowFailure();
    CleanReport report = buildReport(units);
    writeAtomically(out.resolve("report.json"), MAPPER.writeValueAsBytes(report.toMap()));
    writeAtomically(out.resolve("report.html"), HtmlReport.render(report, firstRemoved(out, REPORT_REMOVED_LIMIT),
        report.removed()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    listener.onProgress(snapshot(true));
    return report;
  }

  /** How many removed documents report.html lists by name. */
  static final int REPORT_REMOVED_LIMIT = 200;

  /** The first {@code limit} removed documents, in shard order, from the records in removed/. */
  static List<HtmlReport.Removed> firstRemoved(Path out, int limit) throws IOException {
    List<HtmlReport.Removed> list = new ArrayList<>();
    Path dir = out.resolve("removed");
    if (!Files.isDirectory(dir)) {
      return list;
    }
    List<Path> files;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
    for (Path f : files) {
      try (java.io.BufferedReader r = Files.newBufferedReader(f, java.nio.charset.StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null && list.size() < limit) {
          if (line.isBlank()) {
            continue;
          }
          com.fasterxml.jackson.databind.JsonNode n = MAPPER.readTree(line);
          List<String> reasons = new ArrayList<>();
          n.path("reasons").forEach(x -> reasons.add(x.asText()));
          list.add(new HtmlReport.Removed(n.path("id").asText(), n.path("location").asText(), reasons,
              "removed/" + f.getFileName()));
        }
      }
      if (list.size() >= limit) {
        break;
      }
    }
    return list;
  }

  private CleanProgress snapshot(boolean finished) {
    return new CleanProgress(docsDone.get(), bytesDone.get(), inputDone.get(), inputTotal, shardsSkipped.get(),
        inputSkipped.get(), System.nanoTime() - started, finished);
  }

  // ---- output folder and job state ----

  /** Checks the output folder and, on resume, the recorded job; writes nothing. Returns the job state. */
  private byte[] validateOutput() throws IOException, HallmarkException {
    Path jobFile = out.resolve(STATE).resolve(JOB_FILE);
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("format", "hallmark-clean-job");
    state.put("version", 1);
    state.put("job", job.fingerprint());
    state.put("policy", detector.policy().toMap());
    state.put("detector", detector.describe());
    byte[] stateBytes = MAPPER.writeValueAsBytes(state);
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new HallmarkException(out + ": the output exists and is not a folder");
    }
    boolean nonEmpty = Files.isDirectory(out) && !isEmpty(out);
    if (nonEmpty) {
      if (!job.resume()) {
        throw new HallmarkException(out + ": the output folder is not empty; pass --resume to finish an interrupted run with the same arguments, or choose an empty folder");
      }
      if (!Files.exists(jobFile)) {
        throw new HallmarkException(out + ": not a Hallmark clean output (no " + STATE + "/" + JOB_FILE + "); choose an empty folder");
      }
      Object old;
      try {
        old = MAPPER.readValue(Files.readAllBytes(jobFile), Object.class);
      } catch (IOException e) {
        throw new HallmarkException(jobFile + ": corrupt job state; choose an empty folder");
      }
      Object now = MAPPER.readValue(stateBytes, Object.class);
      if (!old.equals(now)) {
        throw new HallmarkException(out + ": --resume needs the same inputs, fields, keys, ledger and policy as the interrupted run;"
            + " " + firstDifference("", old, now) + " (recorded in " + jobFile + ")");
      }
    }
    return stateBytes;
  }

  /** Where two job states first differ, as "job.inputs: [a] then, [b] now". */
  @SuppressWarnings("unchecked")
  static String firstDifference(String at, Object then, Object now) {
    if (then instanceof Map && now instanceof Map) {
      Map<String, Object> a = (Map<String, Object>) then;
      Map<String, Object> b = (Map<String, Object>) now;
      java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
      keys.addAll(b.keySet());
      for (String k : keys) {
        if (!java.util.Objects.equals(a.get(k), b.get(k))) {
          return firstDifference(at.isEmpty() ? k : at + "." + k, a.get(k), b.get(k));
        }
      }
    }
    String t = String.valueOf(then);
    String n = String.valueOf(now);
    return (at.isEmpty() ? "the job" : at) + " was " + (t.length() > 200 ? t.substring(0, 200) + "..." : t) + ", now "
        + (n.length() > 200 ? n.substring(0, 200) + "..." : n);
  }

  /** Under the lock: clears temporary files and old reports, creates the folders, records the job. */
  private void initOutput(byte[] stateBytes) throws IOException {
    Files.deleteIfExists(out.resolve("report.json"));
    Files.deleteIfExists(out.resolve("report.html"));
    // A run killed while writing its report leaves the report's temporary files in the root.
    try (DirectoryStream<Path> s = Files.newDirectoryStream(out, ".report.*.tmp")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
    for (String d : List.of("kept", "removed", "errors")) {
      Files.createDirectories(out.resolve(d));
      deleteTemporaries(out.resolve(d));
    }
    Files.createDirectories(markers);
    deleteTemporaries(markers);
    deleteTemporaries(out.resolve(STATE));
    Path jobFile = out.resolve(STATE).resolve(JOB_FILE);
    if (!Files.exists(jobFile)) {
      writeAtomically(jobFile, stateBytes);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    }
  }

  private static void deleteTemporaries(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*.tmp")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  static void writeAtomically(Path target, byte[] data) throws IOException {
    DurableFiles.write(target, data);
  }


  private Path marker(String shard) {
    return markers.resolve(shard + ".json");
  }

  // ---- reading ----

  private void read(List<InputUnit> units, BlockingQueue<Shard> queue) throws IOException, HallmarkException {
    for (InputUnit unit : units) {
      if (failure.get() != null) {
        return;
      }
      long base = inputRead.get();
      UnitReader reader = openReader(unit, inputRead);
      Compression comp = Compression.NONE;
      WarcUnitReader warc = null;
      ArchiveUnitReader archive = null;
      if (reader instanceof JsonlReader) {
        comp = ((JsonlReader) reader).compression();
      } else if (reader instanceof JsonArrayReader) {
        comp = ((JsonArrayReader) reader).compression();
      } else if (reader instanceof ArchiveUnitReader) {
        archive = (ArchiveUnitReader) reader;
      } else if (reader instanceof WarcUnitReader) {
        warc = (WarcUnitReader) reader;
        comp = unit.path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? Compression.GZIP : Compression.NONE;
      }
      try {
        int number = 0;
        int limit = unit.jsonLines() ? job.shardDocuments()
            : unit.kind == InputUnit.Kind.WARC ? job.shardRecords() : job.shardFiles();
        boolean skipping = Files.exists(marker(shardName(unit, number)));
        List<RawDoc> docs = new ArrayList<>();
        long bytes = 0;
        long skipped = 0;
        long spanStart = inputRead.get();
        RawDoc d;
        while ((d = reader.next(skipping)) != null) {
          if (failure.get() != null) {
            return;
          }
          docs.add(d);
          bytes += d.size;
          skipped += reader.takeSkipped();
          if (warc != null) {
            inputRead.set(base + warc.position());
          } else if (archive != null) {
            inputRead.set(base + archive.position());
          } else if (unit.kind == InputUnit.Kind.FILES) {
            inputRead.addAndGet(d.size);
          }
          if (docs.size() >= limit || bytes >= job.shardBytes()) {
            Shard sh = new Shard(unit, number, docs, skipped, comp);
            sh.inputSpan = inputRead.get() - spanStart;
            spanStart = inputRead.get();
            dispatch(queue, sh, skipping);
            number++;
            skipping = Files.exists(marker(shardName(unit, number)));
            docs = new ArrayList<>();
            bytes = 0;
            skipped = 0;
          }
        }
        skipped += reader.takeSkipped();
        // Blank lines after the last document (or in an input with no documents) are counted too.
        if (!docs.isEmpty() || skipped > 0) {
          Shard sh = new Shard(unit, number, docs, skipped, comp);
          sh.inputSpan = inputRead.get() - spanStart;
          dispatch(queue, sh, skipping);
        }
      } finally {
        reader.close();
      }
    }
  }

  private UnitReader openReader(InputUnit unit, AtomicLong counter) {
    switch (unit.kind) {
      case JSONL: {
        InputStream raw;
        if (unit.isStdin()) {
          raw = new CountingStream(new NonClosingInput(job.stdin()), counter);
        } else {
          InputStream fileIn;
          try {
            fileIn = opener != null && extraJsonl.test(unit.path) ? opener.open(unit.path) : Files.newInputStream(unit.path);
          } catch (IOException e) {
            fileIn = new FailingInput(e);
          }
          raw = new CountingStream(fileIn, counter);
        }
        return new JsonlReader(raw, unit.input, job.maxDocumentBytes());
      }
      case JSON_ARRAY: {
        InputStream fileIn;
        try {
          fileIn = Files.newInputStream(unit.path);
        } catch (IOException e) {
          fileIn = new FailingInput(e);
        }
        return new JsonArrayReader(new CountingStream(fileIn, counter), unit.input, job.maxDocumentBytes());
      }
      case WARC:
        return new WarcUnitReader(unit.path, unit.input, job.maxDocumentBytes());
      case ARCHIVE:
        return new ArchiveUnitReader(unit.path, unit.input, job.maxDocumentBytes());
      default:
        return new FilesReader(unit.root, unit.files, job.maxDocumentBytes());
    }
  }

  private void dispatch(BlockingQueue<Shard> queue, Shard shard, boolean committed) throws IOException, HallmarkException {
    if (committed) {
      ShardStats s = readMarker(shard.name());
      if (s.documents != shard.docs.size()) {
        throw new HallmarkException(shard.unit.input + ": the input changed since the interrupted run (shard "
            + shard.name() + " had " + s.documents + " documents, now " + shard.docs.size() + "); start again in an empty folder");
      }
      String recorded = readMarkerDigest(shard.name());
      if (recorded != null && !recorded.equals(digest(shard.docs))) {
        // A file added, removed or renamed in a folder, a file or a line edited: the shard's documents
        // are no longer those the marker accounts for (same count, other files or bytes).
        throw new HallmarkException(shard.unit.input + ": the input changed since the interrupted run (the documents of shard "
            + shard.name() + " differ in names, sizes, modification times or line contents); start again in an empty folder");
      }
      shardsSkipped.incrementAndGet();
      inputSkipped.addAndGet(shard.inputSpan);
      inputDone.addAndGet(shard.inputSpan);
      return;
    }
    if (inline) {
      process(shard);
      return;
    }
    try {
      queue.put(shard);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while queueing work");
    }
  }

  /**
   * What identifies a shard's documents on resume: SHA-256 (first 16 bytes, hex) over each
   * document's location, size and {@link RawDoc#check}, as read with or without skipping.
   */
  static String digest(List<RawDoc> docs) {
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(17);
    for (RawDoc d : docs) {
      md.update((d.location == null ? "" : d.location).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      b.clear();
      b.put((byte) 0).putLong(d.size).putLong(d.check);
      md.update(b.array());
    }
    return dev.hallmark.core.Hex.encode(java.util.Arrays.copyOf(md.digest(), 16));
  }

  /** The digest a shard marker recorded (null in markers written before it was recorded). */
  @SuppressWarnings("unchecked")
  private String readMarkerDigest(String shard) throws IOException, HallmarkException {
    Path m = marker(shard);
    try {
      Object d = MAPPER.readValue(Files.readAllBytes(m), Map.class).get("digest");
      return d instanceof String str ? str : null;
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HallmarkException(m + ": corrupt shard marker (" + e.getMessage() + "); delete it to redo that shard");
    }
  }

  @SuppressWarnings("unchecked")
  private ShardStats readMarker(String shard) throws IOException, HallmarkException {
    Path m = marker(shard);
    try {
      Map<String, Object> map = MAPPER.readValue(Files.readAllBytes(m), Map.class);
      return ShardStats.fromMap((Map<String, Object>) map.get("counts"));
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new HallmarkException(m + ": corrupt shard marker (" + e.getMessage() + "); delete it to redo that shard");
    }
  }

  // ---- working ----

  private void work(BlockingQueue<Shard> queue) {
    while (true) {
      Shard s;
      try {
        s = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (s == POISON) {
        return;
      }
      if (failure.get() != null) {
        continue;
      }
      try {
        process(s);
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }
  }

  private void process(Shard shard) throws IOException {
    String name = shard.name();
    for (Path p : ShardOutput.candidates(out, name)) {
      Files.deleteIfExists(p);
    }
    InputUnit unit = shard.unit;
    boolean rawKept = unit.jsonLines();
    ShardOutput o = new ShardOutput(json, out, name, unit.input, rawKept, shard.compression);
    ShardStats stats = new ShardStats();
    stats.skipped = shard.skipped;
    boolean ok = false;
    try {
      for (RawDoc raw : shard.docs) {
        handle(unit, raw, o, stats);
        stats.documents++;
        stats.bytes += raw.size;
        docsDone.incrementAndGet();
        bytesDone.addAndGet(raw.size);
        if (unit.isStdin()) {
          // Stdin has no known total; the reader's count is the best progress measure.
        }
      }
      o.commit();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", "hallmark-clean-shard");
      m.put("version", 1);
      m.put("shard", name);
      m.put("input", unit.input);
      m.put("digest", digest(shard.docs));
      m.put("counts", stats.toMap());
      writeAtomically(marker(name), MAPPER.writeValueAsBytes(m));
      shardsDone.incrementAndGet();
      inputDone.addAndGet(shard.inputSpan);
      ok = true;
    } finally {
      if (!ok) {
        o.abort();
      }
    }
  }

  private void handle(InputUnit unit, RawDoc raw, ShardOutput o, ShardStats stats) throws IOException {
    if (raw.readError != null) {
      o.error(raw, raw.id, "read", raw.readError);
      stats.errors++;
      return;
    }
    String[] idHolder = {raw.id};
    String stage = unit.jsonLines() ? "parse" : "extract";
    String id = raw.id;
    try {
      Document doc;
      try {
        doc = toDocument(unit, raw, idHolder);
      } finally {
        id = idHolder[0];
      }
      stage = "detect";
      DocumentDecision d = detector.decide(doc);
      stats.score(d);
      if (d.remove()) {
        o.removed(raw, doc, d);
        stats.removed++;
      } else {
        o.kept(raw, doc);
        stats.kept++;
      }
    } catch (DocumentException e) {
      o.error(raw, id, stage, e.getMessage());
      stats.errors++;
    } catch (IOException e) {
      if (stage.equals("extract")) {
        o.error(raw, id, stage, "cannot read: " + JsonlReader.describe(e));
        stats.errors++;
      } else {
        throw e;
      }
    } catch (LedgerLookupException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      o.error(raw, id, stage, "unexpected failure while " + (stage.equals("detect") ? "detecting" : stage.equals("parse") ? "parsing" : "extracting")
          + ": " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage().split("\n", 2)[0]));
      stats.errors++;
    }
  }

  /** Parses (JSONL) or extracts (Tika) one document; {@code id[0]} gets the id as soon as it is known. */
  private Document toDocument(InputUnit unit, RawDoc raw, String[] id) throws DocumentException, IOException {
    if (unit.jsonLines()) {
      JsonlDocuments.Parsed p = new JsonlDocuments.Parsed();
      try {
        JsonlDocuments.parse(json, raw, unit.input, job.textField(), job.idField(), p);
      } finally {
        id[0] = p.id;
      }
      return p.doc;
    }
    if (raw.file == null && raw.data != null && "text/plain".equals(raw.contentType)) {
      // Plain UTF-8 text (Common Crawl's WET conversion records, text/plain responses) needs no
      // parser: decoded here, about five times faster than a round trip through Tika. Text that is
      // not valid UTF-8 (or holds NUL characters) goes to Tika, which detects its charset.
      String t = ContentSniffer.utf8Text(raw.data).orElse(null);
      if (t != null) {
        if (t.startsWith("\uFEFF")) {
          t = t.substring(1);
        }
        if (t.length() > job.maxTextChars()) {
          throw TikaExtractor.textTooLong(job.maxTextChars());
        }
        return new Document(raw.id, unit.input, raw.location, t, List.of());
      }
    }
    long deadline = System.nanoTime() + job.documentTimeout().toNanos();
    TikaExtractor.Extracted x;
    if (forked != null && raw.file != null && raw.file.getFileSystem() != java.nio.file.FileSystems.getDefault()) {
      // A file the extraction process cannot open by name (on a Hadoop file system, for the Spark job):
      // send its bytes, already bounded by maxDocumentBytes.
      x = forked.extract(null, Files.readAllBytes(raw.file), raw.file.getFileName().toString(), null, job.documentTimeout());
    } else if (forked != null) {
      x = forked.extract(raw.file, raw.data, raw.file != null ? raw.file.getFileName().toString() : nameHint(raw),
          raw.file != null ? null : raw.contentType, job.documentTimeout());
    } else if (raw.file != null) {
      try (InputStream in = Files.newInputStream(raw.file)) {
        x = tika.extract(in, raw.file.getFileName().toString(), null, deadline);
      }
    } else {
      x = tika.extract(new ByteArrayInputStream(raw.data), nameHint(raw), raw.contentType, deadline);
    }
    return new Document(raw.id, unit.input, raw.location, x.text(), x.images());
  }

  private static String nameHint(RawDoc raw) {
    if (!raw.location.startsWith("offset ")) {
      // An archive member: its path inside the archive.
      String n = raw.location.substring(raw.location.lastIndexOf('/') + 1);
      return n.isEmpty() ? null : n;
    }
    int sp = raw.location.indexOf(' ', "offset ".length());
    String uri = sp < 0 ? "" : raw.location.substring(sp + 1);
    int q = uri.indexOf('?');
    if (q >= 0) {
      uri = uri.substring(0, q);
    }
    int slash = uri.lastIndexOf('/');
    String n = slash < 0 ? uri : uri.substring(slash + 1);
    return n.isEmpty() ? null : n;
  }

  // ---- report ----

  private CleanReport buildReport(List<InputUnit> units) throws IOException, HallmarkException {
    return buildReport(units, (name, stats) -> {});
  }

  /** @param each receives every marker read, by shard name, as it is read */
  private CleanReport buildReport(List<InputUnit> units, java.util.function.BiConsumer<String, ShardStats> each)
      throws IOException, HallmarkException {
    List<CleanReport.InputCounts> counts = new ArrayList<>();
    ShardStats all = new ShardStats();
    for (InputUnit u : units) {
      ShardStats us = new ShardStats();
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(markers, u.name + "-*.json")) {
        for (Path p : s) {
          String f = p.getFileName().toString();
          String n = f.substring(0, f.length() - ".json".length());
          if (n.length() == u.name.length() + 7) {
            names.add(n);
          }
        }
      }
      names.sort(null);
      for (String n : names) {
        ShardStats st = readMarker(n);
        each.accept(n, st);
        us.add(st);
      }
      all.add(us);
      counts.add(new CleanReport.InputCounts(u.input, u.name, u.kind.label, us.documents, us.kept, us.removed,
          us.errors, us.skipped, us.bytes));
    }
    Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
    for (Reason r : Reason.values()) {
      byReason.put(r, all.reasons[r.ordinal()]);
    }
    double secs = (System.nanoTime() - started) / 1e9;
    CleanReport.RunStats run = new CleanReport.RunStats(secs, docsDone.get(), bytesDone.get(), shardsDone.get(),
        shardsSkipped.get(), job.threads());
    return new CleanReport(out, counts, byReason, all.histograms(), detector.policy().toMap(), detector.describe(), run);
  }

  // ---- small stream helpers ----

  private static void putUninterruptibly(BlockingQueue<Shard> q, Shard s) {
    boolean interrupted = false;
    while (true) {
      try {
        q.put(s);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class NonClosingInput extends FilterInputStream {
    NonClosingInput(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }

  private static final class FailingInput extends InputStream {
    private final IOException e;

    FailingInput(IOException e) {
      this.e = e;
    }

    @Override
    public int read() throws IOException {
      throw e;
    }
  }
}
