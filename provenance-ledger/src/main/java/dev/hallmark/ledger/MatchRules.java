package dev.hallmark.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rules of the ledger's similarity look-ups ({@link LedgerSnapshot#findBySha256},
 * {@link LedgerSnapshot#findText}, {@link LedgerSnapshot#findImage}), in one place: which registered
 * fingerprints are candidates for a query, how close a candidate is, in which order matches are
 * returned and how many. The ledger's own index applies them, and so must anything that answers the
 * same look-ups from another store (the Spark registry join), so that a document gets the same
 * decision either way.
 *
 * <ul>
 *   <li>Text: a candidate shares all {@link #LSH_ROWS} rows of at least one of the {@link #LSH_BANDS}
 *       bands of its 128-value MinHash with the query; it matches when the share of equal positions
 *       is at least the threshold.
 *   <li>Image: a candidate has at least one of the {@link #IMAGE_CHUNKS} 16-bit chunks of its 256-bit
 *       perceptual hash within {@code floor(maxDistance / 16)} bits of the query's (multi-index
 *       hashing: by the pigeonhole principle every hash within {@code maxDistance} is a candidate);
 *       it matches when the Hamming distance is at most {@code maxDistance}.
 *   <li>Order: text by similarity, highest first; images by distance, closest first; content hashes
 *       by index; ties by index, oldest first. At most {@link #MAX_SHA_MATCHES} content-hash matches.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class MatchRules {
  /** MinHash LSH bands of a text signature. */
  public static final int LSH_BANDS = 32;
  /** Rows (signature values) per LSH band. */
  public static final int LSH_ROWS = 4;
  /** 16-bit chunks of a 256-bit image hash. */
  public static final int IMAGE_CHUNKS = 16;
  /** Most content-hash matches returned (and similarity candidates re-ranked) per look-up. */
  public static final int MAX_SHA_MATCHES = 20000;

  /** Text matches: most similar first, then oldest. */
  public static final Comparator<Match> TEXT_ORDER =
      Comparator.comparingDouble((Match m) -> -m.similarity()).thenComparingLong(Match::index);
  /** Image matches: closest first, then oldest. */
  public static final Comparator<Match> IMAGE_ORDER =
      Comparator.comparingInt(Match::distance).thenComparingLong(Match::index);
  /** Content-hash matches: oldest first. */
  public static final Comparator<Match> SHA_ORDER = Comparator.comparingLong(Match::index);

  private MatchRules() {}

  /**
   * Share of equal positions of two MinHash signatures of the same length (estimated Jaccard
   * similarity); 0 when either is the signature of a text without words (every entry {@code
   * 0xFFFFFFFF}), which is never a near match (docs/spec/text-fingerprint.md).
   */
  public static double minHashSimilarity(int[] a, int[] b) {
    if (allOnes(a) || allOnes(b)) {
      return 0;
    }
    int eq = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b[i]) {
        eq++;
      }
    }
    return (double) eq / a.length;
  }

  private static boolean allOnes(int[] s) {
    for (int v : s) {
      if (v != -1) {
        return false;
      }
    }
    return true;
  }

  /** Number of differing bits of two hashes of the same length. */
  public static int hammingDistance(byte[] a, byte[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      d += Integer.bitCount((a[i] ^ b[i]) & 0xff);
    }
    return d;
  }

  /** True when the two MinHash signatures agree on every row of some LSH band (a text candidate). */
  public static boolean shareBand(int[] a, int[] b) {
    for (int band = 0; band < LSH_BANDS; band++) {
      int o = band * LSH_ROWS;
      if (a[o] == b[o] && a[o + 1] == b[o + 1] && a[o + 2] == b[o + 2] && a[o + 3] == b[o + 3]) {
        return true;
      }
    }
    return false;
  }

  /** The multi-index-hashing radius for a maximum Hamming distance: {@code floor(maxDistance / 16)}. */
  public static int chunkRadius(int maxDistance) {
    return maxDistance / 16;
  }

  /** Chunk {@code c} (0..15) of a 256-bit hash, big-endian. */
  public static int imageChunk(byte[] bits, int c) {
    return ((bits[2 * c] & 0xff) << 8) | (bits[2 * c + 1] & 0xff);
  }

  /** True when some chunk of the two hashes differs in at most {@code radius} bits (an image candidate). */
  public static boolean shareChunk(byte[] a, byte[] b, int radius) {
    for (int c = 0; c < IMAGE_CHUNKS; c++) {
      if (Integer.bitCount(imageChunk(a, c) ^ imageChunk(b, c)) <= radius) {
        return true;
      }
    }
    return false;
  }

  /** The first {@code limit} of {@code matches} in {@code order} (the list is sorted in place). */
  public static List<Match> best(List<Match> matches, Comparator<Match> order, int limit) {
    matches.sort(order);
    return new ArrayList<>(matches.subList(0, Math.max(0, Math.min(limit, matches.size()))));
  }
}
