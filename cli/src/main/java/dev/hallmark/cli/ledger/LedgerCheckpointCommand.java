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
