package dev.hallmark.benchmarks.ledger;

import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Record;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * CPU cost per record of the per-record steps of an append, measured as this thread's CPU time
 * (not wall time), so that a loaded machine distorts it least: what {@code ledger add} does to each
 * input line (parse, sign, canonical entry) and what a signature-checked append does to a record
 * that arrives signed (parse, check the producer signature, canonical entry). Public API only;
 * seeded; one thread. Run it against two builds to compare them:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.ledger.RecordCpuBenchmark [RECORDS] [ROUNDS]
 * </pre>
 */
public final class RecordCpuBenchmark {
  private RecordCpuBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long seed = 20261204L;
    System.out.println("# RecordCpuBenchmark records=" + n + " rounds=" + rounds + " seed=" + seed + " java=" + System.getProperty("java.version"));
    Random r = new Random(seed);
    byte[] s = new byte[32];
    r.nextBytes(s);
    SigningKey producer = SigningKey.fromSeed("producer", s);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[][] unsigned = new byte[n][];
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder("{\"kind\":\"text\",\"contentSha256\":\"")
          .append(HexFormat.of().formatHex(sha.digest(("rec " + i).getBytes(StandardCharsets.UTF_8))))
          .append("\",\"textMinHash\":[");
      for (int k = 0; k < Record.MINHASH_LENGTH; k++) {
        b.append(k == 0 ? "" : ",").append(r.nextInt() & 0xffffffffL);
      }
      b.append("],\"model\":\"gen-").append(i % 7).append("\",\"timestamp\":\"2026-12-03T10:00:00Z\"}");
      unsigned[i] = b.toString().getBytes(StandardCharsets.UTF_8);
    }
    byte[][] signed = new byte[n][];
    for (int i = 0; i < n; i++) {
      signed[i] = Record.parse(unsigned[i]).sign(producer).entryBytes();
    }
    ThreadMXBean t = ManagementFactory.getThreadMXBean();
    long sink = 0;
    System.out.println("| round | parse + sign + entry (ledger add), us/record | parse + check signature + entry (signed append), us/record | load avg |");
    System.out.println("|---:|---:|---:|---:|");
    for (int round = 0; round < rounds; round++) {
      long c0 = t.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += Record.parse(unsigned[i]).sign(producer).entryBytes().length;
      }
      long c1 = t.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        Record rec = Record.parse(signed[i]);
        rec.verifySignature();
        sink += rec.entryBytes().length;
      }
      long c2 = t.getCurrentThreadCpuTime();
      System.out.printf("| %d | %.1f | %.1f | %s |%n", round, (c1 - c0) / 1e3 / n, (c2 - c1) / 1e3 / n, LedgerBenchmark.loadAverage());
    }
    System.out.println("# checksum " + sink);
  }
}
