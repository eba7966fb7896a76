package dev.hallmark.watermark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A vocabulary is loaded when a text is first encoded or decoded with it, and only that one: naming
 * a tokenizer, checking settings or building a detector loads nothing (o200k_base alone takes about
 * 0.4 s to build, which every {@code verify} of an image and every r50k_base run used to pay). Each
 * case runs in a fresh JVM, since the JVM running the tests has loaded every vocabulary long before.
 */
class TokenizerLoadingTest {
  /** Runs one case in this JVM and prints the vocabularies it loaded. */
  public static void main(String[] args) {
    switch (args[0]) {
      case "names" -> {
        for (String n : Tokenizers.NAMES) {
          Tokenizer t = Tokenizers.byName(n);
          if (!t.name().equals(n) || t.vocabularySize() < 50_000) {
            throw new AssertionError(n);
          }
        }
        new TextDetectionSettings("o200k_base", List.of(WatermarkParameters.KGW_DEFAULT), 1e-6, true, 1000);
        Tokenizers.memoizing(Tokenizers.r50k());
      }
      case "r50k" -> Tokenizers.memoizing(Tokenizers.byName("gpt2")).encode("Only r50k_base is used here.");
      case "cl100k" -> Tokenizers.byName("cl100k").decode(new int[] {9906, 1917}, 0, 2);
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.out.println("loaded=" + Tokenizers.loadedVocabularies());
  }

  private static String run(String which) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        TokenizerLoadingTest.class.getName(), which).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM for case " + which + " did not finish");
    }
    String text = out.toString(StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), text);
    return text.substring(text.lastIndexOf('\n') + 1);
  }

  @Test
  void namingAndCheckingLoadNoVocabulary() throws Exception {
    assertEquals("loaded=[]", run("names"));
  }

  @Test
  void encodingLoadsOnlyItsOwnVocabulary() throws Exception {
    assertEquals("loaded=[r50k_base]", run("r50k"));
    assertEquals("loaded=[cl100k_base]", run("cl100k"));
  }

  @Test
  void anUnknownNameIsStillRefusedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TextDetectionSettings("p50k_base", List.of(WatermarkParameters.KGW_DEFAULT), 1e-6, true, 1000));
    assertEquals("unknown tokenizer 'p50k_base' (use r50k_base, cl100k_base or o200k_base)", e.getMessage());
  }
}
