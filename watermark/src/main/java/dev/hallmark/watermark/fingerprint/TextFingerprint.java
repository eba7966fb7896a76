package dev.hallmark.watermark.fingerprint;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Keyless MinHash fingerprint of a text for near-duplicate lookups (specified bit for bit in
 * {@code docs/spec/text-fingerprint.md}).
 *
 * <p>The text is NFKC-normalized and lower-cased, split into words (maximal runs of letters and
 * digits), and every run of {@value #SHINGLE_WORDS} consecutive words is a shingle. Each shingle is
 * hashed with 64-bit FNV-1a and mixed with {@value #SIGNATURE_LENGTH} fixed seeds; a signature holds
 * the minimum of each of the {@value #SIGNATURE_LENGTH} hash functions as an unsigned 32-bit value.
 * The fraction of equal positions in two signatures estimates the Jaccard similarity of their shingle
 * sets. The result is the same on every JVM; the class is stateless and thread-safe.
 */
public final class TextFingerprint {
  /** Number of hash functions (ints in a signature). */
  public static final int SIGNATURE_LENGTH = 128;
  /** Words per shingle. */
  public static final int SHINGLE_WORDS = 3;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN = 0x9e3779b97f4a7c15L;

  private TextFingerprint() {}

  /**
   * The 128-entry MinHash signature of {@code text}. A text with no words gets the all-{@code
   * 0xFFFFFFFF} signature; a text with fewer than three words has its whole word sequence as its only
   * shingle.
   */
  public static int[] minHash(String text) {
    // Signature entries are kept as unsigned 32-bit values in longs while hashing, so that the mixing
    // loop is long arithmetic only and C2 vectorizes it (see mix); narrowed to ints at the end.
    long[] sig = new long[SIGNATURE_LENGTH];
    Arrays.fill(sig, 0xFFFFFFFFL);
    String norm = isAscii(text) ? text
        : Normalizer.normalize(dev.hallmark.watermark.internal.text.DetectionText.normalize(text), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    // NFKC leaves ASCII unchanged, and its root lower-casing is A-Z -> a-z: ASCII text is folded while
    // hashing instead of copied. Words are [start, end) ranges of norm; shingles are hashed from
    // them directly (no per-shingle strings), with the same bytes as "w0 w1 w2" in UTF-8.
    int[] start = new int[SHINGLE_WORDS];
    int[] end = new int[SHINGLE_WORDS];
    int words = 0;
    int n = norm.length();
    int i = 0;
    int wordStart = -1;
    while (i <= n) {
      int cp = i < n ? norm.codePointAt(i) : ' ';
      int len = Character.charCount(cp);
      if (i < n && isWordCodePoint(cp)) {
        if (wordStart < 0) {
          wordStart = i;
        }
      } else if (wordStart >= 0) {
        if (words < SHINGLE_WORDS) {
          start[words] = wordStart;
          end[words] = i;
        } else {
          start[0] = start[1];
          end[0] = end[1];
          start[1] = start[2];
          end[1] = end[2];
          start[2] = wordStart;
          end[2] = i;
        }
        words++;
        if (words >= SHINGLE_WORDS) {
          mix(shingleHash(norm, start, end, SHINGLE_WORDS), sig);
        }
        wordStart = -1;
      }
      i += len;
    }
    if (words > 0 && words < SHINGLE_WORDS) {
      mix(shingleHash(norm, start, end, words), sig);
    }
    int[] out = new int[SIGNATURE_LENGTH];
    for (int j = 0; j < SIGNATURE_LENGTH; j++) {
      out[j] = (int) sig[j];
    }
    return out;
  }

  private static boolean isAscii(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWordCodePoint(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    return Character.isLetterOrDigit(cp);
  }

  /** FNV-1a of the UTF-8 bytes of the words joined by single spaces (ASCII upper case folded). */
  private static long shingleHash(String norm, int[] start, int[] end, int count) {
    long h = FNV_OFFSET;
    for (int k = 0; k < count; k++) {
      if (k > 0) {
        h = (h ^ ' ') * FNV_PRIME;
      }
      for (int i = start[k], e = end[k]; i < e; ) {
        int cp = norm.codePointAt(i);
        i += Character.charCount(cp);
        if (cp < 0x80) {
          if (cp >= 'A' && cp <= 'Z') {
            cp += 'a' - 'A';
          }
          h = (h ^ cp) * FNV_PRIME;
        } else if (cp < 0x800) {
          h = (h ^ (0xc0 | (cp >>> 6))) * FNV_PRIME;
          h = (h ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
        } else if (cp < 0x10000) {
          h = (h ^ (0xe0 | (cp >>> 12))) * FNV_PRIME;
          h = (h ^ (0x80 | ((cp >>> 6) & 0x3f))) * FNV_PRIME;
          h = (h ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
        } else {
          h = (h ^ (0xf0 | (cp >>> 18))) * FNV_PRIME;
          h = (h ^ (0x80 | ((cp >>> 12) & 0x3f))) * FNV_PRIME;
          h = (h ^ (0x80 | ((cp >>> 6) & 0x3f))) * FNV_PRIME;
          h = (h ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
        }
      }
    }
    return h;
  }

  /** 64-bit FNV-1a over the UTF-8 bytes of {@code s}. */
  static long fnv1a(String s) {
    long h = FNV_OFFSET;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= FNV_PRIME;
    }
    return h;
  }

  /** (j + 1) * golden gamma, the per-function seeds. */
  private static final long[] SEEDS = new long[SIGNATURE_LENGTH];

  static {
    for (int j = 0; j < SIGNATURE_LENGTH; j++) {
      SEEDS[j] = (j + 1) * GOLDEN;
    }
  }

  /**
   * Folds one shingle hash into the signature (unsigned 32-bit values held in longs). Written so that
   * C2's superword pass vectorizes it (8 lanes with AVX-512DQ's vpmullq): long xor, shift and multiply
   * only, with the minimum as arithmetic (both values lie in [0, 2^32], so d = sig - v cannot
   * overflow and v + (d & (d >> 63)) is min(sig, v)) instead of a compare-and-move, which C2 does
   * not vectorize for longs. About 5x faster than the int version per shingle on AVX-512; same values.
   */
  private static void mix(long h, long[] sig) {
    for (int j = 0; j < SIGNATURE_LENGTH; j++) {
      long z = h ^ SEEDS[j];
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      long v = (z ^ (z >>> 31)) >>> 32;
      long d = sig[j] - v;
      sig[j] = v + (d & (d >> 63));
    }
  }

  /** The SplitMix64 finalizer (a bijection on 64-bit values). */
  static long fmix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * The fraction of positions at which two signatures agree, an unbiased estimate of the Jaccard
   * similarity of the two shingle sets; 0 when either text has no words (the all-{@code 0xFFFFFFFF}
   * signature): the similarity of an empty shingle set is undefined, and estimating it as 1 made a
   * record of an emoji-only text the near match of every other text without words.
   *
   * @throws IllegalArgumentException if the signatures are not both {@value #SIGNATURE_LENGTH} long
   */
  public static double jaccardEstimate(int[] a, int[] b) {
    if (a.length != SIGNATURE_LENGTH || b.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "MinHash signatures have " + SIGNATURE_LENGTH + " entries, got " + a.length + " and " + b.length);
    }
    if (isEmpty(a) || isEmpty(b)) {
      return 0;
    }
    int eq = 0;
    for (int i = 0; i < SIGNATURE_LENGTH; i++) {
      if (a[i] == b[i]) {
        eq++;
      }
    }
    return eq / (double) SIGNATURE_LENGTH;
  }

  /** True for the signature of a text with no words (every entry {@code 0xFFFFFFFF}). */
  public static boolean isEmpty(int[] signature) {
    for (int v : signature) {
      if (v != -1) {
        return false;
      }
    }
    return true;
  }
}
