package dev.hallmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job on JSONL.gz and Parquet inputs (a Spark-written table folder): every row lands once, where it should. */
class SparkJobFormatsTest {
  static final long SEED = 20261204L;
  static SparkSession spark;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("hallmark-formats-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * HallmarkFrames with a registry: ledger exact and near copies are removed with the same evidence
   * (reason, ledger index, similarity) as the standard detector gives against the ledger folder.
   */
  @Test
  void framesMatchTheRegistryLikeTheLedger() throws Exception {
    List<String> texts = List.of(
        "The quarterly report shows revenue grew in every region, led by strong demand for the new storage line and steady services income. Margins held despite higher freight costs, and the board approved a modest dividend increase for the coming year.",
        "Heavy rain is expected across the northern valleys tonight, with local flooding possible near the river crossings. Residents are asked to avoid low roads, secure loose objects and follow updates from the regional emergency service until the warning is lifted.");
    Path ledgerDir = tmp.resolve("ledger");
    dev.hallmark.core.SigningKey logKey = dev.hallmark.core.SigningKey.fromSeed("frames-log", new byte[32]);
    dev.hallmark.core.SigningKey producer = dev.hallmark.core.SigningKey.fromSeed("frames-producer", new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    dev.hallmark.core.NoteVerifierKey vkey = dev.hallmark.ledger.Ledgers.init(ledgerDir, "ledger.example/frames", logKey, null);
    List<dev.hallmark.ledger.Record> records = new java.util.ArrayList<>();
    for (String t : texts) {
      records.add(dev.hallmark.ledger.Record.builder().kind("text").content(t.getBytes(StandardCharsets.UTF_8))
          .textMinHash(dev.hallmark.watermark.fingerprint.TextFingerprint.minHash(t)).model("m")
          .timestamp(java.time.Instant.parse("2026-12-01T00:00:00Z")).build().sign(producer));
    }
    try (dev.hallmark.ledger.Ledger l = dev.hallmark.ledger.Ledgers.open(ledgerDir, logKey, dev.hallmark.ledger.LedgerOptions.DEFAULT)) {
      l.appendAll(records);
      l.checkpoint();
    }
    String regPath = tmp.resolve("registry").toString();
    assertEquals(2, Registry.export(spark, ledgerDir, vkey, regPath, 2));
    Registry reg = Registry.open(spark, regPath, vkey);
    String edited = texts.get(1).replace("tonight", "this evening");
    String human = "A quiet street, two cafes and a bookshop that opens only on Saturdays: the village has changed little in fifty years.";
    List<String> docs = List.of(texts.get(0), edited, human);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      rows.add(RowFactory.create("d" + i, docs.get(i)));
    }
    StructType schema = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);
    HallmarkFrames hm = HallmarkFrames.builder(spark).registry(reg).idColumn("id").build();
    List<Row> out = hm.decide(spark.createDataFrame(rows, schema)).orderBy("id").collectAsList();
    try (dev.hallmark.ledger.LedgerSnapshot snap = dev.hallmark.ledger.Ledgers.openSnapshot(ledgerDir, vkey)) {
      dev.hallmark.detector.Detector d = dev.hallmark.detector.Detector.create(DetectionPolicy.DEFAULT, List.of(), snap);
      for (int i = 0; i < docs.size(); i++) {
        dev.hallmark.detector.DocumentDecision want = d.decide(dev.hallmark.detector.Document.ofText("d" + i, "x", "x", docs.get(i)));
        List<String> expected = new java.util.ArrayList<>();
        for (dev.hallmark.detector.Evidence e : want.evidence()) {
          expected.add(e.reason() + "@" + e.ledgerIndex() + "~" + e.similarity());
        }
        List<String> got = new java.util.ArrayList<>();
        for (Row r : out.get(i).<Row>getList(out.get(i).fieldIndex(HallmarkFrames.REASONS))) {
          got.add(r.getAs("reason") + "@" + r.getAs("ledger_index") + "~" + r.getAs("similarity"));
        }
        assertEquals(expected, got, "document d" + i);
        assertEquals(want.remove() ? "removed" : "kept", out.get(i).getAs(HallmarkFrames.DECISION));
      }
    }
    assertEquals("removed", out.get(0).getAs(HallmarkFrames.DECISION));
    assertEquals("removed", out.get(1).getAs(HallmarkFrames.DECISION));
    assertEquals("kept", out.get(2).getAs(HallmarkFrames.DECISION));
  }

  @Test
  void cleansJsonlGzAndParquet() throws Exception {
    System.out.println("seed=" + SEED);
    WatermarkKey k = SparkFramesTest.key();
    Tokenizer tok = Tokenizers.r50k();
    TextGenerator g = new TextGenerator(NgramLanguageModel.builtIn(), tok,
        Watermarks.textWatermarker(k, WatermarkParameters.GUMBEL_DEFAULT, tok));
    SplittableRandom rnd = new SplittableRandom(SEED);
    String marked1 = g.generate("It was late in the evening when", 300, rnd).text();
    String marked2 = g.generate("The committee met again on", 300, rnd).text();
    String human = "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. "
        + "However little known the feelings or views of such a man may be on his first entering a neighbourhood.";
    ObjectMapper m = new ObjectMapper();
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path gz = in.resolve("docs.jsonl.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write((m.writeValueAsString(Map.of("id", "j-human", "text", human)) + "\n").getBytes(StandardCharsets.UTF_8));
      o.write((m.writeValueAsString(Map.of("id", "j-marked", "text", marked1)) + "\n").getBytes(StandardCharsets.UTF_8));
      o.write("{\"id\":\"j-broken\",\"text\":\"unterminated\n".getBytes(StandardCharsets.UTF_8));
    }
    StructType schema = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType, true)
        .add("score", DataTypes.DoubleType);
    List<Row> rows = List.of(RowFactory.create("p-human", human, 0.5), RowFactory.create("p-marked", marked2, 0.9),
        RowFactory.create("p-null", null, 0.1));
    Path table = in.resolve("table");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());

    Path out = tmp.resolve("out");
    CleanJob job = CleanJob.builder().input(gz).input(table).output(out).build();
    CleanReport r = SparkCleaner.run(spark, job, DetectionPolicy.DEFAULT, List.of(k), null);
    assertTrue(r.conserved());
    assertEquals(6, r.documents());
    assertEquals(2, r.inputs().size(), "one unit per file; _SUCCESS and .crc files are not inputs: " + r.inputs());
    Map<String, String> fate = new TreeMap<>();
    for (String dir : List.of("kept", "removed", "errors")) {
      try (Stream<Path> s = Files.list(out.resolve(dir))) {
        for (Path p : s.filter(f -> f.toString().endsWith(".jsonl") || f.toString().endsWith(".jsonl.gz")).toList()) {
          java.io.InputStream raw = Files.newInputStream(p);
          if (p.toString().endsWith(".gz")) {
            raw = new java.util.zip.GZIPInputStream(raw);
          }
          for (String line : new String(raw.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            JsonNode n = m.readTree(line);
            fate.put(n.path("id").asText(), dir);
          }
        }
      }
    }
    assertEquals(Map.of("j-human", "kept", "j-marked", "removed", "j-broken", "errors",
        "p-human", "kept", "p-marked", "removed", "p-null", "errors"), fate);

    // A second run into the same folder without resume is refused, as hallmark clean refuses it.
    HallmarkException e = org.junit.jupiter.api.Assertions.assertThrows(HallmarkException.class,
        () -> SparkCleaner.run(spark, job, DetectionPolicy.DEFAULT, List.of(k), null));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
  }
}
