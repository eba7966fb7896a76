package dev.hallmark.benchmarks.text;

import java.util.Arrays;
import java.util.Random;

/**
 * Evaluates "several SynthID layers per pass" (docs/BENCHMARKS.md, "Real models through ONNX Runtime")
 * on 50,257 tokens and 30 layers, without the rest of a sampling step: the shipped kernel (one layer
 * per pass, the layer sum G in 64 lanes held by the recurrence {@code t[i + 64] = t[i] + q}, sampler
 * revision 2) against prototypes that take k = 2 or 3 layers per pass (the G of the block's later
 * layers from 2^k - 1 lane sums of the block's starting distribution, {@code p} updated once per
 * block), and probes of which lane-sum loops C2 vectorizes. Prints the best time of each; the
 * prototypes are checked to give the same distribution up to rounding (they are not a specified
 * algorithm and sample nothing).
 *
 * <p>Usage: {@code SynthIdLayerPasses [repetitions]} (default 200); run it once with the default
 * flags and once with {@code -XX:-UseSuperWord} to see which loops were vectorized.
 */
public final class SynthIdLayerPasses {
  static final int LANES = 64;

  private SynthIdLayerPasses() {}

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int n = 50257;
    int m = 30;
    Random r = new Random(20261204L);
    long[] rv = new long[n];
    double[] p0 = new double[n];
    double z = 0;
    for (int i = 0; i < n; i++) {
      rv[i] = r.nextLong();
      p0[i] = Math.exp(2.5 * r.nextGaussian());
      z += p0[i];
    }
    for (int i = 0; i < n; i++) {
      p0[i] /= z;
    }
    double[] db = new double[n];
    double[] pd = new double[n];
    double[][] t = new double[7][n + LANES];
    String[] names = {"revision 2, 1 layer per pass", "k = 2 layers per pass (3 lane sums)",
        "k = 3 layers per pass (7 lane sums)"};
    double[][] results = new double[3][];
    long[] best = new long[3];
    Arrays.fill(best, Long.MAX_VALUE);
    for (int rep = 0; rep < reps; rep++) {
      for (int k = 0; k < 3; k++) {
        System.arraycopy(p0, 0, pd, 0, n);
        for (double[] a : t) {
          Arrays.fill(a, 0, LANES, 0.0);
        }
        long t0 = System.nanoTime();
        switch (k) {
          case 0 -> revisionTwo(rv, db, pd, t[0], n, m);
          case 1 -> blocksOfTwo(rv, db, pd, t, n, m);
          default -> blocksOfThree(rv, db, pd, t, n, m);
        }
        best[k] = Math.min(best[k], System.nanoTime() - t0);
        results[k] = pd.clone();
      }
    }
    for (int k = 0; k < 3; k++) {
      double maxRel = 0;
      for (int i = 0; i < n; i++) {
        if (results[0][i] > 0) {
          maxRel = Math.max(maxRel, Math.abs(results[k][i] / results[0][i] - 1));
        }
      }
      System.out.printf("%-40s %.3f ms  (largest relative difference of p from revision 2: %.1e)%n", names[k],
          best[k] / 1e6, maxRel);
    }
    // Probes: one pass of lane sums alone, with 1, 2 and 3 recurrences in one loop.
    double[] x = results[0];
    long[] probe = new long[3];
    Arrays.fill(probe, Long.MAX_VALUE);
    for (int rep = 0; rep < reps * 10; rep++) {
      long t0 = System.nanoTime();
      sums1(x, db, t[0], n);
      long t1 = System.nanoTime();
      sums2(x, db, t[0], t[1], n);
      long t2 = System.nanoTime();
      sums3(x, db, t[0], t[1], t[2], n);
      long t3 = System.nanoTime();
      probe[0] = Math.min(probe[0], t1 - t0);
      probe[1] = Math.min(probe[1], t2 - t1);
      probe[2] = Math.min(probe[2], t3 - t2);
    }
    System.out.printf("one pass of lane sums: 1 recurrence %.1f us, 2 recurrences %.1f us, 3 recurrences %.1f us%n",
        probe[0] / 1e3, probe[1] / 1e3, probe[2] / 1e3);
  }

  static double laneTotal(double[] t, int n) {
    double g = 0;
    for (int j = 0; j < LANES; j++) {
      g += t[n + Math.floorMod(j - n, LANES)];
    }
    return g;
  }

  /**
   * WatermarkerImpl.tournamentDoubleBits (sampler revision 2) as shipped until 2026-12-04, unchanged
   * (the sampler now runs the same arithmetic in two lane halves: SynthIdTournament).
   */
  static void revisionTwo(long[] rv, double[] db, double[] pd, double[] t, int n, int m) {
    long mask = (1L << m) - 1;
    for (int i = 0; i < n; i++) {
      db[i] = (double) (rv[i] & mask);
    }
    for (int i = 0; i < n; i++) {
      double h = db[i] * 0.5;
      double b = Math.floor(2 * (h - Math.floor(h)));
      t[i + LANES] = t[i] + pd[i] * b;
    }
    double g = laneTotal(t, n);
    for (int l = 1; l <= m; l++) {
      double scPrev = Math.scalb(1.0, -l);
      if (l < m) {
        double scNext = Math.scalb(1.0, -(l + 1));
        for (int i = 0; i < n; i++) {
          double d = db[i];
          double h0 = d * scPrev;
          double h1 = d * scNext;
          double b0 = Math.floor(2 * (h0 - Math.floor(h0)));
          double b1 = Math.floor(2 * (h1 - Math.floor(h1)));
          double x = pd[i] * ((1 + b0) - g);
          pd[i] = x;
          t[i + LANES] = t[i] + x * b1;
        }
        g = laneTotal(t, n);
      } else {
        for (int i = 0; i < n; i++) {
          double h0 = db[i] * scPrev;
          double b0 = Math.floor(2 * (h0 - Math.floor(h0)));
          pd[i] = pd[i] * ((1 + b0) - g);
        }
      }
    }
  }

  /**
   * Two layers per pass: with x = p at the block's start, a_j = 1 - G_j and bits b0, b1 of the block,
   * G_l = sum x b0 and G_{l+1} = a_0 * sum x b1 + sum x b0 b1. Each pass first applies the previous
   * block's factors (a + bit), then adds the three lane sums of this block (m even here).
   */
  static void blocksOfTwo(long[] rv, double[] db, double[] pd, double[][] t, int n, int m) {
    long mask = (1L << m) - 1;
    for (int i = 0; i < n; i++) {
      db[i] = (double) (rv[i] & mask);
    }
    double[] t0 = t[0];
    double[] t1 = t[1];
    double[] t2 = t[2];
    double a0 = 1;
    double a1 = 1;
    for (int l = 0; l <= m; l += 2) {
      // Bits of the previous block are l-2, l-1; before the first block they are bits -2, -1 of an
      // integer (scales 4 and 2), which come out exactly 0, so the first factors are exactly 1.
      double sp0 = Math.scalb(1.0, -(l - 2));
      double sp1 = Math.scalb(1.0, -(l - 1));
      double s0 = Math.scalb(1.0, -l);
      double s1 = Math.scalb(1.0, -(l + 1));
      double s2 = Math.scalb(1.0, -(l + 2));
      for (int i = 0; i < n; i++) {
        double d = db[i];
        double fm2 = Math.floor(d * sp0);
        double fm1 = Math.floor(d * sp1);
        double f0 = Math.floor(d * s0);
        double f1 = Math.floor(d * s1);
        double f2 = Math.floor(d * s2);
        double x = (pd[i] * (a0 + (fm2 - 2 * fm1))) * (a1 + (fm1 - 2 * f0));
        pd[i] = x;
        double b0 = f0 - 2 * f1;
        double b1 = f1 - 2 * f2;
        double xb0 = x * b0;
        t0[i + LANES] = t0[i] + xb0;
        t1[i + LANES] = t1[i] + x * b1;
        t2[i + LANES] = t2[i] + xb0 * b1;
      }
      if (l == m) {
        break;
      }
      double g0 = laneTotal(t0, n);
      a0 = 1 - g0;
      double g1 = a0 * laneTotal(t1, n) + laneTotal(t2, n);
      a1 = 1 - g1;
    }
  }

  /** Three layers per pass, likewise: seven lane sums (m a multiple of 3 here). */
  static void blocksOfThree(long[] rv, double[] db, double[] pd, double[][] t, int n, int m) {
    long mask = (1L << m) - 1;
    for (int i = 0; i < n; i++) {
      db[i] = (double) (rv[i] & mask);
    }
    double a0 = 1;
    double a1 = 1;
    double a2 = 1;
    for (int l = 0; l <= m; l += 3) {
      double sp0 = Math.scalb(1.0, -(l - 3));
      double sp1 = Math.scalb(1.0, -(l - 2));
      double sp2 = Math.scalb(1.0, -(l - 1));
      double s0 = Math.scalb(1.0, -l);
      double s1 = Math.scalb(1.0, -(l + 1));
      double s2 = Math.scalb(1.0, -(l + 2));
      double s3 = Math.scalb(1.0, -(l + 3));
      double[] t0 = t[0];
      double[] t1 = t[1];
      double[] t2 = t[2];
      double[] t3 = t[3];
      double[] t4 = t[4];
      double[] t5 = t[5];
      double[] t6 = t[6];
      for (int i = 0; i < n; i++) {
        double d = db[i];
        double fm3 = Math.floor(d * sp0);
        double fm2 = Math.floor(d * sp1);
        double fm1 = Math.floor(d * sp2);
        double f0 = Math.floor(d * s0);
        double f1 = Math.floor(d * s1);
        double f2 = Math.floor(d * s2);
        double f3 = Math.floor(d * s3);
        double x = ((pd[i] * (a0 + (fm3 - 2 * fm2))) * (a1 + (fm2 - 2 * fm1))) * (a2 + (fm1 - 2 * f0));
        pd[i] = x;
        double b0 = f0 - 2 * f1;
        double b1 = f1 - 2 * f2;
        double b2 = f2 - 2 * f3;
        double xb0 = x * b0;
        double xb1 = x * b1;
        double xb0b1 = xb0 * b1;
        t0[i + LANES] = t0[i] + xb0;
        t1[i + LANES] = t1[i] + xb1;
        t2[i + LANES] = t2[i] + xb0b1;
        t3[i + LANES] = t3[i] + x * b2;
        t4[i + LANES] = t4[i] + xb0 * b2;
        t5[i + LANES] = t5[i] + xb1 * b2;
        t6[i + LANES] = t6[i] + xb0b1 * b2;
      }
      if (l == m) {
        break;
      }
      double g0 = laneTotal(t0, n);
      a0 = 1 - g0;
      double g1 = a0 * laneTotal(t1, n) + laneTotal(t2, n);
      a1 = 1 - g1;
      double g2 = ((a0 * a1 * laneTotal(t3, n) + a1 * laneTotal(t4, n)) + a0 * laneTotal(t5, n)) + laneTotal(t6, n);
      a2 = 1 - g2;
    }
  }

  static void sums1(double[] x, double[] b, double[] t0, int n) {
    for (int i = 0; i < n; i++) {
      t0[i + LANES] = t0[i] + x[i] * b[i];
    }
  }

  static void sums2(double[] x, double[] b, double[] t0, double[] t1, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[i];
      t0[i + LANES] = t0[i] + v * b[i];
      t1[i + LANES] = t1[i] + v;
    }
  }

  static void sums3(double[] x, double[] b, double[] t0, double[] t1, double[] t2, int n) {
    for (int i = 0; i < n; i++) {
      double v = x[i];
      t0[i + LANES] = t0[i] + v * b[i];
      t1[i + LANES] = t1[i] + v;
      t2[i + LANES] = t2[i] + v * v;
    }
  }
}
