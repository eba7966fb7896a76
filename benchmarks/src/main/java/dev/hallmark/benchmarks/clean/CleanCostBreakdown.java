package dev.hallmark.benchmarks.clean;

import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Record;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.ImageDetector;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Where a clean run's detection time goes, per web-length document (single thread): tokenizing,
 * the multi-key text test with and without copy-paste windows, MinHash, ledger lookups (misses, the
 * common case, and near-duplicate hits, against 2,000 registered text records), and the image
 * watermark search per photo.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.clean.CleanCostBreakdown [../shared/testdata]}.
 */
public final class CleanCostBreakdown {
  private CleanCostBreakdown() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : System.getProperty("hallmark.shared.testdata", "../shared/testdata"));
    if (!Files.isDirectory(shared.resolve("text")) || !Files.isDirectory(shared.resolve("images/kodak"))) {
      System.err.println("CleanCostBreakdown: " + shared + " has no text/ and images/kodak/ test data; pass the path of shared/testdata");
      System.exit(2);
    }
    List<String> docs = CleanBenchmark.webDocuments(shared.resolve("text"));
    double meanChars = docs.stream().mapToInt(String::length).average().orElse(0);
    List<WatermarkKey> keys = List.of(WatermarkKey.fromSecret("b1", CleanBenchmark.sha256("bench-key-1")),
        WatermarkKey.fromSecret("b2", CleanBenchmark.sha256("bench-key-2")));
    Tokenizer tok = Tokenizers.r50k();
    MultiKeyTextDetector windowed = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT.withAlpha(1e-6), keys);
    MultiKeyTextDetector whole = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT.withAlpha(1e-6).withWindowed(false), keys);
    MultiKeyTextDetector oneKey = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT.withAlpha(1e-6), keys.subList(0, 1));
    MultiKeyTextDetector kgwOnly = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT.withAlpha(1e-6)
        .withSchemes(List.of(dev.hallmark.watermark.text.WatermarkParameters.KGW_DEFAULT)), keys);
    MultiKeyTextDetector typed = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT.withAlpha(1e-6), List.of(
        WatermarkKey.fromSecret("b1", CleanBenchmark.sha256("bench-key-1"),
            dev.hallmark.watermark.text.WatermarkParameters.KGW_DEFAULT.toKeyScheme()),
        WatermarkKey.fromSecret("b2", CleanBenchmark.sha256("bench-key-2"),
            dev.hallmark.watermark.text.WatermarkParameters.UNIGRAM_DEFAULT.toKeyScheme())));
    int half = docs.size() / 2;
    Path dir = Files.createTempDirectory("hallmark-breakdown-");
    try {
      SigningKey logKey = SigningKey.fromSeed("l", CleanBenchmark.sha256("l"));
      SigningKey producer = SigningKey.fromSeed("p", CleanBenchmark.sha256("p"));
      Path ledgerDir = dir.resolve("ledger");
      Ledgers.init(ledgerDir, "ledger.example/breakdown", logKey, null);
      try (Ledger l = Ledgers.open(ledgerDir, logKey, LedgerOptions.DEFAULT)) {
        List<Record> recs = new ArrayList<>();
        // The second half of the documents is registered (2-3 near-duplicate records each); the
        // first half is not, so it measures misses, the common case when cleaning human text.
        for (int i = 0; i < 2000; i++) {
          String t = "registered " + i + " " + docs.get(half + i % (docs.size() - half));
          recs.add(Record.builder().kind("text").content(t.getBytes(StandardCharsets.UTF_8)).textMinHash(TextFingerprint.minHash(t))
              .timestamp(Instant.parse("2026-11-01T00:00:00Z")).build().sign(producer));
        }
        l.appendAll(recs);
        l.checkpoint();
      }
      System.out.printf(Locale.ROOT, "# %d documents, mean %.0f characters; 2 keys x 5 schemes unless noted; load average %s%n",
          docs.size(), meanChars, CleanBenchmark.loadAverage());
      System.out.println("| step | ms per document | CPU ms per document (this thread) |");
      System.out.println("|---|---|---|");
      List<String> misses = docs.subList(0, Math.min(600, half));
      List<String> hits = docs.subList(half, Math.min(docs.size(), half + 600));
      try (LedgerSnapshot snap = Ledgers.openSnapshot(ledgerDir, Ledgers.configuredLogKey(ledgerDir))) {
        ledgerTime("ledger lookups, miss (document not registered): exact SHA-256 + MinHash LSH, signature given", snap, misses, 600);
        try (LedgerSnapshot cold = Ledgers.openSnapshot(ledgerDir, Ledgers.configuredLogKey(ledgerDir))) {
          // A fresh snapshot's first max(1,000, size/200) exact/text lookups go to the index; then it builds its key filter.
          ledgerTime("ledger lookups, miss, first 400 documents of a fresh snapshot (before its key filter)", cold, misses.subList(0, 400), 0);
        }
        ledgerTime("ledger lookups, hit (near-duplicate of 2-3 records, read back from the log and re-checked), signature given",
            snap, hits, 100);
        time("ledger: exact SHA-256 + MinHash near-duplicate lookups, miss, MinHash included", misses, t -> {
          try {
            snap.findBySha256(CleanBenchmark.hex(CleanBenchmark.sha256(t)));
            snap.findText(TextFingerprint.minHash(t), 0.6, 3);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        time("tokenize (r50k_base, JTokkit)", docs, tok::encode);
        Tokenizer memo = Tokenizers.memoizing(tok);
        time("tokenize (r50k_base, hand-written pre-tokenizer + piece memo, as detectors do)", docs, memo::encode);
        time("tokenize (r50k_base, JTokkit), again", docs, tok::encode);
        time("tokenize (r50k_base, memoized), again", docs, memo::encode);
        time("text test, whole document only", docs, whole::detect);
        time("text test, with copy-paste windows", docs, windowed::detect);
        time("text test, with windows, 1 key", docs, oneKey::detect);
        time("text test, with windows, KGW only (--scheme kgw)", docs, kgwOnly::detect);
        time("text test, default path, 2 keys recording their scheme (kgw, unigram)", docs, typed::detect);
        time("MinHash signature", docs, TextFingerprint::minHash);
      }
      // As the standard detector does: one detector for the keys, shared by every photo.
      ImageDetector iw = ImageWatermarks.newWatermarker().detector(keys);
      long imageNanos = 0;
      List<BufferedImage> photos = new ArrayList<>();
      try (var s = Files.list(shared.resolve("images/kodak"))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".png")).sorted().limit(6).toList()) {
          photos.add(CleanBenchmark.half(Images.read(p)));
        }
      }
      int rounds = 4;
      for (int r = -2; r < rounds; r++) {
        // Two untimed rounds first, like the warm-up documents of the text rows.
        long t0 = System.nanoTime();
        for (BufferedImage img : photos) {
          iw.detect(img, 5e-7);
        }
        imageNanos += r < 0 ? 0 : System.nanoTime() - t0;
      }
      System.out.printf(Locale.ROOT, "| image watermark search, 384x256 photo, 2 keys | %.1f | - |%n", imageNanos / 1e6 / (rounds * photos.size()));
    } finally {
      CleanBenchmark.deleteTree(dir);
    }
  }

  /**
   * Times the two lookups {@code clean} makes per text document (exact SHA-256, then MinHash LSH at
   * Jaccard 0.6) with the hash and signature computed beforehand, after {@code warm} untimed documents.
   */
  private static void ledgerTime(String what, LedgerSnapshot snap, List<String> docs, int warm) throws Exception {
    int n = docs.size();
    String[] sha = new String[n];
    int[][] mh = new int[n][];
    for (int i = 0; i < n; i++) {
      sha[i] = CleanBenchmark.hex(CleanBenchmark.sha256(docs.get(i)));
      mh[i] = TextFingerprint.minHash(docs.get(i));
    }
    for (int w = 0; w < warm; w++) {
      snap.findBySha256(sha[w % n]);
      snap.findText(mh[w % n], 0.6, 3);
    }
    int found = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      found += snap.findBySha256(sha[i]).size();
      found += snap.findText(mh[i], 0.6, 3).size();
    }
    double ms = (System.nanoTime() - t0) / 1e6 / n;
    System.out.printf(Locale.ROOT, "| %s | %.3f | - |%n", what + " [" + found + " matches in " + n + " documents]", ms);
  }

  private static void time(String what, List<String> docs, Consumer<String> f) {
    int n = Math.min(600, docs.size());
    for (int i = 0; i < 100; i++) {
      f.accept(docs.get(i));
    }
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      f.accept(docs.get(i));
    }
    long t1 = System.nanoTime();
    long c1 = mx.getCurrentThreadCpuTime();
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", what, (t1 - t0) / 1e6 / n, (c1 - c0) / 1e6 / n);
  }
}
