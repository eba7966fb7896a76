package dev.hallmark.cli.ledger;

import dev.hallmark.cli.ExitCodes;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.SignedCheckpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ledger checkpoint}. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
    description = "Integrate any recovered entries, sign a checkpoint if the log grew, and print the current signed checkpoint.")
public final class LedgerCheckpointCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin LogSigningKeyOptions logKeyOptions;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    SignedCheckpoint cp;
    try (Ledger l = Ledgers.open(dir, logSigningKey(dir, logKeyOptions), LedgerOptions.DEFAULT)) {
      cp = l.checkpoint();
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("origin", cp.checkpoint().origin());
      m.put("treeSize", cp.size());
      m.put("rootHash", java.util.Base64.getEncoder().encodeToString(cp.rootHash()));
      m.put("checkpoint", cp.encode());
      printJson(m);
    } else {
      out().print(cp.encode());
    }
    return ExitCodes.OK;
  }
}
