package dev.hallmark.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps a distributed runner schedules (the Spark job): the report's "this run" section. */
class CleanStepsTest {
  @TempDir Path tmp;

  private Path jsonl(String name, int docs) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < docs; i++) {
      lines.add("{\"id\":\"" + name + i + "\",\"text\":\"plain text number " + i + (i % 3 == 0 ? " TAGGED" : "") + "\"}");
    }
    return Files.write(tmp.resolve(name + ".jsonl"), lines, StandardCharsets.UTF_8);
  }

  /**
   * After a kill and a resume, "this run" counts the shards this run committed and the ones it read
   * past, and only this run's documents, as CorpusCleaner.run does. It said shardsProcessed = the
   * number of inputs, shardsSkipped = 0 and documents = every document of the output.
   */
  @Test
  void resumedRunCountsItsOwnShardsAndDocuments() throws Exception {
    Path a = jsonl("a", 7);
    Path b = jsonl("b", 4);
    Path out = tmp.resolve("out");
    CleanJob first = CleanJob.builder().output(out).shardDocuments(3).input(a).input(b).build();
    CleanSteps s1 = CleanSteps.plan(first, new MarkerDetector());
    assertEquals(2, s1.units());
    try (Closeable lock = s1.prepareOutput()) {
      s1.runUnit(0); // then "killed": unit 1 never ran, no report
    }
    CleanJob again = CleanJob.builder().output(out).shardDocuments(3).input(a).input(b).resume(true).build();
    CleanSteps s2 = CleanSteps.plan(again, new MarkerDetector());
    CleanReport r;
    try (Closeable lock = s2.prepareOutput()) {
      s2.runUnit(0);
      s2.runUnit(1);
      r = s2.finish(2, 1.5);
    }
    assertEquals(11, r.documents());
    assertEquals(2, r.run().shardsProcessed(), "b's shards: 3 + 1 documents");
    assertEquals(3, r.run().shardsSkipped(), "a's shards: 3 + 3 + 1 documents, committed before the kill");
    assertEquals(4, r.run().documents());
    assertEquals(Files.size(b), r.run().bytes() + 4, "b's bytes, without its 4 newlines");
    assertEquals(2, r.run().threads());

    // The same numbers a single-machine resume of the same kill reports.
    Path out2 = tmp.resolve("out2");
    CleanSteps k = CleanSteps.plan(CleanJob.builder().output(out2).shardDocuments(3).input(a).input(b).build(), new MarkerDetector());
    try (Closeable lock = k.prepareOutput()) {
      k.runUnit(0);
    }
    CleanReport single = CorpusCleaner.run(CleanJob.builder().output(out2).shardDocuments(3).input(a).input(b).resume(true).build(),
        new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(single.run().shardsProcessed(), r.run().shardsProcessed());
    assertEquals(single.run().shardsSkipped(), r.run().shardsSkipped());
    assertEquals(single.run().documents(), r.run().documents());
    assertEquals(single.run().bytes(), r.run().bytes());
  }
}
