package dev.hallmark.watermark.text;

import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.internal.text.MultiKeyDetectorImpl;
import java.util.List;

/**
 * Tests a text against every configured key and scheme at once, controlling the family-wise
 * false-positive rate. A key that records its scheme is tested under that scheme alone; a key that
 * does not, under every scheme of the settings. Immutable and thread-safe; the text is tokenized once
 * per call.
 */
public interface MultiKeyTextDetector {
  MultiKeyTextResult detect(String text);

  TextDetectionSettings settings();

  /** How the false-positive budget is split, in words (the {@code correction} of every result). */
  String correction();

  /**
   * The schemes {@code key} is tested under with {@code settings}: its recorded scheme alone (if the
   * settings list that scheme), or every scheme of the settings when it records none.
   *
   * @throws IllegalArgumentException when the key records a scheme or parameters this build cannot read
   */
  static List<WatermarkParameters> testsFor(TextDetectionSettings settings, WatermarkKey key) {
    return MultiKeyDetectorImpl.testsFor(settings, key);
  }

  /**
   * What {@code settings} test of {@code keys}: the number of (key, scheme) tests in all, and, by key
   * name in key order, what each key records that the settings' schemes leave untested (a key that
   * records its scheme is tested only under it). The check behind every command's refusal of a
   * {@code --scheme} that would test a named key under nothing.
   *
   * @throws IllegalArgumentException when a key records a scheme or parameters this build cannot read
   */
  static Coverage coverage(TextDetectionSettings settings, List<WatermarkKey> keys) {
    int tests = 0;
    java.util.Map<String, WatermarkParameters> untested = new java.util.LinkedHashMap<>();
    for (WatermarkKey k : keys) {
      List<WatermarkParameters> t = testsFor(settings, k);
      tests += t.size();
      java.util.Optional<WatermarkParameters> own = WatermarkParameters.ofKey(k);
      if (t.isEmpty() && own.isPresent()) {
        untested.put(k.name(), own.get());
      }
    }
    return new Coverage(tests, untested);
  }

  /** See {@link #coverage}. */
  record Coverage(int tests, java.util.Map<String, WatermarkParameters> untested) {
    public Coverage {
      untested = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(untested));
    }
  }
}
