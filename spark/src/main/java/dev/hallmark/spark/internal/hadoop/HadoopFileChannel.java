package dev.hallmark.spark.internal.hadoop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.hadoop.fs.FSDataInputStream;

/** A read-only, seekable channel over a Hadoop input stream (WARC files are read through one). */
final class HadoopFileChannel extends FileChannel {
  private final FSDataInputStream in;
  private final long size;

  HadoopFileChannel(FSDataInputStream in, long size) {
    this.in = in;
    this.size = size;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    byte[] b = new byte[Math.min(dst.remaining(), 1 << 16)];
    int n = in.read(b, 0, b.length);
    if (n > 0) {
      dst.put(b, 0, n);
    }
    return n;
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      if (!dsts[i].hasRemaining()) {
        continue;
      }
      int n = read(dsts[i]);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
      if (dsts[i].hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position >= size) {
      return -1;
    }
    byte[] b = new byte[(int) Math.min(dst.remaining(), Math.min(1 << 16, size - position))];
    int n = in.read(position, b, 0, b.length);
    if (n > 0) {
      dst.put(b, 0, n);
    }
    return n;
  }

  @Override
  public long position() throws IOException {
    return in.getPos();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    in.seek(Math.min(newPosition, size));
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    long done = 0;
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    while (done < count) {
      b.clear().limit((int) Math.min(b.capacity(), count - done));
      int n = read(b, position + done);
      if (n <= 0) {
        break;
      }
      b.flip();
      while (b.hasRemaining()) {
        target.write(b);
      }
      done += n;
    }
    return done;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    throw new NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long position) {
    throw new NonWritableChannelException();
  }

  @Override
  public FileChannel truncate(long s) {
    throw new NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) {}

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new NonWritableChannelException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long s) {
    throw new UnsupportedOperationException("memory-mapping a file on a Hadoop file system");
  }

  @Override
  public FileLock lock(long position, long s, boolean shared) {
    throw new UnsupportedOperationException("locking a file on a Hadoop file system");
  }

  @Override
  public FileLock tryLock(long position, long s, boolean shared) {
    throw new UnsupportedOperationException("locking a file on a Hadoop file system");
  }

  @Override
  protected void implCloseChannel() throws IOException {
    in.close();
  }
}
