package dev.hallmark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.clean.CleanSteps;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.spark.internal.Candidate;
import dev.hallmark.spark.internal.CandidateLedger;
import dev.hallmark.spark.internal.CheckpointRef;
import dev.hallmark.spark.internal.JobSpec;
import dev.hallmark.spark.internal.ParquetLines;
import dev.hallmark.spark.internal.RegistryKeys;
import dev.hallmark.spark.internal.SecretKeys;
import dev.hallmark.spark.internal.SwitchingDetector;
import dev.hallmark.spark.internal.hadoop.HadoopInputs;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code hallmark clean} on a Spark cluster: the same inputs (JSONL plain/gzip/zstd, WARC, folders of
 * other files through Tika) plus Parquet files, local or on any Hadoop file system ({@code hdfs://},
 * {@code s3a://}..., read and listed through Hadoop's FileSystem API with the session's Hadoop
 * configuration and whatever connector is on the classpath), the same output folder byte for byte (kept/,
 * removed/, errors/, report.json with per-input conservation, report.html).
 *
 * <p>How it runs: the driver plans the input units (one per file, one per folder of other files) and
 * lays out the output. With a registry, a first pass reads every unit and emits each document's
 * look-up keys ({@link Registry}); an equi-join with the registry's keys (Spark broadcasts the smaller
 * side or shuffles both) gives each document its candidate records. A second pass cleans each unit in
 * one task with the standard {@link Detector}, whose ledger look-ups are answered from those
 * candidates by exact Jaccard/Hamming checks, so every decision equals the single-machine one (a
 * document the first pass could not read but the second could, e.g. an extraction that timed out
 * once, goes to errors/ rather than being kept unchecked against the registry). Each
 * unit is committed shard by shard (write temporary, rename, then a marker), so a job that dies and is
 * run again with {@code resume} redoes only uncommitted shards and gives exactly the same files.
 * Speculative execution must be off: two attempts of one unit would write the same files.
 *
 * <p>Keys are read once on the driver and broadcast; they never appear in the plan, logs or errors.
 */
public final class SparkCleaner {
  private static final StructType DOC_KEYS = new StructType()
      .add("unit", DataTypes.IntegerType, false)
      .add("location", DataTypes.StringType, false)
      .add("key", DataTypes.LongType, false);

  private SparkCleaner() {}

  /**
   * Cleans {@code job} on {@code spark}. Inputs may be local paths, {@code file:} URIs or URIs of any
   * Hadoop file system the session's Hadoop configuration can open. The output folder must be on a
   * file system every executor sees at the same path (local on one machine; NFS or a FUSE mount on a
   * cluster).
   *
   * @param registry the ledger's exported fingerprints, or null for watermark detection only
   * @throws HallmarkException for a bad job (output not empty without resume, changed inputs on resume)
   * @throws IOException when an input is missing or the output cannot be written
   */
  public static CleanReport run(SparkSession spark, CleanJob job, DetectionPolicy policy, List<WatermarkKey> keys,
      Registry registry) throws IOException, HallmarkException {
    Objects.requireNonNull(policy, "policy");
    if (Boolean.parseBoolean(spark.conf().get("spark.speculation", "false"))) {
      throw new HallmarkException("spark.speculation is on: two attempts of one input unit would write the same files; turn it off for this job");
    }
    long t0 = System.nanoTime();
    JobSpec spec = new JobSpec(job);
    CheckpointRef cp = registry == null ? null : registry.checkpointRef();
    Detector driverDetector = Detector.create(policy, keys, cp == null ? null : new CandidateLedger(registry.checkpoint()));
    HadoopInputs.SerializableConf conf = new HadoopInputs.SerializableConf(spark.sparkContext().hadoopConfiguration());
    CleanSteps steps = plan(spec, driverDetector, conf);
    int units = steps.units();
    try (Closeable lock = steps.prepareOutput()) {
      if (units > 0) {
        Broadcast<SecretKeys> secrets = spark.sparkContext().broadcast(new SecretKeys(keys),
            scala.reflect.ClassTag$.MODULE$.apply(SecretKeys.class));
        Broadcast<HadoopInputs.SerializableConf> hadoopConf = spark.sparkContext().broadcast(conf,
            scala.reflect.ClassTag$.MODULE$.apply(HadoopInputs.SerializableConf.class));
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < units; i++) {
          ids.add(i);
        }
        Dataset<Integer> unitDs = spark.createDataset(ids, Encoders.INT()).repartition(Math.min(units, 10_000));
        Dataset<Row> cands;
        Dataset<Row> docKeys = null;
        if (registry == null) {
          cands = spark.createDataFrame(new ArrayList<Row>(), candidateSchema());
        } else {
          int radius = policy.imageHammingThreshold();
          FlatMapFunction<Integer, Row> scan = u -> documentKeys(spec, policy, radius, hadoopConf.value(), u);
          // Persisted: read once for the join and once for the list of documents pass 1 saw.
          docKeys = unitDs.flatMap(scan, Encoders.row(DOC_KEYS)).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
          // Every document pass 1 computed keys for, as a row with index -1: pass 2 refuses to decide a
          // document that pass 1 did not see (its extraction failed or timed out there only), since
          // its registry candidates would be missing and it would be kept unchecked.
          Dataset<Row> seen = docKeys.select(col("unit"), col("location")).distinct()
              .select(col("unit"), col("location"), lit(-1L).as("index"), lit("").as("sha256"),
                  lit(null).cast(DataTypes.createArrayType(DataTypes.IntegerType)).as("minhash"),
                  lit(null).cast(DataTypes.StringType).as("image_hash"));
          cands = docKeys.join(registry.keys(), "key")
              .select(col("unit"), col("location"), col("index"))
              .distinct()
              .join(registry.table().select(col("index"), col("sha256"), col("minhash"), col("image_hash")), "index")
              .select(col("unit"), col("location"), col("index"), col("sha256"), col("minhash"), col("image_hash"))
              .union(seen);
        }
        CoGroupFunction<Integer, Integer, Row, Integer> clean = (u, self, rows) -> {
          cleanUnit(spec, policy, secrets.value(), hadoopConf.value(), cp, u, rows);
          return List.of(u).iterator();
        };
        MapFunction<Integer, Integer> id = x -> x;
        MapFunction<Row, Integer> unitOf = r -> r.getInt(0);
        List<Integer> done = unitDs.groupByKey(id, Encoders.INT())
            .cogroup(cands.groupByKey(unitOf, Encoders.INT()), clean, Encoders.INT())
            .collectAsList();
        if (done.size() != units) {
          throw new IllegalStateException("expected " + units + " cleaned units, got " + done.size());
        }
        secrets.destroy();
        hadoopConf.destroy();
        if (docKeys != null) {
          docKeys.unpersist();
        }
      }
      return steps.finish(spark.sparkContext().defaultParallelism(), (System.nanoTime() - t0) / 1e9);
    }
  }

  static StructType candidateSchema() {
    return new StructType()
        .add("unit", DataTypes.IntegerType, false)
        .add("location", DataTypes.StringType, false)
        .add("index", DataTypes.LongType, false)
        .add("sha256", DataTypes.StringType, false)
        .add("minhash", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
        .add("image_hash", DataTypes.StringType, true);
  }

  /** The job's plan: inputs local or on any Hadoop file system, Parquet read as JSON lines. */
  private static CleanSteps plan(JobSpec spec, Detector detector, HadoopInputs.SerializableConf conf) throws IOException {
    return CleanSteps.plan(spec.toJob(), detector, ParquetLines::isParquet, ParquetLines::open, ParquetLines::isBookkeeping,
        HadoopInputs.resolver(conf.get()));
  }

  private static Iterator<Row> documentKeys(JobSpec spec, DetectionPolicy policy, int radius, HadoopInputs.SerializableConf conf,
      int unit) throws IOException {
    CleanSteps steps = plan(spec, Detector.create(policy, List.of(), null), conf);
    List<Row> out = new ArrayList<>();
    steps.scan(unit, doc -> {
      for (long k : RegistryKeys.documentKeys(doc, radius)) {
        out.add(RowFactory.create(unit, doc.location(), k));
      }
    });
    return out.iterator();
  }

  private static void cleanUnit(JobSpec spec, DetectionPolicy policy, SecretKeys secrets, HadoopInputs.SerializableConf conf,
      CheckpointRef cp, int unit,
      Iterator<Row> candidates) throws IOException, HallmarkException {
    Map<String, List<Candidate>> byLocation = new HashMap<>();
    while (candidates.hasNext()) {
      Row r = candidates.next();
      List<Candidate> l = byLocation.computeIfAbsent(r.getString(1), k -> new ArrayList<>());
      if (r.getLong(2) >= 0) {
        l.add(candidate(r, 2));
      }
    }
    List<WatermarkKey> keys = secrets.open();
    try {
      CandidateLedger ledger = cp == null ? null : new CandidateLedger(cp.open());
      Detector d = new SwitchingDetector(Detector.create(policy, keys, ledger), ledger, byLocation);
      CleanSteps steps = plan(spec, d, conf);
      steps.runUnit(unit);
    } finally {
      keys.forEach(WatermarkKey::destroy);
    }
  }

  /** A candidate from columns index, sha256, minhash, image_hash starting at {@code from}. */
  static Candidate candidate(Row r, int from) {
    int[] mh = null;
    if (!r.isNullAt(from + 2)) {
      List<Integer> l = r.getList(from + 2);
      mh = new int[l.size()];
      for (int i = 0; i < mh.length; i++) {
        mh[i] = l.get(i);
      }
    }
    return new Candidate(r.getLong(from), r.getString(from + 1), mh, r.isNullAt(from + 3) ? null : r.getString(from + 3));
  }
}
