package dev.hallmark.watermark.internal.text;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;

/**
 * SynthID's step after the softmax, for at most 52 layers (docs/spec/text-watermark.md section 2,
 * sampler revision 2): the PRF values of the support and the m layers, {@code p[v] <- p[v] * ((1 +
 * g_l(v)) - G_l)}, with {@code G_l} summed in the spec's 64 interleaved lanes. Bit for bit the spec's
 * (checked by {@code SamplerEquivalenceTest} against a literal transcription).
 *
 * <p>The support is split by lane: half A holds the positions whose lane ({@code i mod 64}) is 0..31,
 * half B lanes 32..63, each in increasing position. Within a half, lane j's terms are every 32nd
 * entry in the spec's order, so a half's 32 lanes are a recurrence at distance 32 that C2 vectorizes,
 * and {@code G_l} is the 64 lane totals added in lane order, exactly as in one array. The halves
 * are independent within a layer, so a second thread can take half B: the two then meet once per
 * layer to exchange lane totals (a spin wait of a few microseconds; a layer takes about 10 µs per
 * half on 50,257 tokens). The three arrays a layer pass touches (about 600 KB per half for GPT-2)
 * also fit one core's L2 cache, where the whole support's 1.2 MB does not.
 *
 * <p>The second thread is borrowed from the common fork-join pool for one step at a time, offered
 * half B when the step starts ({@link #run}, before the softmax) and given it only if it has
 * started by the time the softmax is done: otherwise this thread does both halves
 * itself (same result), so a busy pool or a one-core machine never waits for it. The pool thread
 * spins while it waits for this one (and this one for it) within a step: wall-clock time per step
 * falls by about 0.4 ms on GPT-2's 50,257 tokens, CPU time rises by 0.1-0.5 ms (docs/BENCHMARKS.md).
 * On a loaded machine either thread can be descheduled while the other waits; a step that spent more
 * than a third of its time waiting makes the next steps run alone (backing off exponentially).
 * {@value #SHARED_PROPERTY}{@code =false} keeps every step on the calling thread. Holds scratch
 * arrays: one instance per {@link WatermarkerImpl}, used by one thread at a time.
 */
final class SynthIdTournament {
  /** How the halves are shared: AUTO as above; ALONE always one thread; SHARED always two (tests). */
  enum Mode {
    AUTO,
    ALONE,
    SHARED
  }

  /**
   * System property that turns the second thread off ({@code -Dhallmark.synthid.shared=false}): for
   * servers that already keep every core busy with their own threads, where a borrowed pool thread
   * would only spin. Read when a watermarker is created.
   */
  static final String SHARED_PROPERTY = "hallmark.synthid.shared";

  static Mode defaultMode() {
    String v = System.getProperty(SHARED_PROPERTY, "true").trim();
    if (v.equalsIgnoreCase("true")) {
      return Mode.AUTO;
    }
    if (v.equalsIgnoreCase("false")) {
      return Mode.ALONE;
    }
    throw new IllegalArgumentException(
        "system property " + SHARED_PROPERTY + " must be true or false, got '" + v + "'");
  }

  /** Longest run of steps AUTO takes alone after a step that waited too long for the helper. */
  static final int MAX_BACKOFF = 1024;

  /** Smallest support worth a second thread (below it a step's tournament takes tens of µs). */
  static final int MIN_SHARED = 8192;
  /** Lanes per half; the spec's 64 lanes are two halves. */
  private static final int HALF = 32;
  private static final int LANES = 2 * HALF;
  /** Spins between yields while waiting for the other half. */
  private static final int SPINS = 1 << 10;
  /** How long SHARED mode waits for the pool thread to start before failing. */
  private static final long SHARED_WAIT_NANOS = 60_000_000_000L;

  private final SchemeEngine engine;
  private final Mode mode;
  private final boolean severalCores;
  private final Half a;
  private final Half b;
  /** Lane totals of layer l at [l * 64, l * 64 + 64), lanes in order; half A writes 0..31, B 32..63. */
  private final double[] laneTotals = new double[52 * LANES];

  /** Step number times 4 plus its phase: OPEN (0), JOINED (1, the helper took half B), CLOSED (2). */
  private final AtomicLong state = new AtomicLong();
  private long step;
  /**
   * AUTO backs off when sharing does not pay: a step in which this thread spent more than a third
   * of its time waiting for the helper (it was descheduled: a loaded machine) runs the next
   * {@code backoff} steps alone, doubling up to {@link #MAX_BACKOFF}; a step that pays halves it.
   */
  private long aloneUntil;
  private int backoff = 1;
  private long waitNanos;
  /** The last layer whose lane totals each half has published in the current step. */
  private volatile int aLayer;
  private volatile int bLayer;
  /** The step whose half B the helper finished (or gave up on), and the step this thread abandoned. */
  private volatile long bDone;
  private volatile long aAbandoned;
  private volatile Throwable helperFailure;
  /** The step whose probabilities pd are final (the helper gathers half B's once they are). */
  private volatile long pdReady;

  /**
   * Inputs of the current step, written before the helper is submitted (which publishes them to
   * it), pd before pdReady.
   */
  private boolean shared;
  private int[] support;
  private double[] pd;
  private int n;
  private long seed;
  private int layers;

  SynthIdTournament(SchemeEngine engine, int vocabularySize, Mode mode) {
    this.engine = engine;
    this.mode = mode;
    this.severalCores = Runtime.getRuntime().availableProcessors() >= 2;
    int cap = (vocabularySize + 1) / 2 + HALF;
    this.a = new Half(0, cap);
    this.b = new Half(HALF, cap);
  }

  /**
   * One step on the support {@code support[0..n)} with context seed c and m layers: offers half B to
   * a pool thread, computes half A's PRF values, runs {@code softmax} (which must leave the support's
   * probabilities in pd[0..n); the helper's wake-up and PRF values overlap it), then replaces pd[0..n)
   * by the distribution after the m layers and fills layerSums[0..m).
   */
  void run(int[] support, int n, long c, int m, Runnable softmax, double[] pd, double[] layerSums) {
    start(support, n, c, m);
    boolean finished = false;
    try {
      softmax.run();
      finish(pd, layerSums);
      finished = true;
    } finally {
      long s = step;
      // Close the step; if the helper already took half B, stop it before the next step reuses it.
      if (!finished && shared && !state.compareAndSet(s * 4, s * 4 + 2) && state.get() == s * 4 + 1) {
        stopHelper(s);
      }
    }
  }

  private void start(int[] support, int n, long c, int m) {
    if (m < 1 || m > 52) {
      throw new IllegalArgumentException("layers must be 1..52 here, got " + m);
    }
    this.support = support;
    this.n = n;
    this.seed = c;
    this.layers = m;
    long s = ++step;
    this.shared = mode == Mode.SHARED
        || (mode == Mode.AUTO && severalCores && n >= MIN_SHARED && s >= aloneUntil);
    if (shared) {
      aLayer = -1;
      bLayer = -1;
      state.set(s * 4);
      ForkJoinPool.commonPool().execute(() -> helper(s));
    }
    a.loadIds(support, n, engine, c);
  }

  private void finish(double[] pd, double[] layerSums) {
    long s = step;
    int m = layers;
    boolean joined = shared && join(s);
    if (!joined) {
      b.loadIds(support, n, engine, seed);
      a.loadP(pd, n);
      b.loadP(pd, n);
      layers(m, this::bothTotals, layerSums, a, b);
      a.store(pd, n);
      b.store(pd, n);
      return;
    }
    this.pd = pd;
    pdReady = s;
    long t0 = System.nanoTime();
    waitNanos = 0;
    a.loadP(pd, n);
    layers(m, l -> meetB(l, s), layerSums, a);
    a.store(pd, n);
    awaitB(s);
    if (mode == Mode.AUTO) {
      if (3 * waitNanos > System.nanoTime() - t0) {
        aloneUntil = s + 1 + backoff;
        backoff = Math.min(2 * backoff, MAX_BACKOFF);
      } else {
        backoff = Math.max(1, backoff / 2);
      }
    }
  }

  /** Stops the helper of step s at its next meeting and waits for it to let go of half B. */
  private void stopHelper(long s) {
    aAbandoned = s;
    for (int spins = 0; bDone != s; spins++) {
      pause(spins);
    }
    helperFailure = null;
  }

  /** True if the helper took half B of step s; in AUTO mode closes the step to it otherwise. */
  private boolean join(long s) {
    if (mode == Mode.AUTO) {
      return !state.compareAndSet(s * 4, s * 4 + 2);
    }
    long deadline = System.nanoTime() + SHARED_WAIT_NANOS;
    for (int spins = 0; state.get() != s * 4 + 1; spins++) {
      if (System.nanoTime() - deadline > 0) {
        if (state.compareAndSet(s * 4, s * 4 + 2)) {
          throw new IllegalStateException("no fork-join pool thread started within 60 s");
        }
        break;
      }
      pause(spins);
    }
    return true;
  }

  /**
   * The m layers on the given halves: each layer's lane sums, then {@code meet} publishes them and
   * returns G_l (from both halves' totals), then the update. layerSums (null on the helper) gets G_l.
   */
  private static void layers(int m, IntToDoubleFunction meet, double[] layerSums, Half... halves) {
    long mask = (1L << m) - 1;
    for (Half h : halves) {
      h.first(mask);
    }
    double g = meet.applyAsDouble(0);
    if (layerSums != null) {
      layerSums[0] = g;
    }
    for (int l = 1; l < m; l++) {
      for (Half h : halves) {
        h.pass(g);
      }
      g = meet.applyAsDouble(l);
      if (layerSums != null) {
        layerSums[l] = g;
      }
    }
    for (Half h : halves) {
      h.last(g);
    }
  }

  /** Half B on the pool thread, if step s is still open. */
  private void helper(long s) {
    if (!state.compareAndSet(s * 4, s * 4 + 1)) {
      return; // this thread already did half B itself
    }
    try {
      int m = layers;
      b.loadIds(support, n, engine, seed);
      for (int spins = 0; pdReady != s; spins++) {
        if (aAbandoned == s) {
          throw new IllegalStateException("step abandoned");
        }
        pause(spins);
      }
      b.loadP(pd, n);
      layers(m, l -> meetA(l, s), null, b);
      b.store(pd, n);
    } catch (Throwable t) {
      if (aAbandoned != s) {
        helperFailure = t;
      }
    } finally {
      bDone = s;
    }
  }

  /** Publishes half A's lane totals of layer l and returns G_l once half B's are in. */
  private double meetB(int l, long s) {
    a.lanes(laneTotals, l * LANES);
    aLayer = l;
    if (bLayer < l) {
      long w = System.nanoTime();
      for (int spins = 0; bLayer < l; spins++) {
        // The helper publishes its last layer before it finishes: re-read bLayer after bDone.
        if (bDone == s && bLayer < l) {
          throw helperFailed();
        }
        pause(spins);
      }
      waitNanos += System.nanoTime() - w;
    }
    return total(l);
  }

  /** The same on the helper's side; gives up (throws) if this thread abandoned the step. */
  private double meetA(int l, long s) {
    b.lanes(laneTotals, l * LANES);
    bLayer = l;
    for (int spins = 0; aLayer < l; spins++) {
      if (aAbandoned == s) {
        throw new IllegalStateException("step abandoned");
      }
      pause(spins);
    }
    return total(l);
  }

  private void awaitB(long s) {
    if (bDone != s) {
      long w = System.nanoTime();
      for (int spins = 0; bDone != s; spins++) {
        pause(spins);
      }
      waitNanos += System.nanoTime() - w;
    }
    if (helperFailure != null) {
      throw helperFailed();
    }
  }

  private IllegalStateException helperFailed() {
    Throwable t = helperFailure;
    helperFailure = null;
    return new IllegalStateException("SynthID sampling on the second thread failed: " + t, t);
  }

  private static void pause(int spins) {
    if (spins % SPINS == SPINS - 1) {
      Thread.yield();
    } else {
      Thread.onSpinWait();
    }
  }

  private double bothTotals(int l) {
    a.lanes(laneTotals, l * LANES);
    b.lanes(laneTotals, l * LANES);
    return total(l);
  }

  /** G_l: the 64 lane totals of layer l added in lane order. */
  private double total(int l) {
    double[] t = laneTotals;
    int o = l * LANES;
    double g = 0;
    for (int j = 0; j < LANES; j++) {
      g += t[o + j];
    }
    return g;
  }

  /** The positions of one lane half, in increasing position, with their arrays. */
  private static final class Half {
    /** First lane of the half: 0 (A) or 32 (B). */
    private final int lane0;
    private final long[] ids;
    private final long[] rv;
    private final double[] p;
    /** floor(r_v / 2^l) at the start of layer l (exact: at most 52 bits). */
    private final double[] q;
    /** The lanes' running sums: HALF zeros, then one per entry (t[k + HALF] = t[k] + term k). */
    private final double[] t;
    private final SipHash.Batch batch = new SipHash.Batch();
    private int size;

    Half(int lane0, int capacity) {
      this.lane0 = lane0;
      this.ids = new long[capacity];
      this.rv = new long[capacity];
      this.p = new double[capacity];
      this.q = new double[capacity];
      this.t = new double[capacity + HALF];
    }

    /** Gathers the half's token ids from support order and computes their PRF values. */
    void loadIds(int[] support, int n, SchemeEngine engine, long c) {
      int k = 0;
      for (int s = lane0; s < n; s += LANES) {
        int len = Math.min(HALF, n - s);
        for (int j = 0; j < len; j++) {
          ids[k + j] = support[s + j];
        }
        k += len;
      }
      size = k;
      engine.tokenValues(c, ids, k, rv, batch);
    }

    /** Gathers the half's probabilities from support order. */
    void loadP(double[] pd, int n) {
      move(pd, n, true);
    }

    /** Writes the half's probabilities back to support order. */
    void store(double[] pd, int n) {
      move(pd, n, false);
    }

    /** Copies the half's blocks of up to 32 positions between pd (support order) and p. */
    private void move(double[] pd, int n, boolean gather) {
      int k = 0;
      for (int s = lane0; s < n; s += LANES) {
        int len = Math.min(HALF, n - s);
        if (gather) {
          System.arraycopy(pd, s, p, k, len);
        } else {
          System.arraycopy(p, k, pd, s, len);
        }
        k += len;
      }
    }

    /**
     * Layer 0's lane sums of p * g_0. Bits are taken as parities of exact doubles: with q =
     * floor(r / 2^l), bit l is q - 2 * floor(q / 2), every operation exact below 2^53.
     */
    void first(long mask) {
      int k = size;
      for (int i = 0; i < k; i++) {
        double v = (double) (rv[i] & mask);
        q[i] = v;
        double bit = v - 2 * Math.floor(v * 0.5);
        t[i + HALF] = t[i] + p[i] * bit;
      }
    }

    /** Layer l's update with G = g (bit l, fused) and layer l+1's lane sums. */
    void pass(double g) {
      int k = size;
      for (int i = 0; i < k; i++) {
        double v = q[i];
        double v1 = Math.floor(v * 0.5);
        double b0 = v - 2 * v1;
        double b1 = v1 - 2 * Math.floor(v1 * 0.5);
        q[i] = v1;
        double x = p[i] * ((1 + b0) - g);
        p[i] = x;
        t[i + HALF] = t[i] + x * b1;
      }
    }

    /** The last layer's update. */
    void last(double g) {
      int k = size;
      for (int i = 0; i < k; i++) {
        double v = q[i];
        double b0 = v - 2 * Math.floor(v * 0.5);
        p[i] = p[i] * ((1 + b0) - g);
      }
    }

    /** The half's 32 lane totals into out[off + lane0 ..): lane j's last running sum, or 0. */
    void lanes(double[] out, int off) {
      int k = size;
      for (int j = 0; j < HALF; j++) {
        out[off + lane0 + j] = t[k + Math.floorMod(j - k, HALF)];
      }
    }
  }
}
