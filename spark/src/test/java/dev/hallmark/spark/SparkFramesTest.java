package dev.hallmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.core.Hex;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ExplainMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DataFrame API: decisions, reasons and the kept/removed helpers on a small DataFrame; and the
 * watermark key's secret appears nowhere Spark shows or records things: the query plans
 * ({@code explain}), the driver and executor log (INFO, target/spark-test.log), the event log (what
 * the Spark UI and history server show) and error messages.
 */
class SparkFramesTest {
  static final long SEED = 20261203L;
  @TempDir static Path events;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("hallmark-frames-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.eventLog.enabled", "true")
        .config("spark.eventLog.compress", "false") // Spark 4 compresses it by default; plain, the search below reads it
        .config("spark.eventLog.dir", events.toUri().toString())
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  static WatermarkKey key() throws Exception {
    byte[] secret = MessageDigest.getInstance("SHA-256").digest("spark-frames-test-key".getBytes(StandardCharsets.UTF_8));
    return WatermarkKey.fromSecret("frames", secret);
  }

  /**
   * fromOptions as its javadoc and the README show it: 'home' finds the keyring. The javadoc said
   * 'keyring', which was silently ignored, and the run then failed with "nothing to detect: no
   * watermark keys and no registry" without saying where it had looked.
   */
  @Test
  void fromOptionsRefusesUnknownNamesAndSaysWhereItLookedForKeys() throws Exception {
    Path home = events.resolve("frames-home");
    java.security.SecureRandom r = java.security.SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(SEED);
    dev.hallmark.core.Keyring.open(home).createWatermarkKey("k", r);
    IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> HallmarkFrames.fromOptions(spark, Map.of("keyring", home.resolve("keys").toString())));
    assertTrue(unknown.getMessage().contains("unknown HallmarkFrames option 'keyring'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("'home'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("accepted: home, keys, registry, logKey"), unknown.getMessage());
    IllegalArgumentException typo = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> HallmarkFrames.fromOptions(spark, Map.of("home", home.toString(), "textColum", "body")));
    assertTrue(typo.getMessage().contains("did you mean 'textColumn'?"), typo.getMessage());
    Path empty = events.resolve("frames-empty-home");
    IllegalArgumentException nothing = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> HallmarkFrames.fromOptions(spark, Map.of("home", empty.toString())));
    assertTrue(nothing.getMessage().startsWith("nothing to detect: no watermark keys in " + empty.resolve("keys")), nothing.getMessage());
    IllegalArgumentException hamming = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> HallmarkFrames.fromOptions(spark, Map.of("home", home.toString(), "hamming", "40")));
    assertTrue(hamming.getMessage().startsWith("option 'hamming' must be in [0, 31]"), hamming.getMessage());
    HallmarkFrames hm = HallmarkFrames.fromOptions(spark, Map.of("home", home.toString(), "keys", "k"));
    List<Row> out = hm.decide(spark.createDataFrame(List.of(RowFactory.create("plain words, nothing more")),
        new StructType().add("text", DataTypes.StringType))).collectAsList();
    assertEquals("kept", out.get(0).getAs(HallmarkFrames.DECISION));
  }

  @Test
  void decidesKeepsRemovesAndLeaksNoSecret() throws Exception {
    System.out.println("seed=" + SEED);
    WatermarkKey k = key();
    Tokenizer tok = Tokenizers.r50k();
    TextGenerator g = new TextGenerator(NgramLanguageModel.builtIn(), tok,
        Watermarks.textWatermarker(k, WatermarkParameters.KGW_DEFAULT, tok));
    String marked = g.generate("The harbour was quiet that morning", 300, new SplittableRandom(SEED)).text();
    String human = "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, "
        + "and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world.";
    StructType schema = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType, true);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create("a", human), RowFactory.create("b", marked),
        RowFactory.create("c", null)), schema);

    HallmarkFrames hm = HallmarkFrames.builder(spark).keys(List.of(k)).policy(DetectionPolicy.DEFAULT).idColumn("id").build();
    Dataset<Row> out = hm.decide(df);
    List<Row> rows = out.orderBy("id").collectAsList();
    assertEquals(List.of("id", "text", HallmarkFrames.DECISION, HallmarkFrames.REASONS, HallmarkFrames.ERROR), List.of(out.columns()));
    assertEquals("kept", rows.get(0).getAs(HallmarkFrames.DECISION));
    assertEquals("removed", rows.get(1).getAs(HallmarkFrames.DECISION));
    List<Row> reasons = rows.get(1).getList(3);
    assertEquals("TEXT_WATERMARK", reasons.get(0).getAs("reason"));
    assertEquals(k.keyId(), reasons.get(0).getAs("key_id"));
    assertTrue((Double) reasons.get(0).getAs("p_value") < 1e-6);
    assertEquals("error", rows.get(2).getAs(HallmarkFrames.DECISION));
    assertNull(rows.get(0).getAs(HallmarkFrames.ERROR));
    assertEquals(List.of("a"), ids(hm.kept(df)));
    assertEquals(List.of("b"), ids(hm.removed(df)));

    // Where a secret could show: plans, messages, toString, logs, event logs.
    List<String> shown = new ArrayList<>();
    for (String mode : List.of("simple", "extended", "codegen", "cost", "formatted")) {
      shown.add(out.queryExecution().explainString(ExplainMode.fromString(mode)));
    }
    shown.add(hm.toString());
    try {
      Registry.open(spark, events.resolve("no-such-registry").toString(), dev.hallmark.core.NoteVerifierKey.parse(
          "example.com/log+12345678+AXWfQl7l6Q3dVDwDU6a6hAGwbhOb2JCS5Ql7Z3rKoF2v"));
    } catch (Exception e) {
      shown.add(e.getMessage());
    }
    spark.stop();
    spark = null;
    String log = Files.readString(Path.of("target", "spark-test.log"), StandardCharsets.UTF_8);
    assertTrue(log.contains("SparkContext"), "the INFO log was written");
    shown.add(log);
    String eventLog = readAll(events);
    assertTrue(eventLog.contains("SparkListenerApplicationStart") && eventLog.contains("SparkListenerSQLExecutionStart"),
        "the event log was written");
    shown.add(eventLog);
    byte[] secret = k.secretBytes();
    List<String> forms = List.of(Hex.encode(secret), Hex.encode(secret).toUpperCase(java.util.Locale.ROOT),
        Base64.getEncoder().encodeToString(secret), Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
        java.util.Arrays.toString(secret));
    for (String s : shown) {
      for (String f : forms) {
        assertFalse(s.contains(f), "the secret appears in: " + s.substring(0, Math.min(200, s.length())));
      }
    }
  }

  private static List<String> ids(Dataset<Row> d) {
    List<String> l = new ArrayList<>();
    for (Row r : d.orderBy("id").collectAsList()) {
      l.add(r.getAs("id"));
    }
    return l;
  }

  private static String readAll(Path dir) throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        b.append(Files.readString(p, StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return b.toString();
  }
}
