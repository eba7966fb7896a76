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
import dev.hallmark.detector.EvidenceCollector;
import dev.hallmark.detector.LedgerLookupException;
import dev.hallmark.detector.Reason;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import dev.hallmark.watermark.text.WatermarkParameters;
import dev.hallmark.watermark.text.TextDetectionResult;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
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
  private static final int LEDGER_LIMIT = 3;

  private final DetectionPolicy policy;
  private final List<WatermarkKey> keys;
  /** Hashes, fingerprints and keyed watermark tests, with the keys' templates derived once. */
  private final EvidenceCollector evidence;
  private final LedgerSnapshot ledger;

  public StandardDetector(DetectionPolicy policy, List<WatermarkKey> keys, LedgerSnapshot ledger) {
    this.policy = policy;
    this.keys = List.copyOf(keys);
    this.evidence = EvidenceCollector.create(this.keys, policy.textSettings());
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
    if (evidence.keyed()) {
      // Which (key, scheme) tests the text watermark runs and how alpha is split among them.
      List<Object> tests = new ArrayList<>();
      for (WatermarkKey k : keys) {
        for (WatermarkParameters p : MultiKeyTextDetector.testsFor(policy.textSettings(), k)) {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("keyId", k.keyId());
          t.put("scheme", p.scheme().label());
          t.put("parameters", p.toMap());
          tests.add(t);
        }
      }
      m.put("textTests", tests);
      m.put("textCorrection", evidence.textCorrection());
    }
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
    int rasters = 0;
    for (EmbeddedImage i : doc.images()) {
      if (RASTER.contains(i.mediaType().toLowerCase(Locale.ROOT))) {
        rasters++;
        if (scan.size() < policy.maxImagesPerDocument()) {
          scan.add(i);
        }
      }
    }
    double share = policy.textAlpha(scan.size());
    List<Evidence> ev = new ArrayList<>();
    double textP = Double.NaN;
    double textJ = Double.NaN;
    String t = doc.text();
    boolean hasText = !t.isBlank();
    boolean nearText = ledger != null && hasText && t.length() >= policy.minNearDuplicateChars();
    EvidenceCollector.TextEvidence te = hasText ? evidence.text(t, nearText) : null;
    if (te != null && te.scored()) {
      MultiKeyTextResult r = te.watermark();
      TextDetectionResult best = r.best();
      textP = r.familyWisePValue();
      if (textP <= share) {
        ev.add(Evidence.textWatermark(best.scheme(), best.keyId(), textP, best.tokensScored(),
            best.span() == null ? null : best.span().startToken() + "-" + best.span().endToken(), r.tests(),
            r.correction()));
      }
    }
    try {
      if (ledger != null && hasText) {
        for (Match m : ledger.findBySha256(EvidenceCollector.sha256(t.getBytes(StandardCharsets.UTF_8)))) {
          ev.add(Evidence.ledger(Reason.LEDGER_TEXT_EXACT, "text", m.index(), 1.0, null));
          if (ev.size() > 8) {
            break;
          }
        }
        if (nearText) {
          List<Match> near = ledger.findText(te.minHash(), policy.textJaccardThreshold(), LEDGER_LIMIT);
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
        dev.hallmark.watermark.image.ImageFile img;
        try {
          img = Images.readFile(bytes, i.name());
        } catch (HallmarkException e) {
          throw new DocumentException("unreadable image: " + e.getMessage());
        }
        double a = policy.imageAlpha(scan.size());
        EvidenceCollector.ImageEvidence ie = evidence.image(img, a, ledger != null);
        if (ledger != null) {
          for (Match m : ledger.findBySha256(EvidenceCollector.sha256(bytes))) {
            ev.add(Evidence.ledger(Reason.LEDGER_IMAGE_EXACT, i.name(), m.index(), 1.0, null));
          }
          if (ie.usefulFingerprint().isPresent()) {
            for (Match m : ledger.findImage(ie.fingerprint().hex(), policy.imageHammingThreshold(), LEDGER_LIMIT)) {
              hamming = hamming < 0 ? m.distance() : Math.min(hamming, m.distance());
              ev.add(Evidence.ledger(Reason.LEDGER_IMAGE_NEAR, i.name(), m.index(), m.similarity(), m.distance()));
            }
          }
        }
        if (policy.removeC2paAiGenerated()) {
          C2paVerdict.aiGenerated(bytes).ifPresent(signer -> ev.add(Evidence.c2pa(i.name(), signer)));
        }
        ImageDetection d = ie.watermark();
        if (d != null) {
          imageP = Double.isNaN(imageP) ? d.pValue() : Math.min(imageP, d.pValue());
          if (d.pValue() <= a) {
            ev.add(Evidence.watermark(Reason.IMAGE_WATERMARK, i.name(), "image", d.keyId(), d.pValue(), d.bitsUsed(),
                null));
          }
        }
      }
      // Kept means checked whole: a document whose text was longer than the watermark test reads, or
      // with more images than are scanned, is removed on what was found in the part that was
      // examined, and otherwise cannot be declared clean.
      if (ev.isEmpty() && te != null && te.watermark() != null && te.watermark().best() != null
          && te.watermark().best().truncated()) {
        throw new DocumentException(String.format(Locale.ROOT, "text longer than the watermark test's limit of %,d"
            + " tokens; only its beginning was tested (nothing found there), so it cannot be declared clean:"
            + " split the document", policy.textSettings().maxTokens()));
      }
      if (ev.isEmpty() && rasters > scan.size()) {
        throw new DocumentException(String.format(Locale.ROOT, "%d images, more than the %d scanned per document"
            + " (nothing found in those); the rest cannot be checked, so it cannot be declared clean", rasters,
            scan.size()));
      }
      return new DocumentDecision(ev, textP, imageP, textJ, hamming, scan.size());
    } catch (LedgerException e) {
      throw new LedgerLookupException(e);
    } catch (HallmarkException e) {
      throw new DocumentException("image cannot be examined: " + e.getMessage());
    }
  }
}
