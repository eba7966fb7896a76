package dev.hallmark.watermark.internal.text;

/**
 * The text a watermark detector tokenizes (docs/spec/text-watermark.md, detection step 0): invisible
 * format characters (Unicode general category Cf: zero-width space, joiner and non-joiner, word joiner,
 * soft hyphen, byte order mark, bidirectional marks, tag characters) are removed, and the spaces that
 * look like U+0020 (no-break space U+00A0, U+2000-U+200A, U+202F, U+205F) become U+0020. Inserting a
 * zero-width joiner in every word, or replacing every space with a no-break space, changes no visible
 * character but every token, and took a 300-token text from p = 1e-16 to p = 1. Text without such
 * characters is returned as it is; offsets in the result map back to the input's with {@link #original}.
 */
public final class DetectionText {
  final String text;
  /** For each char index of {@link #text} (and its length), the index in the input; null when unchanged. */
  private final int[] origin;

  private DetectionText(String text, int[] origin) {
    this.text = text;
    this.origin = origin;
  }

  /**
   * {@code s} normalized as above, without the offset map: what the text fingerprint hashes before
   * NFKC (docs/spec/text-fingerprint.md step 1; NFKC maps the look-alike spaces to U+0020 anyway).
   */
  public static String normalize(String s) {
    return of(s, false).text;
  }

  static DetectionText of(String s) {
    return of(s, true);
  }

  private static DetectionText of(String s, boolean offsets) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 0x80 && (changed(s.codePointAt(i)) != 0)) {
        break;
      }
      i++;
    }
    if (i == n) {
      return new DetectionText(s, null);
    }
    StringBuilder b = new StringBuilder(n);
    int[] origin = offsets ? new int[n + 1] : null;
    b.append(s, 0, i);
    for (int k = 0; offsets && k < i; k++) {
      origin[k] = k;
    }
    while (i < n) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      int what = changed(cp);
      if (what == 1) {
        // dropped
      } else if (what == 2) {
        if (offsets) {
          origin[b.length()] = i;
        }
        b.append(' ');
      } else {
        for (int k = 0; k < len; k++) {
          if (offsets) {
            origin[b.length()] = i + k;
          }
          b.append(s.charAt(i + k));
        }
      }
      i += len;
    }
    if (!offsets) {
      return new DetectionText(b.toString(), null);
    }
    origin[b.length()] = n;
    return new DetectionText(b.toString(), java.util.Arrays.copyOf(origin, b.length() + 1));
  }

  /** 0 kept, 1 removed (a format character), 2 replaced by U+0020. */
  private static int changed(int cp) {
    if (cp < 0x80) {
      return 0;
    }
    if (cp == 0x00a0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f) {
      return 2;
    }
    return Character.getType(cp) == Character.FORMAT ? 1 : 0;
  }

  /** The input's char index for char index {@code i} of {@link #text} (0..length). */
  int original(int i) {
    return origin == null ? i : origin[Math.max(0, Math.min(i, origin.length - 1))];
  }
}
