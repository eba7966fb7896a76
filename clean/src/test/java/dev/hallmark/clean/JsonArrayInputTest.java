package dev.hallmark.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON files whose top level is an array (Alpaca-style instruction sets, dataset exports) are cleaned
 * element by element. Before, such a file was one Tika document: one tagged element removed them all.
 */
class JsonArrayInputTest {
  @TempDir Path tmp;

  private static String array(int n, int tagged) {
    StringBuilder s = new StringBuilder("\uFEFF[\n");
    for (int i = 0; i < n; i++) {
      s.append("    {\n        \"instruction\": \"Say something.\",\n        \"output\": \"")
          .append(i == tagged ? "This answer is TAGGED by a generator." : "An ordinary answer, number " + i + ".")
          .append("\",\n        \"score\": 2.50,\n        \"n\": ").append(i).append("\n    }").append(i + 1 < n ? "," : "").append('\n');
    }
    return s.append("]\n").toString();
  }

  private CleanJob.Builder job(Path out, Path... inputs) {
    CleanJob.Builder b = CleanJob.builder().output(out).threads(2).shardDocuments(3).textField("output")
        .progressInterval(java.time.Duration.ofMillis(50));
    for (Path p : inputs) {
      b.input(p);
    }
    return b;
  }

  @Test
  void eachElementIsOneDocumentAndKeptElementsAreCompactLines() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(dir.resolve("alpaca.json"), array(8, 5));
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("more.json.gz")))) {
      o.write(array(4, 0).getBytes(StandardCharsets.UTF_8));
    }
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    assertEquals(12, r.documents(), "one document per element");
    assertEquals(2, r.removed());
    assertEquals(10, r.kept());
    assertEquals(0, r.errors());
    List<JsonNode> removed = CorpusCleanerTest.json(out.resolve("removed"));
    assertEquals("element 6", removed.get(0).get("location").asText());
    assertEquals("element 1", removed.get(1).get("location").asText());
    List<String> kept = CorpusCleanerTest.readAll(out.resolve("kept"), null);
    assertEquals(10, kept.size());
    assertEquals("{\"instruction\":\"Say something.\",\"output\":\"An ordinary answer, number 0.\",\"score\":2.50,\"n\":0}", kept.get(0),
        "every field kept, in order, numbers as written");
    assertTrue(Files.exists(out.resolve("kept").resolve("001-more-000000.jsonl.gz")), "compressed like the input");
  }

  /**
   * A damaged element is an error of its own and the elements after it are read, as lines of a JSONL
   * file are: a tester's array stopped at a valid 20 MB string (a parser limit), at one Latin-1 byte and
   * at deep nesting, leaving a tagged element after it unchecked. Kept elements are their bytes less
   * the white space between tokens: -0, 1e400 and escapes came back rewritten.
   */
  @Test
  void aDamagedElementIsItsOwnErrorAndKeptElementsKeepTheirBytes() throws Exception {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes("[ {\"id\": \"h0\", \"text\": \"human\"},\n  {\"id\": \"big\", \"text\": \"".getBytes(StandardCharsets.UTF_8));
    b.writeBytes("word ".repeat(5_000_000).getBytes(StandardCharsets.UTF_8));
    b.writeBytes("\"},\n {\"id\":\"latin1\",\"text\":\"caf".getBytes(StandardCharsets.UTF_8));
    b.write(0xe9); // Latin-1, not UTF-8
    b.writeBytes(("\"},\n {\"id\":\"deep\",\"text\":\"x\",\"n\":" + "[".repeat(3000) + "]".repeat(3000) + "},\n"
        + " {\"id\":\"w\",\"text\":\"This answer is TAGGED by a generator.\"},\n"
        + " {\"id\":\"nums\",\"text\":\"more\",\"a\":-0,\"d\":1e400,\"e\":\"caf\\u00e9 \\/ \\uD83D\\uDE00\"}\n]\n")
        .getBytes(StandardCharsets.UTF_8));
    Path in = tmp.resolve("mixed.json");
    Files.write(in, b.toByteArray());
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, in).textField("text").build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    assertEquals(6, r.documents(), "every element read");
    assertEquals(1, r.removed(), "the tagged element after the damaged ones is checked");
    List<JsonNode> removed = CorpusCleanerTest.json(out.resolve("removed"));
    assertEquals("element 5", removed.get(0).get("location").asText());
    List<String> kept = CorpusCleanerTest.readAll(out.resolve("kept"), null);
    assertTrue(kept.contains("{\"id\":\"nums\",\"text\":\"more\",\"a\":-0,\"d\":1e400,\"e\":\"caf\\u00e9 \\/ \\uD83D\\uDE00\"}"),
        kept.toString());
    StringBuilder errs = new StringBuilder();
    for (JsonNode e : CorpusCleanerTest.json(out.resolve("errors"))) {
      errs.append(e.get("location").asText()).append(" ");
    }
    assertTrue(errs.toString().contains("element 3"), "invalid UTF-8 is that element's error: " + errs);
    assertEquals(r.documents(), r.kept() + r.removed() + r.errors());
  }

  @Test
  void truncatedMalformedAndOversizedArraysAreErrorsAfterTheElementsBeforeThem() throws Exception {
    String full = array(6, -1);
    Path cut = tmp.resolve("cut.json");
    Files.writeString(cut, full.substring(0, full.length() * 2 / 3));
    Path trailing = tmp.resolve("trailing.json");
    Files.writeString(trailing, "[{\"output\":\"a\"},{\"output\":\"b\"}] {\"output\":\"c\"}");
    Path big = tmp.resolve("big.json");
    Files.writeString(big, "[{\"output\":\"" + "x".repeat(5000) + "\"},{\"output\":\"small\"},\"just a string\"]");
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, cut, trailing, big).maxDocumentBytes(1000).build(), new MarkerDetector(),
        CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    CleanReport.InputCounts c = r.inputs().get(0);
    assertEquals(4, c.kept(), "the four whole elements before the cut: " + c);
    assertEquals(1, c.errors(), c.toString());
    CleanReport.InputCounts t = r.inputs().get(1);
    assertEquals(2, t.kept(), t.toString());
    assertEquals(1, t.errors(), t.toString());
    CleanReport.InputCounts b = r.inputs().get(2);
    assertEquals(1, b.kept(), b.toString());
    assertEquals(2, b.errors(), "the long element and the element that is not an object: " + b);
    StringBuilder all = new StringBuilder();
    for (JsonNode e : CorpusCleanerTest.json(out.resolve("errors"))) {
      all.append(e.get("location").asText()).append(": ").append(e.get("error").asText()).append('\n');
    }
    String s = all.toString();
    assertTrue(s.contains("element 5: ") && s.contains("truncated after element 4"), s);
    assertTrue(s.contains("content after the array's closing bracket"), s);
    assertTrue(s.contains("element 1: element is longer than the limit of 1000 bytes"), s);
  }
}
