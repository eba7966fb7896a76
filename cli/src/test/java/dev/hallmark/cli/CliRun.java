package dev.hallmark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/** Runs the command line in-process and captures what it printed. */
public final class CliRun {
  public final int exitCode;
  public final String out;
  public final String err;

  private CliRun(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  /** Runs {@code args} with {@code home} as the user's home folder and the given extra variables. */
  public static CliRun run(Path home, Map<String, String> env, String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    Map<String, String> vars = new HashMap<>(env);
    CliEnvironment environment = new CliEnvironment(vars, home, SecureRandom::new);
    int code = Cli.newCommandLine(new PrintWriter(o, true), new PrintWriter(e, true), environment).execute(args);
    return new CliRun(code, o.toString(), e.toString());
  }

  public static CliRun run(Path home, String... args) {
    return run(home, Map.of(), args);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
