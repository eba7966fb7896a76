package dev.hallmark.detector;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one rule for what a piece of content is, shared by tag, verify, serve and clean: an image when
 * its first bytes are the signature of a raster format Hallmark decodes, otherwise text when it is
 * valid UTF-8 without NUL characters, otherwise other. Names and extensions are never trusted.
 */
public final class ContentSniffer {
  /** What a piece of content was recognised as. */
  public enum Kind {
    IMAGE,
    TEXT,
    OTHER
  }

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private ContentSniffer() {}

  /**
   * The raster format recognised from the first bytes: {@code png}, {@code jpeg}, {@code gif},
   * {@code bmp}, {@code webp} or {@code tiff}; empty for anything else.
   */
  public static Optional<String> imageFormat(byte[] b) {
    if (b == null || b.length < 4) {
      return Optional.empty();
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    int b2 = b[2] & 0xff;
    int b3 = b[3] & 0xff;
    if (b.length >= 8 && startsWith(b, PNG)) {
      return Optional.of("png");
    }
    if (b0 == 0xff && b1 == 0xd8 && b2 == 0xff) {
      return Optional.of("jpeg");
    }
    if (b0 == 'G' && b1 == 'I' && b2 == 'F' && b3 == '8') {
      return Optional.of("gif");
    }
    if (b0 == 'B' && b1 == 'M' && b.length >= 26) {
      return Optional.of("bmp");
    }
    if (b0 == 'R' && b1 == 'I' && b2 == 'F' && b3 == 'F' && b.length >= 12
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return Optional.of("webp");
    }
    if ((b0 == 'I' && b1 == 'I' && b2 == 42 && b3 == 0) || (b0 == 'M' && b1 == 'M' && b2 == 0 && b3 == 42)) {
      return Optional.of("tiff");
    }
    return Optional.empty();
  }

  /** Whether the content starts like a raster image Hallmark decodes. */
  public static boolean isImage(byte[] b) {
    return imageFormat(b).isPresent();
  }

  /** The content as text when it is strictly valid UTF-8 without NUL characters; empty otherwise. */
  public static Optional<String> utf8Text(byte[] b) {
    return strict(StandardCharsets.UTF_8, b, 0);
  }

  /** {@code b} from {@code off} on, strictly decoded, if it is text in {@code cs} without NUL characters. */
  private static Optional<String> strict(java.nio.charset.Charset cs, byte[] b, int off) {
    try {
      String s = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, off, b.length - off)).toString();
      return s.indexOf('\0') >= 0 ? Optional.empty() : Optional.of(s);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * The text of {@code b} if it is UTF-8, or UTF-16 with its byte order mark (what Windows Notepad
   * and many exports write as "Unicode"), strictly decoded and without NUL characters; the mark is
   * dropped. Other encodings cannot be told apart reliably and are not text here.
   */
  public static Optional<String> text(byte[] b) {
    Optional<String> utf8 = utf8Text(b);
    if (utf8.isPresent() || b.length < 2) {
      return utf8;
    }
    java.nio.charset.Charset cs = (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe ? StandardCharsets.UTF_16LE
        : (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff ? StandardCharsets.UTF_16BE : null;
    if (cs == null || b.length % 2 != 0) {
      return Optional.empty();
    }
    return strict(cs, b, 2);
  }

  /** Image first (by signature), then UTF-8 text, else other. */
  public static Kind classify(byte[] b) {
    if (isImage(b)) {
      return Kind.IMAGE;
    }
    return utf8Text(b).isPresent() ? Kind.TEXT : Kind.OTHER;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
