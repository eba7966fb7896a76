package dev.hallmark.cli.clean;

import dev.hallmark.clean.CleanProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows clean progress on stderr: a one-line bar redrawn in place on a terminal, or a plain log
 * line every {@code logEverySeconds} otherwise (files, pipes, CI logs).
 */
final class ProgressPrinter implements CleanProgress.Listener {
  private static final int BAR = 24;
  private final PrintWriter err;
  private final boolean terminal;
  private final long logEveryNanos;
  private long lastLog;
  private int lastWidth;

  ProgressPrinter(PrintWriter err, boolean terminal, long logEverySeconds) {
    this.err = err;
    this.terminal = terminal;
    this.logEveryNanos = logEverySeconds * 1_000_000_000L;
  }

  @Override
  public synchronized void onProgress(CleanProgress p) {
    if (terminal) {
      String line = bar(p);
      StringBuilder s = new StringBuilder("\r").append(line);
      for (int i = line.length(); i < lastWidth; i++) {
        s.append(' ');
      }
      lastWidth = line.length();
      err.print(s);
      if (p.finished()) {
        err.println();
      }
      err.flush();
      return;
    }
    if (p.finished() || p.elapsedNanos() - lastLog >= logEveryNanos) {
      lastLog = p.elapsedNanos();
      err.println("hallmark clean: " + (p.finished() ? "done: " : "") + stats(p));
      err.flush();
    }
  }

  static String bar(CleanProgress p) {
    StringBuilder s = new StringBuilder();
    if (p.inputBytesTotal() > 0) {
      double f = Math.min(1.0, (double) p.inputBytesRead() / p.inputBytesTotal());
      if (p.finished()) {
        f = 1.0;
      }
      int full = (int) Math.round(f * BAR);
      s.append('[');
      for (int i = 0; i < BAR; i++) {
        s.append(i < full ? '#' : '.');
      }
      s.append(String.format(Locale.ROOT, "] %3.0f%% ", f * 100));
    }
    return s.append(stats(p)).toString();
  }

  static String stats(CleanProgress p) {
    double secs = p.elapsedNanos() / 1e9;
    String eta = p.finished() ? "" : p.etaSeconds() < 0 ? ", ETA unknown" : ", ETA " + duration(p.etaSeconds());
    String resumed = p.shardsSkipped() > 0 ? String.format(Locale.ROOT, ", %d shards already done", p.shardsSkipped()) : "";
    return String.format(Locale.ROOT, "%,d documents, %.1f MB, %,.0f docs/s, %.1f MB/s, %s elapsed%s%s",
        p.documents(), p.bytes() / 1e6, p.documentsPerSecond(), secs > 0 ? p.bytes() / 1e6 / secs : 0.0,
        duration(secs), eta, resumed);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
