package dev.hallmark.cli.clean;

import dev.hallmark.cli.UsageException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import java.nio.file.Path;

/** Opens a ledger folder read-only, at its latest signed checkpoint, for lookups during a clean run. */
final class LedgerAccess {
  private LedgerAccess() {}

  /**
   * @param verifierKey the log's C2SP verifier key, or null to use the key recorded in the ledger's
   *     own configuration (which checks integrity, not who signed it)
   */
  static LedgerSnapshot open(Path dir, String verifierKey) throws LedgerException {
    NoteVerifierKey key;
    if (verifierKey == null) {
      key = Ledgers.configuredLogKey(dir);
    } else {
      try {
        key = NoteVerifierKey.parse(verifierKey.trim());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--ledger-key: not a C2SP verifier key (name+keyid+base64): " + e.getMessage());
      }
    }
    return Ledgers.openSnapshot(dir, key);
  }
}
