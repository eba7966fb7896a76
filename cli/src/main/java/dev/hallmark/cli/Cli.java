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
    HelpText.install(cl);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("hallmark: " + ex.getMessage() + suggestion(ex));
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

  /**
   * "; did you mean ...?" for a mistyped command or option: the command's subcommands (or, for an
   * argument that looks like an option, its options) closest in edit distance, at most 3; empty when
   * none is close.
   */
  static String suggestion(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return "";
    }
    String arg = u.getUnmatched().get(0);
    int eq = arg.indexOf('=');
    if (arg.startsWith("-") && eq > 0) {
      arg = arg.substring(0, eq);
    }
    CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
    java.util.List<String> names = new java.util.ArrayList<>();
    if (arg.startsWith("-")) {
      spec.options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(java.util.List.of(o.names())));
    } else {
      spec.subcommands().forEach((name, c) -> {
        if (!c.getCommandSpec().usageMessage().hidden()) {
          names.add(name);
        }
      });
    }
    String typed = arg;
    int limit = Math.max(1, Math.min(3, typed.replaceFirst("^-+", "").length() / 3));
    java.util.List<String> close = names.stream().distinct()
        .filter(n -> editDistance(typed, n) <= limit || (typed.length() >= 3 && n.startsWith(typed)))
        .sorted(java.util.Comparator.comparingInt((String n) -> editDistance(typed, n)).thenComparing(n -> n))
        .limit(3).toList();
    if (close.isEmpty()) {
      return "";
    }
    return "; did you mean " + String.join(" or ", close.stream().map(x -> "'" + x + "'").toList()) + "?";
  }

  /** Damerau-Levenshtein (optimal string alignment) distance: a swapped pair of letters counts once. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
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
