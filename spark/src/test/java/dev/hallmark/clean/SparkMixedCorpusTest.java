package dev.hallmark.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.spark.Registry;
import dev.hallmark.spark.SparkCleaner;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job on the single-machine acceptance corpus (MixedCorpus: every scheme, images in HTML,
 * PDF and WARC, ledger exact and near copies, broken lines and files): on {@code local[2]}, with the
 * ledger matched through the registry join, it gives exactly the files of {@code hallmark clean}
 * (same kept, removed and errors ids, same reasons and evidence, same report apart from run times);
 * and a job killed part-way (a separate JVM, SIGKILL) and run again gives the same files too.
 */
class SparkMixedCorpusTest {
  static SparkSession spark;

  /** One session per JVM: local[2], few shuffle partitions, no UI. */
  static SparkSession session() {
    return SparkSession.builder().master("local[2]").appName("hallmark-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        // A test connector under its own scheme, registered as users register hdfs/s3a connectors.
        .config("spark.hadoop.fs.hmtest.impl", dev.hallmark.spark.HmTestFileSystem.class.getName())
        .getOrCreate();
  }

  @BeforeAll
  static void start() {
    spark = session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @TempDir Path tmp;

  @Test
  void sameOutputAsTheSingleMachineCleanAndAfterAKill() throws Exception {
    System.out.println("seed=" + MixedCorpus.SEED);
    MixedCorpus c = MixedCorpus.build(tmp);
    Path single = tmp.resolve("single");
    long t0 = System.nanoTime();
    try (LedgerSnapshot snap = MixedCorpus.openLedger(c.ledgerDir)) {
      CorpusCleaner.run(MixedCorpus.job(c.root, single).build(),
          Detector.create(DetectionPolicy.DEFAULT, MixedCorpus.keys(), snap), CleanProgress.Listener.NONE);
    }
    System.out.printf("single machine: %.1f s%n", (System.nanoTime() - t0) / 1e9);

    String registryPath = tmp.resolve("registry").toString();
    long exported = Registry.export(spark, c.ledgerDir, Ledgers.configuredLogKey(c.ledgerDir), registryPath, 2);
    Registry registry = Registry.open(spark, registryPath, Ledgers.configuredLogKey(c.ledgerDir));
    assertEquals(11, exported, "10 text records and 1 image record");

    Path viaSpark = tmp.resolve("spark");
    long t1 = System.nanoTime();
    CleanReport report = SparkCleaner.run(spark, MixedCorpus.job(c.root, viaSpark).build(), DetectionPolicy.DEFAULT,
        MixedCorpus.keys(), registry);
    System.out.printf("spark local[2]: %.1f s, %s%n", (System.nanoTime() - t1) / 1e9, report.toMap().get("totals"));
    assertTrue(report.conserved());

    Map<String, String> expected = fates(single);
    assertTrue(expected.values().stream().anyMatch(f -> f.contains("LEDGER_TEXT_NEAR")), "the corpus has ledger near copies");
    assertTrue(expected.values().stream().anyMatch(f -> f.contains("LEDGER_TEXT_EXACT")));
    assertTrue(expected.values().stream().anyMatch(f -> f.contains("LEDGER_IMAGE_NEAR")));
    assertTrue(expected.values().stream().anyMatch(f -> f.contains("IMAGE_WATERMARK")));
    assertTrue(expected.values().stream().anyMatch(f -> f.startsWith("errors")));
    assertEquals(expected, fates(viaSpark), "same kept/removed/errors ids with the same reasons");
    assertEquals(CorpusCleanerTest.snapshot(single), CorpusCleanerTest.snapshot(viaSpark),
        "byte-identical output folder (report.json apart from its run section)");

    // The same corpus read through Hadoop's FileSystem API under a non-file scheme (as from hdfs:// or
    // s3a://): same ids, reasons and output files.
    Path viaHadoop = tmp.resolve("hadoop");
    String hadoopCorpus = "hmtest://" + c.root.toAbsolutePath();
    CleanJob hadoopJob = CleanJob.builder().input(hadoopCorpus).output(viaHadoop).threads(2).shardDocuments(12).shardFiles(3)
        .shardRecords(3).build();
    CleanReport viaHadoopReport = SparkCleaner.run(spark, hadoopJob, DetectionPolicy.DEFAULT, MixedCorpus.keys(), registry);
    assertTrue(viaHadoopReport.conserved());
    assertEquals(report.inputs().size(), viaHadoopReport.inputs().size());
    for (CleanReport.InputCounts in : viaHadoopReport.inputs()) {
      assertTrue(in.input().startsWith("hmtest:///"), "the report names the hmtest: input: " + in.input());
    }
    Map<String, String> hadoopFates = new TreeMap<>();
    fates(viaHadoop).forEach((k, v) -> hadoopFates.put(k.startsWith("hmtest://") ? k.substring("hmtest://".length()) : k, v));
    assertEquals(expected, hadoopFates, "same kept/removed/errors ids with the same reasons through hmtest:// (input names apart)");
    assertEquals(dataFiles(single), dataFiles(viaHadoop),
        "kept/, removed/ and errors/ through hmtest:// byte-identical but for the input names they record");

    // A scheme no Hadoop FileSystem serves: one line naming the path and what to add.
    java.io.IOException noFs = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> SparkCleaner.run(spark,
        CleanJob.builder().input("nofs://bucket/corpus/").output(tmp.resolve("nofs")).build(), DetectionPolicy.DEFAULT,
        MixedCorpus.keys(), null));
    assertTrue(noFs.getMessage().startsWith("nofs://bucket/corpus/: no Hadoop FileSystem for scheme 'nofs'")
        && noFs.getMessage().contains("connector") && !noFs.getMessage().contains("\n"), noFs.getMessage());

    // Kill a job part-way (a real process kill of a separate JVM), then run it again here.
    Path killed = tmp.resolve("killed");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-D") || a.startsWith("-Xmx") || a.startsWith("-XX:+Ignore")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkJobMain.class.getName(),
        c.root.toString(), c.ledgerDir.toString(), registryPath, killed.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
    Path markers = killed.resolve("_state").resolve("shards");
    int total = countMarkers(single.resolve("_state").resolve("shards"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (p.isAlive() && System.nanoTime() < deadline && countMarkers(markers) < total / 3) {
      Thread.sleep(5);
    }
    int atKill = countMarkers(markers);
    boolean wasAlive = p.isAlive();
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
    System.out.printf("killed the child (alive=%s) with %d of %d shards committed%n", wasAlive, atKill, total);
    assertTrue(wasAlive, "the child ended before it could be killed: " + Files.readString(tmp.resolve("child.log")));
    assertTrue(atKill > 0 && atKill < total, "the kill came part-way: " + atKill + " of " + total);
    CleanReport again = SparkCleaner.run(spark, MixedCorpus.job(c.root, killed).resume(true).build(), DetectionPolicy.DEFAULT,
        MixedCorpus.keys(), registry);
    assertTrue(again.conserved());
    assertEquals(CorpusCleanerTest.snapshot(single), CorpusCleanerTest.snapshot(killed),
        "killed-and-rerun output equals the uninterrupted output");
  }

  /** {@code dir:input:location:id -> reasons} of every output record. */
  /** Every file under kept/, removed/ and errors/, by relative path: the SHA-256 of its content with "hmtest://" taken out of input names. */
  static Map<String, String> dataFiles(Path out) throws Exception {
    Map<String, String> m = new java.util.TreeMap<>();
    for (String d : List.of("kept", "removed", "errors")) {
      try (java.util.stream.Stream<Path> s = Files.walk(out.resolve(d))) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          m.put(out.relativize(f).toString(), dev.hallmark.core.Hex.encode(java.security.MessageDigest.getInstance("SHA-256")
              .digest(withoutScheme(f))));
        }
      }
    }
    assertTrue(!m.isEmpty(), "no output files in " + out);
    return m;
  }

  /** A file's bytes (gunzipped for .gz) with "hmtest://" removed (ISO-8859-1 keeps every byte). */
  private static byte[] withoutScheme(Path f) throws java.io.IOException {
    byte[] b = Files.readAllBytes(f);
    if (f.toString().endsWith(".gz")) {
      try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
        b = in.readAllBytes();
      }
    }
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).replace("hmtest://", "")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  static Map<String, String> fates(Path out) throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (String dir : List.of("kept", "removed", "errors")) {
      for (JsonNode n : CorpusCleanerTest.json(out.resolve(dir))) {
        String handle = n.path("input").asText() + "|" + n.path("location").asText() + "|" + n.path("id").asText();
        String before = m.put(handle, dir + (n.has("reasons") ? " " + n.get("reasons") : "")
            + (n.has("stage") ? " " + n.get("stage").asText() : ""));
        assertTrue(before == null, "duplicate " + handle);
      }
    }
    return m;
  }

  private static int countMarkers(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().startsWith(".")).count();
    }
  }
}
