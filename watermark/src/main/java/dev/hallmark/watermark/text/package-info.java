/**
 * Text watermarks: {@link dev.hallmark.watermark.text.TextWatermarker} (one sampling step, or a
 * {@link dev.hallmark.watermark.text.LogitsProcessor}), {@link dev.hallmark.watermark.text.TextDetector}
 * and {@link dev.hallmark.watermark.text.MultiKeyTextDetector} (exact p-values, first-occurrence
 * scoring, windowed copy-paste detection, family-wise error control), the JTokkit
 * {@link dev.hallmark.watermark.text.Tokenizers}, and the built-in demo
 * {@link dev.hallmark.watermark.text.NgramLanguageModel}. Instances come from
 * {@link dev.hallmark.watermark.Watermarks}; the schemes are specified in docs/spec/text-watermark.md.
 */
package dev.hallmark.watermark.text;
