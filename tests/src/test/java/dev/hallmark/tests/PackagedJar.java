package dev.hallmark.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the shaded {@code cli/target/hallmark.jar} in a child JVM, as a user's shell would. */
final class PackagedJar {
  final int exitCode;
  final String out;
  final String err;

  private PackagedJar(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("hallmark.jar", "../cli/target/hallmark.jar"));
    assertTrue(Files.isRegularFile(jar), "build the CLI first: " + jar.toAbsolutePath());
    return jar;
  }

  static PackagedJar run(Map<String, String> env, Path stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("HALLMARK_HOME");
    pb.environment().putAll(env);
    Path out = Files.createTempFile("hallmark-out", ".txt");
    Path err = Files.createTempFile("hallmark-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("hallmark " + String.join(" ", args) + " did not finish in 5 minutes");
    }
    try {
      return new PackagedJar(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
