package dev.hallmark.provenance.internal;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;

/** Appends to a {@link Ledger} open in this process; receipts sign a checkpoint when needed. */
public final class LedgerSink implements RecordSink {
  private final Ledger ledger;
  private final Object checkpointLock = new Object();

  public LedgerSink(Ledger ledger) {
    this.ledger = ledger;
  }

  @Override
  public String origin() {
    return ledger.origin();
  }

  @Override
  public long append(Record record) throws HallmarkException, InterruptedException {
    return ledger.append(record);
  }

  @Override
  public Receipt receipt(long index) throws HallmarkException {
    try (LedgerSnapshot snap = ledger.snapshot()) {
      if (Long.compareUnsigned(index, snap.size()) < 0) {
        return snap.receipt(index);
      }
    }
    synchronized (checkpointLock) {
      ledger.checkpoint();
    }
    try (LedgerSnapshot snap = ledger.snapshot()) {
      if (Long.compareUnsigned(index, snap.size()) >= 0) {
        throw new LedgerException("entry " + index + " is not in the ledger's latest checkpoint (size " + snap.size() + ")");
      }
      return snap.receipt(index);
    }
  }
}
