package dev.hallmark.watermark.internal.image;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_2D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * Why the watermark has its own FFT: CPU time of one forward 2-D complex transform by the watermark's
 * {@link Fft} (the entry point detection uses, {@code transform2dTransposed}) and by JTransforms 3.1
 * ({@code DoubleFFT_2D.complexForward} on its own interleaved row-major layout, one thread, no
 * layout conversion counted), at the sizes detection runs: 128x128 (every fold and correlation,
 * several hundred per image), 512x512 and 1024x1024 (the lattice autocorrelation). Both transform the same
 * seeded random input and must agree to 1e-9 relative. Five rounds, the two interleaved within each
 * round; the median round is printed. Lives in the watermark's internal package to reach {@link Fft}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hallmark.watermark.internal.image.FftComparison</pre>
 */
public final class FftComparison {
  private FftComparison() {}

  public static void main(String[] args) {
    ConcurrencyUtils.setNumberOfThreads(1);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long seed = 20261205L;
    System.out.println("seed " + seed + ", " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version") + ", CPU time of one transform, median of 5 rounds");
    System.out.println();
    System.out.println("| size | Hallmark Fft, ms | JTransforms 3.1, ms | ratio |");
    System.out.println("|---|---|---|---|");
    for (int n : new int[] {128, 512, 1024}) {
      int reps = Math.max(4, (int) (400_000_000L / ((long) n * n * Integer.numberOfTrailingZeros(n) * 20)));
      SplittableRandom rnd = new SplittableRandom(seed);
      double[][] re = new double[n][n];
      double[][] im = new double[n][n];
      double[] inter = new double[2 * n * n];
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double a = rnd.nextDouble() - 0.5;
          double b = rnd.nextDouble() - 0.5;
          re[x][y] = a; // transposed input, as detection passes it
          im[x][y] = b;
          inter[2 * (y * n + x)] = a;
          inter[2 * (y * n + x) + 1] = b;
        }
      }
      Fft fft = new Fft(n);
      DoubleFFT_2D jt = new DoubleFFT_2D(n, n);
      double[][] tre = new double[n][n];
      double[][] tim = new double[n][n];
      double[][] ore = new double[n][n];
      double[][] oim = new double[n][n];
      double[] buf = new double[2 * n * n];
      // Same input, same answer (the transforms' own layouts).
      copy(re, tre);
      copy(im, tim);
      fft.transform2dTransposed(tre, tim, ore, oim, false);
      System.arraycopy(inter, 0, buf, 0, buf.length);
      jt.complexForward(buf);
      double err = 0;
      double mag = 0;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          err = Math.max(err, Math.abs(ore[y][x] - buf[2 * (y * n + x)]) + Math.abs(oim[y][x] - buf[2 * (y * n + x) + 1]));
          mag = Math.max(mag, Math.abs(ore[y][x]));
        }
      }
      if (err > 1e-9 * mag) {
        throw new IllegalStateException("transforms disagree at n=" + n + ": " + err + " of " + mag);
      }
      double[] ours = new double[5];
      double[] theirs = new double[5];
      for (int round = -1; round < 5; round++) { // round -1 warms up
        long t0 = mx.getCurrentThreadCpuTime();
        for (int k = 0; k < reps; k++) {
          copy(re, tre);
          copy(im, tim);
          fft.transform2dTransposed(tre, tim, ore, oim, false);
        }
        long t1 = mx.getCurrentThreadCpuTime();
        for (int k = 0; k < reps; k++) {
          System.arraycopy(inter, 0, buf, 0, buf.length);
          jt.complexForward(buf);
        }
        long t2 = mx.getCurrentThreadCpuTime();
        if (round >= 0) {
          ours[round] = (t1 - t0) / 1e6 / reps;
          theirs[round] = (t2 - t1) / 1e6 / reps;
        }
      }
      Arrays.sort(ours);
      Arrays.sort(theirs);
      System.out.printf(Locale.ROOT, "| %dx%d | %.3f | %.3f | %.2f |%n", n, n, ours[2], theirs[2], theirs[2] / ours[2]);
    }
  }

  private static void copy(double[][] from, double[][] to) {
    for (int i = 0; i < from.length; i++) {
      System.arraycopy(from[i], 0, to[i], 0, from[i].length);
    }
  }
}
