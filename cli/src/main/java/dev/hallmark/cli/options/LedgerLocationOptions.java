package dev.hallmark.cli.options;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --ledger DIR|URL}: ledger folders or served ledgers; commands that take one say so. */
public final class LedgerLocationOptions {
  @Option(names = "--ledger", paramLabel = "DIR|URL",
      description = "A ledger folder, or the URL of a served ledger where the command accepts one; repeatable for verify.")
  public List<String> locations = new ArrayList<>();

  /** The one value given, or null; a usage error when the command takes only one and several were given. */
  public String single() {
    if (locations.size() > 1) {
      throw new dev.hallmark.cli.UsageException("--ledger is given " + locations.size() + " times; this command takes one");
    }
    return locations.isEmpty() ? null : locations.get(0);
  }
}
