package dev.hallmark.watermark.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextFingerprintTest {

  /** Independent vectors: FNV-1a 64 from the FNV reference test suite. */
  @Test
  void fnv1aMatchesReferenceVectors() {
    assertEquals(0xcbf29ce484222325L, TextFingerprint.fnv1a(""));
    assertEquals(0xaf63dc4c8601ec8cL, TextFingerprint.fnv1a("a"));
    assertEquals(0x85944171f73967e8L, TextFingerprint.fnv1a("foobar"));
  }

  /** Independent vector: the first SplitMix64 output from seed 0 is fmix64(golden gamma). */
  @Test
  void fmixMatchesSplitMix64() {
    assertEquals(0xe220a8397b1dcdafL, TextFingerprint.fmix64(0x9e3779b97f4a7c15L));
  }

  static Stream<Arguments> vectors() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        TextFingerprintTest.class.getResourceAsStream("/text/fingerprint-vectors.tsv"), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        out.add(Arguments.of(f[0].replace("\\n", "\n").replace("\\t", "\t"), f[1]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("vectors")
  void specVectors(String text, String expectedHex) {
    int[] sig = TextFingerprint.minHash(text);
    StringBuilder sb = new StringBuilder();
    for (int v : sig) {
      sb.append(String.format("%08x", v));
    }
    assertEquals(expectedHex, sb.toString());
  }

  @Test
  void normalizationIgnoresCaseAndPunctuation() {
    assertArrayEquals(TextFingerprint.minHash("The quick brown fox jumps."),
        TextFingerprint.minHash("the QUICK, brown -- fox\njumps"));
  }

  @Test
  void lightEditsStayFarAboveUnrelatedText() {
    long seed = 20261125L;
    System.out.println("seed=" + seed);
    Random rnd = new Random(seed);
    String[] vocab = new String[2000];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = "w" + Integer.toString(i, 36) + (char) ('a' + rnd.nextInt(26));
    }
    String[] a = new String[300];
    String[] b = new String[300];
    for (int i = 0; i < a.length; i++) {
      a[i] = vocab[rnd.nextInt(vocab.length)];
      b[i] = vocab[rnd.nextInt(vocab.length)];
    }
    String[] edited = a.clone();
    for (int k = 0; k < 6; k++) {
      edited[rnd.nextInt(edited.length)] = "changed" + k;
    }
    int[] sa = TextFingerprint.minHash(String.join(" ", a));
    double near = TextFingerprint.jaccardEstimate(sa, TextFingerprint.minHash(String.join(" ", edited)));
    double far = TextFingerprint.jaccardEstimate(sa, TextFingerprint.minHash(String.join(" ", b)));
    assertTrue(near > 0.7, "near-duplicate estimate " + near);
    assertTrue(far < 0.1, "unrelated estimate " + far);
  }

  @Test
  void emptyAndShortTexts() {
    int[] empty = TextFingerprint.minHash("  ,.;  ");
    for (int v : empty) {
      assertEquals(-1, v);
    }
    assertEquals(1.0, TextFingerprint.jaccardEstimate(TextFingerprint.minHash("hello world"),
        TextFingerprint.minHash("Hello, World!")));
    // No words, no shingles: never a near match, not even of another text without words.
    assertTrue(TextFingerprint.isEmpty(empty));
    assertEquals(0.0, TextFingerprint.jaccardEstimate(empty, TextFingerprint.minHash("\uD83D\uDE00 !!!")));
    assertEquals(0.0, TextFingerprint.jaccardEstimate(empty, TextFingerprint.minHash("hello world")));
  }

  @Test
  void rejectsWrongLength() {
    assertThrows(IllegalArgumentException.class, () -> TextFingerprint.jaccardEstimate(new int[3], new int[128]));
  }

  /**
   * The allocation-free implementation gives the signature of the straightforward one (the
   * specification's steps, kept here as the reference) on seeded random texts mixing ASCII of both
   * cases, punctuation, accented and CJK letters, compatibility characters NFKC rewrites, astral
   * letters and unpaired surrogates.
   */
  @Test
  void matchesTheReferenceImplementation() {
    long seed = 20261204L;
    System.out.println("TextFingerprintTest reference seed=" + seed);
    Random r = new Random(seed);
    String[] pieces = {"a", "B", "z", "Q", "0", "9", " ", "  ", ",", ".", "\n", "-", "'", "\u00e9", "\u00c9", "\u00df",
        "\u0130", "\u4e2d", "\ufb01", "\uff21", "\u2460", "\ud835\udc00", "\ud800", "\udc00", "\u0301", "\u00a0"};
    for (int t = 0; t < 3000; t++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(t < 200 ? 12 : 400);
      boolean ascii = t % 3 == 0;
      for (int k = 0; k < len; k++) {
        sb.append(pieces[r.nextInt(ascii ? 12 : pieces.length)]);
      }
      String text = sb.toString();
      assertArrayEquals(reference(text), TextFingerprint.minHash(text), "text #" + t + ": " + text);
    }
  }

  static int[] reference(String text) {
    int[] sig = new int[TextFingerprint.SIGNATURE_LENGTH];
    java.util.Arrays.fill(sig, -1);
    String norm = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC).toLowerCase(java.util.Locale.ROOT);
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < norm.length(); ) {
      int cp = norm.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        w.appendCodePoint(cp);
      } else if (w.length() > 0) {
        words.add(w.toString());
        w.setLength(0);
      }
    }
    if (w.length() > 0) {
      words.add(w.toString());
    }
    List<String> shingles = new ArrayList<>();
    if (words.size() > 0 && words.size() < 3) {
      shingles.add(String.join(" ", words));
    }
    for (int i = 0; i + 3 <= words.size(); i++) {
      shingles.add(words.get(i) + " " + words.get(i + 1) + " " + words.get(i + 2));
    }
    for (String sh : shingles) {
      long h = TextFingerprint.fnv1a(sh);
      for (int j = 0; j < sig.length; j++) {
        int v = (int) (TextFingerprint.fmix64(h ^ ((j + 1) * 0x9e3779b97f4a7c15L)) >>> 32);
        if (Integer.compareUnsigned(v, sig[j]) < 0) {
          sig[j] = v;
        }
      }
    }
    return sig;
  }
}
