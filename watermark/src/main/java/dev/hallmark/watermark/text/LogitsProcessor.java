package dev.hallmark.watermark.text;

/** Rewrites next-token logits in place (KGW, Unigram). Same thread-safety as its {@link TextWatermarker}. */
public interface LogitsProcessor {
  void process(float[] logits, int[] tokens, int length);
}
