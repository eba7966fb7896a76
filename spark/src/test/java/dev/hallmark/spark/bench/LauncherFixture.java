package dev.hallmark.spark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.WatermarkKey;
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
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Makes the inputs for trying {@code ./hallmark-spark clean} by hand (docs/BENCHMARKS.md, README):
 * {@code DIR/home} (a keyring with watermark key "gen"), {@code DIR/corpus/docs.jsonl.gz} and
 * {@code DIR/corpus/table.parquet} (a Spark-written table folder), each with human and watermarked
 * text. Args: DIR SEED.
 */
public final class LauncherFixture {
  private LauncherFixture() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    Keyring ring = Keyring.open(dir.resolve("home"));
    ring.createWatermarkKey("gen", new SecureRandom());
    WatermarkKey k = ring.watermarkKey("gen");
    Tokenizer tok = Tokenizers.r50k();
    TextGenerator g = new TextGenerator(NgramLanguageModel.builtIn(), tok, Watermarks.textWatermarker(k, WatermarkParameters.KGW_DEFAULT, tok));
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> human = SparkBenchmark.webDocuments(Path.of(args.length > 2 ? args[2] : "../shared/testdata/text"));
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    ObjectMapper m = new ObjectMapper();
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(corpus.resolve("docs.jsonl.gz")))) {
      for (int i = 0; i < 20; i++) {
        String t = i % 5 == 0 ? g.generate(human.get(i).substring(0, 40), 300, rnd).text() : human.get(i);
        o.write((m.writeValueAsString(Map.of("id", "j" + i, "text", t)) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String t = i % 4 == 0 ? g.generate(human.get(100 + i).substring(0, 40), 300, rnd).text() : human.get(100 + i);
      rows.add(RowFactory.create("p" + i, t));
    }
    spark.createDataFrame(rows, new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType))
        .coalesce(1).write().parquet(corpus.resolve("table.parquet").toString());
    spark.stop();
    k.destroy();
    System.out.println("wrote " + dir + ": home/ (key gen), corpus/docs.jsonl.gz (4 of 20 watermarked), corpus/table.parquet (5 of 20 watermarked)");
  }
}
