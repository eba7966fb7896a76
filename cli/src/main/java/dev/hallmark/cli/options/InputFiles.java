package dev.hallmark.cli.options;

import dev.hallmark.core.HallmarkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a command's input file argument: a path, or {@code -} for standard input; a folder, a
 * missing or empty file or one over the size limit is a one-line input error naming it.
 */
public final class InputFiles {
  /** The argument that means standard input. */
  public static final String STDIN = "-";

  private InputFiles() {}

  /**
   * Whether {@code content} is a JPEG or PNG carrying a C2PA manifest store (read or not): the commands
   * that re-encode an image say so when they drop it.
   */
  public static boolean carriesC2pa(byte[] content) {
    if (dev.hallmark.c2pa.MediaFormat.sniff(content) == null) {
      return false;
    }
    try {
      return dev.hallmark.c2pa.C2pa.manifestStore(content).isPresent();
    } catch (dev.hallmark.c2pa.C2paException e) {
      return false;
    }
  }

  /** The label used for {@code arg} in messages and results: {@code stdin} for {@code -}. */
  public static String label(String arg) {
    return STDIN.equals(arg) ? "stdin" : arg;
  }

  /**
   * All bytes of {@code arg} ({@code -}: of {@code stdin}), at most {@code maxBytes}.
   *
   * @param what what the command does with it, for the too-large message ("verified", "tested")
   */
  public static byte[] read(String arg, InputStream stdin, long maxBytes, String what) throws HallmarkException, IOException {
    if (STDIN.equals(arg)) {
      return readStream(stdin, "stdin", maxBytes, what, "pipe a file in or give its path");
    }
    Path p = Path.of(arg);
    if (Files.isDirectory(p)) {
      throw new HallmarkException(arg + ": is a folder; give a file (or - for standard input)");
    }
    if (!Files.exists(p)) {
      throw new HallmarkException(arg + ": no such file");
    }
    if (!Files.isRegularFile(p)) {
      // A pipe (bash's <(...), a FIFO) or a device: read as a stream, as standard input is (it said
      // "no such file", while text detect read it).
      try (InputStream in = Files.newInputStream(p)) {
        return readStream(in, arg, maxBytes, what, "give a file with content");
      }
    }
    if (Files.size(p) > maxBytes) {
      throw new HallmarkException(arg + ": larger than " + (maxBytes >> 20) + " MiB; not " + what);
    }
    byte[] b = Files.readAllBytes(p);
    if (b.length == 0) {
      throw new HallmarkException(arg + ": empty file; not " + what);
    }
    return b;
  }

  private static byte[] readStream(InputStream in, String label, long maxBytes, String what, String ifEmpty)
      throws HallmarkException, IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > maxBytes) {
        throw new HallmarkException(label + ": larger than " + (maxBytes >> 20) + " MiB; not " + what);
      }
      b.write(buf, 0, n);
    }
    if (total == 0) {
      throw new HallmarkException(label + ": empty; " + ifEmpty);
    }
    return b.toByteArray();
  }

  /**
   * The UTF-8 text of a small file the command needs (a receipt, a checkpoint, a record); a missing
   * file, a folder, one over {@code maxBytes} or one that is not UTF-8 text is a one-line error
   * naming it and {@code what} it should be ("a receipt").
   */
  public static String readText(Path p, long maxBytes, String what) throws HallmarkException, IOException {
    if (Files.isDirectory(p)) {
      throw new HallmarkException(p + ": is a folder; give " + what);
    }
    if (!Files.isRegularFile(p)) {
      throw new HallmarkException(p + ": no such file");
    }
    if (Files.size(p) > maxBytes) {
      throw new HallmarkException(p + ": too large to be " + what);
    }
    return dev.hallmark.detector.ContentSniffer.utf8Text(Files.readAllBytes(p))
        .orElseThrow(() -> new HallmarkException(p + ": not UTF-8 text, so not " + what));
  }
}
