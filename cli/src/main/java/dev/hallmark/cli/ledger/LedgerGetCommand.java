package dev.hallmark.cli.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import dev.hallmark.ledger.VerifyReport;
import dev.hallmark.ledger.LedgerServer;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.Images;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ledger get}. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Print the record at an index (checked against the Merkle tree).")
public final class LedgerGetCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin LogKeyOption logKeyOption;

  @Option(names = "--index", required = true, paramLabel = "N", description = "Entry index.")
  long index;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    String logKey = logKeyOption.logKey;
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
