package dev.hallmark.spark.internal;

import dev.hallmark.detector.EvidenceCollector;
import dev.hallmark.core.Hex;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.EmbeddedImage;
import dev.hallmark.ledger.MatchRules;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.Images;
import java.nio.charset.StandardCharsets;

/**
 * The equi-join keys of registry matching, the same on both sides of the join: a registered record
 * has one key for its content hash, one per MinHash LSH band (32 bands of 4 rows, as the ledger's
 * index) and one per 16-bit chunk of its image hash; a document has keys for its text's hash and
 * bands and, per image, the image bytes' hash and every chunk value within the multi-index-hashing
 * radius {@code floor(maxDistance / 16)} of its perceptual hash. A shared key makes a candidate; every
 * candidate is then verified exactly ({@link CandidateLedger}), so a 64-bit key collision costs a
 * check, never a wrong answer.
 */
public final class RegistryKeys {
  public static final int BANDS = MatchRules.LSH_BANDS;
  public static final int ROWS = MatchRules.LSH_ROWS;
  public static final int CHUNKS = MatchRules.IMAGE_CHUNKS;
  private static final long SHA_SALT = 0x5348413235360001L;
  private static final long BAND_SALT = 0x4c53484241ADD002L;
  private static final long CHUNK_SALT = 0x50484348554e4b03L;

  private RegistryKeys() {}

  /** Keys of a registered record (content hash, text MinHash or image hash; the last two may be null). */
  public static long[] recordKeys(String sha256Hex, int[] minHash, String imageHashHex) {
    int n = 1 + (minHash == null ? 0 : BANDS) + (imageHashHex == null ? 0 : CHUNKS);
    long[] k = new long[n];
    int o = 0;
    k[o++] = shaKey(sha256Hex);
    if (minHash != null) {
      for (int b = 0; b < BANDS; b++) {
        k[o++] = bandKey(minHash, b);
      }
    }
    if (imageHashHex != null) {
      byte[] bits = Hex.decode(imageHashHex);
      for (int c = 0; c < CHUNKS; c++) {
        k[o++] = chunkKey(c, MatchRules.imageChunk(bits, c));
      }
    }
    return k;
  }

  /**
   * Keys of a document: a superset of what the detector will look up (every image, whatever its type
   * or size), so that no look-up the detector makes can miss a candidate.
   */
  public static long[] documentKeys(Document doc, int maxImageDistance) {
    java.util.List<Long> keys = new java.util.ArrayList<>();
    String t = doc.text();
    if (!t.isBlank()) {
      keys.add(shaKey(EvidenceCollector.sha256(t.getBytes(StandardCharsets.UTF_8))));
      int[] mh = TextFingerprint.minHash(t);
      for (int b = 0; b < BANDS; b++) {
        keys.add(bandKey(mh, b));
      }
    }
    int radius = Math.max(0, Math.min(1, MatchRules.chunkRadius(maxImageDistance)));
    for (EmbeddedImage i : doc.images()) {
      byte[] bytes = i.bytes();
      keys.add(shaKey(EvidenceCollector.sha256(bytes)));
      byte[] bits;
      try {
        bits = Hex.decode(ImageFingerprint.of(Images.readFile(bytes, i.name())).hex());
      } catch (Exception | StackOverflowError e) {
        continue; // An unreadable image has no perceptual hash; the detector reports it.
      }
      for (int c = 0; c < CHUNKS; c++) {
        int v = MatchRules.imageChunk(bits, c);
        keys.add(chunkKey(c, v));
        if (radius >= 1) {
          for (int bit = 0; bit < 16; bit++) {
            keys.add(chunkKey(c, v ^ (1 << bit)));
          }
        }
      }
    }
    long[] out = new long[keys.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = keys.get(i);
    }
    return out;
  }

  static long shaKey(String sha256Hex) {
    byte[] h = Hex.decode(sha256Hex);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return mix64(v ^ SHA_SALT);
  }

  static long bandKey(int[] mh, int b) {
    int o = b * ROWS;
    long h = mix64(BAND_SALT * (b + 1));
    for (int r = 0; r < ROWS; r++) {
      h = mix64(h ^ (mh[o + r] & 0xffffffffL));
    }
    return h;
  }

  static long chunkKey(int c, int v) {
    return mix64(CHUNK_SALT ^ (((long) c << 16) | v));
  }

  static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

}
