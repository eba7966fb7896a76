package dev.hallmark.clean.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker whose "parser" misbehaves the ways hostile documents make real parsers misbehave: a
 * document named {@code loop} never returns (and never checks its deadline), {@code oom} allocates
 * until the heap is gone, {@code crash} kills the JVM; anything else is echoed as its text.
 */
public final class HostileWorker {
  private HostileWorker() {}

  public static void main(String[] args) throws Exception {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
    DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
    System.setOut(new java.io.PrintStream(new FileOutputStream(FileDescriptor.err), true));
    ExtractWorker.serve(in, out, (req, deadline) -> {
      switch (req.name()) {
        case "loop" -> {
          long x = 0;
          while (x >= 0) {
            x = (x * 31 + 7) & 0x7fffffffffffL;
          }
          return null;
        }
        case "oom" -> {
          List<long[]> hog = new ArrayList<>();
          while (true) {
            hog.add(new long[1 << 20]);
          }
        }
        case "crash" -> {
          Runtime.getRuntime().halt(7);
          return null;
        }
        default -> {
          return new TikaExtractor.Extracted("text/plain", new String(req.data(), StandardCharsets.UTF_8), List.of(), false);
        }
      }
    });
  }
}
