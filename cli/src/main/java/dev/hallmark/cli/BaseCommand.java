package dev.hallmark.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hallmark.core.Keyring;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing for subcommands: streams, home folder, keyring, JSON output, passphrases. */
public abstract class BaseCommand implements Callable<Integer> {
  /**
   * Held apart so that building the command line (picocli makes every subcommand object up front)
   * does not build an {@link ObjectMapper}: about a quarter of a second of start-up for every
   * command, most of which print no JSON.
   */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();
  }

  @Spec protected CommandSpec spec;

  protected HallmarkCommand root() {
    return (HallmarkCommand) spec.root().userObject();
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  protected CliEnvironment environment() {
    return root().environment();
  }

  protected Path home() {
    return root().home();
  }

  protected Keyring keyring() {
    return Keyring.open(home());
  }

  /** Prints {@code value} as pretty JSON on stdout. */
  protected void printJson(Object value) {
    try {
      out().println(Json.MAPPER.writeValueAsString(value));
      out().flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write JSON output", e);
    }
  }

  /**
   * Loads signing key {@code name}, decrypting it with the passphrase in environment variable
   * {@code passphraseEnv} (null for an unencrypted key); the passphrase is wiped afterwards.
   */
  protected dev.hallmark.core.SigningKey signingKey(String name, String passphraseEnv)
      throws dev.hallmark.core.KeyringException {
    char[] pass = passphraseFromEnv(passphraseEnv);
    try {
      return keyring().signingKey(name, pass);
    } finally {
      if (pass != null) {
        java.util.Arrays.fill(pass, '\0');
      }
    }
  }

  /**
   * Reports a negative verification: {@code {"ok": false, "problem": ...}} on stdout under
   * {@code --json}, one line on stderr either way, and {@link ExitCodes#NEGATIVE} to return.
   */
  protected int verificationFailed(boolean json, String what, Exception e) {
    if (json) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("ok", false);
      m.put("problem", e.getMessage());
      printJson(m);
    }
    err().println("hallmark: " + what + ": " + e.getMessage());
    err().flush();
    return ExitCodes.NEGATIVE;
  }

  /**
   * The passphrase held in environment variable {@code variable}, or null when {@code variable} is
   * null (no passphrase asked for).
   *
   * @throws UsageException if the variable is unset or empty
   */
  protected char[] passphraseFromEnv(String variable) {
    if (variable == null) {
      return null;
    }
    String v = environment().get(variable);
    if (v == null || v.isEmpty()) {
      throw new UsageException("environment variable " + variable + " (named by --passphrase-env) is not set or empty");
    }
    return v.toCharArray();
  }
}
