package dev.hallmark.watermark.internal.text;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Computes the spec's test vectors (docs/spec/text-watermark.md). {@code main} prints them in the
 * format of {@code src/test/resources/text/text-watermark-vectors.tsv}; the committed file is the
 * reference and {@link SpecVectorsTest} checks the implementation against it line by line.
 */
final class SpecVectors {
  static final String TEXT =
      "The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog again, "
          + "and then it rests in the shade of an old oak tree near the river bank.";

  private SpecVectors() {}

  static WatermarkKey key() {
    byte[] s = new byte[32];
    for (int i = 0; i < 32; i++) {
      s[i] = (byte) i;
    }
    return WatermarkKey.fromSecret("spec", s);
  }

  static List<WatermarkParameters> params() {
    return List.of(WatermarkParameters.KGW_DEFAULT, WatermarkParameters.KGW_SELFHASH_DEFAULT,
        WatermarkParameters.UNIGRAM_DEFAULT, WatermarkParameters.GUMBEL_DEFAULT,
        WatermarkParameters.SYNTHID_DEFAULT,
        WatermarkParameters.builder(Scheme.SYNTHID).weighted(true).build());
  }

  static String name(WatermarkParameters p) {
    return p.scheme().label() + (p.weighted() ? "-weighted" : "");
  }

  static List<String> lines() {
    List<String> out = new ArrayList<>();
    WatermarkKey key = key();
    SchemeEngine e0 = new SchemeEngine(key, WatermarkParameters.KGW_DEFAULT);
    out.add("subkey\t" + key.keyId() + "\t" + String.format("%016x\t%016x", e0.k0(), e0.k1()));
    int[] x = Tokenizers.r50k().encode(TEXT);
    for (WatermarkParameters p : params()) {
      SchemeEngine e = new SchemeEngine(key, p);
      DetectorImpl d = new DetectorImpl(e, Tokenizers.r50k(), 1e-3, false, 1 << 20);
      DetectorImpl.Scored s = d.scoreAll(x);
      StringJoiner pos = new StringJoiner(",");
      StringJoiner sc = new StringJoiner(",");
      double sum = 0;
      for (int i = 0; i < s.n(); i++) {
        pos.add(Integer.toString(s.positions()[i]));
        sc.add(fmt(s.scores()[i]));
        sum += s.scores()[i];
      }
      double lp = e.logPValue(s.n(), sum) / Math.log(10);
      out.add("score\t" + name(p) + "\t" + join(x) + "\t" + pos + "\t" + sc + "\t" + s.n() + "\t"
          + fmt(sum) + "\t" + String.format("%.6f", lp));
    }
    // Per-candidate PRF values after a fixed context, vocabulary 0..15.
    int[] ctx = {464, 2068, 7586, 21831, 18045};
    for (WatermarkParameters p : params()) {
      if (p.weighted()) {
        continue;
      }
      SchemeEngine e = new SchemeEngine(key, p);
      long[] scratch = new long[16];
      StringJoiner vals = new StringJoiner(",");
      long c = e.contextSeed(ctx, ctx.length, scratch);
      long m = p.scheme() == Scheme.KGW_SELFHASH ? e.selfHashMinContext(ctx, ctx.length, scratch) : 0;
      for (int v = 0; v < 16; v++) {
        switch (p.scheme()) {
          case KGW, UNIGRAM -> vals.add(String.format("%016x:%d", e.tokenValue(c, v), e.green(c, v) ? 1 : 0));
          case KGW_SELFHASH -> vals.add(Integer.toString(e.selfGreen(m, v, scratch) ? 1 : 0));
          default -> vals.add(String.format("%016x", e.tokenValue(c, v)));
        }
      }
      out.add("prf\t" + name(p) + "\t" + join(ctx) + "\t" + String.format("%016x", c) + "\t" + vals);
    }
    // Sampling: a fixed 16-token distribution; Gumbel's choice and SynthID's reweighted distribution.
    float[] logits = new float[16];
    for (int v = 0; v < 16; v++) {
      logits[v] = (float) (-0.25 * v);
    }
    for (WatermarkParameters p : params()) {
      if (p.weighted()) {
        continue;
      }
      WatermarkerImpl w = new WatermarkerImpl(new SchemeEngine(key, p), 16, "test-16");
      int token = w.sample(logits, ctx, ctx.length, new FixedRandom(0.5));
      out.add("sample\t" + name(p) + "\t" + join(ctx) + "\t" + token);
    }
    // SynthID on an 857-token support (more than the 64 lanes of its layer sums): every layer's G,
    // a digest of the reweighted distribution and the tokens drawn for five uniforms.
    SchemeEngine se = new SchemeEngine(key, WatermarkParameters.SYNTHID_DEFAULT);
    WatermarkerImpl sw = new WatermarkerImpl(se, SYNTHID_V, "test-1000");
    float[] wide = synthIdLogits();
    StringJoiner drawn = new StringJoiner(",");
    for (double u : SYNTHID_U) {
      drawn.add(Integer.toString(sw.sample(wide, ctx, ctx.length, new FixedRandom(u))));
    }
    StringJoiner gs = new StringJoiner(",");
    for (double g : sw.lastLayerSums(se.params.layers())) {
      gs.add(String.format("%016x", Double.doubleToRawLongBits(g)));
    }
    int[] toks = new int[SYNTHID_V];
    double[] dist = sw.lastDistribution(toks);
    out.add("synthid-layers\t" + join(ctx) + "\t" + SYNTHID_V + "\t" + gs + "\t" + digest(dist) + "\t" + drawn);
    return out;
  }

  static final int SYNTHID_V = 1000;
  static final double[] SYNTHID_U = {0.05, 0.25, 0.5, 0.75, 0.95};

  /**
   * logits[v] = -Infinity for v mod 7 = 3, else 0: a support of 857 tokens whose positions differ
   * from their ids, and p = 1/857 each (exact in every implementation: exp(0) = 1, a sum of ones and
   * one division; exp itself is not specified bit for bit, see the spec). The layers make p uneven.
   */
  static float[] synthIdLogits() {
    float[] l = new float[SYNTHID_V];
    for (int v = 0; v < SYNTHID_V; v++) {
      l[v] = v % 7 == 3 ? Float.NEGATIVE_INFINITY : 0f;
    }
    return l;
  }

  /** hex(SHA-256(LE64(bits of p[0]) || ... ))[0..16) of a distribution in id order. */
  static String digest(double[] p) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * p.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double d : p) {
      b.putLong(Double.doubleToRawLongBits(d));
    }
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(b.array());
      return java.util.HexFormat.of().formatHex(h, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A RandomGenerator returning one fixed double (so multinomial draws are specified too). */
  static final class FixedRandom implements java.util.random.RandomGenerator {
    private final double u;

    FixedRandom(double u) {
      this.u = u;
    }

    @Override
    public long nextLong() {
      return (long) (u * 0x1.0p63);
    }

    @Override
    public double nextDouble() {
      return u;
    }
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.12f", v);
  }

  static String join(int[] x) {
    StringJoiner j = new StringJoiner(",");
    for (int v : x) {
      j.add(Integer.toString(v));
    }
    return j.toString();
  }

  public static void main(String[] args) {
    System.out.println("# Hallmark text watermark test vectors v2 (docs/spec/text-watermark.md, version 3; v2 adds synthid-layers). Tab-separated.");
    System.out.println("# subkey\tkeyId\tk0\tk1   (secret = bytes 00..1f)");
    System.out.println("# score\tscheme\ttokens(r50k_base)\tscored positions\tper-token scores\tn\tsum\tlog10 p");
    System.out.println("# prf\tscheme\tcontext\tcontext seed c\tfor v=0..15: r(c,v)[:green] (selfhash: green)");
    System.out.println("# sample\tscheme\tcontext\tchosen token for logits[v]=-0.25v, V=16, uniform draw u=0.5");
    System.out.println("# synthid-layers\tcontext\tV\tG of layers 0..29 (IEEE-754 bits, hex)\tSHA-256 of the reweighted p over the support (LE64 bits, id order)[0..8)"
        + "\ttokens drawn for u=0.05,0.25,0.5,0.75,0.95; logits[v] = -inf if v mod 7 = 3 else 0, synthid defaults (sampler revision 2)");
    for (String l : lines()) {
      System.out.println(l);
    }
  }
}
