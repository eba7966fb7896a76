package dev.hallmark.benchmarks.ledger;

import dev.hallmark.ledger.Record;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Writes the JSONL input of the {@code ledger add} end-to-end benchmark to stdout: N unsigned text
 * records (content SHA-256, a 128-value MinHash, a model, a timestamp; about 1.9 KB each as signed
 * log entries), seeded, the same shape as {@link RecordCpuBenchmark}'s records. With {@code --signed}
 * the records are signed by a producer key derived from the seed (what a producer sends to
 * {@code ledger serve}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.ledger.LedgerAddInput N [SEED] [--signed] &gt; N.jsonl
 * </pre>
 */
public final class LedgerAddInput {
  private LedgerAddInput() {}

  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    long seed = args.length > 1 && !args[1].startsWith("--") ? Long.parseLong(args[1]) : 20261203L;
    dev.hallmark.core.SigningKey producer = null;
    if (java.util.Arrays.asList(args).contains("--signed")) {
      byte[] s = new byte[32];
      new Random(seed ^ 0x5eedL).nextBytes(s);
      producer = dev.hallmark.core.SigningKey.fromSeed("bench-producer", s);
    }
    System.err.println("# LedgerAddInput records=" + n + " seed=" + seed + (producer != null ? " signed" : ""));
    Random r = new Random(seed);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (OutputStream out = new BufferedOutputStream(System.out, 1 << 16)) {
      for (long i = 0; i < n; i++) {
        String line = line(r, sha, i, seed);
        if (producer != null) {
          Record rec = Record.parse(line.getBytes(StandardCharsets.UTF_8)).sign(producer);
          line = new String(rec.entryBytes(), StandardCharsets.UTF_8) + "\n";
        }
        out.write(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | dev.hallmark.ledger.LedgerException e) {
      System.err.println("LedgerAddInput: " + e.getMessage());
      System.exit(3);
    }
  }

  static String line(Random r, MessageDigest sha, long i, long seed) {
    StringBuilder b = new StringBuilder(1400).append("{\"kind\":\"text\",\"contentSha256\":\"")
        .append(HexFormat.of().formatHex(sha.digest(("doc " + seed + " " + i).getBytes(StandardCharsets.UTF_8))))
        .append("\",\"textMinHash\":[");
    for (int k = 0; k < Record.MINHASH_LENGTH; k++) {
      b.append(k == 0 ? "" : ",").append(r.nextInt() & 0xffffffffL);
    }
    return b.append("],\"model\":\"gen-").append(i % 7).append("\",\"timestamp\":\"2026-12-03T10:00:00Z\"}\n").toString();
  }
}
