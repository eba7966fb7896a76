package dev.hallmark.watermark.internal.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written GPT-2 pre-tokenizer and {@link Tokenizers#memoizing} against their references:
 * the regex JTokkit 1.1.0 compiles for r50k_base (same flags) and JTokkit's own {@code encodeOrdinary},
 * on every code point, on committed real text, on hand-picked edge cases and on seeded random strings.
 */
class R50kPreTokenizerTest {
  /** JTokkit 1.1.0's r50k_base pattern and flags ({@code EncodingFactory.from50kParameters}). */
  private static final Pattern GPT2 = Pattern.compile(
      "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
      Pattern.UNICODE_CHARACTER_CLASS);

  private static final String[] EDGE = {
    "",
    " ",
    "  ",
    "\n",
    "a",
    "'",
    "'s",
    "'S",
    "'l",
    "'ll",
    "'lx",
    "'re're've'd'm't's",
    "don't I'll we've they're he'd I'm it's DON'T I'LL",
    " 's x''s x'''ll ''",
    "Hello, world!  How are   you?\n\n\tFine.\r\n",
    "  leading and trailing  ",
    "tabs\t\tand\t newlines\n \n",
    "numbers 123 4567890 ½ ² Ⅻ ٣٤ 1,000.5",
    "naïve café — “quotes” and ellipsis… ±½",
    "emoji 😀🎉👍🏽 and CJK 漢字かなカナ한국어 mixed in",
    "combining e\u0301 a\u0308 and \u0915\u093f Hindi",
    "NBSP\u00a0here, NEL\u0085there, LS\u2028PS\u2029ideographic\u3000space",
    "zero width\u200bjoiner\u200d and BOM\ufeff",
    "math 𝐀𝐁𝐂 𝟏𝟐 and old italic 𐌀𐌁",
    "lone surrogate \ud800 here and \udc00 there",
    "\u000b\u000c\u001c\u001d\u001e\u001f control",
    "   \nx  \t y",
    " \u00a0x",
    "a \n b",
  };

  /** Code points random strings draw from most of the time: the cases the pattern distinguishes. */
  private static final int[] TRICKY = {
    ' ', ' ', ' ', '\n', '\t', '\r', '\'', '\'', 's', 'd', 'm', 't', 'l', 'v', 'e', 'r', 'S', 'L',
    'a', 'Z', '0', '9', '.', ',', '-', '!', '"', 0x85, 0xa0, 0x2028, 0x3000, 0x200b, 0xb2, 0xbd,
    0x2162, 0x663, 0xe9, 0x301, 0x915, 0x93f, 0x6f22, 0x1d400, 0x1d7cf, 0x1f600, 0x1f3fd, 0xd800,
    0xdc00, 0xfeff, 0x0b, 0x1c,
  };

  static List<String> pieces(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      int end = R50kPreTokenizer.next(s, i);
      if (end <= i || end > s.length()) {
        throw new AssertionError("bad piece end " + end + " at " + i + " in " + escape(s));
      }
      out.add(s.substring(i, end));
      i = end;
    }
    return out;
  }

  static List<String> regexPieces(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = GPT2.matcher(s);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(cp -> b.append(cp >= 0x20 && cp < 0x7f ? String.valueOf((char) cp) : String.format("\\u{%x}", cp)));
    return b.toString();
  }

  static String read(String name) throws IOException {
    try (InputStream in = R50kPreTokenizerTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A random string of {@code len} chars: mostly {@link #TRICKY}, sometimes any code point at all. */
  static String randomText(SplittableRandom r, int len) {
    StringBuilder b = new StringBuilder(len + 2);
    while (b.length() < len) {
      int cp = r.nextInt(10) < 8 ? TRICKY[r.nextInt(TRICKY.length)] : r.nextInt(Character.MAX_CODE_POINT + 1);
      b.appendCodePoint(cp);
    }
    return b.toString();
  }

  @Test
  void classesMatchTheRegexOnEveryCodePoint() {
    Pattern letter = Pattern.compile("\\p{L}", Pattern.UNICODE_CHARACTER_CLASS);
    Pattern number = Pattern.compile("\\p{N}", Pattern.UNICODE_CHARACTER_CLASS);
    Pattern space = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);
    Matcher ml = letter.matcher("");
    Matcher mn = number.matcher("");
    Matcher ms = space.matcher("");
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      String s = new String(Character.toChars(cp));
      int expected = ml.reset(s).matches() ? R50kPreTokenizer.LETTER
          : mn.reset(s).matches() ? R50kPreTokenizer.NUMBER
          : ms.reset(s).matches() ? R50kPreTokenizer.SPACE : R50kPreTokenizer.OTHER;
      if (expected != R50kPreTokenizer.classOf(cp)) {
        assertEquals(expected, R50kPreTokenizer.classOf(cp), String.format("class of U+%04X", cp));
      }
    }
  }

  @Test
  void piecesMatchTheRegexOnEdgeCasesAndRealText() throws IOException {
    for (String s : EDGE) {
      assertEquals(regexPieces(s), pieces(s), () -> escape(s));
    }
    for (String f : List.of("/text/human/moby-dick-chapters-1-45.txt", "/text/human/sotu-1990-2021.txt")) {
      String s = read(f);
      assertEquals(regexPieces(s), pieces(s), f);
    }
  }

  /** Fuzz-style property: on seeded random strings the pieces equal the regex's matches, in order. */
  @Test
  void piecesMatchTheRegexOnRandomStrings() {
    long seed = 20261204L;
    System.out.println("R50kPreTokenizerTest pieces seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    for (int k = 0; k < 20_000; k++) {
      String s = randomText(r, 1 + r.nextInt(40));
      List<String> p = pieces(s);
      int kk = k;
      assertEquals(regexPieces(s), p, () -> "seed " + seed + ", string " + kk + ": " + escape(s));
      assertEquals(s, String.join("", p));
      // every piece on its own is one piece: what the memo's miss path relies on
      for (String one : p) {
        assertEquals(List.of(one), regexPieces(one), () -> "piece " + escape(one) + " of " + escape(s));
      }
    }
  }

  @Test
  void memoizingGivesJtokkitsIdsOnRealAndEdgeText() throws IOException {
    Tokenizer ref = Tokenizers.r50k();
    Tokenizer memo = Tokenizers.memoizing(ref);
    assertNotSame(ref, memo);
    assertNotSame(memo, Tokenizers.memoizing(ref), "each caller gets its own memo");
    assertEquals(ref.name(), memo.name());
    assertEquals(ref.vocabularySize(), memo.vocabularySize());
    for (String s : EDGE) {
      assertArrayEquals(ref.encode(s), memo.encode(s), () -> escape(s));
    }
    for (String f : List.of("/text/human/moby-dick-chapters-1-45.txt", "/text/human/sotu-1990-2021.txt")) {
      String s = read(f);
      assertArrayEquals(ref.encode(s), memo.encode(s), f);
      // again, now from a warm memo, in document-sized chunks
      for (int i = 0; i < s.length(); i += 3_600) {
        String doc = s.substring(i, Math.min(s.length(), i + 3_600));
        assertArrayEquals(ref.encode(doc), memo.encode(doc), f + " at " + i);
      }
    }
    for (String other : List.of("cl100k_base", "o200k_base")) {
      Tokenizer t = Tokenizers.byName(other);
      assertSame(t, Tokenizers.memoizing(t), "only r50k_base is memoized");
    }
  }

  /** The byte-pair merge alone (no memo) on every piece of the real texts and of random strings. */
  @Test
  void mergerGivesJtokkitsIdsPieceByPiece() throws IOException {
    com.knuddels.jtokkit.api.Encoding enc = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
        .getEncoding(com.knuddels.jtokkit.api.EncodingType.R50K_BASE);
    com.knuddels.jtokkit.api.IntArrayList one = new com.knuddels.jtokkit.api.IntArrayList(1);
    BytePairMerger merger = new BytePairMerger(t -> {
      one.clear();
      one.add(t);
      return enc.decodeBytes(one);
    }, 50256);
    // every mergeable token's bytes are that token
    for (int t = 0; t < 50256; t++) {
      one.clear();
      one.add(t);
      byte[] b = enc.decodeBytes(one);
      assertEquals(t, merger.rank(b, 0, b.length));
    }
    long seed = 20261207L;
    System.out.println("R50kPreTokenizerTest merger seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    List<String> texts = new ArrayList<>();
    texts.add(read("/text/human/moby-dick-chapters-1-45.txt"));
    texts.add(read("/text/human/sotu-1990-2021.txt"));
    texts.addAll(List.of(EDGE));
    for (int k = 0; k < 5_000; k++) {
      texts.add(randomText(r, 1 + r.nextInt(80)));
    }
    // long letter and digit runs: many merges per piece
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < 300; k++) {
      b.setLength(0);
      int len = 2 + r.nextInt(60);
      for (int c = 0; c < len; c++) {
        b.append(k % 3 == 0 ? (char) ('0' + r.nextInt(10)) : k % 3 == 1 ? (char) ('a' + r.nextInt(26)) : "aab".charAt(r.nextInt(3)));
      }
      texts.add(b.toString());
    }
    long pieces = 0;
    for (String s : texts) {
      String w = s.replaceAll("[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]", "\ufffd");
      for (String piece : pieces(w)) {
        pieces++;
        int[] expected = enc.encodeOrdinary(piece).toArray();
        assertArrayEquals(expected, merger.encode(piece.getBytes(StandardCharsets.UTF_8)), () -> escape(piece));
      }
    }
    assertTrue(pieces > 200_000, "pieces compared: " + pieces);
  }

  @Test
  void memoizingGivesJtokkitsIdsOnRandomStrings() {
    long seed = 20261205L;
    System.out.println("R50kPreTokenizerTest ids seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    Tokenizer ref = Tokenizers.r50k();
    Tokenizer memo = Tokenizers.memoizing(ref); // one memo for all: hits, misses and slot collisions
    for (int k = 0; k < 20_000; k++) {
      String s = randomText(r, 1 + r.nextInt(60));
      int kk = k;
      assertArrayEquals(ref.encode(s), memo.encode(s), () -> "seed " + seed + ", string " + kk + ": " + escape(s));
    }
  }

  @Test
  void oneMemoSharedByThreadsGivesJtokkitsIds() throws Exception {
    long seed = 20261206L;
    System.out.println("R50kPreTokenizerTest threads seed " + seed);
    Tokenizer ref = Tokenizers.r50k();
    Tokenizer memo = Tokenizers.memoizing(ref);
    String text = read("/text/human/sotu-1990-2021.txt");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        SplittableRandom r = new SplittableRandom(seed + t);
        jobs.add(pool.submit(() -> {
          for (int k = 0; k < 300; k++) {
            int from = r.nextInt(text.length() - 2_000);
            String doc = k % 3 == 0 ? randomText(r, 200) : text.substring(from, from + 2_000);
            assertArrayEquals(ref.encode(doc), memo.encode(doc), "seed " + seed);
          }
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
