package dev.hallmark.cli.options;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --log-key VKEY|FILE} (repeatable): log verifier keys to trust, as the ledger commands take them. */
public final class TrustedLogKeyOptions {
  @Option(names = "--log-key", paramLabel = "VKEY|FILE",
      description = "Trust this log verifier key (name+id+key as 'ledger init' prints it, or a file holding it); repeatable.")
  public List<String> values = new ArrayList<>();

  public List<NoteVerifierKey> keys() throws HallmarkException, IOException {
    List<NoteVerifierKey> out = new ArrayList<>();
    for (String v : values) {
      out.add(LogKeys.parse(v));
    }
    return out;
  }

  /** The one value given, or null; a usage error when the command takes only one and several were given. */
  public String single() {
    if (values.size() > 1) {
      throw new dev.hallmark.cli.UsageException("--log-key is given " + values.size() + " times; this command takes one");
    }
    return values.isEmpty() ? null : values.get(0);
  }
}
