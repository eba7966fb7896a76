package dev.hallmark.spark.internal.hadoop;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path on a Hadoop file system, seen through {@code java.nio.file}: '/'-separated names below the
 * file system's {@code scheme://authority}. Absolute paths print as the Hadoop URI
 * ({@code hdfs://nn:8020/corpus/part-0.jsonl.gz}); relative ones (from {@link #relativize}) as names.
 */
final class HadoopPath implements Path {
  private final HadoopNioFileSystem fs;
  private final boolean absolute;
  private final List<String> names;

  HadoopPath(HadoopNioFileSystem fs, boolean absolute, List<String> names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = List.copyOf(names);
  }

  static HadoopPath parse(HadoopNioFileSystem fs, String path) {
    boolean abs = path.startsWith("/");
    List<String> n = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        n.add(s);
      }
    }
    return new HadoopPath(fs, abs, n);
  }

  /** The path Hadoop's API takes (absolute first). */
  org.apache.hadoop.fs.Path hadoop() {
    return new org.apache.hadoop.fs.Path(toAbsolutePath().toUri());
  }

  String pathString() {
    return (absolute ? "/" : "") + String.join("/", names);
  }

  @Override
  public FileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? new HadoopPath(fs, true, List.of()) : null;
  }

  @Override
  public Path getFileName() {
    return names.isEmpty() ? null : new HadoopPath(fs, false, List.of(names.get(names.size() - 1)));
  }

  @Override
  public Path getParent() {
    if (names.isEmpty() || (!absolute && names.size() == 1)) {
      return null;
    }
    return new HadoopPath(fs, absolute, names.subList(0, names.size() - 1));
  }

  @Override
  public int getNameCount() {
    return names.size();
  }

  @Override
  public Path getName(int index) {
    return new HadoopPath(fs, false, List.of(names.get(index)));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    return new HadoopPath(fs, false, names.subList(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof HadoopPath o) || o.fs != fs || o.absolute != absolute || o.names.size() > names.size()) {
      return false;
    }
    return names.subList(0, o.names.size()).equals(o.names);
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof HadoopPath o) || o.fs != fs || o.names.size() > names.size() || (o.absolute && !absolute)) {
      return false;
    }
    if (o.absolute) {
      return o.names.equals(names);
    }
    return names.subList(names.size() - o.names.size(), names.size()).equals(o.names);
  }

  @Override
  public Path normalize() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (n.equals(".")) {
        continue;
      }
      if (n.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
        out.remove(out.size() - 1);
      } else if (!(n.equals("..") && absolute)) {
        out.add(n);
      }
    }
    return new HadoopPath(fs, absolute, out);
  }

  @Override
  public Path resolve(Path other) {
    HadoopPath o = check(other);
    if (o.absolute) {
      return o;
    }
    List<String> n = new ArrayList<>(names);
    n.addAll(o.names);
    return new HadoopPath(fs, absolute, n);
  }

  @Override
  public Path resolve(String other) {
    return resolve(parse(fs, other));
  }

  @Override
  public Path relativize(Path other) {
    HadoopPath o = check(other);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize " + o + " against " + this);
    }
    int common = 0;
    while (common < names.size() && common < o.names.size() && names.get(common).equals(o.names.get(common))) {
      common++;
    }
    List<String> n = new ArrayList<>();
    for (int i = common; i < names.size(); i++) {
      n.add("..");
    }
    n.addAll(o.names.subList(common, o.names.size()));
    return new HadoopPath(fs, false, n);
  }

  @Override
  public URI toUri() {
    HadoopPath a = (HadoopPath) toAbsolutePath();
    try {
      return new URI(fs.scheme(), fs.authority(), a.pathString(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Path toAbsolutePath() {
    return absolute ? this : fs.workingDirectory().resolve(this);
  }

  @Override
  public Path toRealPath(LinkOption... options) {
    return toAbsolutePath().normalize();
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("watching a Hadoop file system");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HadoopPath p && p.fs == fs && p.absolute == absolute && p.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fs.base(), absolute, names);
  }

  /** The Hadoop URI of an absolute path ({@code scheme://authority/a/b}), the names of a relative one. */
  @Override
  public String toString() {
    return absolute ? fs.base() + pathString() : pathString();
  }

  private HadoopPath check(Path other) {
    if (!(other instanceof HadoopPath o) || o.fs != fs) {
      throw new ProviderMismatchException(other + " is not on " + fs.base());
    }
    return o;
  }

  static List<String> split(String s) {
    return Arrays.stream(s.split("/")).filter(x -> !x.isEmpty()).toList();
  }
}
