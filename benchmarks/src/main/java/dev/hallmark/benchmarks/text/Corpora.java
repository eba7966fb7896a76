package dev.hallmark.benchmarks.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared human-text corpora ({@code ../shared/testdata/text}) split into the built-in model's
 * training part and the held-out part used for false-positive measurements.
 *
 * <ul>
 *   <li>Training: the 7 Gutenberg books (header and footer stripped) and State of the Union
 *       addresses from 1790 to 1899.
 *   <li>Held out: Moby-Dick (every chapter) and State of the Union addresses from 1900 on.
 * </ul>
 */
final class Corpora {
  static final int LAST_TRAINING_YEAR = 1899;

  private Corpora() {}

  /** The testdata/text folder, or exits with a clear message when it is absent. */
  static Path textRoot(String[] args, int index) {
    String p = args.length > index ? args[index]
        : System.getProperty("hallmark.shared.testdata", "../shared/testdata") + "/text";
    Path root = Path.of(p);
    if (!Files.isDirectory(root.resolve("gutenberg")) || !Files.isDirectory(root.resolve("sotu"))) {
      System.err.println("shared test data not found at " + root.toAbsolutePath()
          + " (expected gutenberg/, sotu/, moby-dick/); pass the testdata/text folder as an argument");
      System.exit(3);
    }
    return root;
  }

  static List<String> training(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : list(root.resolve("gutenberg"))) {
      if (p.getFileName().toString().endsWith(".txt")) {
        out.add(normalizeWhitespace(stripGutenberg(read(p))));
      }
    }
    for (Path p : list(root.resolve("sotu"))) {
      if (year(p) <= LAST_TRAINING_YEAR) {
        out.add(normalizeWhitespace(read(p)));
      }
    }
    return out;
  }

  /** Held-out human documents: Moby-Dick chapters and 1900+ State of the Union addresses. */
  static List<String> heldOut(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : list(root.resolve("moby-dick"))) {
      out.add(read(p));
    }
    for (Path p : list(root.resolve("sotu"))) {
      if (year(p) > LAST_TRAINING_YEAR) {
        out.add(read(p));
      }
    }
    return out;
  }

  static int year(Path p) {
    String n = p.getFileName().toString();
    try {
      return Integer.parseInt(n.substring(0, 4));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }

  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
  }

  static String read(Path p) throws IOException {
    String s = new String(Files.readAllBytes(p), StandardCharsets.UTF_8).replace("\r\n", "\n");
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  /**
   * Joins the hard-wrapped lines of each paragraph with single spaces and collapses runs of spaces,
   * keeping one blank line between paragraphs, so the model learns prose rather than layout.
   */
  static String normalizeWhitespace(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (String para : s.split("\\n\\s*\\n")) {
      String p = para.replaceAll("\\s+", " ").strip();
      if (!p.isEmpty()) {
        if (out.length() > 0) {
          out.append("\n\n");
        }
        out.append(p);
      }
    }
    return out.toString();
  }

  static String stripGutenberg(String s) {
    int a = s.indexOf("*** START OF");
    if (a >= 0) {
      a = s.indexOf('\n', a);
      s = s.substring(a + 1);
    }
    int b = s.indexOf("*** END OF");
    if (b >= 0) {
      s = s.substring(0, b);
    }
    return s;
  }
}
