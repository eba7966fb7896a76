package dev.hallmark.cli.ledger;

import dev.hallmark.cli.ExitCodes;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.VerificationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ledger verify-receipt}. */
@Command(name = "verify-receipt", mixinStandardHelpOptions = true,
    description = "Verify an offline receipt with nothing but the log's verifier key. Exit code 1 if it does not verify.")
public final class LedgerVerifyReceiptCommand extends LedgerSubcommand {
  @Mixin JsonOption jsonOption;

  @Parameters(index = "0", paramLabel = "RECEIPT", description = "A .tlog-proof file.")
  Path receipt;

  @Option(names = "--log-key", required = true, paramLabel = "VKEY", description = "Log verifier key (or a file holding it).")
  String logKey;

  @Override
  public Integer call() throws Exception {
    boolean json = jsonOption.json;
    NoteVerifierKey k = LedgerSupport.parseVkey(logKey);
    Receipt r;
    try {
      r = Receipt.parse(dev.hallmark.cli.options.InputFiles.readText(receipt, 1 << 20, "a receipt"));
    } catch (IllegalArgumentException e) {
      throw new HallmarkException(receipt + ": not a tlog-proof: " + e.getMessage());
    }
    Record rec;
    try {
      rec = r.verify(k);
    } catch (VerificationException e) {
      return verificationFailed(json, "receipt " + receipt + " does NOT verify", e);
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", true);
      m.put("index", r.index());
      m.put("record", rec.toJson(true));
      printJson(m);
    } else {
      out().println("ok: entry " + r.index() + " of log " + k.name() + ": " + rec.kind() + " " + rec.contentSha256()
          + rec.model().map(x -> " model=" + x).orElse("") + " producer=" + rec.producerKeyId().orElse("?"));
    }
    return ExitCodes.OK;
  }
}
