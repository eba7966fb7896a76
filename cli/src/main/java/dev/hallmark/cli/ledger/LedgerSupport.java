package dev.hallmark.cli.ledger;

import dev.hallmark.cli.UsageException;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledgers;
import java.io.IOException;
import java.nio.file.Path;

/** What the ledger subcommands share: resolving the log's keys from the options. */
final class LedgerSupport {
  private LedgerSupport() {}

  /** The log's signing key from the keyring: --log-key-name, else the name recorded at init. */
  static SigningKey logSigningKey(KeyAccess cmd, Path dir, LogSigningKeyOptions o) throws HallmarkException {
    String name = o.name != null ? o.name : Ledgers.configuredSigningKeyName(dir);
    if (name == null) {
      throw new UsageException("the log in " + dir + " records no signing key name; pass --log-key-name NAME");
    }
    try {
      return cmd.key(name, o.passEnv);
    } catch (dev.hallmark.core.KeyringException e) {
      if (e.reason() == dev.hallmark.core.KeyringException.Reason.PASSPHRASE_REQUIRED && o.passEnv == null) {
        // The user named no key: say which option carries the log key's passphrase.
        throw new dev.hallmark.core.KeyringException(e.reason(), "the log's signing key '" + name
            + "' is encrypted: pass --log-passphrase-env VAR with its passphrase", e);
      }
      throw e;
    }
  }

  /** Access to the keyring of the running command. */
  @FunctionalInterface
  interface KeyAccess {
    SigningKey key(String name, String passEnv) throws HallmarkException;
  }

  static NoteVerifierKey parseVkey(String option) throws IOException, HallmarkException {
    return dev.hallmark.cli.options.LogKeys.parse(option);
  }

}
