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
    assertTrue(s.contains("element 5: ") && s.contains("truncated or malformed after element 4"), s);
    assertTrue(s.contains("content after the array's closing bracket"), s);
    assertTrue(s.contains("element 1: element is longer than the limit of 1000 bytes"), s);
  }
}
