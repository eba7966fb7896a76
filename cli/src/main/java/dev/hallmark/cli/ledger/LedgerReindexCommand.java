package dev.hallmark.cli.ledger;

import dev.hallmark.cli.ExitCodes;
import dev.hallmark.ledger.Ledgers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ledger reindex}. */
@Command(name = "reindex", mixinStandardHelpOptions = true, description = {
    "Rebuild the lookup index from the log (the log is the truth), up to its signed checkpoint.",
    "Needs no key. With --log-key-name or --log-passphrase-env it runs as the log's writer instead:"
        + " it also recovers entries appended after the last checkpoint and signs a checkpoint for them."})
public final class LedgerReindexCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin LogSigningKeyOptions logKeyOptions;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    long t0 = System.nanoTime();
    long[] last = {System.nanoTime()};
    long n = logKeyOptions.name == null && logKeyOptions.passEnv == null
        ? Ledgers.reindex(dir, Ledgers.configuredLogKey(dir), done -> {
          if (System.nanoTime() - last[0] > 2_000_000_000L) {
            err().println("indexed " + done + " entries...");
            err().flush();
            last[0] = System.nanoTime();
          }
        })
        : Ledgers.reindex(dir, logSigningKey(dir, logKeyOptions));
    double s = (System.nanoTime() - t0) / 1e9;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("indexed", n);
      m.put("seconds", s);
      printJson(m);
    } else {
      out().printf("indexed %d records in %.1f s%n", n, s);
    }
    return ExitCodes.OK;
  }
}
