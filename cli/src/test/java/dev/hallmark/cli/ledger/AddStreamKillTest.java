package dev.hallmark.cli.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.cli.CliRun;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger add -} as a producer uses it: a child process reads records from a pipe that stays
 * open, acknowledges them while they arrive, and is killed with SIGKILL at a random moment. Then the
 * same input is run again: every acknowledged record answers with the index it was acknowledged
 * with, nothing is in the log twice, and the log verifies. Rounds: {@code -Dhallmark.killRounds}
 * (default 3 each build; {@code scripts/ledger-kill-rounds.sh} runs 100).
 */
class AddStreamKillTest {
  @TempDir Path home;

  static String sha(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** The MinHash signature of record {@code k} of round {@code round}: random, so every record has its own bands. */
  static int[] minHash(long seed, int round, int k) {
    Random r = new Random(seed * 1_000_003L + round * 1_000_000L + k);
    int[] mh = new int[128];
    for (int i = 0; i < mh.length; i++) {
      mh[i] = r.nextInt();
    }
    return mh;
  }

  static String minHashJson(long seed, int round, int k) {
    StringBuilder b = new StringBuilder("[");
    for (int v : minHash(seed, round, k)) {
      b.append(b.length() == 1 ? "" : ",").append(Integer.toUnsignedLong(v));
    }
    return b.append(']').toString();
  }

  CliRun ok(String... args) {
    CliRun r = CliRun.run(home, args);
    assertEquals(0, r.exitCode, r.toString());
    return r;
  }

  @Test
  void killMinus9DuringAStreamLosesNoAcknowledgedRecordAndARetryAddsNoDuplicate() throws Exception {
    long seed = Long.getLong("hallmark.test.seed", 20261203L);
    int rounds = Integer.getInteger("hallmark.killRounds", 3);
    // How long a round may wait for the child's first acknowledgement (JVM start, opening the log):
    // a liveness limit, not a durability check; long runs on a loaded machine raise it.
    long firstAckSeconds = Long.getLong("hallmark.killFirstAckSeconds", 300);
    System.out.println("AddStreamKillTest seed=" + seed + " rounds=" + rounds);
    Random rnd = new Random(seed);
    ok("keys", "new", "--type", "signing", "--name", "logkey");
    ok("keys", "new", "--type", "signing", "--name", "producer");
    Path dir = home.resolve("log");
    ok("ledger", "init", "--dir", dir.toString(), "--origin", "ledger.example/kill", "--signing-key", "logkey");
    dev.hallmark.core.NoteVerifierKey logKey = dev.hallmark.core.NoteVerifierKey.parse(
        ok("keys", "public", "--name", "logkey", "--note-name", "ledger.example/kill").out.trim());
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long distinct = 0;
    long ackedTotal = 0;
    List<long[]> earlier = new ArrayList<>(); // {round, stdin line, index} of records of earlier rounds
    for (int round = 0; round < rounds; round++) {
      Process p = new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.hallmark.cli.Main",
          "--home", home.resolve(".hallmark").toString(), "ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", "-")
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Map<Integer, Long> acked = new ConcurrentHashMap<>();
      List<String> sent = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch firstAck = new CountDownLatch(1);
      int r0 = round;
      Thread writer = new Thread(() -> {
        Random w = new Random(seed * 31 + r0);
        try (OutputStream o = p.getOutputStream()) {
          for (int k = 0; k < 200_000; k++) {
            // Records arrive in bursts; stdin is never closed: the child dies with it open.
            String line = "{\"kind\":\"text\",\"contentSha256\":\"" + sha("round " + r0 + " record " + k) + "\",\"model\":\"m" + r0
                + "\",\"textMinHash\":" + minHashJson(seed, r0, k) + "}\n";
            synchronized (sent) {
              o.write(line.getBytes(StandardCharsets.UTF_8));
              sent.add(line);
            }
            if (w.nextInt(64) == 0) {
              o.flush();
              Thread.sleep(w.nextInt(3));
            }
          }
          o.flush();
          Thread.sleep(600_000);
        } catch (Exception e) {
          // the child was killed
        }
      });
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            String[] f = line.split("\t");
            if (f.length == 2 && f[1].startsWith("stdin:")) {
              acked.put(Integer.parseInt(f[1].substring(6)), Long.parseLong(f[0]));
              firstAck.countDown();
            }
          }
        } catch (Exception e) {
          // the stream closes when the child dies
        }
      });
      writer.start();
      reader.start();
      long deadline = System.nanoTime() + firstAckSeconds * 1_000_000_000L;
      while (!firstAck.await(100, TimeUnit.MILLISECONDS) && p.isAlive() && System.nanoTime() < deadline) {
        // waiting for the child's first acknowledgement
      }
      assertTrue(firstAck.getCount() == 0, "round " + round + ": no acknowledgement while stdin was open (child "
          + (p.isAlive() ? "still running" : "exited with " + p.exitValue()) + ")");
      assertTrue(p.isAlive(), "round " + round + ": the child acknowledged and exited although stdin was still open");
      Thread.sleep(rnd.nextInt(500));
      p.destroyForcibly(); // SIGKILL on POSIX
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      reader.join(30_000);
      writer.interrupt();
      writer.join(30_000);
      // The same input again: every acknowledged record keeps its index; the rest are appended once.
      List<String> input;
      synchronized (sent) {
        input = new ArrayList<>(sent);
      }
      InputStream saved = System.in;
      CliRun retry;
      try {
        System.setIn(new ByteArrayInputStream(String.join("", input).getBytes(StandardCharsets.UTF_8)));
        retry = ok("ledger", "add", "--dir", dir.toString(), "--signing-key", "producer", "-");
      } finally {
        System.setIn(saved);
      }
      String[] lines = retry.out.replace("\r", "").split("\n");
      assertEquals(input.size(), lines.length, "one acknowledgement per record on the retry");
      Map<Integer, Long> indexOf = new java.util.HashMap<>();
      for (String l : lines) {
        String[] f = l.split("\t");
        int line = Integer.parseInt(f[1].substring(6));
        Long was = acked.get(line);
        if (was != null) {
          assertEquals(was.longValue(), Long.parseLong(f[0]), "round " + round + ": " + f[1] + " was acknowledged as entry " + was);
        }
        indexOf.put(line, Long.parseLong(f[0]));
      }
      // The lookup index (its band table included) survived the kill: records acknowledged before it
      // and records added by the retry are found by their MinHash at the index they were given.
      try (dev.hallmark.ledger.LedgerSnapshot snap = dev.hallmark.ledger.Ledgers.openSnapshot(dir, logKey)) {
        List<Integer> probe = new ArrayList<>(acked.keySet());
        Collections.shuffle(probe, new Random(seed + round));
        probe = new ArrayList<>(probe.subList(0, Math.min(5, probe.size())));
        probe.add(input.size());
        for (int line : probe) {
          List<dev.hallmark.ledger.Match> found = snap.findText(minHash(seed, round, line - 1), 1.0, 5);
          assertEquals(List.of(indexOf.get(line)), found.stream().map(dev.hallmark.ledger.Match::index).toList(),
              "round " + round + ": stdin:" + line + " by its MinHash");
        }
        // and records of earlier rounds, whose bands are in run files committed before this kill
        Random pick = new Random(seed * 7 + round);
        for (int i = 0; i < Math.min(5, earlier.size()); i++) {
          long[] e = earlier.get(pick.nextInt(earlier.size()));
          List<dev.hallmark.ledger.Match> found = snap.findText(minHash(seed, (int) e[0], (int) e[1] - 1), 1.0, 5);
          assertEquals(List.of(e[2]), found.stream().map(dev.hallmark.ledger.Match::index).toList(),
              "round " + round + ": round " + e[0] + "'s stdin:" + e[1] + " by its MinHash");
        }
      }
      for (int line = 1; line <= input.size(); line += 97) {
        earlier.add(new long[] {round, line, indexOf.get(line)});
      }
      distinct += input.size();
      ackedTotal += acked.size();
      String size = ok("ledger", "verify", "--dir", dir.toString(), "--no-remember").out;
      assertTrue(size.startsWith("ok: " + distinct + " entries"), "round " + round + ": " + distinct + " distinct records sent, log: " + size);
      System.out.println("AddStreamKillTest round " + round + ": " + acked.size() + " acknowledged before the kill, "
          + input.size() + " sent, log has " + distinct + " entries, no duplicate, verify ok");
    }
    assertTrue(ackedTotal >= rounds, "too few acknowledgements to mean anything");
  }
}
