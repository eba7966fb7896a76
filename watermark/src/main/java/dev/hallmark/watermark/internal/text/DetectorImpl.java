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
  /**
   * Whether the windows score window-local first occurrences: for schemes whose seed depends on a
   * context (every scheme but Unigram). Unigram scores each distinct token once; its first
   * occurrences thin out so fast that a window's extent spans much human text, and counting that
   * text's tokens anew diluted pasted passages (own detector, 25% share: 435 -> 395 of 500).
   */
  private final boolean localWindows;

  /** Vocabularies above this size get no seed table (memory); their seeds are computed per text. */
  static final int MAX_SEED_TABLE = 1 << 18;

  public DetectorImpl(SchemeEngine engine, Tokenizer tokenizer, double alpha, boolean windowed, int maxTokens) {
    this.engine = engine;
    this.tokenizer = tokenizer;
    this.alpha = alpha;
    this.windowed = windowed;
    this.maxTokens = maxTokens;
    this.seedAfter = tokenizer == null ? null : seedTable(engine, tokenizer.vocabularySize());
    this.localWindows = engine.firstPosition() > 0;
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

  /** The seed token {@code t} was chosen under (from the seed table when there is one). */
  private long seedAt(int[] x, int t, long[] selfHashes, long[] scratch) {
    if (selfHashes != null) {
      return engine.selfHashSeed(selfHashes, t);
    }
    if (seedAfter != null && x[t - 1] >= 0 && x[t - 1] < seedAfter.length) {
      return seedAfter[x[t - 1]];
    }
    return engine.contextSeed(x, t, scratch);
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
      long c = seedAt(x, t, selfHashes, scratch);
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
    return fromScoresRun(scoreAll(x), x, truncated, prep, localWindows);
  }

  /**
   * Every position's score and the previous position holding the same (seed, token) pair (-1 for a
   * first occurrence), for the window-local first occurrences of the window scan. Only positions
   * from the scheme's first scored one on are set; windows start there.
   */
  record AllScores(double[] scores, int[] previous) {
    /** The pairs first seen inside positions {@code ra..rb}: their number and score total. */
    LocalWindow window(int ra, int rb) {
      int m = 0;
      double sum = 0;
      for (int t = ra; t <= rb; t++) {
        if (previous[t] < ra) {
          m++;
          sum += scores[t];
        }
      }
      return new LocalWindow(m, sum);
    }
  }

  /** A window's window-local first occurrences: how many, and their score total. */
  record LocalWindow(int trials, double sum) {}

  AllScores scoreEveryPosition(int[] x) {
    int first = engine.firstPosition();
    double[] sc = new double[x.length];
    int[] prev = new int[x.length];
    java.util.Arrays.fill(prev, -1);
    java.util.HashMap<Long, Integer> last = new java.util.HashMap<>(Math.max(16, x.length * 2));
    long[] scratch = new long[16];
    long[] selfHashes = engine.selfTokenHashes(x, scratch);
    for (int t = first; t < x.length; t++) {
      long c = seedAt(x, t, selfHashes, scratch);
      // The pair as one 64-bit key (the seed is a 64-bit PRF output: collisions ~2^-64 per pair, as
      // for the first-occurrence filter itself).
      long key = c ^ (x[t] * 0x9E3779B97F4A7C15L);
      Integer before = last.put(key, t);
      prev[t] = before == null ? -1 : before;
      sc[t] = engine.score(c, x[t]);
    }
    return new AllScores(sc, prev);
  }

  /**
   * ln of an upper bound on P(this test's p-value <= x) under the null, for a text with {@code n}
   * scored tokens (docs/spec/text-watermark.md, "Many keys and schemes"): the whole text's attainable
   * level at f·x plus, when windows are scanned, their whole share (1 - f)·x. Never above x and equal
   * to x for a whole-text test whose p-value x is; depends on the text only through n.
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
    if (localWindows) {
      // The windows score their window-local first occurrences, whose number depends on the text's
      // repeats inside each window: their part is charged its whole share, (1 - f)·x (each of the W
      // windows at most (1 - f)·x / W), not an attainable level.
      return Math.min(logX, logSumExp(engine.logNullAtMost(n, logX + Math.log(f)), logX + Math.log(1 - f)));
    }
    double acc = logSumExp(Double.NEGATIVE_INFINITY, engine.logNullAtMost(n, logX + Math.log(f)));
    double perWindow = logX + Math.log(1 - f) - Math.log(windows);
    for (int w = MIN_WINDOW; w + MIN_WINDOW <= n; w *= 2) {
      int count = (n - w) / (w / 2) + 1;
      acc = logSumExp(acc, Math.log(count) + engine.logNullAtMost(w, perWindow));
    }
    return Math.min(logX, acc);
  }

  /**
   * As {@link #logNullAtMost(int, double)} for the text {@code tokens}, with each window-local window
   * charged its attainable level at its share instead of the share itself: at the number of pairs
   * first seen inside it ({@link #localWindowTrials}), which depends on the text alone (its
   * repeats), not on the key.
   */
  double logNullAtMost(int n, double logX, int[] tokens) {
    if (logX >= 0) {
      return 0.0;
    }
    int windows = windowed ? windowCount(n) : 0;
    if (windows == 0 || !localWindows) {
      return logNullAtMost(n, logX);
    }
    int[] windowTrials = localWindowTrials(tokens);
    double f = WHOLE_TEXT_SHARE;
    double perWindow = logX + Math.log(1 - f) - Math.log(windows);
    double acc = engine.logNullAtMost(n, logX + Math.log(f));
    for (int m : windowTrials) {
      acc = logSumExp(acc, engine.logNullAtMost(m, perWindow));
    }
    return Math.min(logX, acc);
  }

  /** For every window of the scan over {@code x}, in order, the number of pairs first seen inside it. */
  int[] localWindowTrials(int[] x) {
    Scored s = scoreAll(x);
    int n = s.n;
    int windows = windowed ? windowCount(n) : 0;
    int[] out = new int[windows];
    if (windows == 0) {
      return out;
    }
    AllScores all = scoreEveryPosition(x);
    int k = 0;
    for (int w = MIN_WINDOW; w + MIN_WINDOW <= n; w *= 2) {
      for (int a = 0; a + w <= n; a += w / 2) {
        out[k++] = all.window(s.positions[a], s.positions[a + w - 1]).trials();
      }
    }
    return out;
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
    return fromScoresRun(s, x, truncated, prep, false).result();
  }

  /**
   * Windows whose best p-value (with their share of the budget) is above this are not rescored with
   * window-local first occurrences: their part of the test is then reported as 1 (no evidence), which
   * only raises the p-value, so every p-value stays valid; human text rarely passes, so the extra work
   * falls on texts that may hold a pasted passage.
   */
  static final double LOCAL_SCREEN = 0.05;

  Run fromScoresRun(Scored s, int[] x, boolean truncated, Prepared prep, boolean local) {
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
    double windowCost = windows > 0 ? Math.log(windows) - Math.log(1 - f) : 0;
    // With window-local first occurrences, these first-occurrence windows only screen for them.
    boolean screenPassed = false;
    if (windows > 0) {
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
        if (local) {
          screenPassed |= top >= 0 && engine.logPValueLowerBound(w, topSum) + windowCost <= Math.log(LOCAL_SCREEN)
              && engine.logPValue(w, topSum) + windowCost <= Math.log(LOCAL_SCREEN);
        } else if (top >= 0 && engine.logPValueLowerBound(w, topSum) + windowCost < bestLogP) {
          double lp = engine.logPValue(w, topSum) + windowCost;
          if (lp < bestLogP) {
            bestLogP = lp;
            bestStart = top;
            bestEnd = top + w;
          }
        }
      }
    }
    int scored = bestEnd - bestStart;
    double windowSum = prefix[bestEnd] - prefix[bestStart];
    int startTok = n > 0 ? s.positions[bestStart] : 0;
    int endTok = n > 0 ? s.positions[Math.max(bestStart, bestEnd - 1)] + 1 : 0;
    boolean windowWon = n > 0 && (bestStart != 0 || bestEnd != n);
    if (screenPassed) {
      // The product's windows (docs/spec/text-watermark.md, step 4): each window scores the pairs seen
      // for the first time inside it, so human text before a pasted passage does not use up the
      // passage's common pairs.
      AllScores all = scoreEveryPosition(x);
      for (int w = MIN_WINDOW; w + MIN_WINDOW <= n; w *= 2) {
        for (int a = 0; a + w <= n; a += w / 2) {
          int ra = s.positions[a];
          int rb = s.positions[a + w - 1];
          LocalWindow lw = all.window(ra, rb);
          if (engine.logPValueLowerBound(lw.trials(), lw.sum()) + windowCost < bestLogP) {
            double lp = engine.logPValue(lw.trials(), lw.sum()) + windowCost;
            if (lp < bestLogP) {
              bestLogP = lp;
              windowWon = true;
              scored = lw.trials();
              windowSum = lw.sum();
              startTok = ra;
              endTok = rb + 1;
            }
          }
        }
      }
    }
    double logP = Math.min(0.0, bestLogP);
    double p = Math.exp(logP);
    windows++;
    double score = engine.normalizedScore(scored, windowSum);
    TextDetectionResult.Span span = null;
    if (windowWon) {
      int startChar = startTok;
      int endChar = endTok;
      if (prep != null) {
        startChar = prep.normalized.original(tokenizer.charOffset(prep.text, x, startTok));
        endChar = prep.normalized.original(tokenizer.charOffset(prep.text, x, endTok));
      }
      span = new TextDetectionResult.Span(startTok, endTok, startChar, endChar);
    }
    return new Run(new TextDetectionResult(engine.scheme.label(), engine.keyId, x.length, scored, score, p,
        logP / LN10, alpha, p <= alpha && n > 0, windows, span, truncated), n, logP);
  }

  /** Tokenized input, cut to the first {@code maxTokens} tokens (text cut first at 8 chars per token). */
  record Prepared(String text, int[] tokens, boolean truncated, DetectionText normalized) {
    static Prepared of(String input, Tokenizer tokenizer, int maxTokens) {
      DetectionText normalized = DetectionText.of(input);
      String text = normalized.text;
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
      return new Prepared(text, tokens, truncated, normalized);
    }
  }

  public SchemeEngine engine() {
    return engine;
  }
}
