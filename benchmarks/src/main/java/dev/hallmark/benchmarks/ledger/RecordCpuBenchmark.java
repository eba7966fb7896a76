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
    primitives(producer, signed, t);
    indexCost(signed, n);
  }

  /**
   * The primitives alone, one thread: Ed25519 sign and verify of a record's signed bytes (Bouncy
   * Castle, through the public key classes), the same verify as batches of 8 and of 128
   * ({@code Ed25519BatchVerifier}, per signature), SHA-256 of an entry (its leaf hash).
   */
  static void primitives(SigningKey producer, byte[][] signed, ThreadMXBean t) throws Exception {
    int n = signed.length;
    byte[][] msgs = new byte[n][];
    byte[][] sigs = new byte[n][];
    for (int i = 0; i < n; i++) {
      Record rec = Record.parse(signed[i]);
      msgs[i] = rec.signedBytes();
      sigs[i] = producer.sign(msgs[i]);
    }
    dev.hallmark.core.Ed25519PublicKey pk = producer.publicKey();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    System.out.println();
    dev.hallmark.core.Ed25519BatchVerifier batch = new dev.hallmark.core.Ed25519BatchVerifier(new java.security.SecureRandom());
    System.out.println("| round | Ed25519 sign, us | Ed25519 verify, us | batch verify of 8, us per signature | batch verify of 128, us per signature | SHA-256 of an entry, us | message bytes | load avg |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      long c0 = t.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += producer.sign(msgs[i])[0];
      }
      long c1 = t.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        pk.verify(msgs[i], sigs[i]);
      }
      long c2 = t.getCurrentThreadCpuTime();
      int in8 = batches(batch, pk, msgs, sigs, 8);
      long c2a = t.getCurrentThreadCpuTime();
      int in128 = batches(batch, pk, msgs, sigs, 128);
      long c2b = t.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += sha.digest(signed[i])[0];
      }
      long c3 = t.getCurrentThreadCpuTime();
      System.out.printf("| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s |%n", round, (c1 - c0) / 1e3 / n, (c2 - c1) / 1e3 / n,
          (c2a - c2) / 1e3 / in8, (c2b - c2a) / 1e3 / in128, (c3 - c2b) / 1e3 / n, msgs[0].length, LedgerBenchmark.loadAverage());
    }
    System.out.println("# checksum " + sink);
  }

  /** Verifies {@code msgs} in batches of {@code size} (a whole number of them); returns how many were checked. */
  private static int batches(dev.hallmark.core.Ed25519BatchVerifier v, dev.hallmark.core.Ed25519PublicKey pk, byte[][] msgs,
      byte[][] sigs, int size) {
    int done = 0;
    dev.hallmark.core.Ed25519PublicKey[] keys = new dev.hallmark.core.Ed25519PublicKey[size];
    java.util.Arrays.fill(keys, pk);
    for (int off = 0; off + size <= msgs.length; off += size) {
      boolean[] ok = v.verify(keys, java.util.Arrays.copyOfRange(msgs, off, off + size), java.util.Arrays.copyOfRange(sigs, off, off + size));
      for (boolean b : ok) {
        if (!b) {
          throw new IllegalStateException("a valid signature failed batch verification");
        }
      }
      done += size;
    }
    return done;
  }

  /**
   * What the lookup index costs per record: a log of the records (appended as a trusted producer),
   * then {@code Ledgers.reindex} rebuilt from its bundles, timed as process CPU (the rebuilding
   * thread plus Lucene's merge threads): parse, leaf-hash check, Lucene document add, flush, merges
   * and commit. Three rebuilds; the first includes JIT warm-up.
   */
  static void indexCost(byte[][] signed, int n) throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("hallmark-index-cost");
    try {
      dev.hallmark.ledger.Ledgers.init(dir, LedgerBenchmark.ORIGIN, LedgerBenchmark.LOG, "bench-log");
      try (dev.hallmark.ledger.Ledger l = dev.hallmark.ledger.Ledgers.open(dir, LedgerBenchmark.LOG,
          dev.hallmark.ledger.LedgerOptions.builder().verifySignatures(false).build())) {
        java.util.List<Record> rs = new java.util.ArrayList<>();
        for (byte[] e : signed) {
          rs.add(Record.parse(e));
        }
        l.appendAll(rs);
      }
      System.out.println();
      System.out.println("| rebuild | records | index rebuild, process CPU us per record | wall s | load avg |");
      System.out.println("|---:|---:|---:|---:|---:|");
      for (int round = 0; round < 3; round++) {
        long c0 = LedgerBenchmark.processCpuNanos();
        long w0 = System.nanoTime();
        long k = dev.hallmark.ledger.Ledgers.reindex(dir, LedgerBenchmark.LOG);
        System.out.printf("| %d | %d | %.1f | %.2f | %s |%n", round, k, (LedgerBenchmark.processCpuNanos() - c0) / 1e3 / k,
            (System.nanoTime() - w0) / 1e9, LedgerBenchmark.loadAverage());
      }
    } finally {
      LedgerBenchmark.deleteTree(dir);
    }
  }
}
