package dev.hallmark.cli.ledger;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Mixin: {@code --dir DIR}, the log folder. */
public final class LedgerDirOption {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The log folder.")
  Path dir;
}
