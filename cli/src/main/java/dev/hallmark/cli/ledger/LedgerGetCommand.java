package dev.hallmark.cli.ledger;

import dev.hallmark.cli.options.TrustedLogKeyOptions;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Record;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code ledger get}. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Print the record at an index (checked against the Merkle tree).")
public final class LedgerGetCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin TrustedLogKeyOptions logKeyOption;

  @Option(names = "--index", required = true, paramLabel = "N", description = "Entry index.")
  long index;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    String logKey = logKeyOption.single();
    if (index < 0) {
      throw new dev.hallmark.cli.UsageException("--index must be 0 or more, not " + index);
    }
    try (LedgerSnapshot s = readSnapshot(dir, logKey)) {
      Record r = s.get(index);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("record", r.toJson(true));
        printJson(m);
      } else {
        out().println(r.toJson(true).toPrettyString());
      }
    }
    return ExitCodes.OK;
  }
}
