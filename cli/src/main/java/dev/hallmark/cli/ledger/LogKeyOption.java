package dev.hallmark.cli.ledger;

import picocli.CommandLine.Option;

/** Mixin: {@code --log-key VKEY}, the log verifier key to trust. */
public final class LogKeyOption {
  @Option(names = "--log-key", paramLabel = "VKEY", description = "Log verifier key (or a file holding it).")
  String logKey;
}
