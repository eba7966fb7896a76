package dev.hallmark.detector.internal;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Hex;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.DocumentException;
import dev.hallmark.detector.EmbeddedImage;
import dev.hallmark.detector.Evidence;
import dev.hallmark.detector.Reason;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageDetector;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import dev.hallmark.watermark.text.TextDetectionResult;
import dev.hallmark.watermark.Watermarks;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The production detector: keyed text watermarks (every key and scheme, copy-paste windows), keyed
 * image watermarks, and ledger lookups (exact SHA-256, text MinHash, image perceptual hash).
 *
 * <p>Budget: with {@code n} scanned images, the text test and each image test are judged at
 * {@code alpha / (1 + n)}, so the chance that a document without any watermark is removed by a
 * watermark test is at most {@code alpha} (Bonferroni). Holds no mutable state.
 */
public final class StandardDetector implements Detector {
  /** Raster formats the image reader decodes; other image types (SVG, ICO, EMF) are not scanned. */
  private static final Set<String> RASTER = Set.of("image/png", "image/jpeg", "image/gif", "image/bmp",
      "image/x-ms-bmp", "image/webp", "image/tiff", "image/pjpeg", "image/jpg");
  /** Smallest side an image needs for the watermark search. */
  private static final int MIN_WATERMARK_SIDE = 64;
  private static final int LEDGER_LIMIT = 3;

  private final DetectionPolicy policy;
  private final List<WatermarkKey> keys;
  private final MultiKeyTextDetector text;
  /** Image watermark search with the keys' templates derived once, shared by every image. */
  private final ImageDetector images;
  private final LedgerSnapshot ledger;

  public StandardDetector(DetectionPolicy policy, List<WatermarkKey> keys, LedgerSnapshot ledger) {
    this.policy = policy;
    this.keys = List.copyOf(keys);
    this.text = keys.isEmpty() ? null : Watermarks.multiKeyTextDetector(policy.textSettings(), this.keys);
    this.images = keys.isEmpty() ? null : ImageWatermarks.newWatermarker().detector(this.keys);
    this.ledger = ledger;
  }

  @Override
  public DetectionPolicy policy() {
    return policy;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    keys.forEach(k -> ids.add(k.keyId()));
    m.put("watermarkKeyIds", ids);
    if (ledger != null) {
      m.put("ledgerOrigin", ledger.checkpoint().checkpoint().origin());
      m.put("ledgerSize", ledger.size());
      m.put("ledgerRootHash", Hex.encode(ledger.checkpoint().rootHash()));
    } else {
      m.put("ledger", "none");
    }
    return m;
  }

  @Override
  public DocumentDecision decide(Document doc) throws DocumentException {
    List<EmbeddedImage> scan = new ArrayList<>();
    for (EmbeddedImage i : doc.images()) {
      if (scan.size() >= policy.maxImagesPerDocument()) {
        break;
      }
      if (RASTER.contains(i.mediaType().toLowerCase(Locale.ROOT))) {
        scan.add(i);
      }
    }
    double share = policy.textAlpha(scan.size());
    List<Evidence> ev = new ArrayList<>();
    double textP = Double.NaN;
    double textJ = Double.NaN;
    String t = doc.text();
    boolean hasText = !t.isBlank();
    if (text != null && hasText) {
      MultiKeyTextResult r = text.detect(t);
      TextDetectionResult best = r.best();
      if (best != null && best.tokensScored() > 0) {
        textP = r.familyWisePValue();
        if (textP <= share) {
          ev.add(Evidence.watermark(Reason.TEXT_WATERMARK, "text", best.scheme(), best.keyId(), textP,
              best.tokensScored(), best.span() == null ? null : best.span().startToken() + "-" + best.span().endToken()));
        }
      }
    }
    try {
      if (ledger != null && hasText) {
        for (Match m : ledger.findBySha256(sha256(t.getBytes(StandardCharsets.UTF_8)))) {
          ev.add(Evidence.ledger(Reason.LEDGER_TEXT_EXACT, "text", m.index(), 1.0, null));
          if (ev.size() > 8) {
            break;
          }
        }
        if (t.length() >= policy.minNearDuplicateChars()) {
          List<Match> near = ledger.findText(TextFingerprint.minHash(t), policy.textJaccardThreshold(), LEDGER_LIMIT);
          textJ = 0;
          for (Match m : near) {
            textJ = Math.max(textJ, m.similarity());
            ev.add(Evidence.ledger(Reason.LEDGER_TEXT_NEAR, "text", m.index(), m.similarity(), null));
          }
        }
      }
      double imageP = Double.NaN;
      int hamming = -1;
      for (EmbeddedImage i : scan) {
        byte[] bytes = i.bytes();
        BufferedImage img;
        try {
          img = Images.read(bytes, i.name());
        } catch (HallmarkException e) {
          throw new DocumentException("unreadable image: " + e.getMessage());
        }
        if (ledger != null) {
          for (Match m : ledger.findBySha256(sha256(bytes))) {
            ev.add(Evidence.ledger(Reason.LEDGER_IMAGE_EXACT, i.name(), m.index(), 1.0, null));
          }
          ImageFingerprint fp = ImageFingerprint.of(img);
          if (fp.quality() >= ImageFingerprint.MIN_USEFUL_QUALITY) {
            for (Match m : ledger.findImage(fp.hex(), policy.imageHammingThreshold(), LEDGER_LIMIT)) {
              hamming = hamming < 0 ? m.distance() : Math.min(hamming, m.distance());
              ev.add(Evidence.ledger(Reason.LEDGER_IMAGE_NEAR, i.name(), m.index(), m.similarity(), m.distance()));
            }
          }
        }
        if (policy.removeC2paAiGenerated()) {
          C2paVerdict.aiGenerated(bytes).ifPresent(signer -> ev.add(Evidence.c2pa(i.name(), signer)));
        }
        if (images != null && img.getWidth() >= MIN_WATERMARK_SIDE && img.getHeight() >= MIN_WATERMARK_SIDE) {
          double a = policy.imageAlpha(scan.size());
          ImageDetection d = images.detect(img, Math.min(a, 0.5));
          imageP = Double.isNaN(imageP) ? d.pValue() : Math.min(imageP, d.pValue());
          if (d.pValue() <= a) {
            ev.add(Evidence.watermark(Reason.IMAGE_WATERMARK, i.name(), "image", d.keyId(), d.pValue(), d.bitsUsed(),
                null));
          }
        }
      }
      return new DocumentDecision(ev, textP, imageP, textJ, hamming, scan.size());
    } catch (LedgerException e) {
      throw new IllegalStateException("ledger lookup failed: " + e.getMessage(), e);
    } catch (HallmarkException e) {
      throw new DocumentException("image cannot be examined: " + e.getMessage());
    }
  }

  static String sha256(byte[] b) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
