package dev.hallmark.watermark.internal.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The pasted rectangle: found on collages of two photos, exactly, and not on one photo or on texture. */
class RectanglesTest {
  static final long SEED = 1210L;

  static BufferedImage photo(String name) throws IOException {
    try (InputStream in = RectanglesTest.class.getResourceAsStream("/images/" + name + ".png")) {
      return ImageIO.read(in);
    }
  }

  /** {@code background} with {@code picture}'s pixels in {x, y, width, height}. */
  static BufferedImage collage(BufferedImage picture, BufferedImage background, int[] q) {
    BufferedImage out = new BufferedImage(background.getWidth(), background.getHeight(), BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, out.getWidth(), out.getHeight(),
        background.getRGB(0, 0, out.getWidth(), out.getHeight(), null, 0, out.getWidth()), 0, out.getWidth());
    out.setRGB(q[0], q[1], q[2], q[3], picture.getRGB(q[0], q[1], q[2], q[3], null, 0, q[2]), 0, q[2]);
    return out;
  }

  @Test
  void findsTheSidesOfAPictureInPlaceInAnother() throws Exception {
    System.out.println("RectanglesTest seed " + SEED);
    Random rnd = new Random(SEED);
    String[][] pairs = {{"kodim05", "kodim23"}, {"kodim23", "kodim03"}, {"kodim03", "kodim15"}, {"kodim15", "kodim05"}};
    for (String[] pair : pairs) {
      BufferedImage picture = photo(pair[0]);
      BufferedImage background = photo(pair[1]);
      int w = picture.getWidth();
      int h = picture.getHeight();
      for (int k = 0; k < 3; k++) {
        // A fifth of the area, aspect ratio 0.25 to 1.75, anywhere (OmniSealBench's collage).
        double aspect = 0.25 + 1.5 * rnd.nextDouble();
        int rw = Math.min((int) Math.sqrt(0.2 * w * h * aspect), w - 1);
        int rh = Math.min((int) (0.2 * w * h / rw), h - 1);
        int[] q = {rnd.nextInt(w - rw), rnd.nextInt(h - rh), rw, rh};
        BufferedImage c = collage(picture, background, q);
        int[] found = Rectangles.find(Luma.luma(c), w, h);
        String what = pair[0] + " in " + pair[1] + " at " + Arrays.toString(q) + ": " + Arrays.toString(found);
        System.out.println(what);
        assertNotNull(found, what);
        // A side within the border band is the border (at most 8 columns or rows of the background).
        int[] want = {q[0] < Rectangles.BORDER ? 0 : q[0], q[1] < Rectangles.BORDER ? 0 : q[1],
            q[0] + rw > w - Rectangles.BORDER ? w : q[0] + rw, q[1] + rh > h - Rectangles.BORDER ? h : q[1] + rh};
        assertArrayEquals(want, found, what);
      }
    }
  }

  @Test
  void findsNoneOnTexture() {
    Random rnd = new Random(SEED);
    float[] y = OutlineTest.texture(640, 480, rnd);
    assertNull(Rectangles.find(y, 640, 480));
    assertNull(Rectangles.find(new float[640 * 480], 640, 480));
  }
}
