package dev.hallmark.watermark.text;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The sampling loop for a {@link LanguageModel}: asks a model {@link LanguageModel.Session session}
 * (which keeps the model's cache across steps) for logits and the watermarker (or plain multinomial
 * sampling when none is given) for each next token. Not thread-safe (scratch
 * buffers); create one per thread.
 */
public final class TextGenerator {
  private final LanguageModel model;
  private final Tokenizer tokenizer;
  private final TextWatermarker watermarker;
  private final float[] logits;
  private final double[] probs;

  /** Outcome of one generation: the new text and tokens, and the model's mean entropy per token. */
  public record Generation(String text, int[] tokens, int promptTokens, double meanEntropyBits) {}

  /**
   * @param watermarker null for unwatermarked sampling
   * @throws IllegalArgumentException if the model, tokenizer and watermarker disagree on the vocabulary
   */
  public TextGenerator(LanguageModel model, Tokenizer tokenizer, TextWatermarker watermarker) {
    this.model = Objects.requireNonNull(model);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.watermarker = watermarker;
    if (!model.tokenizer().equals(tokenizer.name())) {
      throw new IllegalArgumentException("the language model uses " + model.tokenizer() + ", not " + tokenizer.name());
    }
    if (watermarker != null && watermarker.vocabularySize() != model.vocabularySize()) {
      throw new IllegalArgumentException("watermarker vocabulary " + watermarker.vocabularySize()
          + " differs from the model's " + model.vocabularySize());
    }
    this.logits = new float[model.vocabularySize()];
    this.probs = new double[model.vocabularySize()];
  }

  /** Generates {@code count} tokens after {@code prompt}, drawing randomness from {@code random}. */
  public Generation generate(String prompt, int count, RandomGenerator random) {
    if (count < 0 || count > 1_000_000) {
      throw new IllegalArgumentException("token count must be 0..1000000, got " + count);
    }
    int[] p = tokenizer.encode(prompt);
    int[] all = Arrays.copyOf(p, p.length + count);
    int len = p.length;
    double entropySum = 0;
    try (LanguageModel.Session session = model.newSession()) {
      for (int i = 0; i < count; i++) {
        session.logits(all, len, logits);
        entropySum += entropyBits(logits);
        int next = watermarker != null ? watermarker.sample(logits, all, len, random) : plain(random);
        all[len++] = next;
      }
    }
    int[] gen = Arrays.copyOfRange(all, p.length, len);
    String text = tokenizer.decode(all, p.length, len);
    return new Generation(text, gen, p.length, count == 0 ? 0 : entropySum / count);
  }

  private double entropyBits(float[] l) {
    double max = Double.NEGATIVE_INFINITY;
    for (float f : l) {
      if (f > max) {
        max = f;
      }
    }
    double z = 0;
    double s = 0;
    for (float f : l) {
      if (f != Float.NEGATIVE_INFINITY) {
        double x = f - max;
        double e = Math.exp(x);
        z += e;
        s += e * x;
      }
    }
    // H = ln z - E[x], in nats; convert to bits.
    return (Math.log(z) - s / z) / Math.log(2);
  }

  private int plain(RandomGenerator random) {
    double max = Double.NEGATIVE_INFINITY;
    for (float f : logits) {
      if (f > max) {
        max = f;
      }
    }
    double z = 0;
    for (int v = 0; v < logits.length; v++) {
      double e = logits[v] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(logits[v] - max);
      probs[v] = e;
      z += e;
    }
    double u = random.nextDouble() * z;
    double acc = 0;
    int last = 0;
    for (int v = 0; v < probs.length; v++) {
      if (probs[v] > 0) {
        acc += probs[v];
        last = v;
        if (u < acc) {
          return v;
        }
      }
    }
    return last;
  }
}
