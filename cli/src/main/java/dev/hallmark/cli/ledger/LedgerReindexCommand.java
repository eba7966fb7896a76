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
