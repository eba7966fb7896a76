package dev.hallmark.spark.internal.hadoop;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;

/**
 * Read-only {@code java.nio.file} access to Hadoop file systems: listing, attributes, streams and
 * seekable channels, all through Hadoop's {@code FileSystem} API. Not installed as a system provider
 * (Spark loads application jars in its own class loader); paths come from {@link HadoopInputs}.
 */
final class HadoopNioProvider extends FileSystemProvider {
  static final HadoopNioProvider INSTANCE = new HadoopNioProvider();

  private HadoopNioProvider() {}

  @Override
  public String getScheme() {
    return "hadoop";
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("use HadoopInputs");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("use HadoopInputs");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException("use HadoopInputs");
  }

  static HadoopPath hp(Path p) {
    if (!(p instanceof HadoopPath h)) {
      throw new ProviderMismatchException(String.valueOf(p));
    }
    return h;
  }

  static FileStatus status(Path p) throws IOException {
    HadoopPath h = hp(p);
    try {
      return ((HadoopNioFileSystem) h.getFileSystem()).hadoop().getFileStatus(h.hadoop());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(p.toString());
    }
  }

  private static void readOnly(Set<? extends OpenOption> options) {
    for (OpenOption o : options) {
      if (o != StandardOpenOption.READ && o != LinkOption.NOFOLLOW_LINKS) {
        throw new ReadOnlyFileSystemException();
      }
    }
  }

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    readOnly(Set.of(options));
    HadoopPath h = hp(path);
    try {
      return ((HadoopNioFileSystem) h.getFileSystem()).hadoop().open(h.hadoop());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(path.toString());
    }
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return newFileChannel(path, options, attrs);
  }

  @Override
  public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    readOnly(options);
    FileStatus s = status(path);
    HadoopPath h = hp(path);
    return new HadoopFileChannel(((HadoopNioFileSystem) h.getFileSystem()).hadoop().open(h.hadoop()), s.getLen());
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    HadoopPath h = hp(dir);
    FileStatus[] list;
    try {
      list = ((HadoopNioFileSystem) h.getFileSystem()).hadoop().listStatus(h.hadoop());
    } catch (FileNotFoundException e) {
      throw new NoSuchFileException(dir.toString());
    }
    List<Path> out = new ArrayList<>();
    for (FileStatus s : list) {
      Path child = h.resolve(s.getPath().getName());
      if (filter == null || filter.accept(child)) {
        out.add(child);
      }
    }
    out.sort(Comparator.comparing(Path::toString));
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        return out.iterator();
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void delete(Path path) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    return path.toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
  }

  @Override
  public boolean isHidden(Path path) {
    Path n = path.getFileName();
    return n != null && n.toString().startsWith(".");
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException("file stores on a Hadoop file system");
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    for (AccessMode m : modes) {
      if (m != AccessMode.READ) {
        throw new ReadOnlyFileSystemException();
      }
    }
    status(path);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    if (type != BasicFileAttributeView.class) {
      return null;
    }
    return (V) new BasicFileAttributeView() {
      @Override
      public String name() {
        return "basic";
      }

      @Override
      public BasicFileAttributes readAttributes() throws IOException {
        return new Attributes(status(path));
      }

      @Override
      public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
        throw new ReadOnlyFileSystemException();
      }
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
    if (!type.isAssignableFrom(Attributes.class)) {
      throw new UnsupportedOperationException(type.getName() + " on a Hadoop file system");
    }
    return (A) new Attributes(status(path));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    Attributes a = new Attributes(status(path));
    Map<String, Object> m = new HashMap<>();
    m.put("size", a.size());
    m.put("lastModifiedTime", a.lastModifiedTime());
    m.put("isRegularFile", a.isRegularFile());
    m.put("isDirectory", a.isDirectory());
    m.put("isSymbolicLink", a.isSymbolicLink());
    return m;
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
    throw new ReadOnlyFileSystemException();
  }

  /** A Hadoop {@link FileStatus} as basic attributes. */
  record Attributes(FileStatus s) implements BasicFileAttributes {
    @Override
    public FileTime lastModifiedTime() {
      return FileTime.fromMillis(s.getModificationTime());
    }

    @Override
    public FileTime lastAccessTime() {
      return FileTime.fromMillis(s.getAccessTime());
    }

    @Override
    public FileTime creationTime() {
      return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
      return s.isFile();
    }

    @Override
    public boolean isDirectory() {
      return s.isDirectory();
    }

    @Override
    public boolean isSymbolicLink() {
      return s.isSymlink();
    }

    @Override
    public boolean isOther() {
      return !s.isFile() && !s.isDirectory() && !s.isSymlink();
    }

    @Override
    public long size() {
      return s.getLen();
    }

    @Override
    public Object fileKey() {
      return null;
    }
  }
}
