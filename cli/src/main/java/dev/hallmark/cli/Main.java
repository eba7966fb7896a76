package dev.hallmark.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Entry point of {@code hallmark.jar}. */
public final class Main {
  /**
   * Lucene 9 logs a notice on Java 23+ that only a newer Lucene (which needs Java 21) uses the Vector
   * API fully; users cannot act on it, so it is kept out of the command's stderr. Held here because
   * the logging framework keeps loggers only weakly.
   */
  private static final Logger LUCENE_VECTORIZATION = Logger.getLogger("org.apache.lucene.internal.vectorization");

  private Main() {}

  public static void main(String[] args) {
    LUCENE_VECTORIZATION.setLevel(Level.SEVERE);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    int code = Cli.newCommandLine(out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
