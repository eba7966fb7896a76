package dev.hallmark.benchmarks.ledger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.ConsistencyProof;
import dev.hallmark.ledger.InclusionProof;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.Merkle;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.RecordQuery;
import dev.hallmark.ledger.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Provenance-ledger harness: durable appends per second and acknowledgement latency by batch size
 * and thread count; then, on a log of {@code --records} entries, proof generation/verification
 * latency, lookup latency (exact hash, text MinHash LSH, image multi-index hashing), full verify and
 * index rebuild time. Fingerprints are synthetic (seeded): the figures measure the log and index,
 * not the fingerprint quality.
 *
 * <p>{@code java -cp benchmarks.jar dev.hallmark.benchmarks.ledger.LedgerBenchmark [--dir D]
 * [--records N] [--seconds S] [--seed X] [--skip-appends] [--skip-big] [--reindex-first] [--lookups-only]
 * [--configs C] [--pool N] [--warmup S] [--thread-cpu]}
 * ({@code --lookups-only}: on the big log, only the proof and lookup tables; no full verify or reindex;
 * {@code --warmup S}: seconds of appends in each configuration before its timed window, default 5;
 * {@code --thread-cpu}: also print the window's CPU per append by thread, JIT compiler and GC threads included).
 */
public final class LedgerBenchmark {
  static final SigningKey LOG = SigningKey.fromSeed("bench-log", seed(7));
  static final SigningKey PRODUCER = SigningKey.fromSeed("bench-producer", seed(8));
  static final String ORIGIN = "bench.example/ledger";

  /** Distinct signed records appended in a run; re-appends (answered as existing) are not counted. */
  static int POOL = 100_000;

  /** With {@code --thread-cpu}: after each configuration, the CPU of its timed window by thread group (from /proc). */
  static boolean THREAD_CPU = false;

  /** Seconds of appends, in the measured configuration, before the timed window, to let the JIT compile the append path. */
  static int WARMUP_SECONDS = 5;

  static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  public static void main(String[] args) throws Exception {
    Path base = Path.of(System.getProperty("java.io.tmpdir"), "hallmark-ledger-bench");
    long records = 1_000_000;
    int seconds = 5;
    long seed = 20261125L;
    boolean appends = true;
    boolean big = true;
    boolean reindexFirst = false;
    boolean lookupsOnly = false;
    String configs = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dir" -> base = Path.of(args[++i]);
        case "--records" -> records = Long.parseLong(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--skip-appends" -> appends = false;
        case "--skip-big" -> big = false;
        case "--reindex-first" -> reindexFirst = true;
        case "--lookups-only" -> lookupsOnly = true;
        case "--configs" -> configs = args[++i];
        case "--pool" -> POOL = Integer.parseInt(args[++i]);
        case "--thread-cpu" -> THREAD_CPU = true;
        case "--warmup" -> WARMUP_SECONDS = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    System.out.println("# LedgerBenchmark seed=" + seed + " records=" + records + " dir=" + base
        + " cores=" + Runtime.getRuntime().availableProcessors() + " java=" + System.getProperty("java.version"));
    Files.createDirectories(base);
    if (appends) {
      appendBenchmarks(base, seconds, seed, configs);
    }
    if (big) {
      if (reindexFirst) {
        Path dir = base.resolve("big-" + records);
        long i0 = System.nanoTime();
        long k = Ledgers.reindex(dir, LOG);
        System.out.printf("%n- index rebuild (`ledger reindex`) of %,d records before the queries: %.1f s%n", k, (System.nanoTime() - i0) / 1e9);
      }
      bigLog(base, records, seed, lookupsOnly);
    }
  }

  static Record record(Random r, long i) {
    int[] mh = new int[Record.MINHASH_LENGTH];
    for (int k = 0; k < mh.length; k++) {
      mh[k] = r.nextInt();
    }
    byte[] ph = new byte[32];
    r.nextBytes(ph);
    byte[] sha = new byte[32];
    r.nextBytes(sha);
    byte[] payload = new byte[8];
    r.nextBytes(payload);
    ObjectNode wm = JsonNodeFactory.instance.objectNode().put("scheme", "image-tss").put("keyId", watermarkKeyId(i))
        .put("payload", Hex.encode(payload));
    return Record.builder().kind(i % 2 == 0 ? "text" : "image").contentSha256(Hex.encode(sha)).textMinHash(mh)
        .imageHash(Hex.encode(ph)).model("bench-model-" + (i % 4)).watermark(wm).timestamp(Instant.ofEpochSecond(1_800_000_000L + i))
        .build().sign(PRODUCER);
  }

  /** Four watermark keys, a quarter of the records each. */
  static String watermarkKeyId(long i) {
    return String.format("%016x", 0xbe4c_0000_0000_0000L + i % 4);
  }

  /** Signed records generated in parallel (signing is the producer's cost, excluded from append timings). */
  static Record[] records(long seed, long from, int n) {
    Record[] out = new Record[n];
    IntStream.range(0, n).parallel().forEach(i -> out[i] = record(new Random(seed * 1_000_003L + from + i), from + i));
    return out;
  }

  static void appendBenchmarks(Path base, int seconds, long seed, String only) throws Exception {
    System.out.println();
    System.out.println("## Durable appends (each call returns after the fsync of its batch)");
    System.out.println();
    Record[] pool = records(seed, 0, POOL);
    int[][] configs = {{1, 1, 1}, {2, 1, 1}, {8, 1, 1}, {1, 16, 1}, {2, 16, 1}, {1, 128, 1}, {2, 128, 1}, {1, 1024, 1}, {2, 1024, 1},
        {1, 1, 0}, {2, 1, 0}, {8, 1, 0}, {1, 16, 0}, {2, 16, 0}, {1, 128, 0}, {2, 128, 0}, {1, 1024, 0}, {2, 1024, 0}};
    if (only != null) {
      // e.g. "8x1y,1x128y,1x1024y,1x128n": THREADSxRECORDS, y = signature checked, n = trusted producer
      configs = Arrays.stream(only.split(",")).map(c -> {
        String[] f = c.substring(0, c.length() - 1).split("x");
        return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1]), c.endsWith("y") ? 1 : 0};
      }).toArray(int[][]::new);
    }
    int entryBytes = (int) Arrays.stream(pool).limit(1000).mapToLong(r -> {
      try {
        return r.entryBytes().length;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).average().orElse(1800);
    System.out.println("(a raw loop on the same disk, interleaved: one thread writing RECORDS x " + entryBytes
        + " bytes then fdatasync, before and after each configuration; ratio = ledger appends/s / raw records/s)");
    System.out.println();
    System.out.println("| producer signature checked on append | threads | records per call | appends/s | calls/s | p50 ack ms | p99 ack ms "
        + "| raw fdatasyncs/s | raw records/s | raw p99 ms | ratio | CPU us per append | with checkpoint + index: appends/s | CPU us per append | load avg |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int[] c : configs) {
      int threads = c[0];
      int batch = c[1];
      boolean verify = c[2] == 1;
      Path dir = base.resolve("append-" + threads + "x" + batch);
      deleteTree(dir);
      double[] raw1 = rawSyncLoop(base, batch, entryBytes, Math.max(1, seconds / 2));
      // Warm up the JIT in the configuration to be measured (same threads, same batch): a single
      // thread making durable calls of one record runs the signature check only a few hundred times a
      // second, so its code was still being compiled, by the same two cores, inside the timed window.
      // The warm-up appends to a ledger of its own, deleted after, so that every record of the timed
      // window is new to the measured ledger: a record already in a ledger is acknowledged without
      // being appended (idempotent retries), and on an idle machine a long warm-up used to run
      // through the pool, so the window then timed those no-ops.
      Path warmDir = base.resolve("warmup-" + threads + "x" + batch);
      deleteTree(warmDir);
      Ledgers.init(warmDir, ORIGIN, LOG, "bench-log");
      try (Ledger w = Ledgers.open(warmDir, LOG, LedgerOptions.builder().verifySignatures(verify).build())) {
        AtomicInteger warmNext = new AtomicInteger();
        long warm = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        onThreads(threads, th -> {
          List<Record> b;
          while (System.nanoTime() < warm && (b = slice(pool, warmNext, batch)) != null) {
            w.appendAll(b);
          }
        });
      }
      deleteTree(warmDir);
      Ledgers.init(dir, ORIGIN, LOG, "bench-log");
      AtomicInteger next = new AtomicInteger();
      List<long[]> lat = new ArrayList<>();
      long[] count = new long[threads];
      long deadline;
      long t0;
      Ledger l = Ledgers.open(dir, LOG, LedgerOptions.builder().verifySignatures(verify).build());
      try {
        long before = l.durableSize();
        java.util.Map<String, long[]> threads0 = THREAD_CPU ? threadCpu() : null;
        long up0 = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long cpu0 = processCpuNanos();
        t0 = System.nanoTime();
        deadline = t0 + seconds * 1_000_000_000L;
        List<List<Long>> per = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          per.add(new ArrayList<>());
        }
        java.util.concurrent.atomic.AtomicLong appenderCpu = new java.util.concurrent.atomic.AtomicLong();
        onThreads(threads, th -> {
          List<Long> mine = per.get(th);
          while (System.nanoTime() < deadline) {
            List<Record> b = slice(pool, next, batch);
            if (b == null) {
              throw new IllegalStateException("the pool of " + pool.length + " signed records ran out inside the "
                  + "timed window (every record must be new to the ledger); raise --pool or lower --seconds");
            }
            long s = System.nanoTime();
            l.appendAll(b);
            mine.add(System.nanoTime() - s);
            count[th] += b.size();
          }
          appenderCpu.addAndGet(java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
        });
        double secs = (System.nanoTime() - t0) / 1e9;
        long total = l.durableSize() - before;
        long cpu1 = processCpuNanos();
        java.util.Map<String, long[]> threads1 = THREAD_CPU ? threadCpu() : null;
        if (threads1 != null) {
          threads1.put("appenders (the benchmark's " + threads + " threads)", new long[] {0, appenderCpu.get()});
        }
        double cpuPerAppend = (cpu1 - cpu0) / 1e3 / Math.max(1, total);
        // Sustained figures: the same appends plus what they leave to do (the checkpoint's tiles and
        // the lookup index catching up, which close() waits for), as a stream that never pauses would pay.
        l.close();
        double secsAll = (System.nanoTime() - t0) / 1e9;
        double cpuAll = (processCpuNanos() - cpu0) / 1e3 / Math.max(1, total);
        List<Long> all = new ArrayList<>();
        per.forEach(all::addAll);
        all.sort(Comparator.naturalOrder());
        double p50 = all.get(all.size() / 2) / 1e6;
        double p99 = all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99))) / 1e6;
        double[] raw2 = rawSyncLoop(base, batch, entryBytes, Math.max(1, seconds / 2));
        double rawSyncs = (raw1[0] + raw2[0]) / 2;
        double rawP99 = Math.max(raw1[1], raw2[1]);
        System.out.printf("| %s | %d | %d | %,.0f | %,.0f | %.2f | %.2f | %,.0f | %,.0f | %.2f | %.2f | %.0f | %,.0f | %.0f | %s |%n",
            verify ? "yes" : "no (trusted producer)", threads, batch, total / secs, all.size() / secs, p50, p99, rawSyncs, rawSyncs * batch,
            rawP99, total / secs / (rawSyncs * batch), cpuPerAppend, total / secsAll, cpuAll, loadAverage());
        lat.add(new long[] {total});
        if (THREAD_CPU) {
          System.out.println("  timed window: JVM uptime " + up0 + " ms + " + seconds + " s");
          printThreadCpu(threads0, threads1, total);
        }
      } finally {
        l.close();
      }
      deleteTree(dir);
    }
  }

  /**
   * The disk's own speed: one thread writing {@code records} x {@code entryBytes} bytes then
   * {@code fdatasync} ({@code force(false)}), for {@code seconds}, growing the file; returns
   * {fdatasyncs/s, p99 ms, p50 ms}.
   */
  static double[] rawSyncLoop(Path base, int records, int entryBytes, int seconds) throws Exception {
    return rawSyncLoop(base, records * entryBytes, seconds, false);
  }

  /**
   * {@link #rawSyncLoop(Path, int, int, int)} for writes of {@code bytes}; with {@code overZeros} the
   * file is first filled with zeros (synced), and the writes overwrite them, as the write-ahead log's
   * group commits do (docs/spec/ledger.md, section 5). The file wraps at 64 MiB either way.
   */
  static double[] rawSyncLoop(Path base, int bytes, int seconds, boolean overZeros) throws Exception {
    Path f = base.resolve("raw-sync-loop.bin");
    long wrapAt = 64L << 20;
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(bytes);
    new Random(1).nextBytes(buf.array());
    List<Long> lat = new ArrayList<>();
    long t0;
    long end;
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
      if (overZeros) {
        java.nio.ByteBuffer z = java.nio.ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < wrapAt + bytes; at += z.capacity()) {
          z.clear();
          while (z.hasRemaining()) {
            ch.write(z);
          }
        }
        ch.force(true);
        ch.position(0);
      }
      t0 = System.nanoTime();
      end = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        long s = System.nanoTime();
        buf.clear();
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
        lat.add(System.nanoTime() - s);
        if (ch.position() > wrapAt) {
          if (!overZeros) {
            ch.truncate(0);
          }
          ch.position(0);
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    Files.deleteIfExists(f);
    lat.sort(Comparator.naturalOrder());
    return new double[] {lat.size() / secs, lat.get(Math.min(lat.size() - 1, (int) (lat.size() * 0.99))) / 1e6,
        lat.get(lat.size() / 2) / 1e6};
  }

  /**
   * CPU time of this whole process (every thread: appenders, committer, checkpointer, JIT, GC), the
   * figure that a loaded machine distorts least; -1 where the JVM does not report it.
   */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
  }

  /**
   * CPU ticks (user, system) of every thread of this process, JVM threads (GC, JIT compiler) included,
   * summed by name with digits removed, from /proc/self/task/TID/stat.
   */
  static java.util.Map<String, long[]> threadCpu() {
    java.util.Map<String, long[]> out = new java.util.TreeMap<>();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (long id : mx.getAllThreadIds()) {
      java.lang.management.ThreadInfo ti = mx.getThreadInfo(id);
      long cpu = mx.getThreadCpuTime(id);
      long user = mx.getThreadUserTime(id);
      if (ti != null && cpu > 0) {
        long[] v = out.computeIfAbsent(ti.getThreadName().replaceAll("[0-9]+", "N"), k -> new long[2]);
        v[0] += user;
        v[1] += cpu - user;
      }
    }
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String st = Files.readString(t.resolve("stat"));
          String name = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("[0-9]+", "N");
          if (!name.startsWith("CN Comp") && !name.startsWith("GC ") && !name.startsWith("GN ") && !name.startsWith("VM ")) {
            continue; // a Java thread, counted above with its full name
          }
          String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
          long[] v = out.computeIfAbsent("jvm: " + name, k -> new long[2]);
          v[0] += Long.parseLong(f[11]) * 10_000_000L; // USER_HZ = 100
          v[1] += Long.parseLong(f[12]) * 10_000_000L;
        } catch (Exception e) {
          // the thread ended
        }
      }
    } catch (Exception e) {
      return out;
    }
    return out;
  }

  static void printThreadCpu(java.util.Map<String, long[]> a, java.util.Map<String, long[]> b, long appends) {
    double tick = 1e-3; // nanoseconds to us
    StringBuilder sb = new StringBuilder("  CPU us per append by thread (user+system, timed window):");
    b.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
        .forEach(e -> {
          long[] z = a.getOrDefault(e.getKey(), new long[2]);
          long u = e.getValue()[0] - z[0];
          long s = e.getValue()[1] - z[1];
          if (u + s > 0) {
            sb.append(String.format(" %s %.0f;", e.getKey(), (u + s) * tick / appends));
          }
        });
    System.out.println(sb);
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  /**
   * The next n records of the pool, each handed out once; null when fewer than n are left (each thread
   * stops at its first null, so the counter cannot overflow).
   */
  static List<Record> slice(Record[] pool, AtomicInteger next, int n) {
    int from = next.getAndAdd(n);
    return from > pool.length - n ? null : Arrays.asList(pool).subList(from, from + n);
  }

  interface Worker {
    void run(int thread) throws Exception;
  }

  /**
   * Runs {@code body} on {@code n} threads at once and waits for all of them; the first failure is
   * thrown here, so a failed appender ends the run instead of leaving a row computed from part of it.
   */
  static void onThreads(int n, Worker body) throws Exception {
    Thread[] ts = new Thread[n];
    java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
    for (int t = 0; t < n; t++) {
      int th = t;
      ts[t] = new Thread(() -> {
        try {
          body.run(th);
        } catch (Exception e) {
          failed.compareAndSet(null, e);
        }
      });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    if (failed.get() != null) {
      throw failed.get();
    }
  }

  static void bigLog(Path base, long n, long seed, boolean lookupsOnly) throws Exception {
    Path dir = base.resolve("big-" + n);
    NoteVerifierKey vkey = LOG.verifierKey(ORIGIN);
    System.out.println();
    System.out.println("## Log of " + n + " records");
    System.out.println();
    if (!Files.exists(dir.resolve("checkpoint")) || Ledgers.openSnapshot(dir, vkey).size() != n) {
      deleteTree(dir);
      Ledgers.init(dir, ORIGIN, LOG, "bench-log");
      long t0 = System.nanoTime();
      // The harness signed these records itself, so the build skips re-checking them on append;
      // the full verify below checks every signature.
      try (Ledger l = Ledgers.open(dir, LOG, LedgerOptions.builder().verifySignatures(false).build())) {
        int chunk = 20_000;
        for (long from = 0; from < n; from += chunk) {
          int k = (int) Math.min(chunk, n - from);
          Record[] rs = records(seed, from, k);
          for (int i = 0; i < k; i += 1024) {
            l.appendAll(Arrays.asList(rs).subList(i, Math.min(k, i + 1024)));
          }
          if ((from / chunk) % 10 == 9) {
            l.checkpoint();
            System.err.printf("built %,d records in %.0f s%n", l.durableSize(), (System.nanoTime() - t0) / 1e9);
          }
        }
        long c0 = System.nanoTime();
        l.checkpoint();
        System.out.printf("- built (sign + append + tiles + index) in %.1f s; final checkpoint %.2f s%n",
            (System.nanoTime() - t0) / 1e9, (System.nanoTime() - c0) / 1e9);
      }
    }
    System.out.printf("- log folder size: %,d MB%n", folderBytes(dir) >> 20);
    // What a reader pays per snapshot (signature, every leaf hash read, root recomputed), and so
    // what verify and serve save by keeping one snapshot per checkpoint.
    StringBuilder opens = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      long t = System.nanoTime();
      try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey)) {
        s.findBySha256("00".repeat(32));
      }
      opens.append(String.format("%s%.0f", i == 0 ? "" : " / ", (System.nanoTime() - t) / 1e6));
    }
    System.out.println("- open a read-only snapshot + one exact look-up, 5 times in one JVM (first is cold): " + opens + " ms");
    Random r = new Random(seed);
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey)) {
      long size = s.size();
      byte[] root = s.checkpoint().rootHash();
      int q = 2000;
      long[] gen = new long[q];
      long[] ver = new long[q];
      long[] rec = new long[q];
      long[] cgen = new long[q];
      long[] cver = new long[q];
      for (int i = 0; i < q; i++) {
        long idx = (long) (r.nextDouble() * size);
        long a = System.nanoTime();
        InclusionProof p = s.inclusionProof(idx);
        long b = System.nanoTime();
        byte[] leaf = Merkle.leafHash(s.entry(idx));
        long c = System.nanoTime();
        p.verify(leaf, root);
        long d = System.nanoTime();
        Receipt rc = s.receipt(idx);
        long e = System.nanoTime();
        gen[i] = b - a;
        ver[i] = d - c;
        rec[i] = e - d;
        long m = 1 + (long) (r.nextDouble() * (size - 1));
        long f = System.nanoTime();
        ConsistencyProof cp = s.consistencyProof(m);
        long g = System.nanoTime();
        cp.verify(s.rootHash(m), root);
        long h = System.nanoTime();
        cgen[i] = g - f;
        cver[i] = h - g;
        if (i == 0) {
          rc.verify(vkey);
        }
      }
      System.out.println();
      System.out.println("| operation (" + q + " random queries) | p50 ms | p99 ms |");
      System.out.println("|---|---:|---:|");
      row("inclusion proof generation", gen);
      row("inclusion proof verification", ver);
      row("receipt (tlog-proof) generation, entry bundle cached", rec);
      row("consistency proof generation", cgen);
      row("consistency proof verification (root of old size computed separately)", cver);

      int lq = 500;
      long[] shaT = new long[lq];
      long[] txtT = new long[lq];
      long[] imgT = new long[lq];
      long[] payT = new long[lq];
      int shaHit = 0;
      int txtHit = 0;
      int imgHit = 0;
      int payHit = 0;
      // Misses first, as a cleaning run sees them: content and signatures that are not in the log.
      // A snapshot's first max(1,000, size/200) exact/text lookups go to the index (LedgerSnapshot's
      // documented rule); the next one builds its in-memory key filter, after which a miss is
      // usually answered from memory.
      long after = Math.max(1000, size / 200);
      int coldDocs = (int) ((after - 1) / 2);
      long[] coldSha = new long[coldDocs];
      long[] coldTxt = new long[coldDocs];
      for (int i = 0; i < coldDocs; i++) {
        String sha = randomHex(r, 32);
        int[] mh = randomMinHash(r);
        long a = System.nanoTime();
        s.findBySha256(sha);
        long b = System.nanoTime();
        s.findText(mh, 0.6, 3);
        coldSha[i] = b - a;
        coldTxt[i] = System.nanoTime() - b;
      }
      for (long i = 2L * coldDocs; i < after - 1; i++) {
        s.findBySha256(randomHex(r, 32));
      }
      System.gc();
      long heap0 = usedHeap();
      long fb0 = System.nanoTime();
      s.findBySha256(randomHex(r, 32));
      double filterBuild = (System.nanoTime() - fb0) / 1e9;
      System.gc();
      long filterHeap = usedHeap() - heap0;
      int mq = 20_000;
      long[] missSha = new long[mq];
      long[] missTxt = new long[mq];
      long[] missBoth = new long[mq];
      int falseHits = 0;
      for (int i = 0; i < mq; i++) {
        String sha = randomHex(r, 32);
        int[] mh = randomMinHash(r);
        long a = System.nanoTime();
        falseHits += s.findBySha256(sha).size();
        long b = System.nanoTime();
        falseHits += s.findText(mh, 0.6, 3).size();
        long c = System.nanoTime();
        missSha[i] = b - a;
        missTxt[i] = c - b;
        missBoth[i] = c - a;
      }
      for (int i = 0; i < lq; i++) {
        long idx = (long) (r.nextDouble() * size);
        Record target = s.get(idx);
        long a = System.nanoTime();
        List<Match> m1 = s.findBySha256(target.contentSha256());
        long b = System.nanoTime();
        int[] mh = target.textMinHash().orElseThrow();
        for (int k = 0; k < 38; k++) {
          mh[r.nextInt(mh.length)] ^= 0x5a5a;
        }
        long c = System.nanoTime();
        List<Match> m2 = s.findText(mh, 0.5, 10);
        long d = System.nanoTime();
        byte[] ph = Hex.decode(target.imageHash().orElseThrow());
        for (int k = 0; k < 20; k++) {
          int bit = r.nextInt(256);
          ph[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        long e = System.nanoTime();
        List<Match> m3 = s.findImage(Hex.encode(ph), 31, 10);
        long f = System.nanoTime();
        RecordQuery pq = RecordQuery.byWatermarkPayload(target.watermarkKeyId().orElseThrow(), target.watermarkPayload().orElseThrow());
        long g = System.nanoTime();
        List<Match> m4 = s.find(pq, 5);
        long h = System.nanoTime();
        shaT[i] = b - a;
        txtT[i] = d - c;
        imgT[i] = f - e;
        payT[i] = h - g;
        shaHit += m1.stream().anyMatch(x -> x.index() == idx) ? 1 : 0;
        txtHit += m2.stream().anyMatch(x -> x.index() == idx) ? 1 : 0;
        imgHit += m3.stream().anyMatch(x -> x.index() == idx) ? 1 : 0;
        payHit += m4.size() == 1 && m4.get(0).index() == idx ? 1 : 0;
      }
      System.out.println();
      System.out.printf("- key filter: built by exact/text lookup number %,d in %.2f s; heap growth %,d MB after GC%n", after, filterBuild,
          filterHeap >> 20);
      System.out.println();
      System.out.println("| miss at " + size + " records (content not in the log) | queries | p50 ms | p99 ms | mean ms |");
      System.out.println("|---|---:|---:|---:|---:|");
      row3("exact contentSha256, before the key filter (first " + coldDocs + " documents of a snapshot)", coldSha);
      row3("text MinHash (signature given), before the key filter", coldTxt);
      row3("exact contentSha256, key filter built", missSha);
      row3("text MinHash (signature given), key filter built", missTxt);
      row3("both, as `clean` does per document, key filter built", missBoth);
      System.out.println("- false hits among the misses: " + falseHits);
      System.out.println();
      System.out.println("| lookup at " + size + " records (" + lq + " queries) | p50 ms | p99 ms | found the target |");
      System.out.println("|---|---:|---:|---:|");
      row2("exact contentSha256", shaT, shaHit, lq);
      row2("text MinHash, up to 38 of 128 positions changed, Jaccard >= 0.5", txtT, txtHit, lq);
      row2("image hash, 20 bits flipped, distance <= 31", imgT, imgHit, lq);
      row2("watermark payload under its key (" + size / 4 + " records per key)", payT, payHit, lq);
    }
    if (lookupsOnly) {
      return;
    }
    long v0 = System.nanoTime();
    VerifyReport rep = Ledgers.verify(dir, vkey, null, null);
    System.out.printf("%n- full `ledger verify` of %,d entries (%d tiles): %.1f s%n", rep.entries(), rep.tiles(), (System.nanoTime() - v0) / 1e9);
    long i0 = System.nanoTime();
    long k = Ledgers.reindex(dir, LOG);
    System.out.printf("- index rebuild (`ledger reindex`) of %,d records: %.1f s%n", k, (System.nanoTime() - i0) / 1e9);
    long o0 = System.nanoTime();
    try (LedgerSnapshot s = Ledgers.openSnapshot(dir, vkey)) {
      System.out.printf("- opening a read-only snapshot (load and check %,d leaf hashes): %.2f s%n", s.size(), (System.nanoTime() - o0) / 1e9);
    }
  }

  static void row(String name, long[] ns) {
    long[] c = ns.clone();
    Arrays.sort(c);
    System.out.printf("| %s | %.3f | %.3f |%n", name, c[c.length / 2] / 1e6, c[(int) (c.length * 0.99)] / 1e6);
  }

  static void row3(String name, long[] ns) {
    long[] c = ns.clone();
    Arrays.sort(c);
    double mean = Arrays.stream(c).average().orElse(0) / 1e6;
    System.out.printf("| %s | %,d | %.4f | %.4f | %.4f |%n", name, c.length, c[c.length / 2] / 1e6, c[(int) (c.length * 0.99)] / 1e6, mean);
  }

  static String randomHex(Random r, int bytes) {
    byte[] b = new byte[bytes];
    r.nextBytes(b);
    return Hex.encode(b);
  }

  static int[] randomMinHash(Random r) {
    int[] mh = new int[Record.MINHASH_LENGTH];
    for (int k = 0; k < mh.length; k++) {
      mh[k] = r.nextInt();
    }
    return mh;
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  static void row2(String name, long[] ns, int hits, int n) {
    long[] c = ns.clone();
    Arrays.sort(c);
    System.out.printf("| %s | %.3f | %.3f | %d / %d |%n", name, c[c.length / 2] / 1e6, c[(int) (c.length * 0.99)] / 1e6, hits, n);
  }

  static long folderBytes(Path p) throws Exception {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  static void deleteTree(Path p) throws Exception {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }
}
