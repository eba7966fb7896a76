package dev.hallmark.watermark.text;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Chooses the next token inside a sampling loop, embedding a keyed watermark. An instance keeps
 * scratch buffers sized to the vocabulary (so a step allocates nothing) and is therefore NOT
 * thread-safe: create one per generating thread (creation is cheap).
 */
public interface TextWatermarker {
  /** The scheme, parameters and key id this watermarker embeds. */
  WatermarkFacts facts();

  /** The vocabulary size the logits arrays must have. */
  int vocabularySize();

  /**
   * Picks the next token.
   *
   * @param logits next-token logits over the whole vocabulary (already divided by any temperature);
   *     {@code -Infinity} marks impossible tokens. Not modified.
   * @param tokens token ids so far (prompt and generated); only {@code tokens[0..length)} is read
   * @param random the caller's seeded random source (Gumbel ignores it: its choice is a keyed
   *     function of the context)
   */
  int sample(float[] logits, int[] tokens, int length, RandomGenerator random);

  /**
   * For engines that sample themselves: a processor that adds the green-list bias to the logits in
   * place (KGW and Unigram only; empty for Gumbel and SynthID, which must choose the token).
   */
  Optional<LogitsProcessor> logitsProcessor();
}
