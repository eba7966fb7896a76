package dev.hallmark.cli;

import dev.hallmark.core.HallmarkException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * The one factory for the {@code hallmark} command line, used by {@link Main} and by tests.
 *
 * <p>Data goes to {@code out}, diagnostics to {@code err}. Errors are one line, prefixed with
 * {@code hallmark:}, with a stack trace only under {@code --verbose}; see {@link ExitCodes}.
 */
public final class Cli {
  private Cli() {}

  /** A command line over the real process environment. */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    return newCommandLine(out, err, CliEnvironment.system());
  }

  /** A command line over the given environment (variables, home folder, randomness). */
  public static CommandLine newCommandLine(PrintWriter out, PrintWriter err, CliEnvironment env) {
    HallmarkCommand root = new HallmarkCommand(env);
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("hallmark: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
      c.getErr().flush();
      return ExitCodes.USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
      int code = exitCodeFor(ex);
      PrintWriter e = c.getErr();
      e.println("hallmark: " + (code == ExitCodes.INTERNAL ? "internal error: " : "") + describe(ex));
      if (root.verbose()) {
        ex.printStackTrace(e);
      } else if (code == ExitCodes.INTERNAL) {
        e.println("Run again with --verbose for details, and report it if it persists.");
      }
      e.flush();
      c.getOut().flush();
      return code;
    });
    cl.setExitCodeExceptionMapper(Cli::exitCodeFor);
    return cl;
  }

  static int exitCodeFor(Throwable ex) {
    if (ex instanceof CommandLine.ParameterException || ex instanceof UsageException) {
      return ExitCodes.USAGE;
    }
    if (ex instanceof HallmarkException
        || ex instanceof IOException
        || ex instanceof UncheckedIOException
        || ex instanceof IllegalArgumentException
        || ex instanceof java.security.GeneralSecurityException) {
      return ExitCodes.BAD_INPUT;
    }
    return ExitCodes.INTERNAL;
  }

  static String describe(Throwable ex) {
    if (ex instanceof UncheckedIOException && ex.getCause() != null) {
      ex = ex.getCause();
    }
    if (ex instanceof NoSuchFileException) {
      return ((NoSuchFileException) ex).getFile() + ": no such file or folder";
    }
    if (ex instanceof AccessDeniedException) {
      return ((AccessDeniedException) ex).getFile() + ": permission denied";
    }
    if (ex instanceof java.nio.file.FileSystemException) {
      java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) ex;
      return f.getFile() + ": " + (f.getReason() == null ? ex.getClass().getSimpleName() : f.getReason());
    }
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      return ex.getClass().getSimpleName();
    }
    return m.replace('\n', ' ');
  }
}
