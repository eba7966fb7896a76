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
    int[] sig = new int[SIGNATURE_LENGTH];
    Arrays.fill(sig, -1);
    String norm = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    int words = 0;
    int n = norm.length();
    int i = 0;
    StringBuilder word = new StringBuilder();
    String[] last = new String[SHINGLE_WORDS];
    while (i < n) {
      int cp = norm.codePointAt(i);
      int len = Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        word.appendCodePoint(cp);
      } else if (word.length() > 0) {
        words = push(last, word.toString(), words, sig);
        word.setLength(0);
      }
      i += len;
    }
    if (word.length() > 0) {
      words = push(last, word.toString(), words, sig);
    }
    if (words > 0 && words < SHINGLE_WORDS) {
      StringBuilder sh = new StringBuilder();
      for (int k = 0; k < words; k++) {
        if (k > 0) {
          sh.append(' ');
        }
        sh.append(last[k]);
      }
      mix(fnv1a(sh.toString()), sig);
    }
    return sig;
  }

  private static int push(String[] last, String w, int words, int[] sig) {
    if (words < SHINGLE_WORDS) {
      last[words] = w;
    } else {
      System.arraycopy(last, 1, last, 0, SHINGLE_WORDS - 1);
      last[SHINGLE_WORDS - 1] = w;
    }
    words++;
    if (words >= SHINGLE_WORDS) {
      mix(fnv1a(last[0] + ' ' + last[1] + ' ' + last[2]), sig);
    }
    return words;
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

  private static void mix(long h, int[] sig) {
    for (int j = 0; j < SIGNATURE_LENGTH; j++) {
      int v = (int) (fmix64(h ^ ((j + 1) * GOLDEN)) >>> 32);
      if (Integer.compareUnsigned(v, sig[j]) < 0) {
        sig[j] = v;
      }
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
   * similarity of the two shingle sets.
   *
   * @throws IllegalArgumentException if the signatures are not both {@value #SIGNATURE_LENGTH} long
   */
  public static double jaccardEstimate(int[] a, int[] b) {
    if (a.length != SIGNATURE_LENGTH || b.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "MinHash signatures have " + SIGNATURE_LENGTH + " entries, got " + a.length + " and " + b.length);
    }
    int eq = 0;
    for (int i = 0; i < SIGNATURE_LENGTH; i++) {
      if (a[i] == b[i]) {
        eq++;
      }
    }
    return eq / (double) SIGNATURE_LENGTH;
  }
}
