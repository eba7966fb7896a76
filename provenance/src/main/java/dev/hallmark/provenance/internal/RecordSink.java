package dev.hallmark.provenance.internal;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;

/** Where a tagger appends records: a ledger open in this process, or a ledger server. */
public interface RecordSink {
  String origin() throws HallmarkException;

  long append(Record record) throws HallmarkException, InterruptedException;

  /** The receipt of entry {@code index} once a checkpoint includes it. */
  Receipt receipt(long index) throws HallmarkException;
}
