package dev.hallmark.cli.ledger;

import dev.hallmark.cli.options.TrustedLogKeyOptions;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.Receipt;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code ledger prove}. */
@Command(name = "prove", mixinStandardHelpOptions = true,
    description = {"Print an offline receipt (C2SP tlog-proof carrying the record) for an entry,",
      "or with --consistency-from a consistency proof to the current checkpoint."})
public final class LedgerProveCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin TrustedLogKeyOptions logKeyOption;

  @ArgGroup(exclusive = true, multiplicity = "1")
  ProveKey key;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the receipt to FILE (.tlog-proof) instead of stdout.")
  Path outFile;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    String logKey = logKeyOption.single();
    Receipt r;
    long index;
    try (LedgerSnapshot s = readSnapshot(dir, logKey)) {
      if (key.from != null) {
        if (key.from < 1 || key.from > s.size()) {
          throw new UsageException("--consistency-from must be between 1 and the log size " + s.size());
        }
        dev.hallmark.ledger.ConsistencyProof p = s.consistencyProof(key.from);
        StringBuilder b = new StringBuilder();
        p.hashes().forEach(h -> b.append(java.util.Base64.getEncoder().encodeToString(h)).append('\n'));
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("size1", p.size1());
          m.put("size2", p.size2());
          m.put("root1", java.util.Base64.getEncoder().encodeToString(s.rootHash(p.size1())));
          m.put("root2", java.util.Base64.getEncoder().encodeToString(s.checkpoint().rootHash()));
          m.put("proof", p.hashes().stream().map(h -> java.util.Base64.getEncoder().encodeToString(h)).toList());
          m.put("checkpoint", s.checkpoint().encode());
          printJson(m);
        } else {
          out().print(b);
        }
        return ExitCodes.OK;
      }
      if (key.index != null) {
        if (key.index < 0) {
          throw new UsageException("--index must be 0 or more, not " + key.index);
        }
        index = key.index;
      } else {
        List<Match> ms = s.findBySha256(key.sha);
        if (ms.isEmpty()) {
          err().println("no record with contentSha256 " + key.sha + " in the log");
          return ExitCodes.NEGATIVE;
        }
        index = ms.get(0).index();
      }
      r = s.receipt(index);
    }
    if (outFile != null) {
      dev.hallmark.core.DurableFiles.writeString(outFile, r.encode());
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", index);
      m.put("receipt", r.encode());
      printJson(m);
    } else if (outFile == null) {
      out().print(r.encode());
    } else {
      err().println("wrote receipt for entry " + index + " to " + outFile);
    }
    return ExitCodes.OK;
  }

  /** Index or hash for prove. */
  static final class ProveKey {
    @Option(names = "--index", paramLabel = "N", description = "Entry index.")
    Long index;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Content SHA-256 (the oldest matching record).")
    String sha;

    @Option(names = "--consistency-from", paramLabel = "SIZE",
        description = "Instead: an RFC 6962 consistency proof from tree size SIZE to the current checkpoint (base64 hashes, one a line).")
    Long from;
  }
}
