package dev.hallmark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import dev.hallmark.spark.internal.RegistryKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A ledger's fingerprints as a table, for registry matching as a join: one row per record with its
 * index, kind, content SHA-256, text MinHash (128 values) or 256-bit image hash, and its join keys
 * (64-bit hashes of the content hash, of each of the 32 MinHash LSH bands of 4 rows, and of each of the
 * 16 chunks of 16 bits of the image hash; documents are exploded to the same keys, image chunks with
 * their one-bit neighbours when the Hamming bound is 16 or more). Written as Parquet with a sidecar
 * {@code _hallmark_registry.json} holding the signed checkpoint the rows were read at; opening the
 * table verifies that checkpoint against the log's key, so a job reports the same ledger origin, size
 * and root hash as {@code hallmark clean --ledger}.
 */
public final class Registry {
  /** Version of the table layout and sidecar. */
  public static final int FORMAT_VERSION = 1;
  static final String SIDECAR = "_hallmark_registry.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Columns of the registry table. */
  public static final StructType SCHEMA = new StructType()
      .add("index", DataTypes.LongType, false)
      .add("kind", DataTypes.StringType, false)
      .add("sha256", DataTypes.StringType, false)
      .add("minhash", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
      .add("image_hash", DataTypes.StringType, true)
      .add("keys", DataTypes.createArrayType(DataTypes.LongType, false), false);

  private final Dataset<Row> table;
  private final SignedCheckpoint checkpoint;
  private final NoteVerifierKey logKey;

  private Registry(Dataset<Row> table, SignedCheckpoint checkpoint, NoteVerifierKey logKey) {
    this.table = table;
    this.checkpoint = checkpoint;
    this.logKey = logKey;
  }

  /** The checkpoint in a form executors can receive (they verify it again with the log's public key). */
  dev.hallmark.spark.internal.CheckpointRef checkpointRef() {
    return new dev.hallmark.spark.internal.CheckpointRef(checkpoint, logKey);
  }

  /** The table (columns {@link #SCHEMA}). */
  public Dataset<Row> table() {
    return table;
  }

  /** The signed checkpoint the table was exported at (verified when opened). */
  public SignedCheckpoint checkpoint() {
    return checkpoint;
  }

  /**
   * The one-line refusal of an export {@code target} that {@code exists} (Spark's own error names a
   * save mode the tool does not offer); does nothing when it does not.
   */
  static void refuseExisting(String target, boolean exists) throws HallmarkException {
    if (exists) {
      throw new HallmarkException(target + ": already exists; a registry table is written once, into a path that does not exist:"
          + " remove it (an older export) or give another --output");
    }
  }

  /** {@code (key, index)} pairs: the registry side of the equi-join. */
  public Dataset<Row> keys() {
    return table.select(explode(col("keys")).as("key"), col("index"));
  }

  /**
   * Exports the ledger in folder {@code ledgerDir} (at its latest signed checkpoint, verified with
   * {@code logKey}) to a Parquet table at {@code target} (any Hadoop path). Records are read by the
   * executors in {@code partitions} ranges of indices, so the folder must be readable where they run
   * (a shared file system; on one machine, any folder). {@code target} must not exist: a table is
   * written once, for one checkpoint, and never overwritten.
   *
   * @return the number of records exported
   * @throws HallmarkException when {@code target} exists (checked before anything is read or written)
   */
  public static long export(SparkSession spark, Path ledgerDir, NoteVerifierKey logKey, String target, int partitions)
      throws IOException, HallmarkException {
    org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(target);
    refuseExisting(target, t.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(t));
    SignedCheckpoint cp;
    try (LedgerSnapshot snap = Ledgers.openSnapshot(ledgerDir, logKey)) {
      cp = snap.checkpoint();
    }
    long size = cp.size();
    String dir = ledgerDir.toAbsolutePath().toString();
    String key = logKey.encode();
    Dataset<Long> range = spark.range(0, size, 1, Math.max(1, partitions));
    MapPartitionsFunction<Long, Row> read = it -> readRecords(dir, key, size, it);
    Dataset<Row> rows = range.mapPartitions(read, Encoders.row(SCHEMA));
    rows.write().parquet(target);
    Map<String, Object> side = new LinkedHashMap<>();
    side.put("format", "hallmark-registry");
    side.put("version", FORMAT_VERSION);
    side.put("records", size);
    side.put("checkpoint", cp.encode());
    org.apache.hadoop.fs.Path sp = new org.apache.hadoop.fs.Path(target, SIDECAR);
    FileSystem fs = sp.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream o = fs.create(sp, false)) {
      o.write(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(side));
    }
    return size;
  }

  private static Iterator<Row> readRecords(String dir, String logKey, long size, Iterator<Long> indices)
      throws IOException, HallmarkException {
    List<Row> out = new ArrayList<>();
    if (!indices.hasNext()) {
      return out.iterator();
    }
    try (LedgerSnapshot snap = Ledgers.openSnapshot(Path.of(dir), NoteVerifierKey.parse(logKey))) {
      if (snap.size() < size) {
        throw new HallmarkException(dir + ": the ledger has fewer records (" + snap.size() + ") than at export start (" + size + ")");
      }
      while (indices.hasNext()) {
        long i = indices.next();
        Record r;
        try {
          r = snap.get(i);
        } catch (LedgerException e) {
          throw new HallmarkException(dir + ": record " + i + " cannot be read: " + e.getMessage());
        }
        int[] mh = r.textMinHash().orElse(null);
        String ih = r.imageHash().map(h -> h.toLowerCase(java.util.Locale.ROOT)).orElse(null);
        long[] keys = RegistryKeys.recordKeys(r.contentSha256(), mh, ih);
        out.add(RowFactory.create(i, r.kind(), r.contentSha256(), mh == null ? null : boxed(mh), ih, boxed(keys)));
      }
    }
    return out.iterator();
  }

  private static Integer[] boxed(int[] a) {
    Integer[] b = new Integer[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  private static Long[] boxed(long[] a) {
    Long[] b = new Long[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  /**
   * Opens an exported table, verifying its checkpoint with {@code logKey}.
   *
   * @throws HallmarkException when the sidecar is missing, corrupt, of another version, or its
   *     checkpoint is not signed by {@code logKey}
   */
  public static Registry open(SparkSession spark, String path, NoteVerifierKey logKey) throws IOException, HallmarkException {
    org.apache.hadoop.fs.Path sp = new org.apache.hadoop.fs.Path(path, SIDECAR);
    FileSystem fs = sp.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(sp)) {
      throw new HallmarkException(path + ": not a Hallmark registry export (no " + SIDECAR + "); create one with hallmark-spark ledger-export");
    }
    Map<?, ?> side;
    try (InputStream in = fs.open(sp)) {
      side = MAPPER.readValue(in, Map.class);
    } catch (IOException e) {
      throw new HallmarkException(sp + ": corrupt registry sidecar; export the ledger again");
    }
    if (!"hallmark-registry".equals(side.get("format")) || !(side.get("version") instanceof Integer)) {
      throw new HallmarkException(sp + ": not a Hallmark registry sidecar; export the ledger again");
    }
    int v = (Integer) side.get("version");
    if (v < FORMAT_VERSION) {
      throw new HallmarkException(sp + ": registry export version " + v + " is too old; export the ledger again");
    }
    if (v > FORMAT_VERSION) {
      throw new HallmarkException(sp + ": registry export version " + v + " is too new for this Hallmark; upgrade");
    }
    SignedCheckpoint cp;
    try {
      cp = SignedCheckpoint.verify(String.valueOf(side.get("checkpoint")), logKey);
    } catch (VerificationException | RuntimeException e) {
      throw new HallmarkException(sp + ": the export's checkpoint is not signed by the given log key: " + e.getMessage());
    }
    Object n = side.get("records");
    if (!(n instanceof Number) || ((Number) n).longValue() != cp.size()) {
      throw new HallmarkException(sp + ": record count does not match its checkpoint; export the ledger again");
    }
    Dataset<Row> t = spark.read().schema(SCHEMA).parquet(path);
    return new Registry(t, cp, logKey);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
