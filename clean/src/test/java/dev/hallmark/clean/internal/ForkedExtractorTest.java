package dev.hallmark.clean.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.detector.DocumentException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * #19 finding 1: a document that loops forever or exhausts memory costs one child process, with a
 * one-line reason, and the next document is served. Before process isolation, extraction ran in the
 * run's own JVM: the loop hung the run and the allocation killed it.
 */
class ForkedExtractorTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void loopsOomsAndCrashesCostOneChildAndTheNextDocumentIsServed() throws Exception {
    try (ForkedExtractor x = new ForkedExtractor(64, HostileWorker.class.getName(), List.of())) {
      assertEquals("hello", x.extract(null, b("hello"), "a.txt", null, Duration.ofSeconds(30)).text());
      DocumentException loop = assertThrows(DocumentException.class,
          () -> x.extract(null, b("x"), "loop", null, Duration.ofMillis(500)));
      assertTrue(loop.getMessage().contains("time limit"), loop.getMessage());
      assertEquals("after loop", x.extract(null, b("after loop"), "b.txt", null, Duration.ofSeconds(30)).text());
      DocumentException oom = assertThrows(DocumentException.class,
          () -> x.extract(null, b("x"), "oom", null, Duration.ofSeconds(60)));
      assertTrue(oom.getMessage().contains("out of memory") && oom.getMessage().contains("64 MB"), oom.getMessage());
      DocumentException crash = assertThrows(DocumentException.class,
          () -> x.extract(null, b("x"), "crash", null, Duration.ofSeconds(30)));
      assertTrue(crash.getMessage().contains("exit status 7"), crash.getMessage());
      for (DocumentException e : List.of(loop, oom, crash)) {
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
      }
      assertEquals("still fine", x.extract(null, b("still fine"), "c.txt", null, Duration.ofSeconds(30)).text());
      assertTrue(x.liveWorkers() <= 1, "dead children are not kept: " + x.liveWorkers());
    }
  }
}
