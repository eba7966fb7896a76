package dev.hallmark.benchmarks.clean;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanProgress;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.clean.CorpusCleaner;
import dev.hallmark.watermark.text.WatermarkParameters;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Record;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.Images;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;

/**
 * Throughput of {@code hallmark clean} on (a) JSONL of web-length documents, (b) a folder of HTML
 * and PDF files with photos, (c) a gzip WARC of HTML pages, (d) the
 * documents of (a) as a Common Crawl WET file, each with 1 and 2 threads, against the
 * same pipeline with a detector that examines nothing (the cost of reading, extracting and writing:
 * the limit detection can approach).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.clean.CleanBenchmark
 * [../shared/testdata] [scale]}. Reads real text and photos from {@code shared/testdata} and stops
 * with a message when it is absent.
 */
public final class CleanBenchmark {
  private CleanBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : System.getProperty("hallmark.shared.testdata", "../shared/testdata"));
    double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
    only = args.length > 2 ? args[2] : "all";
    if (!Files.isDirectory(shared.resolve("text")) || !Files.isDirectory(shared.resolve("images/kodak"))) {
      System.err.println("CleanBenchmark: " + shared + " has no text/ and images/kodak/ test data; pass the path of shared/testdata");
      System.exit(2);
    }
    Path work = Files.createTempDirectory("hallmark-clean-bench-");
    try {
      run(shared, work, scale);
    } finally {
      deleteTree(work);
    }
  }

  /** Interleaved A/B pairs per row (extraction alone, then clean); the best of each is shown. */
  private static final int ROUNDS = Integer.getInteger("hallmark.bench.rounds", 3);

  /** {@code all}, {@code jsonl} to run input (a) only, or {@code wet} for (a) and (d). */
  private static String only = "all";

  private static void run(Path shared, Path work, double scale) throws Exception {
    List<String> docs = webDocuments(shared.resolve("text"));
    System.out.printf(Locale.ROOT, "# %d human documents of 1-4 KB from %s; scale %.2f; %d cores; Java %s%n",
        docs.size(), shared.resolve("text"), scale, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

    Path jsonl = work.resolve("web.jsonl.gz");
    int nJsonl = (int) (20000 * scale);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(jsonl), 1 << 16)) {
      ObjectMapper m = new ObjectMapper();
      for (int i = 0; i < nJsonl; i++) {
        o.write(m.writeValueAsBytes(Map.of("id", "d" + i, "text", docs.get(i % docs.size()), "url", "https://example.org/" + i)));
        o.write('\n');
      }
    }

    List<BufferedImage> photos = new ArrayList<>();
    try (Stream<Path> s = Files.list(shared.resolve("images/kodak"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".png")).sorted().limit(8).toList()) {
        photos.add(half(Images.read(p)));
      }
    }
    Path folder = Files.createDirectories(work.resolve("site"));
    int nFiles = (int) (600 * scale);
    for (int i = 0; i < nFiles; i++) {
      String text = docs.get(i % docs.size());
      if (i % 4 == 3) {
        Files.write(folder.resolve(String.format(Locale.ROOT, "doc-%05d.pdf", i)), pdf(text, i % 8 == 7 ? photos.get(i % photos.size()) : null));
      } else {
        byte[] img = i % 8 == 1 ? Images.encode(photos.get(i % photos.size()), Images.Format.JPEG, 85) : null;
        Files.writeString(folder.resolve(String.format(Locale.ROOT, "page-%05d.html", i)), html("Page " + i, text, img));
      }
    }

    Path warc = work.resolve("crawl.warc.gz");
    int nWarc = (int) (4000 * scale);
    try (WarcWriter w = new WarcWriter(java.nio.channels.FileChannel.open(warc, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE), WarcCompression.GZIP)) {
      for (int i = 0; i < nWarc; i++) {
        HttpResponse http = new HttpResponse.Builder(200, "OK")
            .body(MediaType.parse("text/html; charset=utf-8"), html("Page " + i, docs.get(i % docs.size()), null).getBytes(StandardCharsets.UTF_8))
            .build();
        w.write(new WarcResponse.Builder(URI.create("https://example.org/page/" + i)).body(http).build());
      }
    }

    // (d) the same documents as (a), as the plain-text conversion records of a Common Crawl WET file.
    Path wet = work.resolve("CC-MAIN-bench-00000.warc.wet.gz");
    try (WarcWriter w = new WarcWriter(java.nio.channels.FileChannel.open(wet, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE), WarcCompression.GZIP)) {
      for (int i = 0; i < nJsonl; i++) {
        w.write(new WarcConversion.Builder().setHeader("WARC-Target-URI", "https://example.org/" + i)
            .body(MediaType.parse("text/plain"), docs.get(i % docs.size()).getBytes(StandardCharsets.UTF_8)).build());
      }
    }

    // A ledger with registered text and images that are not in the corpora (lookups find nothing, as on most real data).
    Path ledgerDir = work.resolve("ledger");
    SigningKey logKey = SigningKey.fromSeed("bench-log", sha256("bench-log"));
    SigningKey producer = SigningKey.fromSeed("bench-producer", sha256("bench-producer"));
    Ledgers.init(ledgerDir, "ledger.example/bench", logKey, null);
    try (Ledger l = Ledgers.open(ledgerDir, logKey, LedgerOptions.DEFAULT)) {
      List<Record> recs = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        String t = "registered model output number " + i + " " + docs.get((i * 7) % docs.size()).substring(0, 300) + " variant " + (i * 31);
        recs.add(Record.builder().kind("text").content(t.getBytes(StandardCharsets.UTF_8)).textMinHash(TextFingerprint.minHash(t))
            .timestamp(Instant.parse("2026-11-01T00:00:00Z")).build().sign(producer));
      }
      try (Stream<Path> s = Files.list(shared.resolve("images/kodak"))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".png")).sorted().skip(12).toList()) {
          BufferedImage img = Images.read(p);
          recs.add(Record.builder().kind("image").content(Files.readAllBytes(p)).imageHash(ImageFingerprint.of(img).hex())
              .timestamp(Instant.parse("2026-11-01T00:00:00Z")).build().sign(producer));
        }
      }
      l.appendAll(recs);
      l.checkpoint();
    }
    // Keys that record no scheme (every key file before version 2: tested under all 5 schemes) and
    // the same secrets as keys that record their scheme (KGW and Unigram: 1 scheme each).
    List<WatermarkKey> keys = List.of(WatermarkKey.fromSecret("bench1", sha256("bench-key-1")),
        WatermarkKey.fromSecret("bench2", sha256("bench-key-2")));
    List<WatermarkKey> typedKeys = List.of(
        WatermarkKey.fromSecret("bench1", sha256("bench-key-1"), WatermarkParameters.KGW_DEFAULT.toKeyScheme()),
        WatermarkKey.fromSecret("bench2", sha256("bench-key-2"), WatermarkParameters.UNIGRAM_DEFAULT.toKeyScheme()));

    System.out.println();
    System.out.println("# load average before: " + loadAverage());
    System.out.println("| input | threads | documents | MB | extract only: docs/s | extract only: MB/s | clean: docs/s | clean: MB/s | clean per core: docs/s | clean per core: MB/s | clean / extract time | extract only: CPU ms/doc | clean: CPU ms/doc | clean / extract CPU |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    try (LedgerSnapshot snap = Ledgers.openSnapshot(ledgerDir, Ledgers.configuredLogKey(ledgerDir))) {
      Detector anyScheme = Detector.create(DetectionPolicy.DEFAULT, keys, snap);
      Detector typed = Detector.create(DetectionPolicy.DEFAULT, typedKeys, snap);
      // The literal condition: two keys, no ledger (no SHA-256, MinHash or look-ups).
      Detector typedNoLedger = Detector.create(DetectionPolicy.DEFAULT, typedKeys, null);
      for (Object[] in : new Object[][] {{"(a) JSONL.gz, web-length documents", jsonl}, {"(b) folder: HTML + PDF (1 in 8 with a photo)", folder},
          {"(c) WARC.gz of HTML pages", warc}, {"(d) WET (.warc.wet.gz) of the same documents as (a)", wet}}) {
        if (only.equals("jsonl") && in[1] != jsonl || only.equals("wet") && in[1] != jsonl && in[1] != wet) {
          continue;
        }
        for (Detector full : new Detector[] {typedNoLedger, typed, anyScheme}) {
        String label = in[0] + (full == typedNoLedger ? ", 2 keys recording their scheme (kgw, unigram), no ledger"
            : full == typed ? ", 2 keys recording their scheme (kgw, unigram) + ledger" : ", 2 any-scheme keys (x 5 schemes) + ledger");
        // Warm-up (JIT, Tika's parsers), not measured.
        deleteTree(work.resolve("out-warm"));
        clean((Path) in[1], work.resolve("out-warm"), 2, full);
        deleteTree(work.resolve("out-warm"));
        for (int threads : new int[] {1, 2}) {
          // Interleaved A/B, ROUNDS times: extraction alone, then clean, then again; the fastest of each
          // kind of run is reported (wall time), plus the process CPU time per document, which other
          // processes' load moves far less than wall time.
          double baseSec = Double.MAX_VALUE;
          double detSec = Double.MAX_VALUE;
          double baseCpu = Double.MAX_VALUE;
          double detCpu = Double.MAX_VALUE;
          CleanReport base = null;
          CleanReport det = null;
          for (int round = 0; round < ROUNDS; round++) {
            deleteTree(work.resolve("out-base-" + threads));
            deleteTree(work.resolve("out-full-" + threads));
            long c0 = processCpuNanos();
            base = clean((Path) in[1], work.resolve("out-base-" + threads), threads, new ExtractOnly());
            long c1 = processCpuNanos();
            det = clean((Path) in[1], work.resolve("out-full-" + threads), threads, full);
            long c2 = processCpuNanos();
            baseSec = Math.min(baseSec, base.run().seconds());
            detSec = Math.min(detSec, det.run().seconds());
            baseCpu = Math.min(baseCpu, (c1 - c0) / 1e6 / base.documents());
            detCpu = Math.min(detCpu, (c2 - c1) / 1e6 / det.documents());
          }
          if (base.documents() != det.documents() || !det.conserved()) {
            throw new IllegalStateException("document counts differ between runs");
          }
          double mb = det.run().bytes() / 1e6;
          System.out.printf(Locale.ROOT, "| %s | %d | %,d | %.1f | %,.0f | %.2f | %,.0f | %.2f | %,.0f | %.2f | %.2fx | %.3f | %.3f | %.2fx |%n", label, threads,
              det.documents(), mb, det.documents() / baseSec, mb / baseSec,
              det.documents() / detSec, mb / detSec, det.documents() / detSec / threads,
              mb / detSec / threads, detSec / baseSec, baseCpu, detCpu, detCpu / baseCpu);
          deleteTree(work.resolve("out-base-" + threads));
          deleteTree(work.resolve("out-full-" + threads));
        }
        }
      }
    }
    System.out.println("# load average after: " + loadAverage());
  }

  /** CPU time of every thread of this process (JIT and GC included). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static CleanReport clean(Path input, Path out, int threads, Detector d) throws Exception {
    CleanJob job = CleanJob.builder().input(input.toString()).output(out).threads(threads).build();
    return CorpusCleaner.run(job, d, CleanProgress.Listener.NONE);
  }

  /** Examines nothing: the pipeline's cost without detection. */
  static final class ExtractOnly implements Detector {
    @Override
    public DocumentDecision decide(Document document) {
      return DocumentDecision.keepUnscored();
    }

    @Override
    public DetectionPolicy policy() {
      return DetectionPolicy.DEFAULT;
    }

    @Override
    public Map<String, Object> describe() {
      return Map.of("detector", "none (extraction baseline)");
    }
  }

  static List<String> webDocuments(Path text) throws IOException {
    List<String> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(text)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    for (Path f : files) {
      String t = Files.readString(f, StandardCharsets.UTF_8).replace("\r\n", "\n");
      int a = t.indexOf("*** START OF");
      int b = t.indexOf("*** END OF");
      if (a >= 0 && b > a) {
        t = t.substring(t.indexOf('\n', a) + 1, b);
      }
      StringBuilder cur = new StringBuilder();
      for (String para : t.split("\\n\\s*\\n")) {
        String p = para.trim().replaceAll("\\s+", " ");
        if (p.isEmpty()) {
          continue;
        }
        if (cur.length() > 0 && cur.length() + p.length() > 4000) {
          if (cur.length() >= 1000) {
            out.add(cur.toString());
          }
          cur.setLength(0);
        }
        cur.append(cur.length() > 0 ? "\n\n" : "").append(p);
      }
    }
    return out;
  }

  static String html(String title, String body, byte[] jpeg) {
    StringBuilder s = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(title)
        .append("</title></head><body><nav><a href=\"/\">Home</a> | <a href=\"/about\">About</a></nav><article><h1>").append(title).append("</h1>");
    for (String p : body.split("\n\n")) {
      s.append("<p>").append(p.replace("&", "&amp;").replace("<", "&lt;")).append("</p>");
    }
    if (jpeg != null) {
      s.append("<img alt=\"photo\" src=\"data:image/jpeg;base64,").append(Base64.getEncoder().encodeToString(jpeg)).append("\">");
    }
    return s.append("</article><footer>Copyright example.org</footer></body></html>").toString();
  }

  static byte[] pdf(String text, BufferedImage image) throws IOException {
    try (PDDocument doc = new PDDocument()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 9);
        cs.setLeading(11);
        cs.newLineAtOffset(40, 760);
        StringBuilder line = new StringBuilder();
        int lines = 0;
        for (String w : text.replaceAll("[^\\x20-\\x7e]", " ").split("\\s+")) {
          if (line.length() + w.length() > 100) {
            cs.showText(line.toString());
            cs.newLine();
            line.setLength(0);
            if (++lines > 60) {
              break;
            }
          }
          line.append(w).append(' ');
        }
        if (lines <= 60) {
          cs.showText(line.toString());
        }
        cs.endText();
        if (image != null) {
          cs.drawImage(LosslessFactory.createFromImage(doc, image), 40, 40, 256, 170);
        }
      }
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      doc.save(b);
      return b.toByteArray();
    }
  }

  /** The half-size photo of the folder corpus (Java2D default scaling); the image dump reuses it. */
  public static BufferedImage half(BufferedImage src) {
    BufferedImage d = new BufferedImage(src.getWidth() / 2, src.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = d.createGraphics();
    g.drawImage(src, 0, 0, d.getWidth(), d.getHeight(), null);
    g.dispose();
    return d;
  }

  static byte[] sha256(byte[] s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return java.util.HexFormat.of().formatHex(b);
  }

  static byte[] sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
