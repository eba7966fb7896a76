package dev.hallmark.watermark.image;

import dev.hallmark.core.HallmarkException;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Image watermark detection bound to a fixed list of keys. The per-key search templates are derived
 * once, when the detector is made, so a detector kept for many images (a cleaning run, a Spark
 * partition) skips that work on every image. Results are exactly those of
 * {@link ImageWatermarker#detect} with the same keys. Immutable and thread-safe; obtain one from
 * {@link ImageWatermarker#detector}.
 */
public interface ImageDetector {
  /** Ids of the keys searched, in order. */
  List<String> keyIds();

  /**
   * Looks for a watermark under each key, deciding at family-wise false-positive rate {@code alpha}
   * (0 < alpha < 1); see {@link ImageDetection}.
   *
   * @throws HallmarkException if the image is too small to search (under 64 pixels on a side)
   */
  ImageDetection detect(BufferedImage image, double alpha) throws HallmarkException;
}
