package dev.hallmark.cli.ledger;

import dev.hallmark.cli.ExitCodes;
import dev.hallmark.ledger.Ledgers;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ledger recover-wal}. */
@Command(name = "recover-wal", mixinStandardHelpOptions = true, description = {
    "Repair a write-ahead log that a disk fault or an edit damaged, when opening the log refuses it:"
        + " cut it before the damaged frame, dropping that entry and every later one not yet in the tiles.",
    "--drop-from must name the entry the refusal named. Add the dropped records again afterwards"
        + " (they get new indices). Keep a copy of the folder first."})
public final class LedgerRecoverWalCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;

  @Option(names = "--drop-from", required = true, paramLabel = "INDEX",
      description = "The entry whose frame is damaged, as the error opening the log named it.")
  long dropFrom;

  @Override
  public Integer call() throws Exception {
    long after = Ledgers.dropDamagedWal(dirOption.dir, dropFrom);
    if (jsonOption.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("droppedFrom", dropFrom);
      m.put("intactFramesDropped", after);
      printJson(m);
    } else {
      out().println("write-ahead log cut before entry " + dropFrom + " (" + after + " intact frame(s) after the damaged one"
          + " dropped with it); add those records again");
    }
    return ExitCodes.OK;
  }
}
