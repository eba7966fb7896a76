package dev.hallmark.ledger;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Child process for {@link CrashTest}: appends forever from two threads with periodic checkpoints,
 * printing "ACK index sha" for every acknowledged (durable) entry, until killed.
 */
public final class CrashChild {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    Ledger l = Ledgers.open(dir, TestRecords.LOG_KEY,
        LedgerOptions.builder().autoCheckpoint(Duration.ofMillis(25)).walRotateBytes(1 << 16).build());
    out.println("OPEN " + l.durableSize());
    out.flush();
    Thread[] ts = new Thread[2];
    for (int t = 0; t < ts.length; t++) {
      int th = t;
      ts[t] = new Thread(() -> {
        Random r = new Random(round * 31L + th);
        long n = 0;
        try {
          while (true) {
            List<Record> batch = new ArrayList<>();
            int k = 1 + r.nextInt(20);
            for (int i = 0; i < k; i++) {
              batch.add(TestRecords.simple(round * 10_000_000L + th * 1_000_000L + n++));
            }
            long[] ids = l.appendAll(batch);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < ids.length; i++) {
              b.append("ACK ").append(ids[i]).append(' ').append(batch.get(i).contentSha256()).append('\n');
            }
            synchronized (out) {
              out.print(b);
              out.flush();
            }
          }
        } catch (Exception e) {
          synchronized (out) {
            out.println("ERR " + e);
            out.flush();
          }
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
  }
}
