package dev.hallmark.cli.ledger;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Match;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared plumbing of the ledger subcommands; their options come from the mixins in this package. */
abstract class LedgerSubcommand extends BaseCommand {
  /** The log's signing key from the keyring: --log-key-name, else the name recorded at init. */
  SigningKey logSigningKey(Path dir, LogSigningKeyOptions o) throws HallmarkException {
    return LedgerSupport.logSigningKey(this::signingKey, dir, o);
  }

  /** The verifier key to trust: --log-key (a vkey or a file holding one), else the one recorded in DIR. */
  NoteVerifierKey trustedLogKey(Path dir, String option) throws HallmarkException, IOException {
    if (option != null) {
      return LedgerSupport.parseVkey(option);
    }
    NoteVerifierKey k = Ledgers.configuredLogKey(dir);
    err().println("note: trusting the log key recorded in " + dir + " (" + k.encode() + "); pin it with --log-key");
    return k;
  }

  LedgerSnapshot readSnapshot(Path dir, String logKey) throws HallmarkException, IOException {
    return Ledgers.openSnapshot(dir, trustedLogKey(dir, logKey));
  }

  static Map<String, Object> matchJson(Match m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("index", m.index());
    o.put("similarity", m.similarity());
    if (m.distance() >= 0) {
      o.put("distance", m.distance());
    }
    o.put("record", m.record().toJson(true));
    return o;
  }
}
