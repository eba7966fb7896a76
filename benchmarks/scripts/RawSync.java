import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Write + fdatasync on one file for a few seconds, either growing the file ("append") or over zeros
 * written and synced before ("zeros"): what the write-ahead log's group commit pays per fdatasync
 * before and after it wrote zeros ahead of its frames (docs/BENCHMARKS.md, ledger, eighth pass).
 *
 *   java benchmarks/scripts/RawSync.java BYTES append|zeros [DIR] [SECONDS]
 *
 * e.g. java benchmarks/scripts/RawSync.java 11000 append /tmp/lbench
 */
public class RawSync {
  public static void main(String[] a) throws Exception {
    if (a.length < 2 || !(a[1].equals("append") || a[1].equals("zeros"))) {
      System.err.println("usage: java RawSync.java BYTES append|zeros [DIR] [SECONDS]");
      System.exit(2);
    }
    int size = Integer.parseInt(a[0]);
    boolean zeros = a[1].equals("zeros");
    Path dir = Path.of(a.length > 2 ? a[2] : System.getProperty("java.io.tmpdir"));
    int secs = a.length > 3 ? Integer.parseInt(a[3]) : 3;
    Files.createDirectories(dir);
    Path f = Files.createTempFile(dir, "rawsync", ".bin");
    long limit = 100L << 20;
    ByteBuffer buf = ByteBuffer.allocate(size);
    new Random(1).nextBytes(buf.array()); // seeded: the same bytes every run
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      if (zeros) {
        ByteBuffer z = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < limit + size; at += z.capacity()) {
          z.clear();
          while (z.hasRemaining()) {
            ch.write(z);
          }
        }
        ch.force(true);
        ch.position(0);
      }
      List<Long> lat = new ArrayList<>();
      long t0 = System.nanoTime();
      long end = t0 + secs * 1_000_000_000L;
      while (System.nanoTime() < end) {
        long s = System.nanoTime();
        buf.clear();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
        lat.add(System.nanoTime() - s);
        if (ch.position() > limit) {
          ch.position(0);
          if (!zeros) {
            ch.truncate(0);
          }
        }
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      Collections.sort(lat);
      System.out.printf("%s %d bytes: %.0f syncs/s, p50 %.0f us, p99 %.0f us%n", a[1], size, lat.size() / sec,
          lat.get(lat.size() / 2) / 1e3, lat.get(lat.size() * 99 / 100) / 1e3);
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
