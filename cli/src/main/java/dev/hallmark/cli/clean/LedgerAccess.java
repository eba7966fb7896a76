package dev.hallmark.cli.clean;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Opens a ledger folder read-only, at its latest signed checkpoint, for lookups during a clean run. */
final class LedgerAccess {
  private LedgerAccess() {}

  /**
   * @param logKey the log's C2SP verifier key or a file holding one (as {@code ledger init} prints), or
   *     null to trust the key recorded in the ledger folder (said on {@code err})
   */
  static LedgerSnapshot open(Path dir, String logKey, PrintWriter err) throws HallmarkException, IOException {
    NoteVerifierKey key;
    if (logKey == null) {
      key = Ledgers.configuredLogKey(dir);
      err.println("note: trusting the log key recorded in " + dir + " (" + key.encode() + "); pin it with --log-key");
    } else {
      key = dev.hallmark.cli.options.LogKeys.parse(logKey);
    }
    return Ledgers.openSnapshot(dir, key);
  }
}
