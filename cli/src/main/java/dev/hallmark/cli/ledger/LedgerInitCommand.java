package dev.hallmark.cli.ledger;

import dev.hallmark.cli.ExitCodes;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledgers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code ledger init}. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create an empty log in DIR whose checkpoints are signed by a keyring signing key; prints the log's verifier key.")
public final class LedgerInitCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;

  @Option(names = "--origin", required = true, paramLabel = "ORIGIN",
      description = "Checkpoint origin, e.g. example.com/hallmark/log (also the signing key's note name).")
  String origin;

  @Option(names = "--signing-key", required = true, paramLabel = "NAME", description = "Keyring signing key for checkpoints.")
  String keyName;

  @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Passphrase of the signing key, from this variable.")
  String passEnv;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    SigningKey key = signingKey(keyName, passEnv);
    NoteVerifierKey v = Ledgers.init(dir, origin, key, keyName);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dir", dir.toString());
      m.put("origin", origin);
      m.put("logKey", v.encode());
      printJson(m);
    } else {
      out().println(v.encode());
      err().println("created an empty log in " + dir + "; publish the verifier key above so others can check it");
    }
    return ExitCodes.OK;
  }
}
