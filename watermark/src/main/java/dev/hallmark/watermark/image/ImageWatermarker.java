package dev.hallmark.watermark.image;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.WatermarkKey;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A keyed, blind image watermark carrying {@link #PAYLOAD_BYTES} bytes of payload in the luminance.
 *
 * <p>Only holders of the key can detect or forge the mark. Implementations are immutable and
 * thread-safe; obtain one from {@link ImageWatermarks}.
 */
public interface ImageWatermarker {
  /** Payload size: 64 bits, carried exactly with a keyed 32-bit integrity check. */
  int PAYLOAD_BYTES = 8;

  /** Smallest width and height (pixels) an image must have to carry the payload. */
  int MIN_DIMENSION = 128;

  ImageWatermarkParameters parameters();

  /**
   * A watermarked copy of {@code image} with the same size, type, bit depth, colour space (an ICC
   * profile such as Adobe RGB stays attached to the samples) and alpha (palette images come back as
   * 8-bit RGB).
   *
   * @throws HallmarkException if the image is smaller than {@link #MIN_DIMENSION} on a side
   * @throws IllegalArgumentException if the payload is not {@link #PAYLOAD_BYTES} bytes
   */
  BufferedImage embed(BufferedImage image, WatermarkKey key, byte[] payload) throws HallmarkException;

  /**
   * Looks for a watermark under each of {@code keys}, deciding at family-wise false-positive rate
   * {@code alpha} (0 < alpha < 1). The geometry search is done once for all keys. To detect many
   * images with the same keys, keep a {@link #detector}.
   *
   * @throws HallmarkException if the image is too small to search (under 64 pixels on a side)
   */
  /**
   * How {@code key}'s mark reads back from {@code image} at the geometry it was embedded in (scale 1,
   * no rotation; its 8 symmetries and every tile offset), without the geometry search or the
   * localisation windows: for checking an image just marked, at a fraction of {@link #detect}'s cost.
   * The p-value bounds those hypotheses alone; {@code regions} is empty. The default runs the full
   * {@link #detect}.
   *
   * @throws HallmarkException if the image is too small to hold a watermark
   */
  default ImageDetection checkEmbedded(BufferedImage image, WatermarkKey key, double alpha) throws HallmarkException {
    return detect(image, List.of(key), alpha);
  }

  ImageDetection detect(BufferedImage image, List<WatermarkKey> keys, double alpha)
      throws HallmarkException;

  /**
   * A detector for {@code keys} with their search templates derived once; its results equal
   * {@link #detect} with the same keys.
   *
   * @throws IllegalArgumentException if {@code keys} is empty
   */
  ImageDetector detector(List<WatermarkKey> keys);
}
