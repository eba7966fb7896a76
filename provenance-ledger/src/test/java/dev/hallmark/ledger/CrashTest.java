package dev.hallmark.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM that appends (with concurrent checkpoints and WAL rotation) at random moments,
 * then checks after every restart that every acknowledged entry is present and the log verifies.
 */
class CrashTest {
  @TempDir Path tmp;

  @Test
  void killMinus9LosesNoAcknowledgedEntry() throws Exception {
    long seed = Long.getLong("hallmark.test.seed", 20261125L);
    System.out.println("CrashTest seed=" + seed);
    Random rnd = new Random(seed);
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, TestRecords.ORIGIN, TestRecords.LOG_KEY, "log");
    Map<Long, String> acked = new ConcurrentHashMap<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int rounds = 10;
    for (int round = 0; round < rounds; round++) {
      Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          CrashChild.class.getName(), dir.toString(), Integer.toString(round))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      CountDownLatch firstAck = new CountDownLatch(1);
      // An assertion thrown on the reader thread would only kill that thread; keep it for the test thread.
      java.util.concurrent.atomic.AtomicReference<String> readerFailure = new java.util.concurrent.atomic.AtomicReference<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith("ACK ")) {
              String[] f = line.split(" ");
              if (f.length == 3 && f[2].length() == 64) {
                String prev = acked.putIfAbsent(Long.parseLong(f[1]), f[2]);
                if (prev != null && !prev.equals(f[2])) {
                  readerFailure.compareAndSet(null, "index " + f[1] + " acknowledged twice for different records");
                }
                firstAck.countDown();
              }
            } else if (line.startsWith("ERR")) {
              System.out.println("child: " + line);
            }
          }
        } catch (Exception e) {
          // stream closes when the child dies
        }
      });
      reader.start();
      assertTrue(firstAck.await(180, TimeUnit.SECONDS), "child never acknowledged an append");
      Thread.sleep(50 + rnd.nextInt(600));
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      reader.join(10_000);
      assertTrue(!reader.isAlive(), "round " + round + ": the acknowledgement reader did not finish");
      assertEquals(null, readerFailure.get(), "round " + round);
      // Restart: opening recovers automatically; verify the log and every acknowledged entry.
      try (Ledger l = Ledgers.open(dir, TestRecords.LOG_KEY, LedgerOptions.DEFAULT)) {
        assertTrue(l.durableSize() >= acked.size(), "round " + round + ": log has " + l.durableSize() + " entries, " + acked.size() + " were acknowledged");
      }
      VerifyReport rep = Ledgers.verify(dir, TestRecords.LOG_KEY.verifierKey(TestRecords.ORIGIN), null, null);
      try (LedgerSnapshot s = Ledgers.openSnapshot(dir, TestRecords.LOG_KEY.verifierKey(TestRecords.ORIGIN))) {
        for (Map.Entry<Long, String> e : acked.entrySet()) {
          assertEquals(e.getValue(), s.get(e.getKey()).contentSha256(), "round " + round + ": acknowledged entry " + e.getKey());
        }
      }
      System.out.println("CrashTest round " + round + ": " + acked.size() + " acknowledged, log has " + rep.entries() + " entries, verify ok");
    }
    assertTrue(acked.size() > rounds, "too few appends to mean anything");
  }
}
