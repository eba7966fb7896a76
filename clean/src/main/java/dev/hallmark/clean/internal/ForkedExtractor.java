package dev.hallmark.clean.internal;

import dev.hallmark.detector.DocumentException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Document extraction in child JVMs, as Tika's ForkParser and tika-pipes do: each document is sent
 * to an idle {@link ExtractWorker} process whose heap is capped ({@code -Xmx}, exit on
 * OutOfMemoryError) and which is killed when the document's time is up. A PDF whose Flate stream
 * inflates to gigabytes, a zip-bomb .docx or a parser stuck in a loop costs one child process; the
 * document lands in {@code errors/} with a one-line reason and the run goes on with a fresh child.
 * Thread-safe; workers are started lazily, one per concurrent caller at most, and reused.
 */
final class ForkedExtractor implements AutoCloseable {
  /** Exit status of a JVM stopped by {@code -XX:+ExitOnOutOfMemoryError}. */
  static final int OOM_EXIT = 3;
  /** Extra time the child gets after the document's deadline to report its own time-out. */
  private static final long GRACE_MILLIS = 2000;
  private static final long STARTUP_MILLIS = 60_000;

  private final List<String> command;
  private final int memoryMb;
  private final ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();
  private final Set<Worker> all = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "hallmark-extract-watchdog");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  /**
   * @param memoryMb heap of each child JVM
   * @param mainClass the worker's main class ({@link ExtractWorker} in production)
   * @param args the worker's arguments
   */
  ForkedExtractor(int memoryMb, String mainClass, List<String> args) {
    this.memoryMb = memoryMb;
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.add("-Xmx" + memoryMb + "m");
    c.add("-XX:+ExitOnOutOfMemoryError");
    // HotSpot prints its own warnings on standard output by default, which is our protocol pipe.
    c.add("-XX:+DisplayVMOutputToStderr");
    c.add("-XX:+UseSerialGC");
    c.add("-XX:TieredStopAtLevel=1");
    c.add("-XX:-UsePerfData");
    c.add("-Xshare:auto");
    c.add("-Djava.awt.headless=true");
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(mainClass);
    c.addAll(args);
    this.command = List.copyOf(c);
  }

  /** The production extractor: {@link ExtractWorker} with the job's Tika limits. */
  static ForkedExtractor tika(int memoryMb, int maxChars, int maxDepth, int maxResources, long maxImageBytes) {
    return new ForkedExtractor(memoryMb, ExtractWorker.class.getName(),
        List.of(Integer.toString(maxChars), Integer.toString(maxDepth), Integer.toString(maxResources), Long.toString(maxImageBytes)));
  }

  /**
   * Extracts {@code file} (read by the child) or {@code data}. A document the child cannot finish in
   * {@code timeout}, or that exhausts its memory, is a {@link DocumentException}; only a child that
   * cannot be started at all is an {@link IOException}.
   */
  TikaExtractor.Extracted extract(Path file, byte[] data, String name, String contentType, Duration timeout)
      throws DocumentException, IOException {
    Worker w = idle.poll();
    while (w != null && !w.process.isAlive()) {
      w.destroy();
      w = idle.poll();
    }
    if (w == null) {
      w = spawn();
    }
    boolean reusable = false;
    Worker worker = w;
    long killAt = System.nanoTime() + (timeout.toMillis() + GRACE_MILLIS) * 1_000_000L;
    ScheduledFuture<?> kill = killer.schedule(() -> {
      worker.timedOut = true;
      worker.process.destroyForcibly();
    }, timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
    try {
      ExtractProtocol.writeRequest(w.out, new ExtractProtocol.Request(name, contentType,
          file == null ? null : file.toAbsolutePath().toString(), file == null ? data : null, timeout.toMillis()));
      TikaExtractor.Extracted x = ExtractProtocol.readAnswer(w.in);
      reusable = true;
      return x;
    } catch (DocumentException e) {
      reusable = true;
      throw e;
    } catch (IOException e) {
      throw new DocumentException(death(w, timeout, killAt));
    } finally {
      kill.cancel(false);
      if (reusable && !w.timedOut && !closed) {
        idle.offer(w);
      } else {
        w.destroy();
      }
    }
  }

  /** The one-line reason a child stopped answering. */
  private String death(Worker w, Duration timeout, long killAt) {
    w.process.destroyForcibly();
    int code;
    try {
      code = w.process.waitFor(10, TimeUnit.SECONDS) ? w.process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = -1;
    }
    // The flag is set just before the kill; the clock covers a child that died at its deadline anyway.
    if (w.timedOut || System.nanoTime() - killAt >= 0) {
      return "extraction exceeded the time limit of " + seconds(timeout) + "; its process was stopped";
    }
    if (code == OOM_EXIT) {
      return "extraction ran out of memory (limit " + memoryMb + " MB per document, a decompression bomb or a huge document); its process was stopped";
    }
    return "the extraction process died (exit status " + code + ")";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private Worker spawn() throws IOException {
    if (closed) {
      throw new IOException("the extractor is closed");
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("cannot start the extraction process (" + command.get(0) + "): " + e.getMessage(), e);
    }
    Worker w = new Worker(p);
    all.add(w);
    ScheduledFuture<?> kill = killer.schedule(() -> p.destroyForcibly(), STARTUP_MILLIS, TimeUnit.MILLISECONDS);
    try {
      if (w.in.readInt() != ExtractProtocol.READY) {
        throw new IOException("bad greeting");
      }
    } catch (IOException e) {
      w.destroy();
      throw new IOException("the extraction process did not start (" + command.get(0) + " ... " + command.get(command.size() - 5)
          + "): " + e.getMessage(), e);
    } finally {
      kill.cancel(false);
    }
    return w;
  }

  /** Child processes started so far and still running (for tests and progress). */
  int liveWorkers() {
    return (int) all.stream().filter(w -> w.process.isAlive()).count();
  }

  @Override
  public void close() {
    closed = true;
    for (Worker w : all) {
      try {
        w.out.close(); // the child exits at the end of its input
      } catch (IOException e) {
        // already gone
      }
    }
    for (Worker w : all) {
      try {
        if (!w.process.waitFor(2, TimeUnit.SECONDS)) {
          w.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        w.process.destroyForcibly();
      }
    }
    all.clear();
    idle.clear();
    killer.shutdownNow();
  }

  private final class Worker {
    final Process process;
    final DataInputStream in;
    final DataOutputStream out;
    volatile boolean timedOut;

    Worker(Process p) {
      this.process = p;
      this.in = new DataInputStream(new BufferedInputStream(p.getInputStream(), 1 << 16));
      this.out = new DataOutputStream(new BufferedOutputStream(p.getOutputStream(), 1 << 16));
    }

    void destroy() {
      process.destroyForcibly();
      all.remove(this);
    }
  }
}
