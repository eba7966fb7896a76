package dev.hallmark.cli.ledger;

import picocli.CommandLine.Option;

/** Mixin: the log's checkpoint signing key, {@code --log-key-name} and {@code --log-passphrase-env}. */
public final class LogSigningKeyOptions {
  @Option(names = "--log-key-name", paramLabel = "NAME", description = "Keyring key signing checkpoints (default: the one named at init).")
  String name;

  @Option(names = "--log-passphrase-env", paramLabel = "VAR", description = "Passphrase of the log's signing key.")
  String passEnv;
}
