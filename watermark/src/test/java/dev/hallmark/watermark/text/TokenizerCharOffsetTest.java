package dev.hallmark.watermark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The exact {@link Tokenizer#charOffset} walk against the definition, over every tokenizer. */
class TokenizerCharOffsetTest {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  static Iterable<String> names() {
    return Tokenizers.NAMES;
  }

  private static final String[] TEXTS = {
    "",
    "Plain ASCII text, with punctuation; and numbers 1234567.",
    "naïve café — “quotes” and ellipsis… ±½",
    "emoji 😀🎉👍🏽 and CJK 漢字かなカナ한국어 mixed in",
    "lone surrogate \ud800 here and \udc00 there",
    "  leading spaces\n\nand\ttabs\r\n",
  };

  @ParameterizedTest
  @MethodSource("names")
  void offsetsFollowTheUtf8Definition(String name) {
    Tokenizer tok = Tokenizers.byName(name);
    for (String text : TEXTS) {
      checkText(tok, text);
    }
    long seed = 20261125L;
    System.out.println("TokenizerCharOffsetTest seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    for (int k = 0; k < 50; k++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(1, 60);
      for (int i = 0; i < len; i++) {
        int kind = r.nextInt(4);
        int cp = switch (kind) {
          case 0 -> r.nextInt(0x20, 0x7f);
          case 1 -> r.nextInt(0xa0, 0x800);
          case 2 -> r.nextInt(0x4e00, 0x9fff);
          default -> r.nextInt(0x1f300, 0x1f64f);
        };
        sb.appendCodePoint(cp);
      }
      checkText(tok, sb.toString());
    }
  }

  private static void checkText(Tokenizer tok, String text) {
    Encoding enc = REGISTRY.getEncoding(tok.name()).orElseThrow();
    int[] tokens = tok.encode(text);
    long bytes = 0;
    int previous = 0;
    for (int i = 0; i <= tokens.length; i++) {
      int offset = tok.charOffset(text, tokens, i);
      int expected = firstCharAtOrAfter(text, bytes);
      int index = i;
      assertEquals(expected, offset, () -> "offset of token " + index + " in '" + text + "'");
      assertTrue(offset >= previous, "offsets must not decrease");
      previous = offset;
      if (i < tokens.length) {
        IntArrayList one = new IntArrayList(1);
        one.add(tokens[i]);
        bytes += enc.decodeBytes(one).length;
      }
    }
    String wellFormed = text.replaceAll("\\p{Cs}", "\ufffd");
    assertEquals(wellFormed.getBytes(StandardCharsets.UTF_8).length, bytes,
        "token bytes must add up to the UTF-8 length of the text, lone surrogates as U+FFFD");
    assertEquals(text.length(), tok.charOffset(text, tokens, tokens.length));
  }

  private static int firstCharAtOrAfter(String text, long target) {
    long bytes = 0;
    int i = 0;
    while (i < text.length() && bytes < target) {
      int cp = text.codePointAt(i);
      int n = Character.charCount(cp);
      bytes += Character.isSurrogate(text.charAt(i)) && n == 1 ? 3 : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      i += n;
    }
    return i;
  }
}
