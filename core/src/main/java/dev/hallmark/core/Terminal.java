package dev.hallmark.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is a terminal, which decides between a progress bar and log lines (hallmark clean, hallmark-spark). */
public final class Terminal {
  private Terminal() {}

  /**
   * True when file descriptor 2 is a terminal. On Linux the answer is exact ({@code /proc/self/fd/2}
   * points at a tty or pty device); elsewhere it falls back to {@link System#console()}, which is
   * also null when stdin or stdout is redirected.
   */
  public static boolean stderrIsTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    if (Files.exists(fd)) {
      try {
        return isTerminalDevice(Files.readSymbolicLink(fd).toString());
      } catch (IOException | UnsupportedOperationException e) {
        // fall through
      }
    }
    return System.console() != null;
  }

  /** A terminal device path: {@code /dev/pts/N}, {@code /dev/ttyN}, {@code /dev/tty}, {@code /dev/console}. */
  public static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
  }
}
