package dev.hallmark.provenance;

import dev.hallmark.ledger.Record;

/**
 * What tagging produced: the output bytes (the tagged image, or the text's UTF-8 bytes), its format
 * ({@code png}, {@code jpeg} or {@code text}), the signed record, its index in the log, and for
 * images the provenance reference embedded in the metadata (null for text). Immutable.
 *
 * @param transparencyLost the input image has transparent pixels and the output is a JPEG, which
 *     has no transparency: they are shown on white
 */
public record TagResult(byte[] output, String format, Record record, long index, ProvenanceReference reference,
    MarkCheck markCheck, boolean transparencyLost) {
  /**
   * How the image watermark reads back from the written file, under the tagging key at alpha 1e-6:
   * small, flat or dark images (and CMYK ink carried mostly by K) can hold a mark too weak to detect,
   * or to carry its payload, which the tagger's caller should hear about.
   *
   * @param detected the key's mark is detected at p <= 1e-6
   * @param pValue the detection's family-wise p-value
   * @param payloadRecovered the payload read back is the one embedded (what the ledger's payload look-up needs)
   */
  public record MarkCheck(boolean detected, double pValue, boolean payloadRecovered) {
    /** True when the mark is detected and carries its payload. */
    public boolean ok() {
      return detected && payloadRecovered;
    }

    /** As JSON: {@code detected}, {@code pValue}, {@code payloadRecovered}. */
    public java.util.Map<String, Object> toMap() {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("detected", detected);
      m.put("pValue", pValue);
      m.put("payloadRecovered", payloadRecovered);
      return m;
    }
  }

  public TagResult {
    output = output.clone();
  }

  /** A result with no image mark to check (text). */
  public TagResult(byte[] output, String format, Record record, long index, ProvenanceReference reference) {
    this(output, format, record, index, reference, null);
  }

  /** A result that lost no transparency. */
  public TagResult(byte[] output, String format, Record record, long index, ProvenanceReference reference,
      MarkCheck markCheck) {
    this(output, format, record, index, reference, markCheck, false);
  }

  /** How the image watermark reads back from the output; empty for text. */
  public java.util.Optional<MarkCheck> imageMarkCheck() {
    return java.util.Optional.ofNullable(markCheck);
  }

  @Override
  public byte[] output() {
    return output.clone();
  }
}
