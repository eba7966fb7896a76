package dev.hallmark.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The wording of one-line errors shared by Hallmark's command lines ({@code hallmark} and
 * {@code hallmark-spark}): what an exception says about the input it names, whether it is bad input
 * (exit code 3) rather than a bug, and the "did you mean" suggestion for a mistyped name.
 */
public final class ErrorText {
  private ErrorText() {}

  /**
   * True for what a command reports as bad input (exit code 3): {@link HallmarkException} (a
   * {@link KeyringException} too), {@link IOException}, {@link UncheckedIOException},
   * {@link IllegalArgumentException} (a library's refusal of a value it was given) and
   * {@link java.security.GeneralSecurityException}.
   */
  public static boolean isBadInput(Throwable ex) {
    return ex instanceof HallmarkException
        || ex instanceof IOException
        || ex instanceof UncheckedIOException
        || ex instanceof IllegalArgumentException
        || ex instanceof java.security.GeneralSecurityException;
  }

  /**
   * One line for {@code ex}, to follow {@code "hallmark: "}: a file-system error names the file and
   * says what is wrong with it ("x: no such file or folder", "x: permission denied"); otherwise the
   * message (newlines as spaces), or the exception's simple name when it has none.
   */
  public static String describe(Throwable ex) {
    return printable(describeRaw(ex));
  }

  /**
   * {@code s} safe to print on a terminal: control characters (a newline, an escape sequence's ESC,
   * C1 controls) and the bidirectional overrides and isolates, which can make printed text read
   * differently from what it is, are written as a backslash, u and four hex digits. File names and record fields come
   * from whoever made the file or the record: a name holding "\n... ORIGIN ESTABLISHED" or ESC[8m
   * (hidden text) faked or hid a verdict.
   */
  public static String printable(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean unsafe = Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
      if (unsafe) {
        if (b == null) {
          b = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  private static String describeRaw(Throwable ex) {
    if (ex instanceof UncheckedIOException && ex.getCause() != null) {
      ex = ex.getCause();
    }
    if (ex instanceof NoSuchFileException f) {
      return f.getFile() + ": no such file or folder";
    }
    if (ex instanceof AccessDeniedException f) {
      return f.getFile() + ": permission denied";
    }
    if (ex instanceof FileSystemException f) {
      return f.getFile() + ": " + (f.getReason() == null ? ex.getClass().getSimpleName() : f.getReason());
    }
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      return ex.getClass().getSimpleName();
    }
    return m.replace('\n', ' ');
  }


  /**
   * {@code "; did you mean 'x' or 'y'?"} for {@code typed} (an option, with any {@code =value} cut
   * off, or a command name): the names closest to it in edit distance, at most 3; empty when none is close.
   */
  public static String suggestion(String typed, Collection<String> names) {
    int eq = typed.indexOf('=');
    String arg = typed.startsWith("-") && eq > 0 ? typed.substring(0, eq) : typed;
    int limit = Math.max(1, Math.min(3, arg.replaceFirst("^-+", "").length() / 3));
    List<String> close = new ArrayList<>(names).stream().distinct()
        .filter(n -> editDistance(arg, n) <= limit || (arg.length() >= 3 && n.startsWith(arg)))
        .sorted(Comparator.comparingInt((String n) -> editDistance(arg, n)).thenComparing(n -> n))
        .limit(3).toList();
    if (close.isEmpty()) {
      return "";
    }
    return "; did you mean " + String.join(" or ", close.stream().map(x -> "'" + x + "'").toList()) + "?";
  }

  /** Damerau-Levenshtein (optimal string alignment) distance: a swapped pair of letters counts once. */
  public static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
