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
    return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), SecureRandom::new);
  }

  /** The variable's value, or null when unset. */
  public String get(String name) {
    return variables.get(name);
  }
}
