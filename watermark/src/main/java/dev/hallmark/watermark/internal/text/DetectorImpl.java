package dev.hallmark.watermark.internal.text;

import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextDetectionResult;
import dev.hallmark.watermark.text.TextDetector;
import dev.hallmark.watermark.text.Tokenizer;

/**
 * Detection for one key and scheme: first-occurrence filtering, exact p-values, and optionally the
 * windowed (copy-paste) scan, which shares the test's false-positive budget with the whole-text test
 * (half each, the windows' half split evenly among them) instead of taxing it. Immutable and
 * thread-safe (all working state is per call).
 */
public final class DetectorImpl implements TextDetector {
  /** Smallest window of the scan, in scored tokens. */
  public static final int MIN_WINDOW = 32;
  private static final double LN10 = Math.log(10);

  private final SchemeEngine engine;
  private final Tokenizer tokenizer;
  private final double alpha;
  private final boolean windowed;
  private final int maxTokens;
  /**
   * When the PRF seed is a function of the previous token alone (context width 1, not SelfHash: KGW's
   * default LeftHash), {@link SchemeEngine#contextSeed} of every token id of the vocabulary, computed
   * once here (one SipHash per id, about 3 ms for r50k_base) instead of once per scored position of
   * every text; null otherwise. Same seeds, so the same scores.
   */
  private final long[] seedAfter;

  /** Vocabularies above this size get no seed table (memory); their seeds are computed per text. */
  static final int MAX_SEED_TABLE = 1 << 18;

  public DetectorImpl(SchemeEngine engine, Tokenizer tokenizer, double alpha, boolean windowed, int maxTokens) {
    this.engine = engine;
    this.tokenizer = tokenizer;
    this.alpha = alpha;
    this.windowed = windowed;
    this.maxTokens = maxTokens;
    this.seedAfter = tokenizer == null ? null : seedTable(engine, tokenizer.vocabularySize());
  }

  private static long[] seedTable(SchemeEngine engine, int vocab) {
    if (engine.firstPosition() != 1 || engine.scheme == Scheme.KGW_SELFHASH || vocab <= 0 || vocab > MAX_SEED_TABLE) {
      return null;
    }
    long[] seeds = new long[vocab];
    long[] scratch = new long[16];
    int[] one = new int[1];
    for (int v = 0; v < vocab; v++) {
      one[0] = v;
      seeds[v] = engine.contextSeed(one, 1, scratch);
    }
    return seeds;
  }

  @Override
  public TextDetectionResult detect(String text) {
    Prepared prep = Prepared.of(text, tokenizer, maxTokens);
    return run(prep.tokens, prep.truncated, prep);
  }

  @Override
  public TextDetectionResult detectTokens(int[] tokens) {
    boolean truncated = tokens.length > maxTokens;
    int[] t = truncated ? java.util.Arrays.copyOf(tokens, maxTokens) : tokens;
    return run(t, truncated, null);
  }

  /** Scores of the first occurrences: positions and per-token scores, in text order. */
  record Scored(int[] positions, double[] scores, int n) {}

  Scored scoreAll(int[] x) {
    int first = engine.firstPosition();
    int total = Math.max(0, x.length - first);
    int[] pos = new int[total];
    double[] sc = new double[total];
    SeedTokenSet seen = new SeedTokenSet(Math.min(total, 1 << 16));
    long[] scratch = new long[16];
    long[] selfHashes = engine.selfTokenHashes(x, scratch);
    int n = 0;
    for (int t = first; t < x.length; t++) {
      long c;
      if (selfHashes != null) {
        c = engine.selfHashSeed(selfHashes, t);
      } else if (seedAfter != null && x[t - 1] >= 0 && x[t - 1] < seedAfter.length) {
        c = seedAfter[x[t - 1]];
      } else {
        c = engine.contextSeed(x, t, scratch);
      }
      if (!seen.add(c, x[t])) {
        continue;
      }
      pos[n] = t;
      sc[n] = engine.score(c, x[t]);
      n++;
    }
    return new Scored(pos, sc, n);
  }

  TextDetectionResult run(int[] x, boolean truncated, Prepared prep) {
    return runScored(x, truncated, prep).result();
  }

  /** A result with what the family-wise correction needs: the number of scored tokens and ln p. */
  record Run(TextDetectionResult result, int scored, double logP) {}

  Run runScored(int[] x, boolean truncated, Prepared prep) {
    return fromScoresRun(scoreAll(x), x, truncated, prep);
  }

  /**
   * ln of an upper bound on P(this test's p-value <= x) under the null, for a text with {@code n}
   * scored tokens (docs/spec/text-watermark.md, "Many keys and schemes"): the whole text's attainable
   * level at f·x plus, per window length w, the number of windows of that length times the attainable
   * level of a w-token window at (1 - f)·x / W. Never above x (each term is at most its argument) and
   * equal to x for a whole-text test whose p-value x is; depends on the text only through n.
   */
  double logNullAtMost(int n, double logX) {
    if (logX >= 0) {
      return 0.0;
    }
    int windows = windowed ? windowCount(n) : 0;
    if (windows == 0) {
      return Math.min(logX, engine.logNullAtMost(n, logX));
    }
    double f = WHOLE_TEXT_SHARE;
    double acc = logSumExp(Double.NEGATIVE_INFINITY, engine.logNullAtMost(n, logX + Math.log(f)));
    double perWindow = logX + Math.log(1 - f) - Math.log(windows);
    for (int w = MIN_WINDOW; w + MIN_WINDOW <= n; w *= 2) {
      int count = (n - w) / (w / 2) + 1;
      acc = logSumExp(acc, Math.log(count) + engine.logNullAtMost(w, perWindow));
    }
    return Math.min(logX, acc);
  }

  static double logSumExp(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double m = Math.max(a, b);
    return m + Math.log1p(Math.exp(Math.min(a, b) - m));
  }

  /**
   * Fewest scored tokens a text needs for the window scan. Shorter texts (under about 1 KB of
   * English) are tested whole with the full budget: a pasted passage there is a large share of the
   * text, which the whole-text test finds, while halving its budget would cost wholly generated short
   * texts power (issue #14).
   */
  public static final int MIN_SCAN = 256;

  /** The whole text's share of the test's false-positive budget when windows are scanned. */
  public static final double WHOLE_TEXT_SHARE = 0.5;

  /**
   * Number of windows the scan tests over {@code n} scored tokens: none below {@link #MIN_SCAN}, else
   * lengths {@code w = 32, 64, ...} with {@code w + 32 <= n} (a window leaves at least a smallest
   * window's worth of text outside it), stride {@code w/2}.
   */
  public static int windowCount(int n) {
    if (n < MIN_SCAN) {
      return 0;
    }
    int count = 0;
    for (int w = MIN_WINDOW; w + MIN_WINDOW <= n; w *= 2) {
      count += (n - w) / (w / 2) + 1;
    }
    return count;
  }

  TextDetectionResult fromScores(Scored s, int[] x, boolean truncated, Prepared prep) {
    return fromScoresRun(s, x, truncated, prep).result();
  }

  Run fromScoresRun(Scored s, int[] x, boolean truncated, Prepared prep) {
    int n = s.n;
    double[] prefix = new double[n + 1];
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = prefix[i] + s.scores[i];
    }
    // Split Bonferroni (docs/spec/text-watermark.md, "Correction"): the whole text is judged with
    // share f of this test's budget and the best of the W windows with share (1 - f) / W, so
    // p = min(p_whole / f, W * p_window / (1 - f)), capped at 1. With no windows, f = 1.
    double wholeLogP = engine.logPValue(n, prefix[n]);
    int windows = windowed ? windowCount(n) : 0;
    double f = windows > 0 ? WHOLE_TEXT_SHARE : 1.0;
    double bestLogP = wholeLogP - Math.log(f);
    int bestStart = 0;
    int bestEnd = n;
    if (windows > 0) {
      double windowCost = Math.log(windows) - Math.log(1 - f);
      for (int w = MIN_WINDOW; w + MIN_WINDOW <= n; w *= 2) {
        int stride = w / 2;
        // For a fixed length the p-value only falls as the score rises, so only the first
        // highest-scoring window of each length can win.
        int top = -1;
        double topSum = Double.NEGATIVE_INFINITY;
        for (int a = 0; a + w <= n; a += stride) {
          double sum = prefix[a + w] - prefix[a];
          if (sum > topSum) {
            topSum = sum;
            top = a;
          }
        }
        if (top >= 0 && engine.logPValueLowerBound(w, topSum) + windowCost < bestLogP) {
          double lp = engine.logPValue(w, topSum) + windowCost;
          if (lp < bestLogP) {
            bestLogP = lp;
            bestStart = top;
            bestEnd = top + w;
          }
        }
      }
    }
    double logP = Math.min(0.0, bestLogP);
    double p = Math.exp(logP);
    windows++;
    int scored = bestEnd - bestStart;
    double score = engine.normalizedScore(scored, prefix[bestEnd] - prefix[bestStart]);
    TextDetectionResult.Span span = null;
    if (n > 0 && (bestStart != 0 || bestEnd != n)) {
      int startTok = s.positions[bestStart];
      int endTok = s.positions[bestEnd - 1] + 1;
      int startChar = startTok;
      int endChar = endTok;
      if (prep != null) {
        startChar = tokenizer.charOffset(prep.text, x, startTok);
        endChar = tokenizer.charOffset(prep.text, x, endTok);
      }
      span = new TextDetectionResult.Span(startTok, endTok, startChar, endChar);
    }
    return new Run(new TextDetectionResult(engine.scheme.label(), engine.keyId, x.length, scored, score, p,
        logP / LN10, alpha, p <= alpha && n > 0, windows, span, truncated), n, logP);
  }

  /** Tokenized input, cut to the first {@code maxTokens} tokens (text cut first at 8 chars per token). */
  record Prepared(String text, int[] tokens, boolean truncated) {
    static Prepared of(String text, Tokenizer tokenizer, int maxTokens) {
      boolean truncated = false;
      long maxChars = (long) maxTokens * 8;
      if (text.length() > maxChars) {
        int cut = (int) maxChars;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
          cut--;
        }
        text = text.substring(0, cut);
        truncated = true;
      }
      int[] tokens = tokenizer.encode(text);
      if (tokens.length > maxTokens) {
        tokens = java.util.Arrays.copyOf(tokens, maxTokens);
        truncated = true;
      }
      return new Prepared(text, tokens, truncated);
    }
  }

  public SchemeEngine engine() {
    return engine;
  }
}
