package dev.hallmark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.struct;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.KeyringException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.DocumentException;
import dev.hallmark.detector.EmbeddedImage;
import dev.hallmark.detector.Evidence;
import dev.hallmark.spark.internal.Candidate;
import dev.hallmark.spark.internal.CandidateLedger;
import dev.hallmark.spark.internal.RegistryKeys;
import dev.hallmark.spark.internal.SecretKeys;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Hallmark decision as DataFrame columns, for teams with a pipeline of their own. Given a
 * DataFrame with a text column (and optionally a binary image column), {@link #decide} adds
 * <ul>
 *   <li>{@code hallmark_decision}: {@code kept}, {@code removed} or {@code error};</li>
 *   <li>{@code hallmark_reasons}: an array of structs {@code (reason, target, scheme, key_id, p_value,
 *       ledger_index, similarity, distance)}, empty unless removed;</li>
 *   <li>{@code hallmark_error}: why a row could not be examined (null otherwise).</li>
 * </ul>
 * Every decision comes from {@link Detector#create} (the detector {@code hallmark clean} runs); ledger
 * matching is the registry join of {@link Registry}. Keys are read on the driver and broadcast once.
 *
 * <p>From PySpark, with the hallmark-spark jar on the classpath ({@code --jars}):
 * <pre>
 * from pyspark.sql import DataFrame
 * hm = spark._jvm.dev.hallmark.spark.HallmarkFrames.fromOptions(spark._jsparkSession,
 *     {"home": "/path/to/.hallmark", "registry": "s3a://bucket/registry", "logKey": "origin+hash+key"})
 * out = DataFrame(hm.decide(df._jdf), spark)
 * </pre>
 * From Scala: {@code HallmarkFrames.fromOptions(spark, java.util.Map.of("home", "/path/to/.hallmark")).removed(df)}.
 * The option names are those of {@link #fromOptions}; any other name is refused.
 */
public final class HallmarkFrames implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String DECISION = "hallmark_decision";
  public static final String REASONS = "hallmark_reasons";
  public static final String ERROR = "hallmark_error";
  private static final String ROW = "_hallmark_row";
  private static final String CANDS = "_hallmark_candidates";

  /** The struct of one {@code hallmark_reasons} element. */
  public static final StructType REASON = new StructType()
      .add("reason", DataTypes.StringType, false)
      .add("target", DataTypes.StringType, false)
      .add("scheme", DataTypes.StringType, true)
      .add("key_id", DataTypes.StringType, true)
      .add("p_value", DataTypes.DoubleType, true)
      .add("ledger_index", DataTypes.LongType, true)
      .add("similarity", DataTypes.DoubleType, true)
      .add("distance", DataTypes.IntegerType, true);

  private final transient SparkSession spark;
  private final transient Registry registry;
  private final Broadcast<SecretKeys> keys;
  private final DetectionPolicy policy;
  private final dev.hallmark.spark.internal.CheckpointRef checkpoint;
  private final String textColumn;
  private final String imageColumn;
  private final String idColumn;

  private HallmarkFrames(Builder b) {
    this.spark = b.spark;
    this.registry = b.registry;
    this.policy = b.policy;
    this.checkpoint = b.registry == null ? null : b.registry.checkpointRef();
    this.textColumn = b.textColumn;
    this.imageColumn = b.imageColumn;
    this.idColumn = b.idColumn;
    this.keys = spark.sparkContext().broadcast(new SecretKeys(b.keys), scala.reflect.ClassTag$.MODULE$.apply(SecretKeys.class));
  }

  public static Builder builder(SparkSession spark) {
    return new Builder(spark);
  }

  /** The option names {@link #fromOptions} accepts. */
  public static final List<String> OPTIONS = List.of("home", "keys", "registry", "logKey", "textColumn", "imageColumn",
      "idColumn", "alpha", "jaccard", "hamming");

  /**
   * For PySpark and Scala callers: {@code home} (the Hallmark home folder, which holds the keyring's
   * {@code keys/}; default {@code $HALLMARK_HOME}, else {@code ~/.hallmark}, as the command lines),
   * {@code keys} (comma-separated key names, default all), {@code registry} (an exported table) with
   * {@code logKey} (the log's verifier key), {@code textColumn} (default {@code text}),
   * {@code imageColumn}, {@code idColumn}, {@code alpha}, {@code jaccard}, {@code hamming}.
   *
   * @throws IllegalArgumentException for an option name not in {@link #OPTIONS} (listing them), a
   *     value out of range, or nothing to detect (saying which keyring folder held no keys)
   */
  public static HallmarkFrames fromOptions(SparkSession spark, Map<String, String> options)
      throws IOException, HallmarkException {
    for (String name : options.keySet()) {
      if (!OPTIONS.contains(name)) {
        String hint = name.equalsIgnoreCase("keyring") || name.equalsIgnoreCase("keyringDir")
            ? "; the keyring is found through 'home', the Hallmark home folder that holds keys/"
            : dev.hallmark.core.ErrorText.suggestion(name, OPTIONS);
        throw new IllegalArgumentException("unknown HallmarkFrames option '" + name + "'" + hint + " (accepted: "
            + String.join(", ", OPTIONS) + ")");
      }
    }
    Builder b = builder(spark);
    Path home = home(options.get("home"));
    Keyring ring = Keyring.open(home);
    List<WatermarkKey> ks;
    try {
      ks = ring.watermarkKeys(options.get("keys") == null ? List.of() : List.of(options.get("keys")));
    } catch (KeyringException e) {
      throw new HallmarkException(e.getMessage());
    }
    try {
      b.keys(ks);
      DetectionPolicy.Builder pb = DetectionPolicy.builder();
      try {
        if (options.containsKey("alpha")) {
          pb.alpha(number(options, "alpha"));
        }
        if (options.containsKey("jaccard")) {
          pb.textJaccardThreshold(number(options, "jaccard"));
        }
        if (options.containsKey("hamming")) {
          double h = number(options, "hamming");
          if (h != Math.rint(h)) {
            throw new IllegalArgumentException("option 'hamming' must be a whole number, not '" + options.get("hamming") + "'");
          }
          pb.imageHammingThreshold((int) h);
        }
        b.policy(pb.build());
      } catch (IllegalArgumentException e) {
        // "imageHammingThreshold must be ..." as the option that sets it: "option 'hamming' must be ...".
        throw new IllegalArgumentException(dev.hallmark.clean.CleanOptions.optionNames(e.getMessage())
            .replaceFirst("^--(\\w+) ", "option '$1' "), e);
      }
      if (options.containsKey("registry")) {
        String lk = options.get("logKey");
        if (lk == null) {
          throw new HallmarkException("option 'registry' needs 'logKey', the log's verifier key");
        }
        b.registry(Registry.open(spark, options.get("registry"), NoteVerifierKey.parse(lk)));
      } else if (options.containsKey("logKey")) {
        throw new IllegalArgumentException("option 'logKey' applies to 'registry', which is not given");
      }
      if (ks.isEmpty() && b.registry == null) {
        throw new IllegalArgumentException("nothing to detect: no watermark keys in " + ring.directory()
            + (options.containsKey("home") ? "" : " (the default home; set option 'home' to the Hallmark home folder)")
            + " and no 'registry'");
      }
      b.textColumn(options.getOrDefault("textColumn", "text"));
      b.imageColumn(options.get("imageColumn"));
      b.idColumn(options.get("idColumn"));
      return b.build();
    } finally {
      ks.forEach(WatermarkKey::destroy);
    }
  }

  /** {@code home}, else {@code $HALLMARK_HOME}, else {@code ~/.hallmark}: the command lines' rule. */
  private static Path home(String home) {
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    String env = System.getenv("HALLMARK_HOME");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".hallmark");
  }

  private static double number(Map<String, String> options, String name) {
    try {
      return Double.parseDouble(options.get(name).strip());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException("option '" + name + "' must be a number, not '" + options.get(name) + "'");
    }
  }

  /** {@code df} with the three {@code hallmark_*} columns added. */
  public Dataset<Row> decide(Dataset<Row> df) {
    StructType in = df.schema();
    int textIdx = in.fieldIndex(textColumn);
    int imageIdx = imageColumn == null ? -1 : in.fieldIndex(imageColumn);
    int idIdx = idColumn == null ? -1 : in.fieldIndex(idColumn);
    if (registry == null) {
      StructType outSchema = withOutputs(in);
      int n = in.size();
      MapPartitionsFunction<Row, Row> f = rows -> decidePartition(rows, n, textIdx, imageIdx, idIdx, -1);
      return df.mapPartitions(f, Encoders.row(outSchema));
    }
    Dataset<Row> numbered = df.withColumn(ROW, monotonically_increasing_id()).persist();
    int radius = policy.imageHammingThreshold();
    StructType keySchema = new StructType().add(ROW, DataTypes.LongType, false).add("key", DataTypes.LongType, false);
    int rowIdx = numbered.schema().fieldIndex(ROW);
    FlatMapFunction<Row, Row> keysOf = r -> {
      List<Row> out = new ArrayList<>();
      Document d = document(r, textIdx, imageIdx, idIdx, r.getLong(rowIdx));
      if (d != null) {
        for (long k : RegistryKeys.documentKeys(d, radius)) {
          out.add(RowFactory.create(r.getLong(rowIdx), k));
        }
      }
      return out.iterator();
    };
    Dataset<Row> cands = numbered.flatMap(keysOf, Encoders.row(keySchema))
        .join(registry.keys(), "key")
        .select(col(ROW), col("index"))
        .distinct()
        .join(registry.table().select(col("index"), col("sha256"), col("minhash"), col("image_hash")), "index")
        .groupBy(col(ROW))
        .agg(collect_list(struct(col("index"), col("sha256"), col("minhash"), col("image_hash"))).as(CANDS));
    Dataset<Row> joined = numbered.join(cands, numbered.col(ROW).equalTo(cands.col(ROW)), "left")
        .drop(cands.col(ROW));
    StructType js = joined.schema();
    int candIdx = js.fieldIndex(CANDS);
    int jRow = js.fieldIndex(ROW);
    int jText = js.fieldIndex(textColumn);
    int jImage = imageColumn == null ? -1 : js.fieldIndex(imageColumn);
    int jId = idColumn == null ? -1 : js.fieldIndex(idColumn);
    StructType outSchema = withOutputs(js);
    int n = js.size();
    MapPartitionsFunction<Row, Row> f = rows -> decidePartition(rows, n, jText, jImage, jId, candIdx, jRow);
    return joined.mapPartitions(f, Encoders.row(outSchema)).drop(ROW, CANDS);
  }

  /** Only the rows the detector keeps (errors are neither kept nor removed), without the added columns. */
  public Dataset<Row> kept(Dataset<Row> df) {
    return decide(df).filter(col(DECISION).equalTo(lit("kept"))).drop(DECISION, REASONS, ERROR);
  }

  /** Only the rows the detector removes, with their reasons. */
  public Dataset<Row> removed(Dataset<Row> df) {
    return decide(df).filter(col(DECISION).equalTo(lit("removed")));
  }

  private static StructType withOutputs(StructType in) {
    List<StructField> fs = new ArrayList<>(List.of(in.fields()));
    fs.add(DataTypes.createStructField(DECISION, DataTypes.StringType, false));
    fs.add(DataTypes.createStructField(REASONS, DataTypes.createArrayType(REASON, false), false));
    fs.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
    return DataTypes.createStructType(fs);
  }

  private Iterator<Row> decidePartition(Iterator<Row> rows, int n, int textIdx, int imageIdx, int idIdx, int candIdx)
      throws HallmarkException {
    return decidePartition(rows, n, textIdx, imageIdx, idIdx, candIdx, -1);
  }

  private Iterator<Row> decidePartition(Iterator<Row> rows, int n, int textIdx, int imageIdx, int idIdx, int candIdx,
      int rowIdx) {
    List<WatermarkKey> ks = keys.value().open();
    CandidateLedger ledger = checkpoint == null ? null : new CandidateLedger(checkpoint.open());
    Detector d = Detector.create(policy, ks, ledger);
    return new Iterator<Row>() {
      @Override
      public boolean hasNext() {
        boolean h = rows.hasNext();
        if (!h) {
          ks.forEach(WatermarkKey::destroy);
        }
        return h;
      }

      @Override
      public Row next() {
        Row r = rows.next();
        Object[] v = new Object[n + 3];
        for (int i = 0; i < n; i++) {
          v[i] = r.get(i);
        }
        long rowNo = rowIdx >= 0 ? r.getLong(rowIdx) : -1;
        Document doc = document(r, textIdx, imageIdx, idIdx, rowNo);
        if (doc == null) {
          v[n] = "error";
          v[n + 1] = new Row[0];
          v[n + 2] = "no text: column '" + textColumn + "' is null";
          return RowFactory.create(v);
        }
        if (ledger != null) {
          List<Candidate> cs = new ArrayList<>();
          if (candIdx >= 0 && !r.isNullAt(candIdx)) {
            for (Row c : r.<Row>getList(candIdx)) {
              cs.add(SparkCleaner.candidate(c, 0));
            }
          }
          ledger.setCandidates(cs);
        }
        try {
          DocumentDecision dd = d.decide(doc);
          v[n] = dd.remove() ? "removed" : "kept";
          List<Row> reasons = new ArrayList<>();
          for (Evidence e : dd.evidence()) {
            reasons.add(RowFactory.create(e.reason().name(), e.target(), e.scheme(), e.keyId(), e.pValue(), e.ledgerIndex(),
                e.similarity(), e.distance()));
          }
          v[n + 1] = reasons.toArray(new Row[0]);
          v[n + 2] = null;
        } catch (DocumentException | RuntimeException e) {
          v[n] = "error";
          v[n + 1] = new Row[0];
          v[n + 2] = e instanceof DocumentException ? e.getMessage() : "unexpected failure: " + e.getClass().getName();
        }
        return RowFactory.create(v);
      }
    };
  }

  private Document document(Row r, int textIdx, int imageIdx, int idIdx, long rowNo) {
    if (r.isNullAt(textIdx)) {
      return null;
    }
    String text = r.getString(textIdx);
    List<EmbeddedImage> images = new ArrayList<>();
    if (imageIdx >= 0 && !r.isNullAt(imageIdx)) {
      byte[] b = (byte[]) r.get(imageIdx);
      images.add(new EmbeddedImage(imageColumn, mediaType(b), b));
    }
    String id = idIdx >= 0 && !r.isNullAt(idIdx) ? String.valueOf(r.get(idIdx)) : "row " + rowNo;
    return new Document(id, "dataframe", "row " + rowNo, text, images);
  }

  /** The raster type by magic bytes (the detector scans raster images only). */
  static String mediaType(byte[] b) {
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "image/png";
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (b.length >= 4 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
      return "image/gif";
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return "image/webp";
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return "image/bmp";
    }
    if (b.length >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
      return "image/tiff";
    }
    return "application/octet-stream";
  }

  @Override
  public String toString() {
    return "HallmarkFrames{keys=" + keys.value() + ", policy=" + policy + ", registry=" + (checkpoint == null ? "none" : checkpoint.size() + " records") + "}";
  }

  /** Settings for {@link HallmarkFrames}. */
  public static final class Builder {
    private final SparkSession spark;
    private List<WatermarkKey> keys = List.of();
    private DetectionPolicy policy = DetectionPolicy.DEFAULT;
    private Registry registry;
    private String textColumn = "text";
    private String imageColumn;
    private String idColumn;

    private Builder(SparkSession spark) {
      this.spark = Objects.requireNonNull(spark, "spark");
    }

    /** Watermark keys (copied into the broadcast; the caller may destroy them afterwards). */
    public Builder keys(List<WatermarkKey> k) {
      this.keys = List.copyOf(k);
      return this;
    }

    public Builder policy(DetectionPolicy p) {
      this.policy = Objects.requireNonNull(p);
      return this;
    }

    /** The ledger's exported fingerprints, or null for watermark detection only. */
    public Builder registry(Registry r) {
      this.registry = r;
      return this;
    }

    public Builder textColumn(String c) {
      this.textColumn = Objects.requireNonNull(c);
      return this;
    }

    /** A binary column holding one encoded image per row (PNG, JPEG, ...), or null. */
    public Builder imageColumn(String c) {
      this.imageColumn = c;
      return this;
    }

    /** A column used as the document id in reasons and errors, or null. */
    public Builder idColumn(String c) {
      this.idColumn = c;
      return this;
    }

    public HallmarkFrames build() {
      if (keys.isEmpty() && registry == null) {
        throw new IllegalArgumentException("nothing to detect: no watermark keys and no registry");
      }
      return new HallmarkFrames(this);
    }
  }
}
