package dev.hallmark.cli.verify;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.KeyInfo;
import dev.hallmark.core.KeyType;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.Verdict;
import dev.hallmark.provenance.VerifierSettings;
import dev.hallmark.ledger.Receipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.hallmark.cli.options.InputFiles;
import dev.hallmark.cli.options.LedgerLocationOptions;
import dev.hallmark.cli.options.OutputOptions;
import dev.hallmark.cli.options.TrustedLogKeyOptions;
import dev.hallmark.cli.options.WatermarkKeyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark verify}: where does this file come from? */
@Command(name = "verify", mixinStandardHelpOptions = true,
    header = "Say where a file comes from: watermark, metadata, ledger record, signature and inclusion proof.",
    description = {
      "Say where a file comes from, combining every signal: the provenance",
      "reference in its metadata, the watermark (key id, p-value, payload), the",
      "ledger record (by payload, exact hash or fingerprint), the record's producer",
      "signature, its inclusion proof against a signed checkpoint, and whether the",
      "file is identical to the registered one or only similar. Works offline from",
      "a receipt (FILE.proof beside the file is read automatically) or against a",
      "ledger folder or server. Exit code 0 when the origin is established, 1 when",
      "it is not."
    })
public final class VerifyCommand extends BaseCommand {
  /** Size limit of a verified file. */
  static final long MAX_FILE_BYTES = 256L << 20;

  @Parameters(paramLabel = "FILE", description = "The image or text file to verify, or - for standard input.")
  String file;

  @Mixin LedgerLocationOptions ledgers;

  @Option(names = "--receipt", paramLabel = "FILE", description = "A receipt (tlog-proof) to check offline; repeatable (default: FILE.proof if it exists).")
  List<Path> receipts = new ArrayList<>();

  @Mixin WatermarkKeyOptions keys;

  @Option(names = "--no-watermark", description = "Do not test for watermarks (no secret keys used).")
  boolean noWatermark;

  @Mixin TrustedLogKeyOptions logKeys;

  @Option(names = "--alpha", paramLabel = "P", description = "The false-positive rate at which an image watermark is declared:"
      + " the chance that an unmarked image is reported as watermarked under any of the keys tried; smaller is stricter"
      + " (default: ${DEFAULT-VALUE}).")
  double alpha = VerifierSettings.DEFAULT_ALPHA;

  @Option(names = "--text-alpha", paramLabel = "P", description = "The false-positive rate at which a text watermark is declared:"
      + " the chance that a text without it is reported as watermarked under any of the keys and schemes tried"
      + " (default: ${DEFAULT-VALUE}).")
  double textAlpha = VerifierSettings.DEFAULT_TEXT_ALPHA;

  @Mixin OutputOptions output;

  @Option(names = "--c2pa-trust", paramLabel = "PEM", description = "Trust anchors for C2PA (Content Credentials) signers; without it a manifest is at best Valid.")
  Path c2paTrust;

  @Override
  public Integer call() throws Exception {
    byte[] content = InputFiles.read(file, System.in, MAX_FILE_BYTES, "verified");
    boolean json = output.json;
    VerifierSettings.Builder b;
    try {
      b = VerifierSettings.builder().alpha(alpha).textAlpha(textAlpha);
      if (c2paTrust != null) {
        b.c2paTrust(dev.hallmark.c2pa.TrustAnchors.fromPem(java.nio.file.Files.readAllBytes(c2paTrust)));
      }
      b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (!noWatermark) {
      b.addKeys(keys.load(keyring()));
    } else if (!keys.names.isEmpty()) {
      throw new UsageException("--key and --no-watermark contradict each other");
    }
    logKeys.keys().forEach(b::trustLogKey);
    List<Path> receiptFiles = new ArrayList<>(receipts);
    Path sidecar = null;
    if (!InputFiles.STDIN.equals(file)) {
      Path beside = Path.of(file + ".proof");
      if (receiptFiles.isEmpty() && Files.isRegularFile(beside)) {
        sidecar = beside;
        receiptFiles.add(sidecar);
      }
    }
    List<LedgerSource> sources = new ArrayList<>();
    try {
      // One source per file, so that the verdict names the file a record came from, or the file whose
      // receipt is for another record.
      for (Path p : List.copyOf(receiptFiles)) {
        Receipt r;
        try {
          r = readReceipt(p);
        } catch (HallmarkException e) {
          if (!p.equals(sidecar)) {
            throw e;
          }
          // A damaged receipt found beside the file (not one the user named) must not stop the
          // other checks: the ledger may still establish the origin.
          if (!output.quiet) {
            err().println("hallmark: warning: " + e.getMessage() + "; checked without it");
          }
          receiptFiles.remove(p);
          continue;
        }
        sources.add(Provenance.receipts("receipt " + p, List.of(r)));
        trustOwnKeysFor(r, b);
      }
      for (String l : ledgers.locations) {
        sources.add(LedgerLocation.source(l));
      }
      sources.forEach(b::addSource);
      Verdict v = Provenance.verifier(b.build()).verify(content, InputFiles.label(file));
      if (sources.isEmpty() && !output.quiet) {
        err().println("hallmark: no ledger or receipt given: only the metadata and the watermark were checked"
            + " (give --ledger DIR|URL or --receipt FILE)");
      }
      if ("other".equals(v.kind()) && !output.quiet) {
        // A PDF, Office file or archive: verify reads one image or one text, not the ones inside.
        err().println("hallmark: " + InputFiles.label(file) + " is neither an image nor UTF-8 or UTF-16 text, so only its exact"
            + " hash and metadata were checked; for the text and images inside a PDF or Office file run"
            + " 'hallmark clean --input " + InputFiles.label(file) + " --output DIR'");
      }
      if (json) {
        printJson(v.toMap());
      } else {
        VerdictText.print(v, out(), !ledgers.locations.isEmpty());
      }
      return v.originEstablished() ? ExitCodes.OK : ExitCodes.NEGATIVE;
    } finally {
      sources.forEach(LedgerSource::close);
    }
  }

  /** Trusts the keyring's own signing keys as log keys for the receipt's origin (the operator's own log). */
  private void trustOwnKeysFor(Receipt r, VerifierSettings.Builder b) throws HallmarkException {
    String origin;
    try {
      origin = r.origin();
    } catch (IllegalArgumentException e) {
      return;
    }
    for (KeyInfo k : keyring().list()) {
      if (k.type() == KeyType.SIGNING) {
        b.trustLogKey(NoteVerifierKey.of(origin, keyring().verifierKey(k.name()).publicKey()));
      }
    }
  }

  static Receipt readReceipt(Path p) throws HallmarkException, IOException {
    String text = dev.hallmark.cli.options.InputFiles.readText(p, 1 << 20, "a receipt");
    try {
      return Receipt.parse(text);
    } catch (IllegalArgumentException e) {
      throw new HallmarkException(p + ": not a valid receipt (" + e.getMessage() + ")");
    }
  }
}
