package dev.hallmark.clean;

import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.DocumentException;
import dev.hallmark.detector.EmbeddedImage;
import dev.hallmark.detector.Evidence;
import dev.hallmark.detector.Reason;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * A test detector for the pipeline: text containing {@code TAGGED} and images whose centre pixel is
 * pure red count as watermarked. It can simulate a crash after a number of documents.
 */
class MarkerDetector implements Detector {
  private final AtomicInteger budget;

  MarkerDetector() {
    this(Integer.MAX_VALUE);
  }

  MarkerDetector(int crashAfter) {
    this.budget = new AtomicInteger(crashAfter);
  }

  @Override
  public DocumentDecision decide(Document d) throws DocumentException {
    if (budget.decrementAndGet() < 0) {
      throw new SimulatedCrash();
    }
    List<Evidence> ev = new ArrayList<>();
    double p = d.text().contains("TAGGED") ? 1e-9 : 0.5;
    if (d.text().contains("TAGGED")) {
      ev.add(Evidence.watermark(Reason.TEXT_WATERMARK, "text", "marker", "0000000000000000", p, 100, null));
    }
    for (EmbeddedImage i : d.images()) {
      BufferedImage img;
      try {
        img = ImageIO.read(i.openStream());
      } catch (IOException | RuntimeException e) {
        throw new DocumentException("corrupt image " + i.name() + ": " + e.getMessage());
      }
      if (img == null) {
        throw new DocumentException("corrupt image " + i.name() + ": not decodable");
      }
      int rgb = img.getRGB(img.getWidth() / 2, img.getHeight() / 2);
      if (((rgb >> 16) & 0xff) > 200 && ((rgb >> 8) & 0xff) < 60 && (rgb & 0xff) < 60) {
        ev.add(Evidence.watermark(Reason.IMAGE_WATERMARK, i.name(), "marker", "0000000000000000", 1e-12, 256, null));
      }
    }
    return new DocumentDecision(ev, d.text().isEmpty() ? Double.NaN : p, Double.NaN, Double.NaN, -1, d.images().size());
  }

  @Override
  public DetectionPolicy policy() {
    return DetectionPolicy.DEFAULT;
  }

  @Override
  public Map<String, Object> describe() {
    return Map.of("kind", "marker (test)");
  }

  /** Stands for the process being killed. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;

    SimulatedCrash() {
      super("simulated crash");
    }
  }
}
