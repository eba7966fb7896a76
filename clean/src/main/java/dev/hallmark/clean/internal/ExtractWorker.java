package dev.hallmark.clean.internal;

import dev.hallmark.detector.DocumentException;
import dev.hallmark.detector.EmbeddedImage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link ForkedExtractor}: reads extraction requests on standard input, runs
 * {@link TikaExtractor} on each, writes the results on standard output (see {@link ExtractProtocol}).
 * Whatever the parsers print goes to standard error, so it cannot corrupt the protocol. The parent
 * bounds its memory ({@code -Xmx}, {@code -XX:+ExitOnOutOfMemoryError}) and time (it kills the
 * process at the deadline), so a hostile document costs this process, never the run.
 */
public final class ExtractWorker {
  private ExtractWorker() {}

  /** Arguments: maxChars maxDepth maxResources maxImageBytes. */
  public static void main(String[] args) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
    // Stray prints of parsers go to stderr (stdout carries the protocol), as UTF-8 whatever the platform default.
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, java.nio.charset.StandardCharsets.UTF_8));
    TikaExtractor tika = new TikaExtractor(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
        Long.parseLong(args[3]));
    serve(in, out, (req, deadline) -> {
      try (InputStream body = req.file() != null ? Files.newInputStream(Path.of(req.file())) : new ByteArrayInputStream(req.data())) {
        return tika.extract(body, req.name(), req.contentType(), deadline);
      }
    });
  }

  /** What the worker does with one request. */
  interface Work {
    TikaExtractor.Extracted run(ExtractProtocol.Request req, long deadlineNanos) throws DocumentException, IOException;
  }

  /** The request loop, shared with test workers that misbehave on purpose. */
  static void serve(DataInputStream in, DataOutputStream out, Work work) throws IOException {
    out.writeInt(ExtractProtocol.READY);
    out.flush();
    while (true) {
      ExtractProtocol.Request req;
      try {
        req = ExtractProtocol.readRequest(in);
      } catch (EOFException e) {
        return; // the parent closed our input: done
      }
      long deadline = System.nanoTime() + req.timeoutMillis() * 1_000_000L;
      try {
        ExtractProtocol.writeOk(out, work.run(req, deadline));
      } catch (DocumentException e) {
        ExtractProtocol.writeError(out, e.getMessage());
      } catch (IOException e) {
        ExtractProtocol.writeError(out, "cannot read: " + JsonlReader.describe(e));
      } catch (RuntimeException | StackOverflowError e) {
        ExtractProtocol.writeError(out, "unexpected failure while extracting: " + e.getClass().getName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage().split("\n", 2)[0]));
      }
      out.flush();
    }
  }

  static EmbeddedImage image(String name, String type, byte[] b) {
    return new EmbeddedImage(name, type, b);
  }
}
