package dev.hallmark.watermark.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.watermark.image.Images;

/**
 * {@link Images#read(byte[], String)} and {@link Images#dimensions(byte[])} on any bytes: an image or
 * a {@link HallmarkException}, never another exception. Regression inputs live under
 * {@code src/test/resources/dev/hallmark/watermark/fuzz/ImagesFuzzTestInputs/}.
 */
class ImagesFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void readAnyBytes(byte[] data) {
    long[] wh = Images.dimensions(data);
    if (wh != null && wh[0] * wh[1] > 4_000_000L) {
      return; // large announced sizes are bounded by MAX_DIMENSION; keep fuzzing iterations fast
    }
    try {
      Images.read(data, "fuzz");
    } catch (HallmarkException expected) {
      // documented rejection
    }
  }
}
