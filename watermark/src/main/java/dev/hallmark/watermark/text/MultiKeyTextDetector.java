package dev.hallmark.watermark.text;

/**
 * Tests a text against every configured key and scheme at once, controlling the family-wise
 * false-positive rate. Immutable and thread-safe; the text is tokenized once per call.
 */
public interface MultiKeyTextDetector {
  MultiKeyTextResult detect(String text);

  TextDetectionSettings settings();
}
