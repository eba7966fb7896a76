package dev.hallmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's laptop run, as a user types it: {@code ./hallmark-spark clean --master 'local[2]'}
 * (the repository's launcher script, in a child process) on a corpus of a JSONL.gz file and a
 * Spark-written Parquet table, with a keyring in {@code --home}. Runs after {@code package} (failsafe),
 * when spark/target holds what the launcher runs; with {@code HALLMARK_SPARK_NO_BUILD} set the
 * launcher refuses to start a nested build.
 */
class LauncherIT {
  static final long SEED = 20261203L;
  @TempDir Path work;

  @Test
  void launcherCleansJsonlGzAndParquetAsTheReadmeSays() throws Exception {
    System.out.println("seed=" + SEED);
    Path home = work.resolve("home");
    Keyring ring = Keyring.open(home);
    SecureRandom keyRandom = SecureRandom.getInstance("SHA1PRNG");
    keyRandom.setSeed(SEED);
    ring.createWatermarkKey("gen", keyRandom);
    WatermarkKey k = ring.watermarkKey("gen");
    Tokenizer tok = Tokenizers.r50k();
    TextGenerator g = new TextGenerator(NgramLanguageModel.builtIn(), tok, Watermarks.textWatermarker(k, WatermarkParameters.KGW_DEFAULT, tok));
    SplittableRandom rnd = new SplittableRandom(SEED);
    String human = "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. "
        + "However little known the feelings or views of such a man may be on his first entering a neighbourhood, this truth is so well "
        + "fixed in the minds of the surrounding families, that he is considered the rightful property of some one or other of their daughters.";
    String human2 = "The village lies at the foot of the hills, where the river slows and widens before it reaches the plain. "
        + "In spring the meadows flood, and the old stone bridge is the only way across for weeks at a time.";
    ObjectMapper m = new ObjectMapper();
    Path corpus = Files.createDirectories(work.resolve("corpus"));
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(corpus.resolve("part-0001.jsonl.gz")))) {
      o.write((m.writeValueAsString(Map.of("id", "j-human", "text", human)) + "\n").getBytes(StandardCharsets.UTF_8));
      o.write((m.writeValueAsString(Map.of("id", "j-marked", "text", g.generate("It was late in the evening when", 300, rnd).text()))
          + "\n").getBytes(StandardCharsets.UTF_8));
      o.write("{\"id\":\"j-broken\",\"text\":\"unterminated\n".getBytes(StandardCharsets.UTF_8));
    }
    SparkSession spark = SparkSession.builder().master("local[1]").appName("launcher-it-fixture").config("spark.ui.enabled", "false").getOrCreate();
    try {
      List<Row> rows = List.of(RowFactory.create("p-human", human2), RowFactory.create("p-marked",
          g.generate("The committee met again on", 300, rnd).text()), RowFactory.create("p-null", null));
      spark.createDataFrame(rows, new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType, true))
          .coalesce(1).write().parquet(corpus.resolve("table.parquet").toString());
    } finally {
      spark.stop();
      k.destroy();
    }

    Path launcher = Path.of(System.getProperty("hallmark.spark.launcher", "../hallmark-spark")).toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(launcher), "no launcher at " + launcher);
    ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "clean", "--master", "local[2]",
        "--input", "corpus/part-0001.jsonl.gz", "--input", "corpus/table.parquet", "--output", "cleaned/", "--home", home.toString())
        .directory(work.toFile());
    pb.environment().remove("HALLMARK_HOME");
    pb.environment().put("HALLMARK_SPARK_NO_BUILD", "1");
    pb.environment().put("HALLMARK_SPARK_MEMORY", "1g");
    Path out = work.resolve("stdout.txt");
    Path err = work.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("./hallmark-spark clean did not finish in 10 minutes; stderr: " + Files.readString(err));
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    String why = "exit " + p.exitValue() + "\n--- stdout\n" + stdout + "\n--- stderr (tail)\n"
        + stderr.substring(Math.max(0, stderr.length() - 6000));
    assertEquals(0, p.exitValue(), why);
    assertTrue(stdout.startsWith("6 documents: 2 kept, 2 removed, 2 errors (all accounted for) in cleaned/"), why);
    assertTrue(stdout.contains("removed for text watermark: 2"), why);

    Map<String, String> fate = new TreeMap<>();
    for (String dir : List.of("kept", "removed", "errors")) {
      try (Stream<Path> s = Files.list(work.resolve("cleaned").resolve(dir))) {
        for (Path f : s.filter(x -> x.toString().endsWith(".jsonl") || x.toString().endsWith(".jsonl.gz")).toList()) {
          try (InputStream raw = f.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f)) {
            for (String line : new String(raw.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
              JsonNode n = m.readTree(line);
              fate.put(n.path("id").asText(), dir);
            }
          }
        }
      }
    }
    assertEquals(Map.of("j-human", "kept", "j-marked", "removed", "j-broken", "errors",
        "p-human", "kept", "p-marked", "removed", "p-null", "errors"), fate, why);
    assertTrue(Files.isRegularFile(work.resolve("cleaned/report.json")) && Files.isRegularFile(work.resolve("cleaned/report.html")));
    // stderr is a file here: no progress bar redrawn with \r into it (--progress auto).
    assertFalse(stderr.contains("\r"), why);

    // A failure inside a Spark task, as the launcher shows it: the input changed before a --resume.
    // One line and exit 3, as hallmark clean; it was exit 4 "internal error: ...SparkException: Job
    // aborted due to stage failure" after some 60 lines of Spark's task-failure logs.
    Files.delete(work.resolve("cleaned/report.json"));
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(corpus.resolve("part-0001.jsonl.gz")))) {
      o.write((m.writeValueAsString(Map.of("id", "j-human", "text", human2)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String[] resumed = launch(launcher, home, "clean", "--master", "local[1]", "--input", "corpus/part-0001.jsonl.gz",
        "--input", "corpus/table.parquet", "--output", "cleaned/", "--home", home.toString(), "--resume");
    assertEquals("3", resumed[0], resumed[2]);
    assertEquals(1, resumed[2].lines().count(), resumed[2]);
    assertTrue(resumed[2].startsWith("hallmark: corpus/part-0001.jsonl.gz: the input changed since the interrupted run"), resumed[2]);

    String[] version = launch(launcher, home, "--version");
    assertEquals("0", version[0], version[2]);
    assertTrue(version[1].startsWith("hallmark-spark "), version[1]);
  }

  /** Runs the launcher in {@link #work}: {exit code, stdout, stderr}. */
  private String[] launch(Path launcher, Path home, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().remove("HALLMARK_HOME");
    pb.environment().put("HALLMARK_SPARK_NO_BUILD", "1");
    pb.environment().put("HALLMARK_SPARK_MEMORY", "1g");
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("./hallmark-spark " + String.join(" ", args) + " did not finish in 10 minutes");
    }
    return new String[] {String.valueOf(p.exitValue()), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8)};
  }
}
