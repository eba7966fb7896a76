package dev.hallmark.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile inputs end in errors/ with a clear message; the run completes and memory stays bounded. */
class RobustnessTest {
  @TempDir Path tmp;

  private Map<String, String> run(Path in, CleanJob.Builder b) throws Exception {
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(b.input(in).output(out).threads(2).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    Map<String, String> messages = new java.util.TreeMap<>();
    for (com.fasterxml.jackson.databind.JsonNode n : CorpusCleanerTest.json(out.resolve("errors"))) {
      messages.put(n.get("location").asText(), n.get("error").asText());
    }
    for (com.fasterxml.jackson.databind.JsonNode n : CorpusCleanerTest.json(out.resolve("kept"))) {
      messages.put(n.get("location").asText(), "kept");
    }
    return messages;
  }

  @Test
  void zipBombAndDeepNestingGoToErrors() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    // 64 MB of text compressed to about 64 KB.
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bomb)) {
      z.putNextEntry(new ZipEntry("big.txt"));
      byte[] line = "all work and no play makes a dull corpus\n".getBytes(StandardCharsets.US_ASCII);
      for (long n = 0; n < (64L << 20); n += line.length) {
        z.write(line);
      }
      z.closeEntry();
    }
    Files.write(dir.resolve("bomb.zip"), bomb.toByteArray());
    byte[] nested = "the innermost TAGGED text".getBytes(StandardCharsets.UTF_8);
    String name = "inner.txt";
    for (int level = 0; level < 9; level++) {
      nested = zip(name, nested);
      name = "level" + level + ".zip";
    }
    Files.write(dir.resolve("nested.zip"), nested);
    Files.writeString(dir.resolve("ok.txt"), "fine");
    long t0 = System.nanoTime();
    Map<String, String> m = run(dir, CleanJob.builder());
    System.out.printf("hostile folder cleaned in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, m);
    assertTrue(m.get("bomb.zip").contains("exceeds the limit"), m.toString());
    assertTrue(m.get("nested.zip").contains("nested deeper"), m.toString());
    assertEquals("kept", m.get("ok.txt"));
    assertTrue(bomb.size() < (1 << 20), "the bomb is small on disk: " + bomb.size());
  }

  @Test
  void slowExtractionHitsTheTimeLimit() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    StringBuilder html = new StringBuilder("<html><body>");
    for (int i = 0; i < 200_000; i++) {
      html.append("<p>paragraph ").append(i).append("</p>");
    }
    Files.writeString(dir.resolve("huge.html"), html.append("</body></html>"));
    Map<String, String> m = run(dir, CleanJob.builder().documentTimeout(Duration.ofMillis(1)));
    assertTrue(m.get("huge.html").contains("time limit"), m.toString());
  }

  private static byte[] zip(String name, byte[] content) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(content);
      z.closeEntry();
    }
    return b.toByteArray();
  }
}
