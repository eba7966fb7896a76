package dev.hallmark.cli.ledger;

import picocli.CommandLine.Option;

/** Mixin: {@code --json}. */
public final class JsonOption {
  @Option(names = "--json", description = "Print JSON.")
  boolean json;
}
