package dev.hallmark.cli.ledger;

import picocli.CommandLine.Option;

/** Mixin: the producer key that signs unsigned records, {@code --signing-key} and {@code --passphrase-env}. */
public final class ProducerKeyOptions {
  @Option(names = "--signing-key", paramLabel = "NAME", description = "Producer key that signs unsigned records.")
  String name;

  @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Passphrase of --signing-key.")
  String passEnv;
}
