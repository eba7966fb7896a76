package dev.hallmark.provenance;

import dev.hallmark.c2pa.ManifestSpec;
import dev.hallmark.core.Hex;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Record;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The manifest-repository side of C2PA soft bindings: a Hallmark image watermark payload is the
 * soft-binding value (algorithm {@link ManifestSpec#HALLMARK_SOFT_BINDING_ALG}, value the 8 payload
 * bytes in standard base64), and the ledger record that payload leads to stores the manifest.
 */
public final class SoftBindings {
  /** The soft-binding algorithm name Hallmark writes and answers for. */
  public static final String ALGORITHM = ManifestSpec.HALLMARK_SOFT_BINDING_ALG;

  private SoftBindings() {}

  /** A match: the ledger record index (Hallmark's manifest id) and the stored manifest's label. */
  public record Match(long recordIndex, String manifestLabel) {}

  /** The soft-binding value of a watermark payload. */
  public static String value(byte[] payload) {
    return Base64.getEncoder().encodeToString(payload);
  }

  /**
   * Records under any of {@code keyIds} whose watermark payload is {@code value} and which store a
   * manifest.
   *
   * @throws IllegalArgumentException when {@code value} is not base64 of an 8-byte payload
   */
  public static List<Match> byBinding(LedgerSource source, List<String> keyIds, String value, int limit)
      throws LedgerException {
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("soft-binding value must be base64 of the 8-byte watermark payload");
    }
    if (payload.length != 8) {
      throw new IllegalArgumentException("soft-binding value must be base64 of the 8-byte watermark payload, got "
          + payload.length + " bytes");
    }
    List<Match> out = new ArrayList<>();
    for (String k : keyIds) {
      for (LedgerHit h : source.byWatermark(k, Hex.encode(payload), limit)) {
        // The hit's record may be an index summary; the receipt carries the full logged entry.
        byte[] entry = h.receipt().entry();
        Record r = entry == null ? h.record() : Record.parse(entry);
        manifestLabel(r).ifPresent(l -> out.add(new Match(h.index(), l)));
      }
    }
    return out;
  }

  /** The manifest store a record holds (attributes.c2pa.manifestStore), if any. */
  public static Optional<byte[]> manifestStore(Record r) {
    String b64 = r.attributes().map(a -> a.path("c2pa").path("manifestStore").asText(null)).orElse(null);
    if (b64 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getDecoder().decode(b64));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Optional<String> manifestLabel(Record r) {
    return r.attributes().map(a -> a.path("c2pa").path("manifestLabel").asText(null));
  }
}
