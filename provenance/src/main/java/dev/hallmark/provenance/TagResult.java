package dev.hallmark.provenance;

import dev.hallmark.ledger.Record;

/**
 * What tagging produced: the output bytes (the tagged image, or the text's UTF-8 bytes), its format
 * ({@code png}, {@code jpeg} or {@code text}), the signed record, its index in the log, and for
 * images the provenance reference embedded in the metadata (null for text). Immutable.
 */
public record TagResult(byte[] output, String format, Record record, long index, ProvenanceReference reference) {
  public TagResult {
    output = output.clone();
  }

  @Override
  public byte[] output() {
    return output.clone();
  }
}
