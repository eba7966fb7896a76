package dev.hallmark.cli.ledger;

import picocli.CommandLine.Command;

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
      LedgerReindexCommand.class, LedgerRecoverWalCommand.class, LedgerServeCommand.class
    })
public final class LedgerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a ledger subcommand is required (init, add, checkpoint, get, lookup, prove, verify, verify-receipt, reindex, recover-wal, serve)");
  }
}
