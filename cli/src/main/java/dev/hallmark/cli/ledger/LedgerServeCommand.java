package dev.hallmark.cli.ledger;

import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.LedgerServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code ledger serve}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve the tlog-tiles read API (checkpoint, tiles, entry bundles) and JSON endpoints:",
      "POST /add (bearer token), GET /lookup?sha256=H, GET /prove?index=N|sha256=H, GET /get?index=N.",
      "With 'Accept: application/x-ndjson', POST /add streams JSON Lines of any length",
      "and answers {\"line\":K,\"index\":N} per record as soon as it is durable.",
      "Checkpoints are signed every second while records arrive. Stops on Ctrl-C."})
public final class LedgerServeCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin LogSigningKeyOptions logKeyOptions;

  @Option(names = "--port", required = true, paramLabel = "P", description = "TCP port (0 picks a free one).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--token-env", paramLabel = "VAR", description = "Bearer token for POST /add, from this variable (no writes without it).")
  String tokenEnv;

  @Option(names = "--port-file", paramLabel = "FILE", description = "Once listening, write the bound port to FILE (useful with --port 0).")
  Path portFile;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0..65535");
    }
    String token = null;
    if (tokenEnv != null) {
      token = environment().get(tokenEnv);
      if (token == null || token.length() < 16) {
        throw new UsageException("environment variable " + tokenEnv + " must hold a bearer token of at least 16 characters");
      }
    }
    try (Ledger l = Ledgers.open(dir, logSigningKey(dir, logKeyOptions), LedgerOptions.SERVER);
        LedgerServer server = LedgerServer.start(l, dir, new InetSocketAddress(bind, port), token, LedgerServer.Limits.DEFAULT,
            line -> {
              err().println("hallmark ledger serve: " + line);
              err().flush();
            })) {
      err().println("serving " + dir + " on http://" + bind + ":" + server.port() + "/ (writes "
          + (token == null ? "disabled" : "need the bearer token") + ")");
      err().flush();
      if (portFile != null) {
        // Whole or not at all: a script polling for the file never reads half a number.
        dev.hallmark.core.DurableFiles.writeString(portFile, server.port() + "\n");
      }
      // On Ctrl-C or SIGTERM: stop serving, then sign a final checkpoint (appends acknowledged so far
      // are durable in the write-ahead log either way; the next open would checkpoint them).
      Thread hook = new Thread(() -> {
        server.close();
        try {
          l.close();
        } catch (LedgerException e) {
          System.err.println("hallmark: " + e.getMessage());
        }
      }, "hallmark-ledger-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        Thread.currentThread().join();
      } catch (InterruptedException e) {
        // An embedding program stops the server by interrupting this thread, like Ctrl-C. The flag is
        // not set again: closing the ledger next must not meet ClosedByInterruptException.
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down: the hook closes the ledger
        }
      }
    }
    return ExitCodes.OK;
  }
}
