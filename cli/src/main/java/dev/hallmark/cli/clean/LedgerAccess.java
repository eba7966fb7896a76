package dev.hallmark.cli.clean;

import dev.hallmark.cli.UsageException;
import dev.hallmark.ledger.LedgerSnapshot;
import java.nio.file.Path;

/** Opens a ledger folder read-only for lookups during a clean run. */
final class LedgerAccess {
  private LedgerAccess() {}

  static LedgerSnapshot open(Path dir) {
    throw new UsageException("--ledger: this build's ledger module has no read-only open yet (" + dir + ")");
  }
}
