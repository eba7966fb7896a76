package dev.hallmark.spark.internal.hadoop;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;

/**
 * Input paths of the Spark job: a plain path or {@code file:} URI is a local path; any other URI
 * ({@code hdfs://}, {@code s3a://}, {@code gs://}, {@code abfss://}...) is read through Hadoop's
 * {@code FileSystem} API with the job's Hadoop configuration (Spark's, including every
 * {@code spark.hadoop.*} setting), so it works with whatever connector the user puts on the classpath.
 */
public final class HadoopInputs {
  /** A URI scheme of two or more characters (one letter is a Windows drive, {@code C:\...}). */
  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

  private HadoopInputs() {}

  /** True if {@code s} names a file on a Hadoop file system other than the local one. */
  public static boolean isHadoopUri(String s) {
    return URI_SCHEME.matcher(s).matches() && !s.regionMatches(true, 0, "file:", 0, 5);
  }

  /**
   * A resolver from input strings to paths: local paths for plain paths and {@code file:} URIs,
   * read-only Hadoop-backed paths otherwise. Paths of one resolver share their file systems.
   *
   * @throws UncheckedIOException (from the function) naming the path when no Hadoop file system
   *     serves its scheme, or it cannot be reached
   */
  public static Function<String, Path> resolver(Configuration conf) {
    Map<String, HadoopNioFileSystem> systems = new HashMap<>();
    return s -> {
      if (!isHadoopUri(s)) {
        return localPath(s);
      }
      URI u;
      try {
        u = new org.apache.hadoop.fs.Path(s).toUri();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(s + ": not a valid path URI (" + e.getMessage() + ")");
      }
      String key = u.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + (u.getAuthority() == null ? "" : u.getAuthority());
      HadoopNioFileSystem fs = systems.get(key);
      if (fs == null) {
        fs = new HadoopNioFileSystem(HadoopNioProvider.INSTANCE, hadoopFileSystem(s, u, conf), conf);
        systems.put(key, fs);
      }
      return HadoopPath.parse(fs, u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath());
    };
  }

  /**
   * A plain path, or the local path of a {@code file:} URI with an absolute path ({@code file:/data/x},
   * {@code file:///data/x}).
   *
   * @throws IllegalArgumentException naming {@code s} when it is a {@code file:} URI that names no
   *     absolute path ({@code file:data/x}, which Java calls "not hierarchical")
   */
  public static Path localPath(String s) {
    if (!s.regionMatches(true, 0, "file:", 0, 5)) {
      return Path.of(s);
    }
    try {
      return Path.of(URI.create(s));
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IllegalArgumentException(s + ": not a file: URI of an absolute path (" + e.getMessage()
          + "); write file:/absolute/path, or give a relative path without file:");
    }
  }

  /**
   * Hadoop's file system for {@code u}. Hadoop reports a missing connector as an IOException ("No
   * FileSystem for scheme") for a scheme it does not know, but as a RuntimeException wrapping a
   * ClassNotFoundException for the schemes its core-default.xml maps to a class (s3a, gs, abfss...),
   * and an unknown host (hdfs://nn:8020/) as an IllegalArgumentException: each is one line naming the path.
   */
  private static org.apache.hadoop.fs.FileSystem hadoopFileSystem(String s, URI u, Configuration conf) {
    try {
      return org.apache.hadoop.fs.FileSystem.get(u, conf);
    } catch (IOException | RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String m = String.valueOf(e.getMessage());
      if (e instanceof org.apache.hadoop.fs.UnsupportedFileSystemException || m.contains("No FileSystem for scheme")
          || root instanceof ClassNotFoundException || root instanceof NoClassDefFoundError) {
        String missing = root instanceof ClassNotFoundException || root instanceof NoClassDefFoundError
            ? " (" + oneLine(root.getMessage()) + ")" : "";
        throw new UncheckedIOException(new IOException(s + ": no Hadoop FileSystem for scheme '" + u.getScheme()
            + "' on the classpath" + missing + "; add its connector (" + connector(u.getScheme()) + ") "
            + "with spark-submit --jars/--packages, or set spark.hadoop.fs." + u.getScheme() + ".impl", e));
      }
      if (root instanceof java.net.UnknownHostException) {
        throw new UncheckedIOException(new IOException(s + ": unknown host '" + oneLine(root.getMessage())
            + "' (check the name node or bucket address in the path, or fs.defaultFS)", e));
      }
      throw new UncheckedIOException(new IOException(s + ": cannot open its file system: "
          + oneLine(root == e || root.getMessage() == null ? m : root.getClass().getSimpleName() + ": " + root.getMessage()), e));
    }
  }

  private static String connector(String scheme) {
    return switch (scheme.toLowerCase(java.util.Locale.ROOT)) {
      case "hdfs", "webhdfs" -> "hadoop-client";
      case "s3a" -> "org.apache.hadoop:hadoop-aws of your Hadoop version, and the AWS SDK it names";
      case "gs" -> "the Google Cloud Storage connector, gcs-connector";
      case "abfs", "abfss", "wasb", "wasbs" -> "org.apache.hadoop:hadoop-azure of your Hadoop version";
      default -> "hdfs: hadoop-client; s3a: hadoop-aws and the AWS SDK; gs: the GCS connector; abfss: hadoop-azure";
    };
  }

  private static String oneLine(String m) {
    return String.valueOf(m).split("\n", 2)[0];
  }

  /** The Hadoop configuration a path of {@link #resolver} was opened with, or null for a local path. */
  public static Configuration confOf(Path p) {
    return p instanceof HadoopPath h ? ((HadoopNioFileSystem) h.getFileSystem()).conf() : null;
  }

  /** The Hadoop path (URI) of a path of {@link #resolver}, local or not. */
  public static org.apache.hadoop.fs.Path hadoopPath(Path p) {
    return p instanceof HadoopPath h ? h.hadoop() : new org.apache.hadoop.fs.Path(p.toAbsolutePath().toUri());
  }

  /** A Hadoop configuration that travels to executors (Spark broadcasts the driver's the same way). */
  public static final class SerializableConf implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] bytes;
    private transient Configuration conf;

    public SerializableConf(Configuration conf) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (DataOutputStream o = new DataOutputStream(b)) {
        conf.write(o);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.bytes = b.toByteArray();
      this.conf = conf;
    }

    public synchronized Configuration get() {
      if (conf == null) {
        Configuration c = new Configuration(false);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
          c.readFields(in);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        conf = c;
      }
      return conf;
    }

    /** Never the settings: they may hold the user's storage credentials. */
    @Override
    public String toString() {
      return "SerializableConf[" + bytes.length + " bytes]";
    }
  }
}
