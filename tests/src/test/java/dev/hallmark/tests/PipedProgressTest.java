package dev.hallmark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zcat dump.jsonl.gz | hallmark clean --input -} in a terminal: stdin is a pipe, stderr is the
 * terminal, so the progress bar is drawn (it used to fall back to log lines because the JVM's
 * console is null when stdin is piped). The terminal is a pseudo-terminal made by util-linux
 * {@code script}.
 */
class PipedProgressTest {
  @TempDir Path dir;

  @Test
  void pipedInputInATerminalGetsTheBarAndQuietGetsNothing() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs util-linux 'script' for a pseudo-terminal");
    Path home = dir.resolve("home");
    PackagedJar k = PackagedJar.run(Map.of("HALLMARK_HOME", home.toString()), null, "keys", "new", "--type", "watermark", "--name", "gen");
    assertEquals(0, k.exitCode, k.toString());
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add("{\"id\":\"d" + i + "\",\"text\":\"A line written by a person, number " + i + ", about the harbour.\"}");
    }
    Path corpus = dir.resolve("corpus.jsonl");
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd = "cat '" + corpus + "' | '" + javaBin + "' -jar '" + PackagedJar.jar().toAbsolutePath() + "' clean --input - --output '"
        + dir.resolve("out") + "'";
    String bar = inTerminal(cmd, home);
    // A redraw is a carriage return straight before the bar; the terminal's own line ends are "\r\n".
    java.util.regex.Pattern redraw = java.util.regex.Pattern.compile("\r[\\[0-9]");
    assertTrue(redraw.matcher(bar).find(), "a bar redrawn in place:\n" + bar);
    assertFalse(bar.contains("hallmark clean: done:"), "not the log-line form:\n" + bar);
    String quiet = inTerminal(cmd.replace("--output '" + dir.resolve("out") + "'", "--output '" + dir.resolve("out2") + "' --quiet"), home);
    assertFalse(redraw.matcher(quiet).find(), "--quiet draws no bar:\n" + quiet);
    assertTrue(quiet.contains("20 documents"), quiet);
  }

  /** Runs {@code cmd} with a pseudo-terminal as its controlling terminal and stderr; returns what it printed. */
  static String inTerminal(String cmd, Path home) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/script", "-qec", cmd, "/dev/null");
    pb.environment().put("HALLMARK_HOME", home.toString());
    pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    String s = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), s);
    return s;
  }
}
