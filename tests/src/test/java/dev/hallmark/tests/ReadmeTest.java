package dev.hallmark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md runs as written: every {@code ```sh} block, in order, in one bash shell with
 * {@code set -e -o pipefail}, in a fresh {@code $HOME} and an empty folder holding {@code ./hallmark}
 * (the built jar) and the sample files of {@code tests/readme-fixtures/}. The convention, stated in
 * the README: a block whose info string is {@code sh skip} is not run (the build itself, and blocks
 * that need a network, a cluster or the reader's own corpus, each saying so); a server
 * is started with a trailing {@code &} and stopped by the block ({@code kill $! && wait}); the
 * harness adds nothing but a trap that stops any background job the script left when it ends.
 */
class ReadmeTest {
  /** One shell block of the README: where it starts (1-based line) and its text. */
  record Block(int line, String info, String text) {}

  static Path readme() {
    return Path.of(System.getProperty("hallmark.readme", "../README.md"));
  }

  static Path fixtures() {
    return Path.of(System.getProperty("hallmark.readme.fixtures", "readme-fixtures"));
  }

  /** The fenced blocks whose info string starts with {@code sh}. */
  static List<Block> shellBlocks(String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.startsWith("```sh")) {
        String info = l.substring(3).trim();
        StringBuilder b = new StringBuilder();
        int start = i + 1;
        for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
          b.append(lines[i]).append('\n');
        }
        blocks.add(new Block(start + 1, info, b.toString()));
      }
    }
    return blocks;
  }

  /** The script: every block not marked {@code skip}, each announced on stderr with its README line. */
  static String script(List<Block> blocks) {
    StringBuilder s = new StringBuilder();
    s.append("set -e -o pipefail\n");
    s.append("trap 'jobs -p | xargs -r kill 2>/dev/null || true' EXIT\n");
    s.append("trap 'echo \"README TEST: block at README.md line $README_LINE failed (exit $?): $BASH_COMMAND\" >&2' ERR\n");
    for (Block b : blocks) {
      if (b.info().contains("skip")) {
        continue;
      }
      s.append("README_LINE=").append(b.line()).append('\n');
      s.append("echo '### README.md line ").append(b.line()).append("' >&2\n");
      s.append(b.text());
    }
    s.append("echo 'README TEST: all blocks ran' >&2\n");
    return s.toString();
  }

  record Run(int exitCode, String out, String err) {
    String tail() {
      return "exit " + exitCode + "\n--- stdout (tail)\n" + last(out, 4000) + "\n--- stderr (tail)\n" + last(err, 8000);
    }

    static String last(String s, int n) {
      return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }
  }

  /** Runs the script in {@code work} with {@code home} as $HOME and {@code ./hallmark} running the built jar. */
  static Run run(String script, Path work, Path home, long timeoutMinutes) throws IOException, InterruptedException {
    Path launcher = work.resolve("hallmark");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -jar '" + PackagedJar.jar().toAbsolutePath() + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path scriptFile = home.resolve("readme.sh");
    Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder("bash", scriptFile.toString()).directory(work.toFile());
    Map<String, String> env = pb.environment();
    env.remove("HALLMARK_HOME");
    env.remove("PASS");
    env.remove("TOKEN");
    env.put("HOME", home.toString());
    Path out = home.resolve("stdout.txt");
    Path err = home.resolve("stderr.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      return new Run(-1, Files.readString(out), Files.readString(err) + "\nREADME TEST: timed out after " + timeoutMinutes + " min");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().equals("README.md")) {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Test
  void everyShellBlockOfTheReadmeRunsAsWritten(@TempDir Path work, @TempDir Path home) throws Exception {
    String markdown = Files.readString(readme(), StandardCharsets.UTF_8);
    List<Block> blocks = shellBlocks(markdown);
    assertTrue(blocks.size() >= 8, "found only " + blocks.size() + " sh blocks in " + readme());
    // Skipped: the build itself, the model export (needs the network), C2PA signing (needs a CA's
    // certificate; C2paCommandTest runs it on a test PKI), the Spark laptop run (needs your corpus, and
    // its first run builds the spark module with Maven, minutes on 2 cores; spark's LauncherIT runs
    // ./hallmark-spark clean --master 'local[2]' on a JSONL.gz + Parquet corpus after package, and
    // SparkMixedCorpusTest runs the job) and the cluster run. Any other skip is a mistake.
    assertEquals(5, blocks.stream().filter(b -> b.info().contains("skip")).count(),
        "only the build, the model export, C2PA signing and the two Spark blocks are skipped");
    assertTrue(markdown.contains("tests/readme-fixtures/"), "the README names the fixture folder");
    copyTree(fixtures(), work);
    Run r = run(script(blocks), work, home, 30);
    System.out.println("README test: " + blocks.size() + " blocks; stderr tail:\n" + Run.last(r.err(), 3000));
    assertEquals(0, r.exitCode(), r.tail());
    assertTrue(r.err().contains("README TEST: all blocks ran"), r.tail());
    // Keys went to the fresh $HOME, never to the real home of the user running the build.
    assertTrue(Files.isDirectory(home.resolve(".hallmark")), "keys under $HOME/.hallmark");
    try (Stream<Path> keys = Files.walk(home.resolve(".hallmark"))) {
      assertTrue(keys.anyMatch(p -> p.getFileName().toString().equals("gen-2026.watermark")), "gen-2026 under $HOME/.hallmark");
    }
  }

  /** The harness itself: a failing command fails the run and names the block; servers are stopped. */
  @Test
  void aFailingBlockFailsTheRunAndNamesIt(@TempDir Path work, @TempDir Path home) throws Exception {
    String md = "# t\n\n```sh\necho one\n```\n\ntext\n\n```sh skip\nexit 9\n```\n\n```sh\nsleep 300 &\ntrue\nls no-such-file\necho never\n```\n";
    List<Block> blocks = shellBlocks(md);
    assertEquals(3, blocks.size());
    assertEquals(4, blocks.get(0).line());
    Run r = run(script(blocks), work, home, 2);
    assertTrue(r.exitCode() != 0, r.tail());
    assertTrue(r.out().contains("one") && !r.out().contains("never"), r.tail());
    assertTrue(r.err().contains("block at README.md line 14 failed"), r.tail());
    assertTrue(!r.err().contains("all blocks ran"), r.tail());
  }

  @Test
  void aPassingScriptPasses(@TempDir Path work, @TempDir Path home) throws Exception {
    Run r = run(script(shellBlocks("```sh\necho \"$HOME\"\n./hallmark --version\n```\n")), work, home, 5);
    assertEquals(0, r.exitCode(), r.tail());
    assertTrue(r.out().startsWith(home.toString()), r.tail());
  }
}
