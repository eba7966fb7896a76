package dev.hallmark.cli.options;

import picocli.CommandLine.Option;

/** {@code --json} and {@code --quiet}: the output options every command shares. */
public final class OutputOptions {
  @Option(names = "--json", description = "Print the result as JSON on stdout (for machines).")
  public boolean json;

  @Option(names = {"-q", "--quiet"}, description = "No progress or notes on stderr; errors are still printed.")
  public boolean quiet;
}
