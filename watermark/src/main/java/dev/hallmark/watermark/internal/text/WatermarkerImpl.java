package dev.hallmark.watermark.internal.text;

import dev.hallmark.watermark.text.LogitsProcessor;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextWatermarker;
import dev.hallmark.watermark.text.WatermarkFacts;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Sampling for every scheme. Tokens whose logit is {@code -Infinity} or more than {@link #CUTOFF}
 * below the maximum have probability below e^-50 and are treated as impossible. Holds scratch
 * buffers: one instance per thread.
 *
 * <p>Every step does what docs/spec/text-watermark.md defines, bit for bit, but arranged for speed
 * (a step visits every vocabulary token, 50k-250k of them): the support is kept in dense arrays in
 * id order, the per-token PRF values of a step are computed in one batch ({@link SipHash.Batch},
 * vectorized, the SipHash state after the context seed computed once), Unigram's fixed green list
 * and SelfHash's per-token hashes are computed once per instance, Gumbel skips the logarithm of
 * tokens that provably cannot win, and SynthID's layers run as branch-free loops of plain double
 * arithmetic that C2 vectorizes, its layer sums in the spec's 64 interleaved lanes (which is what
 * lets them vectorize, and lets a second core take half of the lanes: {@link SynthIdTournament}).
 * {@code SamplerEquivalenceTest}
 * checks all of it against a literal transcription of the spec.
 */
public final class WatermarkerImpl implements TextWatermarker {
  static final double CUTOFF = 50.0;
  /**
   * SynthID's layer sum G is taken in this many interleaved lanes (spec section 2, sampler revision
   * 2). A compile-time constant: C2 vectorizes the lane recurrence only at a constant distance.
   */
  static final int LANES = 64;

  private final SchemeEngine engine;
  private final int vocab;
  private final WatermarkFacts facts;
  private final SipHash.Batch batch = new SipHash.Batch();
  /** The support's token ids in increasing order, as ints and zero-extended to longs. */
  private final int[] support;
  private final long[] ids;
  /** Dense per support entry: the logit (as a double), probability, PRF value. */
  private final double[] lg;
  private final double[] pd;
  private final long[] rv;
  private final long[] scratch = new long[16];
  /** SynthID with m > 52: the spec's lane running sums, LANES zeros then one entry per support position. */
  private final double[] lanes;
  /** SynthID with m <= 52 (every preset). */
  private final SynthIdTournament synthId;
  private final double[] layerSums = new double[64];
  /** Size and largest logit of the support of the last step. */
  private int supportSize;
  private double supportMax;
  /** green[i] of support[i] (KGW, SelfHash, Unigram), allocated on first use. */
  private boolean[] greenScratch;
  /** Unigram: green(0, v) for every v, computed on first use. */
  private boolean[] unigramGreen;
  /** KGW SelfHash: e(v) for every v, computed on first use. */
  private long[] selfHashes;

  public WatermarkerImpl(SchemeEngine engine, int vocabularySize, String tokenizer) {
    this(engine, vocabularySize, tokenizer, SynthIdTournament.defaultMode());
  }

  /** With SynthID's tournament shared as the mode says (tests check each mode against the spec). */
  WatermarkerImpl(SchemeEngine engine, int vocabularySize, String tokenizer, SynthIdTournament.Mode mode) {
    if (vocabularySize < 2 || vocabularySize > (1 << 24)) {
      throw new IllegalArgumentException("vocabulary size must be 2..16777216, got " + vocabularySize);
    }
    this.engine = engine;
    this.vocab = vocabularySize;
    this.facts = WatermarkFacts.of(engine.params, tokenizer, engine.keyId);
    this.support = new int[vocabularySize];
    this.ids = new long[vocabularySize];
    this.lg = new double[vocabularySize];
    this.pd = new double[vocabularySize];
    this.rv = new long[vocabularySize];
    boolean synthIdScheme = engine.scheme == Scheme.SYNTHID;
    boolean wide = engine.params.layers() > 52;
    this.lanes = synthIdScheme && wide ? new double[vocabularySize + LANES] : null;
    this.synthId = synthIdScheme && !wide ? new SynthIdTournament(engine, vocabularySize, mode) : null;
  }

  @Override
  public WatermarkFacts facts() {
    return facts;
  }

  @Override
  public int vocabularySize() {
    return vocab;
  }

  @Override
  public Optional<LogitsProcessor> logitsProcessor() {
    if (engine.scheme == Scheme.KGW || engine.scheme == Scheme.KGW_SELFHASH || engine.scheme == Scheme.UNIGRAM) {
      return Optional.of(this::bias);
    }
    return Optional.empty();
  }

  private void checkArgs(float[] logits, int[] tokens, int length) {
    if (logits.length != vocab) {
      throw new IllegalArgumentException("logits has " + logits.length + " entries, vocabulary is " + vocab);
    }
    if (length < 0 || length > tokens.length) {
      throw new IllegalArgumentException("length " + length + " outside tokens[0.." + tokens.length + "]");
    }
  }

  /** Adds delta to green logits of the support (KGW, Unigram), in place. */
  private void bias(float[] logits, int[] tokens, int length) {
    checkArgs(logits, tokens, length);
    if (length < engine.firstPosition()) {
      return;
    }
    boolean[] green = greenOfSupport(tokens, length, collectSupport(logits));
    float d = (float) engine.params.delta();
    int n = supportSize;
    for (int i = 0; i < n; i++) {
      if (green[i]) {
        logits[support[i]] += d;
      }
    }
  }

  /**
   * green[i] for the support token support[i] (KGW, SelfHash, Unigram) at position {@code length};
   * returns a scratch array valid until the next call.
   */
  private boolean[] greenOfSupport(int[] tokens, int length, int n) {
    if (greenScratch == null) {
      greenScratch = new boolean[vocab];
    }
    boolean[] green = greenScratch;
    double gamma = engine.gamma;
    switch (engine.scheme) {
      case UNIGRAM -> {
        boolean[] all = unigramGreen();
        for (int i = 0; i < n; i++) {
          green[i] = all[support[i]];
        }
        return green;
      }
      case KGW_SELFHASH -> {
        // Seed of candidate v: the unsigned minimum of the context's hashes and v's own.
        long ctxMin = engine.selfHashMinContext(tokens, length, scratch);
        long[] e = selfHashes();
        long bias = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
          long hv = e[support[i]];
          rv[i] = (hv + bias) < (ctxMin + bias) ? hv : ctxMin;
        }
        engine.tokenValues(rv, ids, n, rv, batch);
      }
      default -> engine.tokenValues(engine.contextSeed(tokens, length, scratch), ids, n, rv, batch);
    }
    for (int i = 0; i < n; i++) {
      green[i] = SchemeEngine.u53(rv[i]) < gamma;
    }
    return green;
  }

  private boolean[] unigramGreen() {
    if (unigramGreen == null) {
      long[] all = new long[vocab];
      for (int v = 0; v < vocab; v++) {
        all[v] = v;
      }
      long[] r = new long[vocab];
      engine.tokenValues(0, all, vocab, r, batch);
      boolean[] g = new boolean[vocab];
      for (int v = 0; v < vocab; v++) {
        g[v] = SchemeEngine.u53(r[v]) < engine.gamma;
      }
      unigramGreen = g;
    }
    return unigramGreen;
  }

  private long[] selfHashes() {
    if (selfHashes == null) {
      long[] all = new long[vocab];
      for (int v = 0; v < vocab; v++) {
        all[v] = v;
      }
      long[] e = new long[vocab];
      engine.selfTokenHashes(all, vocab, e, batch);
      selfHashes = e;
    }
    return selfHashes;
  }

  /** Fills support, ids and lg with the tokens within CUTOFF of the maximum logit, in id order. */
  private int collectSupport(float[] logits) {
    float max = Float.NEGATIVE_INFINITY;
    for (float f : logits) {
      if (f > max) {
        max = f;
      }
    }
    if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max)) {
      throw new IllegalArgumentException("logits have no finite entry");
    }
    double floor = max - CUTOFF;
    int n = 0;
    for (int v = 0; v < logits.length; v++) {
      // Branch-free compaction: entry n is overwritten unless v is kept.
      float f = logits[v];
      support[n] = v;
      ids[n] = v;
      lg[n] = f;
      n += f >= floor ? 1 : 0;
    }
    supportSize = n;
    supportMax = max;
    return n;
  }

  /**
   * Fills pd[0..n) with the softmax of lg[0..n). The maximum subtracted is the largest logit (the
   * spec's max over the support; it can differ from a Math.max fold only in the sign of a zero,
   * which leaves every lg[i] - max, and so every exp, unchanged).
   */
  private void softmax(int n) {
    double max = supportMax;
    double z = 0;
    for (int i = 0; i < n; i++) {
      double e = Math.exp(lg[i] - max);
      pd[i] = e;
      z += e;
    }
    for (int i = 0; i < n; i++) {
      pd[i] /= z;
    }
  }

  private int draw(int n, RandomGenerator random) {
    double u = random.nextDouble();
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += pd[i];
      if (u < acc) {
        return support[i];
      }
    }
    // Rounding left u above the total: take the last token with non-zero probability.
    for (int i = n - 1; i >= 0; i--) {
      if (pd[i] > 0) {
        return support[i];
      }
    }
    return support[n - 1];
  }

  /** True if x[len-h..len) also occurs ending at some earlier position j (h <= j < len). */
  static boolean contextSeenBefore(int[] x, int len, int h) {
    outer:
    for (int j = len - 1; j >= h; j--) {
      for (int i = 1; i <= h; i++) {
        if (x[j - i] != x[len - i]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The distribution the last {@link #sample} drew from, as (token, probability) in id order; for tests. */
  double[] lastDistribution(int[] tokensOut) {
    int n = supportSize;
    System.arraycopy(support, 0, tokensOut, 0, n);
    return java.util.Arrays.copyOf(pd, n);
  }

  @Override
  public int sample(float[] logits, int[] tokens, int length, RandomGenerator random) {
    checkArgs(logits, tokens, length);
    int n = collectSupport(logits);
    boolean noContext = length < engine.firstPosition();
    switch (engine.scheme) {
      case KGW, KGW_SELFHASH, UNIGRAM -> {
        if (noContext) {
          softmax(n);
          return draw(n, random);
        }
        boolean[] green = greenOfSupport(tokens, length, n);
        double d = engine.params.delta();
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          double l = lg[i] + (green[i] ? d : 0);
          pd[i] = l;
          // Not Math.max (a slower fold): no l is NaN, and a max that differs only in the sign of
          // a zero gives the same l - max below.
          if (l > max) {
            max = l;
          }
        }
        double z = 0;
        for (int i = 0; i < n; i++) {
          double e = Math.exp(pd[i] - max);
          pd[i] = e;
          z += e;
        }
        for (int i = 0; i < n; i++) {
          pd[i] /= z;
        }
        return draw(n, random);
      }
      case GUMBEL -> {
        softmax(n);
        if (noContext || contextSeenBefore(tokens, length, engine.h)) {
          // A repeated context would repeat the same deterministic choice (and loop); detection
          // ignores repeats anyway, so sample without the watermark.
          return draw(n, random);
        }
        engine.tokenValues(engine.contextSeed(tokens, length, scratch), ids, n, rv, batch);
        return gumbelChoice(n);
      }
      case SYNTHID -> {
        if (noContext) {
          softmax(n);
          return draw(n, random);
        }
        long c = engine.contextSeed(tokens, length, scratch);
        int m = engine.params.layers();
        if (m <= 52) {
          synthId.run(support, n, c, m, () -> softmax(n), pd, layerSums);
        } else {
          softmax(n);
          engine.tokenValues(c, ids, n, rv, batch);
          tournamentLongBits(n, m);
        }
        return draw(n, random);
      }
      default -> throw new IllegalStateException();
    }
  }

  /**
   * argmax over the support of ln(U°(r)) / p, ties to the lowest id. The key is negative and at
   * most (u - 1) / p (ln u <= u - 1), so a token whose bound is below the best key so far cannot
   * win and needs no logarithm. The test compares (u - 1) * 0.999999 with bestKey * p: with the
   * roundings of both sides (a few 2^-53 relative) and of the key itself (ln within 1 ulp, one
   * division), passing it implies computed key < bestKey * 1.000001 <= bestKey, so skipping never
   * changes the result (most tokens are skipped once a good key is found).
   */
  private int gumbelChoice(int n) {
    int best = support[0];
    double bestKey = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double pv = pd[i];
      if (pv <= 0) {
        continue;
      }
      double u = SchemeEngine.uOpen(rv[i]);
      if ((u - 1.0) * 0.999999 < bestKey * pv) {
        continue;
      }
      double key = Math.log(u) / pv;
      if (key > bestKey) {
        bestKey = key;
        best = support[i];
      }
    }
    return best;
  }

  /**
   * SynthID's layer sum for the current layer: the spec's G, the terms q_i (support position i) added
   * in {@link #LANES} interleaved lanes, then the lanes in order. Lane j's running sum after term i
   * (i = j mod LANES) is in lanes[i + LANES], so the final value of lane j is in the one index of
   * [n, n + LANES) that is j mod LANES (lanes[0..LANES) stay 0: a lane without terms is 0).
   */
  private double laneTotal(int n) {
    double[] t = lanes;
    double g = 0;
    for (int j = 0; j < LANES; j++) {
      g += t[n + Math.floorMod(j - n, LANES)];
    }
    return g;
  }

  /**
   * SynthID's layers for m > 52 (up to 64), g_l(i) = bit l of rv[i], in one array of lanes ({@link
   * SynthIdTournament} does m <= 52, the parameters every preset uses).
   */
  private void tournamentLongBits(int n, int m) {
    double[] t = lanes;
    for (int i = 0; i < n; i++) {
      t[i + LANES] = t[i] + pd[i] * (double) (rv[i] & 1);
    }
    double g = laneTotal(n);
    layerSums[0] = g;
    for (int l = 1; l <= m; l++) {
      double f0 = 1 - g;
      double f1 = 2 - g;
      int pl = l - 1;
      for (int i = 0; i < n; i++) {
        long r = rv[i];
        double x = pd[i] * (((r >>> pl) & 1) == 0 ? f0 : f1);
        pd[i] = x;
        if (l < m) {
          t[i + LANES] = t[i] + x * (double) ((r >>> l) & 1);
        }
      }
      if (l < m) {
        g = laneTotal(n);
        layerSums[l] = g;
      }
    }
  }

  /** SynthID's layer sums G_0..G_{m-1} of the last watermarked step; for the spec's vectors. */
  double[] lastLayerSums(int m) {
    return java.util.Arrays.copyOf(layerSums, m);
  }
}
