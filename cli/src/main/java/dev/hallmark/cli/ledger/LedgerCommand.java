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
import picocli.CommandLine.Parameters;

/** {@code hallmark ledger}: the provenance ledger (a C2SP tlog-tiles transparency log of signed records). */
@Command(
    name = "ledger",
    description = {
      "Provenance ledger: signed records in a tamper-evident transparency log (RFC 6962 Merkle tree,",
      "C2SP tlog-tiles layout, signed checkpoints, tlog-proof receipts) with a lookup index."
    },
    mixinStandardHelpOptions = true,
    subcommands = {
      LedgerInitCommand.class, LedgerAddCommand.class, LedgerCheckpointCommand.class, LedgerGetCommand.class,
      LedgerLookupCommand.class, LedgerProveCommand.class, LedgerVerifyCommand.class, LedgerVerifyReceiptCommand.class,
      LedgerReindexCommand.class, LedgerServeCommand.class
    })
public final class LedgerCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a ledger subcommand is required (init, add, checkpoint, get, lookup, prove, verify, verify-receipt, reindex, serve)");
  }
}
