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
    SecureRandom random = seeded(seedFor(home, args));
    CliEnvironment environment = new CliEnvironment(vars, home, () -> random);
    int code = Cli.newCommandLine(new PrintWriter(o, true), new PrintWriter(e, true), environment).execute(args);
    return new CliRun(code, o.toString(), e.toString());
  }

  /**
   * Keys, payloads and nonces come from a generator seeded by the command line (with the temporary
   * home folder's path taken out), so a test sees the same keys on every run while different
   * commands (say, two keys with different names) still get different randomness.
   */
  static long seedFor(Path home, String... args) {
    long seed = 0x5eed_2026_1125L;
    String h = home.toString();
    for (String a : args) {
      seed = seed * 1_000_003L + a.replace(h, "~").hashCode();
    }
    return seed;
  }

  private static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static CliRun run(Path home, String... args) {
    return run(home, Map.of(), args);
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
