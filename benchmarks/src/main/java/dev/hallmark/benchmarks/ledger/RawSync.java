package dev.hallmark.benchmarks.ledger;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Write + fdatasync on one file for a few seconds, either growing the file ("append") or over zeros
 * written and synced before ("zeros"): what the write-ahead log's group commit pays per fdatasync
 * before and after it wrote zeros ahead of its frames (docs/BENCHMARKS.md, ledger, eighth pass). The
 * loop is {@code LedgerBenchmark}'s own raw loop, the one its append figures are compared with.
 *
 * <pre>  java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.ledger.RawSync BYTES append|zeros [DIR] [SECONDS]</pre>
 */
public final class RawSync {
  private RawSync() {}

  public static void main(String[] a) throws Exception {
    if (a.length < 2 || !(a[1].equals("append") || a[1].equals("zeros"))) {
      System.err.println("usage: RawSync BYTES append|zeros [DIR] [SECONDS]");
      System.exit(2);
    }
    int size = Integer.parseInt(a[0]);
    Path dir = Path.of(a.length > 2 ? a[2] : System.getProperty("java.io.tmpdir"));
    int secs = a.length > 3 ? Integer.parseInt(a[3]) : 3;
    Files.createDirectories(dir);
    double[] r = LedgerBenchmark.rawSyncLoop(dir, size, secs, a[1].equals("zeros"));
    System.out.printf("%s %d bytes: %.0f syncs/s, p50 %.0f us, p99 %.0f us%n", a[1], size, r[0], r[2] * 1e3, r[1] * 1e3);
  }
}
