package dev.hallmark.cli.serve;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.cli.verify.LedgerLocation;
import dev.hallmark.core.Hex;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.Tagger;
import dev.hallmark.provenance.TaggerSettings;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import dev.hallmark.cli.options.ImageStrengthOptions;
import dev.hallmark.cli.options.LedgerLocationOptions;
import dev.hallmark.cli.options.SigningKeyOptions;
import dev.hallmark.cli.options.TrustedLogKeyOptions;
import dev.hallmark.cli.options.WatermarkKeyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hallmark serve}: the JSON API and the verification page. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
      "Serve the JSON HTTP API (verify, detect text/image, tag image/text, ledger",
      "reads) and a verification web page, on 127.0.0.1 unless --bind says",
      "otherwise. Verification and ledger reads are public; tagging and watermark",
      "detection (which use secret keys) need 'Authorization: Bearer TOKEN', the",
      "token being read from --token-env or generated and printed at startup.",
      "Stop it with Ctrl-C."
    })
public final class ServeCommand extends BaseCommand {
  @Option(names = "--port", paramLabel = "P", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = 8480;

  @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind = "127.0.0.1";

  @Mixin LedgerLocationOptions ledgerOptions;

  @Option(names = "--origin", paramLabel = "NAME", description = "Origin of a new log when --ledger is an empty folder.")
  String origin;

  @Mixin WatermarkKeyOptions keyOptions;

  @Option(names = "--tag-key", paramLabel = "NAME", description = "Watermark key embedded when tagging (default: the first detection key).")
  String tagKey;

  @Mixin SigningKeyOptions signingKey;

  @Mixin ImageStrengthOptions strength;

  @Option(names = "--model", paramLabel = "NAME", description = "Model name recorded when a tag request names none.")
  String model;

  @Option(names = "--token-env", paramLabel = "VAR", description = "Environment variable holding the bearer token (at least 16 characters).")
  String tokenEnv;

  @Mixin TrustedLogKeyOptions logKeyOptions;

  @Option(names = "--max-upload-mb", paramLabel = "MB", description = "Largest request body (default: ${DEFAULT-VALUE} MiB).")
  int maxUploadMb = 64;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: ${DEFAULT-VALUE}).")
  int threads = 4;

  @Option(names = "--max-image-megapixels", paramLabel = "MP", description = "Largest image decoded for a request, in megapixels (default: ${DEFAULT-VALUE}); larger ones get 413 before decoding.")
  double maxImageMegapixels = ServerConfig.DEFAULT_MAX_IMAGE_PIXELS / 1e6;

  @Option(names = "--verify-concurrency", paramLabel = "N", description = "Most verify requests at once (default: half of --threads, at least 1); others wait, then get 503.")
  Integer verifyConcurrency;

  @Override
  public Integer call() throws Exception {
    if (maxUploadMb < 1 || maxUploadMb > 2048) {
      throw new UsageException("--max-upload-mb must be 1-2048");
    }
    if (!(maxImageMegapixels >= 0.01 && maxImageMegapixels <= 1000)) {
      throw new UsageException("--max-image-megapixels must be 0.01-1000");
    }
    if (threads < 1 || threads > 256 || verifyConcurrency != null && (verifyConcurrency < 1 || verifyConcurrency > threads)) {
      throw new UsageException("--threads must be 1-256 and --verify-concurrency 1..threads");
    }
    var imageParameters = strength.parameters();
    Keyring keyring = keyring();
    List<WatermarkKey> keys = keyOptions.load(keyring);
    String ledger = ledgerOptions.single();
    String signingKeyName = signingKey.name;
    String passphraseEnv = signingKey.passphraseEnv;
    String token;
    if (tokenEnv != null) {
      token = environment().get(tokenEnv);
      if (token == null || token.length() < 16) {
        throw new UsageException("environment variable " + tokenEnv + " (named by --token-env) must hold a token of at least 16 characters");
      }
    } else {
      byte[] t = new byte[24];
      environment().random().get().nextBytes(t);
      token = Hex.encode(t);
    }
    List<NoteVerifierKey> trusted = logKeyOptions.keys();
    Ledger open = null;
    Tagger tagger = null;
    List<LedgerSource> extra = new ArrayList<>();
    char[] pass = passphraseFromEnv(passphraseEnv);
    try {
      if (ledger != null && signingKeyName != null) {
        SigningKey signer = keyring.signingKey(signingKeyName, pass);
        open = LedgerLocation.openForWriting(Path.of(ledger), keyring, signer, origin, pass, LedgerOptions.SERVER);
        WatermarkKey tk = tagKey != null ? keyring.watermarkKey(tagKey) : keys.isEmpty() ? null : keys.get(0);
        if (tk != null) {
          tagger = Provenance.tagger(new TaggerSettings(open, signer, tk, imageParameters,
              Clock.systemUTC(), environment().random().get()));
        }
      } else if (ledger != null) {
        extra.add(LedgerLocation.source(ledger));
      }
    } finally {
      if (pass != null) {
        Arrays.fill(pass, '\0');
      }
    }
    ServerConfig cfg = new ServerConfig(bind, port, token, (long) maxUploadMb << 20, threads, keys, open, tagger, extra,
        trusted, model, Math.round(maxImageMegapixels * 1e6), verifyConcurrency != null ? verifyConcurrency : Math.max(1, threads / 2));
    CountDownLatch stop = new CountDownLatch(1);
    Ledger toClose = open;
    try (HallmarkServer server = HallmarkServer.start(cfg)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        if (toClose != null) {
          try {
            toClose.close();
          } catch (Exception e) {
            // The write-ahead log keeps every acknowledged entry; the next open recovers it.
          }
        }
        stop.countDown();
      }));
      out().println("Hallmark is serving " + server.url() + " (verification page; API under /api/v1/)");
      out().println("  watermark keys: " + HallmarkServer.keyIds(keys) + (tagger != null ? "; tagging into log " + open.origin() : "; not tagging"));
      if (tokenEnv == null) {
        err().println("access token for tagging and detection (Authorization: Bearer ...): " + token);
      }
      out().flush();
      err().flush();
      stop.await();
    }
    return ExitCodes.OK;
  }
}
