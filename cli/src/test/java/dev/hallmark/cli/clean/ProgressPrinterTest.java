package dev.hallmark.cli.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.clean.CleanProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  @Test
  void barShowsShareRateAndEta() {
    CleanProgress p = new CleanProgress(12_345, 45_200_000, 25_000_000, 100_000_000, 0, 10_000_000_000L, false);
    String bar = ProgressPrinter.bar(p);
    assertTrue(bar.startsWith("[######..................]  25% 12,345 documents, 45.2 MB, 1,235 docs/s, 4.5 MB/s, 0:10 elapsed, ETA 0:30"), bar);
  }

  @Test
  void terminalRedrawsInPlaceAndLogPrintsLines() {
    StringWriter s = new StringWriter();
    ProgressPrinter term = new ProgressPrinter(new PrintWriter(s, true), true, 10);
    term.onProgress(new CleanProgress(1, 1, 1, 10, 0, 1_000_000_000L, false));
    term.onProgress(new CleanProgress(10, 10, 10, 10, 0, 2_000_000_000L, true));
    assertTrue(s.toString().startsWith("\r["), s.toString());
    assertTrue(s.toString().endsWith("\n") || s.toString().endsWith(System.lineSeparator()), s.toString());
    assertEquals(2, s.toString().split("\r", -1).length - 1);

    StringWriter l = new StringWriter();
    ProgressPrinter log = new ProgressPrinter(new PrintWriter(l, true), false, 10);
    for (int i = 1; i <= 25; i++) {
      log.onProgress(new CleanProgress(i, i, i, 100, 0, i * 1_000_000_000L, false));
    }
    log.onProgress(new CleanProgress(30, 30, 100, 100, 2, 26_000_000_000L, true));
    String[] lines = l.toString().split("\\R");
    assertEquals(3, lines.length, l.toString());
    assertTrue(lines[2].startsWith("hallmark clean: done: 30 documents"), lines[2]);
    assertTrue(lines[2].contains("2 shards already done"), lines[2]);
    assertTrue(!l.toString().contains("\r"));
  }
}
