package dev.hallmark.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a command may take from the process: environment variables, the user's home folder and a
 * source of secure randomness. Tests pass their own.
 */
public record CliEnvironment(Map<String, String> variables, Path userHome, Supplier<SecureRandom> random) {
  public CliEnvironment {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(userHome);
    Objects.requireNonNull(random);
  }

  /** The real process environment. */
  public static CliEnvironment system() {
    return new CliEnvironment(System.getenv(), userHome(System.getenv(), System.getProperty("user.home")), SecureRandom::new);
  }

  /**
   * The user's home folder as the shell sees it: {@code $HOME} when set (a user who points HOME at
   * a sandbox must not have keys written into the real home), else Java's {@code user.home}, which
   * the JVM takes from the password database and which ignores {@code $HOME}.
   */
  static Path userHome(Map<String, String> variables, String javaUserHome) {
    String home = variables.get("HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    return Path.of(javaUserHome);
  }

  /** The variable's value, or null when unset. */
  public String get(String name) {
    return variables.get(name);
  }
}
