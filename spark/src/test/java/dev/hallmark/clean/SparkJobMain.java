package dev.hallmark.clean;

import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.spark.Registry;
import dev.hallmark.spark.SparkCleaner;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** Runs the Spark clean of the mixed corpus in its own JVM, so that a test can kill it part-way. */
public final class SparkJobMain {
  private SparkJobMain() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Path.of(args[0]);
    Path ledger = Path.of(args[1]);
    String registry = args[2];
    Path out = Path.of(args[3]);
    SparkSession spark = SparkMixedCorpusTest.session();
    try {
      Registry r = Registry.open(spark, registry, Ledgers.configuredLogKey(ledger));
      SparkCleaner.run(spark, MixedCorpus.job(corpus, out).build(), DetectionPolicy.DEFAULT, MixedCorpus.keys(), r);
    } finally {
      spark.stop();
    }
  }
}
