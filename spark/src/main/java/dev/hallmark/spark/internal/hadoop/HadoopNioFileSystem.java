package dev.hallmark.spark.internal.hadoop;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * One Hadoop file system ({@code scheme://authority}) as a read-only {@code java.nio.file}
 * file system, so that the clean pipeline (which reads inputs through {@code java.nio.file}) lists and
 * reads JSONL, WARC, Parquet and other files on HDFS, S3 (s3a) or any connector on the classpath.
 */
final class HadoopNioFileSystem extends FileSystem {
  private final HadoopNioProvider provider;
  private final org.apache.hadoop.fs.FileSystem hadoop;
  private final Configuration conf;
  private final String scheme;
  private final String authority;
  private final HadoopPath workingDirectory;

  HadoopNioFileSystem(HadoopNioProvider provider, org.apache.hadoop.fs.FileSystem hadoop, Configuration conf) {
    this.provider = provider;
    this.hadoop = hadoop;
    this.conf = conf;
    this.scheme = hadoop.getUri().getScheme();
    this.authority = hadoop.getUri().getAuthority();
    this.workingDirectory = HadoopPath.parse(this, hadoop.getWorkingDirectory().toUri().getPath());
  }

  org.apache.hadoop.fs.FileSystem hadoop() {
    return hadoop;
  }

  Configuration conf() {
    return conf;
  }

  String scheme() {
    return scheme;
  }

  String authority() {
    return authority;
  }

  /** {@code scheme://authority} (authority may be empty: {@code hmtest://}). */
  String base() {
    return scheme + "://" + (authority == null ? "" : authority);
  }

  HadoopPath workingDirectory() {
    return workingDirectory;
  }

  @Override
  public FileSystemProvider provider() {
    return provider;
  }

  /** The Hadoop file system is shared (Hadoop caches it per scheme and authority); it stays open. */
  @Override
  public void close() {}

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return true;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(HadoopPath.parse(this, "/"));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return List.of();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    StringBuilder b = new StringBuilder(first);
    for (String m : more) {
      b.append('/').append(m);
    }
    return HadoopPath.parse(this, b.toString());
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    throw new UnsupportedOperationException("path matchers on a Hadoop file system");
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("user principals on a Hadoop file system");
  }

  @Override
  public WatchService newWatchService() throws IOException {
    throw new UnsupportedOperationException("watching a Hadoop file system");
  }
}
