package dev.hallmark.watermark.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Draws the regions of an {@link ImageDetection} over a copy of the tested image. Stateless. */
public final class RegionOverlay {
  private static final Color[] COLOURS = {
    new Color(255, 64, 64), new Color(64, 160, 255), new Color(64, 220, 64), new Color(255, 200, 0),
    new Color(220, 64, 255), new Color(0, 220, 220)};

  private RegionOverlay() {}

  /**
   * An 8-bit RGB copy of {@code image} with each region outlined (a 3-pixel frame, one colour per
   * key, in the order the keys first appear in {@code regions}, cycling after six keys). The
   * input is not modified.
   */
  public static BufferedImage draw(BufferedImage image, List<ImageRegion> regions) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(image, 0, 0, null);
      int stroke = Math.max(3, Math.min(image.getWidth(), image.getHeight()) / 256);
      g.setStroke(new BasicStroke(stroke));
      List<String> keys = new ArrayList<>();
      for (ImageRegion r : regions) {
        if (!keys.contains(r.keyId())) {
          keys.add(r.keyId());
        }
        g.setColor(COLOURS[keys.indexOf(r.keyId()) % COLOURS.length]);
        int half = stroke / 2;
        g.drawRect(r.x() + half, r.y() + half, Math.max(1, r.width() - stroke), Math.max(1, r.height() - stroke));
      }
    } finally {
      g.dispose();
    }
    return out;
  }
}
