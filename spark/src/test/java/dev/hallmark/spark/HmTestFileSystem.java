package dev.hallmark.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system under its own scheme, {@code hmtest:///local/path}: the local disk seen
 * through Hadoop's FileSystem API exactly as a connector (hdfs, s3a) would be, registered the way
 * users register theirs ({@code spark.hadoop.fs.hmtest.impl}). Lets tests prove that the job reads
 * non-{@code file} paths through Hadoop and not through {@code java.io}.
 */
public class HmTestFileSystem extends RawLocalFileSystem {
  @Override
  public URI getUri() {
    return URI.create("hmtest:///");
  }

  @Override
  public String getScheme() {
    return "hmtest";
  }
}
