package dev.hallmark.benchmarks.text;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.models.onnx.OnnxLanguageModel;
import dev.hallmark.models.onnx.RandomDecoder;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.LanguageModel;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.TextWatermarker;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Watermarked generation through ONNX Runtime on a random-weight GPT-2-small-shaped model (12 layers,
 * width 768, 12 heads, 50,257 tokens; built here, ~500 MB, in a temporary folder unless one is given),
 * with and without the KV cache (docs/BENCHMARKS.md, "Real models through ONNX Runtime").
 *
 * <p>Per configuration: tokens/s of whole generations unwatermarked and with each scheme, and, more
 * precisely, the sampling step alone (each scheme's {@code sample} against plain multinomial sampling)
 * on logits captured from the model, as a share of one model step.
 *
 * <p>Usage: {@code OnnxGenerationBenchmark [work folder] [tokens with cache] [tokens without cache]}.
 */
public final class OnnxGenerationBenchmark {
  static final long SEED = 20261203L;

  private OnnxGenerationBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("hallmark-onnx-bench");
    int cachedTokens = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int uncachedTokens = args.length > 2 ? Integer.parseInt(args[2]) : 24;
    System.out.println("seed=" + SEED + " cores=" + Runtime.getRuntime().availableProcessors() + " work=" + work);
    WatermarkKey key = WatermarkKey.generate("bench", new Random(SEED));
    for (boolean past : new boolean[] {true, false}) {
      Path dir = work.resolve(past ? "gpt2-small-past" : "gpt2-small-nopast");
      if (!Files.exists(dir.resolve("model.onnx"))) {
        long t0 = System.nanoTime();
        RandomDecoder.gpt2Small(past, SEED).write(dir);
        System.out.printf("built %s in %.1f s (%d MB)%n", dir, (System.nanoTime() - t0) / 1e9,
            Files.size(dir.resolve("model.onnx")) >> 20);
      }
      try (OnnxLanguageModel model = OnnxLanguageModel.open(dir)) {
        run(model, key, past ? cachedTokens : uncachedTokens);
      }
    }
  }

  static void run(OnnxLanguageModel model, WatermarkKey key, int tokens) {
    String label = model.hasKvCache() ? "KV cache" : "no KV cache";
    String prompt = RandomDecoder.word(100) + " " + RandomDecoder.word(2000) + " " + RandomDecoder.word(30000);
    // Warm-up: one short generation.
    new TextGenerator(model, model.hfTokenizer(), null).generate(prompt, 4, new SplittableRandom(SEED));
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    List<String> names = new ArrayList<>();
    names.add("unwatermarked");
    for (Scheme s : Scheme.values()) {
      names.add(s.label());
    }
    // Whole generations, every sampler once per round, rounds interleaved so that load changes show
    // as spread; each sampler's ratio to the unwatermarked generation of the same round.
    int genRounds = 9;
    double[][] genMs = new double[names.size()][genRounds];
    double[][] genCpu = new double[names.size()][genRounds];
    for (int round = 0; round < genRounds; round++) {
      for (int k = 0; k < names.size(); k++) {
        String n = names.get(k);
        TextWatermarker w = n.equals("unwatermarked") ? null
            : Watermarks.textWatermarker(key, WatermarkParameters.defaults(Scheme.parse(n)), model.vocabularySize(),
                model.tokenizer());
        TextGenerator gen = new TextGenerator(model, model.hfTokenizer(), w);
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        gen.generate(prompt, tokens, new SplittableRandom(SEED + round));
        genMs[k][round] = (System.nanoTime() - t0) / 1e6 / tokens;
        genCpu[k][round] = (os.getProcessCpuTime() - c0) / 1e6 / tokens;
      }
    }
    System.out.printf("%n== %s, %d tokens per generation after a 3-token prompt; medians of %d interleaved rounds"
        + " [min-max]; the ratio is each round's time over the unwatermarked generation's in the same round%n",
        label, tokens, genRounds);
    System.out.println("| sampler | ms/token (wall) | tokens/s | time vs unwatermarked, median ratio [min-max]"
        + " | process CPU ms/token |");
    System.out.println("|---|---|---|---|---|");
    for (int k = 0; k < names.size(); k++) {
      double[] ratio = new double[genRounds];
      for (int round = 0; round < genRounds; round++) {
        ratio[round] = genMs[k][round] / genMs[0][round];
      }
      double ms = median(genMs[k]);
      System.out.printf("| %s | %.2f [%.2f-%.2f] | %.2f | %+.1f%% [%+.1f%% to %+.1f%%] | %.2f |%n", names.get(k), ms,
          min(genMs[k]), max(genMs[k]), 1000 / ms, 100 * (median(ratio) - 1), 100 * (min(ratio) - 1),
          100 * (max(ratio) - 1), median(genCpu[k]));
    }
    // The sampling step alone, on logits captured from the model (steps of a real generation).
    int steps = Math.min(tokens, 32);
    int v = model.vocabularySize();
    float[][] logits = new float[steps][v];
    int[] ctx = model.hfTokenizer().encode(prompt);
    int[] all = java.util.Arrays.copyOf(ctx, ctx.length + steps);
    long modelNanos;
    long modelCpuNanos;
    SplittableRandom r = new SplittableRandom(SEED);
    try (LanguageModel.Session s = model.newSession()) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        s.logits(all, ctx.length + i, logits[i]);
        all[ctx.length + i] = argmax(logits[i]);
      }
      modelNanos = System.nanoTime() - t0;
      modelCpuNanos = os.getProcessCpuTime() - c0;
    }
    double stepMs = modelNanos / 1e6 / steps;
    double stepCpuMs = modelCpuNanos / 1e6 / steps;
    System.out.printf("%nmodel step (logits only, %s): %.2f ms wall, %.2f ms process CPU (%d cores)%n",
        label, stepMs, stepCpuMs, Runtime.getRuntime().availableProcessors());
    samplingRows("full support (every token within 50 nats of the maximum; all 50,257 here)", logits, key, model,
        all, ctx.length, stepMs, stepCpuMs, r);
    // The operating point of the published SynthID processors: sampling restricted to the top-k tokens
    // (google-deepmind/synthid-text applies top_k before the tournament; transformers' default top_k is
    // 50). The same truncated logits go to plain sampling and to every scheme.
    samplingRows("top-" + TOP_K + " sampling (logits outside the " + TOP_K + " largest set to -Infinity, for plain"
        + " sampling and every scheme alike)", topK(logits, TOP_K), key, model, all, ctx.length, stepMs, stepCpuMs, r);
  }

  static final int TOP_K = 50;

  /** Copies of the logits with every entry below the k-th largest set to -Infinity (ties at the k-th kept). */
  static float[][] topK(float[][] logits, int k) {
    float[][] out = new float[logits.length][];
    for (int i = 0; i < logits.length; i++) {
      float[] sorted = logits[i].clone();
      java.util.Arrays.sort(sorted);
      float kth = sorted[sorted.length - k];
      out[i] = logits[i].clone();
      for (int v = 0; v < out[i].length; v++) {
        if (out[i][v] < kth) {
          out[i][v] = Float.NEGATIVE_INFINITY;
        }
      }
    }
    return out;
  }

  /** Plain sampling and every scheme's sample on the same logits, interleaved rounds; prints a table. */
  static void samplingRows(String title, float[][] logits, WatermarkKey key, OnnxLanguageModel model, int[] all,
      int ctxLength, double stepMs, double stepCpuMs, SplittableRandom r) {
    int steps = logits.length;
    int v = model.vocabularySize();
    int reps = 20;
    int rounds = 3;
    TextWatermarker[] ws = new TextWatermarker[Scheme.values().length];
    for (Scheme sc : Scheme.values()) {
      ws[sc.ordinal()] = Watermarks.textWatermarker(key, WatermarkParameters.defaults(sc), v, model.tokenizer());
      for (int i = 0; i < steps; i++) { // warm-up
        ws[sc.ordinal()].sample(logits[i], all, ctxLength + i, r);
      }
    }
    // Rounds of plain sampling and every scheme, interleaved, so that load changes show as spread;
    // wall-clock and this thread's CPU time per step.
    double[][] wall = new double[Scheme.values().length + 1][rounds];
    double[][] cpu = new double[Scheme.values().length + 1][rounds];
    // Process CPU time: SynthID's sampler may share a step with a second (pool) thread.
    com.sun.management.OperatingSystemMXBean mx =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    int sink = 0;
    for (int round = 0; round < rounds; round++) {
      double[] plain = timePlain(logits, reps, r, mx);
      wall[0][round] = plain[0];
      cpu[0][round] = plain[1];
      for (Scheme sc : Scheme.values()) {
        TextWatermarker w = ws[sc.ordinal()];
        long c0 = mx.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int k = 0; k < reps; k++) {
          for (int i = 0; i < steps; i++) {
            sink += w.sample(logits[i], all, ctxLength + i, r);
          }
        }
        wall[sc.ordinal() + 1][round] = (System.nanoTime() - t0) / 1e6 / (reps * steps);
        cpu[sc.ordinal() + 1][round] = (mx.getProcessCpuTime() - c0) / 1e6 / (reps * steps);
      }
    }
    double plainMs = median(wall[0]);
    double plainCpu = median(cpu[0]);
    System.out.printf("%n-- sampling step, %s: plain multinomial sampling %.3f ms wall, %.3f ms CPU per step%s%n",
        title, plainMs, plainCpu, sink == -1 ? " " : "");
    System.out.println("Medians of " + rounds + " interleaved rounds of " + reps + " x " + steps
        + " steps; [min-max] over rounds. CPU is the process's (every thread); the last column is the"
        + " sampler's CPU overhead over the model step's process CPU time.");
    System.out.println("| scheme | sampling ms/step (wall) | overhead vs plain sampling (wall)"
        + " | share of a model step (wall) | sampling CPU ms/step | overhead CPU ms | share of the model step's CPU |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Scheme sc : Scheme.values()) {
      double[] w = wall[sc.ordinal() + 1];
      double[] c = cpu[sc.ordinal() + 1];
      double ms = median(w);
      double cms = median(c);
      System.out.printf("| %s | %.3f [%.3f-%.3f] | %+.3f ms | %.1f%% | %.3f | %+.3f | %.1f%% |%n", sc.label(), ms,
          min(w), max(w), ms - plainMs, 100 * (ms - plainMs) / stepMs, cms, cms - plainCpu,
          100 * (cms - plainCpu) / stepCpuMs);
    }
  }

  static double median(double[] a) {
    double[] b = a.clone();
    java.util.Arrays.sort(b);
    return b.length % 2 == 1 ? b[b.length / 2] : (b[b.length / 2 - 1] + b[b.length / 2]) / 2;
  }

  static double min(double[] a) {
    return java.util.Arrays.stream(a).min().orElseThrow();
  }

  static double max(double[] a) {
    return java.util.Arrays.stream(a).max().orElseThrow();
  }

  static int argmax(float[] l) {
    int best = 0;
    for (int i = 1; i < l.length; i++) {
      if (l[i] > l[best]) {
        best = i;
      }
    }
    return best;
  }

  /** TextGenerator's unwatermarked multinomial sampling, timed alone: {wall, CPU} ms per step. */
  static double[] timePlain(float[][] logits, int reps, SplittableRandom r,
      com.sun.management.OperatingSystemMXBean mx) {
    double[] probs = new double[logits[0].length];
    int sink = 0;
    for (int warm = 0; warm < 2; warm++) {
      long c0 = mx.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int k = 0; k < reps; k++) {
        for (float[] l : logits) {
          float max = Float.NEGATIVE_INFINITY;
          for (float f : l) {
            max = Math.max(max, f);
          }
          double z = 0;
          for (int v = 0; v < l.length; v++) {
            double e = l[v] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(l[v] - max);
            probs[v] = e;
            z += e;
          }
          double u = r.nextDouble() * z;
          double acc = 0;
          for (int v = 0; v < probs.length; v++) {
            acc += probs[v];
            if (u < acc) {
              sink += v;
              break;
            }
          }
        }
      }
      if (warm == 1) {
        int n = reps * logits.length;
        return new double[] {(System.nanoTime() - t0) / 1e6 / n + (sink == -1 ? 1 : 0),
            (mx.getProcessCpuTime() - c0) / 1e6 / n};
      }
    }
    throw new IllegalStateException();
  }
}
