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
 */
public final class WatermarkerImpl implements TextWatermarker {
  static final double CUTOFF = 50.0;

  private final SchemeEngine engine;
  private final int vocab;
  private final WatermarkFacts facts;
  private final int[] support;
  private final double[] p;
  private final long[] tokenBits;
  private final double[] synthP;
  private final double[] synthFactor = new double[2];
  private final long[] scratch = new long[16];

  public WatermarkerImpl(SchemeEngine engine, int vocabularySize, String tokenizer) {
    if (vocabularySize < 2 || vocabularySize > (1 << 24)) {
      throw new IllegalArgumentException("vocabulary size must be 2..16777216, got " + vocabularySize);
    }
    this.engine = engine;
    this.vocab = vocabularySize;
    this.facts = WatermarkFacts.of(engine.params, tokenizer, engine.keyId);
    this.support = new int[vocabularySize];
    this.p = new double[vocabularySize];
    this.tokenBits = engine.scheme == Scheme.SYNTHID ? new long[vocabularySize] : null;
    this.synthP = engine.scheme == Scheme.SYNTHID ? new double[vocabularySize] : null;
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
    int n = collectSupport(logits);
    float d = (float) engine.params.delta();
    if (engine.scheme == Scheme.KGW_SELFHASH) {
      long ctxMin = engine.selfHashMinContext(tokens, length, scratch);
      for (int i = 0; i < n; i++) {
        int v = support[i];
        if (engine.selfGreen(ctxMin, v, scratch)) {
          logits[v] += d;
        }
      }
    } else {
      long c = engine.contextSeed(tokens, length, scratch);
      for (int i = 0; i < n; i++) {
        int v = support[i];
        if (engine.green(c, v)) {
          logits[v] += d;
        }
      }
    }
  }

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
      if (logits[v] >= floor) {
        support[n++] = v;
      }
    }
    return n;
  }

  /** Fills p[support[i]] with the softmax over the support; returns the support size. */
  private int softmax(float[] logits, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, logits[support[i]]);
    }
    double z = 0;
    for (int i = 0; i < n; i++) {
      int v = support[i];
      double e = Math.exp(logits[v] - max);
      p[v] = e;
      z += e;
    }
    for (int i = 0; i < n; i++) {
      p[support[i]] /= z;
    }
    return n;
  }

  private int draw(int n, RandomGenerator random) {
    double u = random.nextDouble();
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += p[support[i]];
      if (u < acc) {
        return support[i];
      }
    }
    // Rounding left u above the total: take the last token with non-zero probability.
    for (int i = n - 1; i >= 0; i--) {
      if (p[support[i]] > 0) {
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

  @Override
  public int sample(float[] logits, int[] tokens, int length, RandomGenerator random) {
    checkArgs(logits, tokens, length);
    int n = collectSupport(logits);
    boolean noContext = length < engine.firstPosition();
    switch (engine.scheme) {
      case KGW, KGW_SELFHASH, UNIGRAM -> {
        if (noContext) {
          softmax(logits, n);
          return draw(n, random);
        }
        double d = engine.params.delta();
        double max = Double.NEGATIVE_INFINITY;
        long c = 0;
        long ctxMin = 0;
        if (engine.scheme == Scheme.KGW_SELFHASH) {
          ctxMin = engine.selfHashMinContext(tokens, length, scratch);
        } else {
          c = engine.contextSeed(tokens, length, scratch);
        }
        for (int i = 0; i < n; i++) {
          int v = support[i];
          boolean g = engine.scheme == Scheme.KGW_SELFHASH
              ? engine.selfGreen(ctxMin, v, scratch) : engine.green(c, v);
          double l = logits[v] + (g ? d : 0);
          p[v] = l;
          max = Math.max(max, l);
        }
        double z = 0;
        for (int i = 0; i < n; i++) {
          int v = support[i];
          double e = Math.exp(p[v] - max);
          p[v] = e;
          z += e;
        }
        for (int i = 0; i < n; i++) {
          p[support[i]] /= z;
        }
        return draw(n, random);
      }
      case GUMBEL -> {
        softmax(logits, n);
        if (noContext || contextSeenBefore(tokens, length, engine.h)) {
          // A repeated context would repeat the same deterministic choice (and loop); detection
          // ignores repeats anyway, so sample without the watermark.
          return draw(n, random);
        }
        long c = engine.contextSeed(tokens, length, scratch);
        int best = support[0];
        double bestKey = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          int v = support[i];
          double pv = p[v];
          if (pv <= 0) {
            continue;
          }
          double u = SchemeEngine.uOpen(engine.tokenValue(c, v));
          double key = Math.log(u) / pv;
          if (key > bestKey) {
            bestKey = key;
            best = v;
          }
        }
        return best;
      }
      case SYNTHID -> {
        softmax(logits, n);
        if (noContext) {
          return draw(n, random);
        }
        long c = engine.contextSeed(tokens, length, scratch);
        // Dense copies in support order, and branch-free loops: the bits are random, so branches
        // would mispredict half the time (about 8x slower over a 50k vocabulary). p * 1.0 and
        // p * 0.0 are exact and g + 0.0 == g, so the sums and products are bit for bit the spec's.
        double[] pd = synthP;
        for (int i = 0; i < n; i++) {
          int v = support[i];
          tokenBits[i] = engine.tokenValue(c, v);
          pd[i] = p[v];
        }
        int m = engine.params.layers();
        double[] factor = synthFactor;
        for (int l = 0; l < m; l++) {
          double g = 0;
          for (int i = 0; i < n; i++) {
            g += pd[i] * (double) ((tokenBits[i] >>> l) & 1);
          }
          factor[0] = 1 - g;
          factor[1] = 2 - g;
          for (int i = 0; i < n; i++) {
            pd[i] *= factor[(int) ((tokenBits[i] >>> l) & 1)];
          }
        }
        for (int i = 0; i < n; i++) {
          p[support[i]] = pd[i];
        }
        return draw(n, random);
      }
      default -> throw new IllegalStateException();
    }
  }
}
