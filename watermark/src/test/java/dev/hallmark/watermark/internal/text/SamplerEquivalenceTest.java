package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimized sampler ({@link WatermarkerImpl}: batched SipHash, cached tables, Gumbel's pruning,
 * SynthID's vectorizable layers) against a literal, one-token-at-a-time transcription of
 * docs/spec/text-watermark.md section 2: the same token and, bit for bit, the same distribution,
 * over full GPT-2-sized vocabularies, peaked and flat logits, -Infinity and cut-off tokens, ties,
 * short contexts and every scheme with several parameter sets.
 */
class SamplerEquivalenceTest {
  static final long SEED = 20261204L;

  static List<WatermarkParameters> params() {
    List<WatermarkParameters> out = new ArrayList<>();
    for (Scheme s : Scheme.values()) {
      out.add(WatermarkParameters.defaults(s));
    }
    out.add(WatermarkParameters.builder(Scheme.KGW).gamma(0.5).delta(1.5).build());
    out.add(WatermarkParameters.builder(Scheme.KGW_SELFHASH).gamma(0.5).delta(3).build());
    out.add(WatermarkParameters.builder(Scheme.UNIGRAM).gamma(0.25).delta(4).build());
    for (int m : new int[] {1, 2, 7, 52, 53, 64}) {
      out.add(WatermarkParameters.builder(Scheme.SYNTHID).layers(m).build());
    }
    return out;
  }

  /** The spec's step, written plainly: returns the token; fills probOut (indexed by token id). */
  static int specSample(SchemeEngine e, float[] logits, int[] x, int t, SplittableRandom random, double[] prob) {
    int vocab = logits.length;
    long[] scratch = new long[16];
    float fmax = Float.NEGATIVE_INFINITY;
    for (float f : logits) {
      if (f > fmax) {
        fmax = f;
      }
    }
    double floor = fmax - 50.0;
    List<Integer> sup = new ArrayList<>();
    for (int v = 0; v < vocab; v++) {
      if (logits[v] >= floor) {
        sup.add(v);
      }
    }
    Arrays.fill(prob, 0);
    boolean noContext = t < e.h;
    boolean watermark = !noContext;
    double[] l = new double[vocab];
    for (int v : sup) {
      l[v] = logits[v];
    }
    if (watermark && (e.scheme == Scheme.KGW || e.scheme == Scheme.UNIGRAM || e.scheme == Scheme.KGW_SELFHASH)) {
      long c = e.contextSeed(x, t, scratch);
      long ctxMin = e.scheme == Scheme.KGW_SELFHASH ? e.selfHashMinContext(x, t, scratch) : 0;
      for (int v : sup) {
        boolean g = e.scheme == Scheme.KGW_SELFHASH ? e.selfGreen(ctxMin, v, scratch) : e.green(c, v);
        if (g) {
          l[v] += e.params.delta();
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int v : sup) {
      max = Math.max(max, l[v]);
    }
    double z = 0;
    for (int v : sup) {
      prob[v] = Math.exp(l[v] - max);
      z += prob[v];
    }
    for (int v : sup) {
      prob[v] /= z;
    }
    if (watermark && e.scheme == Scheme.GUMBEL && !WatermarkerImpl.contextSeenBefore(x, t, e.h)) {
      long c = e.contextSeed(x, t, scratch);
      int best = sup.get(0);
      double bestKey = Double.NEGATIVE_INFINITY;
      for (int v : sup) {
        if (prob[v] > 0) {
          double key = Math.log(SchemeEngine.uOpen(e.tokenValue(c, v))) / prob[v];
          if (key > bestKey) {
            bestKey = key;
            best = v;
          }
        }
      }
      return best;
    }
    if (watermark && e.scheme == Scheme.SYNTHID) {
      long c = e.contextSeed(x, t, scratch);
      for (int layer = 0; layer < e.params.layers(); layer++) {
        // G in 64 interleaved lanes: lane j sums the terms of support positions i = j mod 64 in
        // increasing i, then the lanes are added in order (sampler revision 2).
        double[] lane = new double[64];
        for (int i = 0; i < sup.size(); i++) {
          int v = sup.get(i);
          if (((e.tokenValue(c, v) >>> layer) & 1) == 1) {
            lane[i % 64] += prob[v];
          }
        }
        double g = 0;
        for (double a : lane) {
          g += a;
        }
        for (int v : sup) {
          long bit = (e.tokenValue(c, v) >>> layer) & 1;
          prob[v] = prob[v] * ((1 + bit) - g);
        }
      }
    }
    double u = random.nextDouble();
    double acc = 0;
    for (int v : sup) {
      acc += prob[v];
      if (u < acc) {
        return v;
      }
    }
    for (int i = sup.size() - 1; i >= 0; i--) {
      if (prob[sup.get(i)] > 0) {
        return sup.get(i);
      }
    }
    return sup.get(sup.size() - 1);
  }

  static float[] logits(Random r, int vocab, String kind) {
    float[] l = new float[vocab];
    for (int v = 0; v < vocab; v++) {
      l[v] = switch (kind) {
        case "flat" -> (float) (r.nextGaussian() * 2.5);
        case "peaked" -> (float) (r.nextGaussian() * 12);
        case "coarse" -> (float) Math.round(r.nextGaussian() * 2); // many exactly equal logits (ties)
        default -> throw new IllegalArgumentException(kind);
      };
    }
    if (kind.equals("peaked")) {
      for (int k = 0; k < vocab / 10; k++) {
        l[r.nextInt(vocab)] = Float.NEGATIVE_INFINITY; // e.g. top-k filtering
      }
      l[r.nextInt(vocab)] = -0.0f;
      l[r.nextInt(vocab)] = 0.0f;
    }
    return l;
  }

  static void check(WatermarkKey key, WatermarkParameters p, float[] logits, int[] x, int t, long drawSeed) {
    check(key, p, logits, x, t, drawSeed, SynthIdTournament.Mode.AUTO);
  }

  static void check(WatermarkKey key, WatermarkParameters p, float[] logits, int[] x, int t, long drawSeed,
      SynthIdTournament.Mode mode) {
    SchemeEngine e = new SchemeEngine(key, p);
    WatermarkerImpl w = new WatermarkerImpl(e, logits.length, "test", mode);
    float[] copy = logits.clone();
    int got = w.sample(logits, x, t, new SplittableRandom(drawSeed));
    assertArrayEquals(copy, logits, "sample must not modify the logits");
    double[] prob = new double[logits.length];
    int want = specSample(e, logits, x, t, new SplittableRandom(drawSeed), prob);
    String what = p + " V=" + logits.length + " t=" + t + " drawSeed=" + drawSeed + " " + mode;
    assertEquals(want, got, what);
    if (p.scheme() != Scheme.GUMBEL || t < e.h) {
      int[] toks = new int[logits.length];
      double[] dist = w.lastDistribution(toks);
      for (int i = 0; i < dist.length; i++) {
        if (dist[i] != prob[toks[i]]) {
          throw new AssertionError(what + ": p[" + toks[i] + "] = " + dist[i] + ", spec " + prob[toks[i]]);
        }
      }
    }
  }

  @Test
  void fullVocabularyEverySchemeMatchesTheSpec() {
    System.out.println("SamplerEquivalenceTest seed=" + SEED);
    Random r = new Random(SEED);
    WatermarkKey key = WatermarkKey.generate("eq", r);
    int vocab = 50257;
    int[] x = new int[40];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(vocab);
    }
    for (String kind : new String[] {"flat", "peaked", "coarse"}) {
      float[] l = logits(r, vocab, kind);
      for (WatermarkParameters p : params()) {
        for (int t : new int[] {0, 2, 17, 40}) {
          long drawSeed = r.nextLong();
          check(key, p, l, x, t, drawSeed);
          if (p.scheme() == Scheme.SYNTHID && p.layers() <= 52 && t > 0) {
            check(key, p, l, x, t, drawSeed, SynthIdTournament.Mode.ALONE);
            check(key, p, l, x, t, drawSeed, SynthIdTournament.Mode.SHARED);
          }
        }
      }
    }
  }

  /**
   * A NaN logit counts as -Infinity (spec section 2, which the Python package follows): the same
   * token and distribution as with -Infinity in its place; no entry above -Infinity is an error.
   */
  @Test
  void aNanLogitCountsAsMinusInfinity() {
    Random r = new Random(SEED + 2);
    WatermarkKey key = WatermarkKey.generate("nan", r);
    int vocab = 300;
    int[] x = new int[12];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(vocab);
    }
    for (WatermarkParameters p : params()) {
      for (int trial = 0; trial < 5; trial++) {
        float[] withNan = logits(r, vocab, "flat");
        for (int k = 0; k < 30; k++) {
          withNan[r.nextInt(vocab)] = Float.NaN;
        }
        float[] withInf = withNan.clone();
        for (int v = 0; v < vocab; v++) {
          if (Float.isNaN(withInf[v])) {
            withInf[v] = Float.NEGATIVE_INFINITY;
          }
        }
        WatermarkerImpl a = new WatermarkerImpl(new SchemeEngine(key, p), vocab, "test", SynthIdTournament.Mode.AUTO);
        WatermarkerImpl b = new WatermarkerImpl(new SchemeEngine(key, p), vocab, "test", SynthIdTournament.Mode.AUTO);
        long drawSeed = r.nextLong();
        int got = a.sample(withNan, x, x.length, new SplittableRandom(drawSeed));
        assertEquals(b.sample(withInf, x, x.length, new SplittableRandom(drawSeed)), got, p.toString());
        assertFalse(Float.isNaN(withNan[got]), p.toString());
        int[] ta = new int[vocab];
        int[] tb = new int[vocab];
        assertArrayEquals(b.lastDistribution(tb), a.lastDistribution(ta), p.toString());
        assertArrayEquals(tb, ta, p.toString());
      }
      float[] allNan = new float[vocab];
      Arrays.fill(allNan, Float.NaN);
      WatermarkerImpl w = new WatermarkerImpl(new SchemeEngine(key, p), vocab, "test", SynthIdTournament.Mode.AUTO);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> w.sample(allNan, x, x.length, new SplittableRandom(1)));
      assertEquals("logits have no finite entry", e.getMessage());
    }
  }

  /**
   * SynthID's tournament split into two lane halves, taken by one thread or two, on every support
   * size from 1 to 200 (each way a half can end) and some larger ones, against the spec; the layer
   * sums G_l of both ways are the same bits.
   */
  @Test
  void synthIdLaneHalvesMatchTheSpecOnEverySupportSize() {
    Random r = new Random(SEED + 5);
    WatermarkKey key = WatermarkKey.generate("halves", r);
    int[] x = {5, 9, 2, 7, 1, 3};
    List<Integer> sizes = new ArrayList<>();
    for (int v = 2; v <= 200; v++) {
      sizes.add(v);
    }
    sizes.addAll(List.of(1000, 4095, 8191, 8192, 8193, 20001));
    for (int vocab : sizes) {
      WatermarkParameters p = WatermarkParameters.builder(Scheme.SYNTHID).layers(vocab % 3 == 0 ? 30 : 1 + vocab % 52).build();
      float[] l = logits(r, vocab, vocab % 2 == 0 ? "flat" : "coarse");
      long drawSeed = r.nextLong();
      check(key, p, l, x, x.length, drawSeed, SynthIdTournament.Mode.ALONE);
      check(key, p, l, x, x.length, drawSeed, SynthIdTournament.Mode.SHARED);
      SchemeEngine e = new SchemeEngine(key, p);
      WatermarkerImpl alone = new WatermarkerImpl(e, vocab, "test", SynthIdTournament.Mode.ALONE);
      WatermarkerImpl shared = new WatermarkerImpl(e, vocab, "test", SynthIdTournament.Mode.SHARED);
      alone.sample(l, x, x.length, new SplittableRandom(drawSeed));
      shared.sample(l, x, x.length, new SplittableRandom(drawSeed));
      assertArrayEquals(alone.lastLayerSums(p.layers()), shared.lastLayerSums(p.layers()), "V=" + vocab);
    }
  }

  @Test
  void systemPropertyTurnsTheSecondThreadOff() {
    String before = System.getProperty(SynthIdTournament.SHARED_PROPERTY);
    try {
      System.clearProperty(SynthIdTournament.SHARED_PROPERTY);
      assertEquals(SynthIdTournament.Mode.AUTO, SynthIdTournament.defaultMode());
      System.setProperty(SynthIdTournament.SHARED_PROPERTY, " FALSE");
      assertEquals(SynthIdTournament.Mode.ALONE, SynthIdTournament.defaultMode());
      System.setProperty(SynthIdTournament.SHARED_PROPERTY, "true");
      assertEquals(SynthIdTournament.Mode.AUTO, SynthIdTournament.defaultMode());
      System.setProperty(SynthIdTournament.SHARED_PROPERTY, "flase");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SynthIdTournament::defaultMode);
      assertEquals("system property hallmark.synthid.shared must be true or false, got 'flase'", e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(SynthIdTournament.SHARED_PROPERTY);
      } else {
        System.setProperty(SynthIdTournament.SHARED_PROPERTY, before);
      }
    }
  }

  /**
   * Watermarkers sampling many steps in turn with the tournament shared, alone, and as AUTO decides
   * (sharing, or backing off after slow steps): no step sees another's state, every way agrees.
   */
  @Test
  void sharedSynthIdTournamentOverManySteps() {
    Random r = new Random(SEED + 6);
    WatermarkKey key = WatermarkKey.generate("steps", r);
    int vocab = 9000;
    SchemeEngine e = new SchemeEngine(key, WatermarkParameters.SYNTHID_DEFAULT);
    WatermarkerImpl shared = new WatermarkerImpl(e, vocab, "test", SynthIdTournament.Mode.SHARED);
    WatermarkerImpl alone = new WatermarkerImpl(e, vocab, "test", SynthIdTournament.Mode.ALONE);
    WatermarkerImpl auto = new WatermarkerImpl(e, vocab, "test", SynthIdTournament.Mode.AUTO);
    int[] x = new int[300];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(vocab);
    }
    SplittableRandom ra = new SplittableRandom(SEED);
    SplittableRandom rb = new SplittableRandom(SEED);
    SplittableRandom rc = new SplittableRandom(SEED);
    for (int t = 4; t < x.length; t++) {
      float[] l = logits(r, vocab, t % 2 == 0 ? "flat" : "peaked");
      int want = alone.sample(l, x, t, ra);
      assertEquals(want, shared.sample(l, x, t, rb), "t=" + t);
      assertEquals(want, auto.sample(l, x, t, rc), "t=" + t);
      int[] ta = new int[vocab];
      int[] tb = new int[vocab];
      int[] tc = new int[vocab];
      double[] dist = alone.lastDistribution(ta);
      assertArrayEquals(dist, shared.lastDistribution(tb), "t=" + t);
      assertArrayEquals(dist, auto.lastDistribution(tc), "t=" + t);
    }
  }

  @Test
  void manySmallCasesMatchTheSpec() {
    Random r = new Random(SEED + 1);
    for (int trial = 0; trial < 300; trial++) {
      WatermarkKey key = WatermarkKey.generate("eq" + trial, r);
      int vocab = 2 + r.nextInt(trial < 150 ? 40 : 3000);
      String kind = new String[] {"flat", "peaked", "coarse"}[trial % 3];
      float[] l = logits(r, vocab, kind);
      if (Arrays.stream(toDoubles(l)).allMatch(d -> d == Double.NEGATIVE_INFINITY)) {
        l[0] = 1;
      }
      int[] x = new int[12];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextInt(Math.min(vocab, trial % 5 == 0 ? 2 : vocab)); // tiny alphabets repeat contexts (Gumbel)
      }
      for (WatermarkParameters p : params()) {
        check(key, p, l, x, r.nextInt(x.length + 1), r.nextLong());
      }
    }
  }

  /**
   * Sampler revision 2 sums SynthID's G in 64 lanes; with at most 64 support tokens every lane holds
   * one term, so G is revision 1's left-to-right sum and the distributions are the same. With more,
   * they differ (which also shows that the full-vocabulary checks above can tell the orders apart).
   */
  @Test
  void synthIdLanesEqualTheLeftToRightSumUpToSixtyFourSupportTokens() {
    Random r = new Random(SEED + 4);
    WatermarkKey key = WatermarkKey.generate("lanes", r);
    SchemeEngine e = new SchemeEngine(key, WatermarkParameters.SYNTHID_DEFAULT);
    int[] x = {5, 9, 2, 7, 1, 3};
    int differing = 0;
    for (int vocab : new int[] {2, 16, 63, 64, 65, 1000, 50257}) {
      float[] l = logits(r, vocab, "flat");
      WatermarkerImpl w = new WatermarkerImpl(e, vocab, "test");
      w.sample(l, x, x.length, new SplittableRandom(1));
      int[] toks = new int[vocab];
      double[] got = w.lastDistribution(toks);
      double[] old = revisionOne(e, l, x);
      if (vocab <= 64) {
        assertArrayEquals(old, got, "V=" + vocab);
      } else if (!Arrays.equals(old, got)) {
        differing++;
      }
    }
    assertEquals(3, differing, "revision 1 and 2 differ on supports of 65, 1000 and 50257 flat logits");
  }

  /** SynthID's distribution under sampler revision 1 (G summed left to right), every token in the support. */
  static double[] revisionOne(SchemeEngine e, float[] logits, int[] x) {
    int n = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float f : logits) {
      max = Math.max(max, f);
    }
    double[] p = new double[n];
    double z = 0;
    for (int v = 0; v < n; v++) {
      p[v] = Math.exp(logits[v] - max);
      z += p[v];
    }
    for (int v = 0; v < n; v++) {
      p[v] /= z;
    }
    long c = e.contextSeed(x, x.length, new long[16]);
    for (int layer = 0; layer < e.params.layers(); layer++) {
      double g = 0;
      for (int v = 0; v < n; v++) {
        g += ((e.tokenValue(c, v) >>> layer) & 1) == 1 ? p[v] : 0;
      }
      for (int v = 0; v < n; v++) {
        p[v] = p[v] * ((1 + ((e.tokenValue(c, v) >>> layer) & 1)) - g);
      }
    }
    return p;
  }

  @Test
  void logitsProcessorMatchesTheSpec() {
    Random r = new Random(SEED + 2);
    WatermarkKey key = WatermarkKey.generate("eq", r);
    int vocab = 50257;
    int[] x = new int[8];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(vocab);
    }
    for (Scheme s : new Scheme[] {Scheme.KGW, Scheme.KGW_SELFHASH, Scheme.UNIGRAM}) {
      SchemeEngine e = new SchemeEngine(key, WatermarkParameters.defaults(s));
      WatermarkerImpl w = new WatermarkerImpl(e, vocab, "test");
      for (String kind : new String[] {"flat", "peaked"}) {
        float[] l = logits(r, vocab, kind);
        float[] want = l.clone();
        long[] scratch = new long[16];
        float fmax = Float.NEGATIVE_INFINITY;
        for (float f : l) {
          fmax = Math.max(fmax, f);
        }
        long c = e.contextSeed(x, x.length, scratch);
        long ctxMin = e.selfHashMinContext(x, x.length, scratch);
        for (int v = 0; v < vocab; v++) {
          if (want[v] >= fmax - 50.0) {
            boolean g = s == Scheme.KGW_SELFHASH ? e.selfGreen(ctxMin, v, scratch) : e.green(c, v);
            if (g) {
              want[v] += (float) e.params.delta();
            }
          }
        }
        w.logitsProcessor().orElseThrow().process(l, x, x.length);
        assertArrayEquals(want, l, s + " " + kind);
      }
    }
  }

  @Test
  void batchedSipHashEqualsOneAtATime() {
    Random r = new Random(SEED + 3);
    SipHash.Batch b = new SipHash.Batch();
    for (int n : new int[] {0, 1, 7, 511, 512, 513, 1500}) {
      long k0 = r.nextLong();
      long k1 = r.nextLong();
      long a = r.nextLong();
      long c = r.nextLong();
      long[] as = new long[n];
      long[] bs = new long[n];
      for (int i = 0; i < n; i++) {
        as[i] = r.nextLong();
        bs[i] = r.nextLong();
      }
      long[] out = new long[n];
      b.hash3(k0, k1, a, bs, c, n, out);
      for (int i = 0; i < n; i++) {
        assertEquals(SipHash.hash3(k0, k1, a, bs[i], c), out[i]);
      }
      b.hash3(k0, k1, as, bs, c, n, out);
      for (int i = 0; i < n; i++) {
        assertEquals(SipHash.hash3(k0, k1, as[i], bs[i], c), out[i]);
      }
      b.hash2(k0, k1, a, bs, n, out);
      for (int i = 0; i < n; i++) {
        assertEquals(SipHash.hashWords(k0, k1, new long[] {a, bs[i]}, 2), out[i]);
      }
    }
  }

  static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
