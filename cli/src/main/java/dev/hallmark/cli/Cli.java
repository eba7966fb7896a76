package dev.hallmark.cli;

import dev.hallmark.core.ErrorText;
import java.io.PrintWriter;
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
    // A mistyped option after a multi-value option (clean --input a.jsonl --quiett) is an unknown
    // option, not one more input path.
    cl.setUnmatchedOptionsAllowedAsOptionParameters(false);
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
   * none is close ({@link ErrorText#suggestion}, shared with hallmark-spark).
   */
  static String suggestion(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return "";
    }
    String arg = u.getUnmatched().get(0);
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
    return ErrorText.suggestion(arg, names);
  }

  static int exitCodeFor(Throwable ex) {
    if (ex instanceof CommandLine.ParameterException || ex instanceof UsageException) {
      return ExitCodes.USAGE;
    }
    return ErrorText.isBadInput(ex) ? ExitCodes.BAD_INPUT : ExitCodes.INTERNAL;
  }

  static String describe(Throwable ex) {
    return ErrorText.describe(ex);
  }
}
