package dev.hallmark.cli.ledger;

import dev.hallmark.cli.options.TrustedLogKeyOptions;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.ledger.CheckpointMemory;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import dev.hallmark.ledger.VerifyReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code ledger verify}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Recompute every tile and the root from the entries, check the checkpoint signature and every",
      "record signature, and prove the log only grew since the checkpoint this home remembers from the",
      "last verify of the same log (or since --since). Exit code 1 names the first problem."})
public final class LedgerVerifyCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin TrustedLogKeyOptions logKeyOption;

  @Option(names = "--since", paramLabel = "CHECKPOINT_FILE",
      description = "A signed checkpoint seen earlier (instead of the remembered one).")
  Path since;

  @Option(names = "--no-remember",
      description = "Neither check against nor update the checkpoint remembered in HOME/checkpoints.")
  boolean noRemember;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    String logKey = logKeyOption.single();
    NoteVerifierKey k = trustedLogKey(dir, logKey);
    CheckpointMemory memory = noRemember ? null : CheckpointMemory.in(home().resolve("checkpoints"));
    Path memo = memory == null ? null : memory.fileFor(k);
    String remembered;
    try {
      remembered = memory == null ? null : memory.remembered(k).map(SignedCheckpoint::encode).orElse(null);
    } catch (LedgerException e) {
      throw new HallmarkException(e.getMessage() + ", or pass --no-remember", e);
    }
    boolean againstMemo = since == null && remembered != null;
    String old = since != null ? earlierCheckpoint(since) : remembered;
    long[] last = {System.nanoTime()};
    VerifyReport rep;
    try {
      rep = Ledgers.verify(dir, k, old, n -> {
        if (System.nanoTime() - last[0] > 2_000_000_000L) {
          err().println("verified " + n + " entries...");
          err().flush();
          last[0] = System.nanoTime();
        }
      });
    } catch (VerificationException e) {
      String against = againstMemo ? " (checked against the checkpoint remembered in " + memo + ")" : "";
      return verificationFailed(json, "log " + dir + " FAILED verification" + against, e);
    }
    // Remember the new view only when it was proven consistent with the remembered one (or there was none).
    if (memo != null && (remembered == null || againstMemo)) {
      remember(memory, k, rep.checkpoint());
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", true);
      m.put("treeSize", rep.entries());
      m.put("tiles", rep.tiles());
      m.put("rootHash", java.util.Base64.getEncoder().encodeToString(rep.checkpoint().rootHash()));
      m.put("producerKeyIds", rep.producerKeyIds());
      m.put("sinceSize", rep.sinceSize());
      m.put("since", since != null ? "file" : againstMemo ? "remembered" : null);
      printJson(m);
    } else {
      String consistent = rep.sinceSize() == null ? ""
          : ", consistent with the " + (againstMemo ? "remembered" : "earlier") + " checkpoint of size " + rep.sinceSize();
      out().println("ok: " + rep.entries() + " entries, " + rep.tiles() + " tiles, root "
          + java.util.Base64.getEncoder().encodeToString(rep.checkpoint().rootHash()) + consistent);
    }
    return ExitCodes.OK;
  }

  private void remember(CheckpointMemory memory, NoteVerifierKey k, SignedCheckpoint cp) {
    try {
      memory.remember(k, cp);
    } catch (IOException e) {
      err().println("hallmark: warning: could not remember the verified checkpoint in " + memory.fileFor(k) + " (" + e.getMessage()
          + "); the next verify cannot detect a rollback without --since");
    }
  }

  /**
   * The signed checkpoint in {@code file}: a checkpoint as 'ledger checkpoint' prints it, or the one a
   * tlog-proof receipt carries. Anything else is an input error (exit 3), not a failed log.
   */
  static String earlierCheckpoint(Path file) throws HallmarkException, IOException {
    String text = dev.hallmark.cli.options.InputFiles.readText(file, 1 << 20, "a signed checkpoint or receipt");
    String why;
    try {
      dev.hallmark.ledger.Checkpoint.parse(dev.hallmark.ledger.SignedNote.parse(text).text());
      return text;
    } catch (IllegalArgumentException e) {
      why = e.getMessage();
    }
    try {
      return dev.hallmark.ledger.Receipt.parse(text).checkpointNote();
    } catch (IllegalArgumentException e) {
      throw new HallmarkException("--since " + file + ": neither a signed checkpoint nor a tlog-proof receipt (" + why + ")");
    }
  }
}
