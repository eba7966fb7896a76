package dev.hallmark.provenance.internal;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.provenance.LedgerHit;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Offline lookups among receipts the user holds (for example the one written beside a tagged file). */
public final class ReceiptSource implements LedgerSource {
  private final String description;
  private final List<Receipt> receipts;
  private final List<Record> records;

  /** @throws LedgerException if a receipt carries no entry or its entry is not a record */
  public ReceiptSource(String description, List<Receipt> receipts) throws LedgerException {
    this.description = description;
    this.receipts = List.copyOf(receipts);
    List<Record> rs = new ArrayList<>();
    for (Receipt r : receipts) {
      byte[] entry = r.entry();
      if (entry == null) {
        throw new LedgerException(description + ": receipt carries no log entry ('extra' line)");
      }
      rs.add(Record.parse(entry));
    }
    this.records = List.copyOf(rs);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public List<NoteVerifierKey> localLogKeys() {
    return List.of();
  }

  @Override
  public List<LedgerHit> bySha256(String sha256Hex) {
    List<LedgerHit> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      if (records.get(i).contentSha256().equals(sha256Hex)) {
        out.add(hit(i, 1.0, -1));
      }
    }
    return out;
  }

  @Override
  public List<LedgerHit> byImageHash(String hashHex, int maxDistance) {
    List<LedgerHit> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      String h = records.get(i).imageHash().orElse(null);
      if (h != null) {
        int d = hamming(h, hashHex);
        if (d <= maxDistance) {
          out.add(hit(i, 1 - d / 256.0, d));
        }
      }
    }
    out.sort(Comparator.comparingInt(LedgerHit::distance));
    return out;
  }

  @Override
  public List<LedgerHit> byMinHash(int[] minHash, double minJaccard) {
    List<LedgerHit> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      int[] m = records.get(i).textMinHash().orElse(null);
      if (m != null) {
        double s = TextFingerprint.jaccardEstimate(minHash, m);
        if (s >= minJaccard) {
          out.add(hit(i, s, -1));
        }
      }
    }
    out.sort(Comparator.comparingDouble(LedgerHit::similarity).reversed());
    return out;
  }

  @Override
  public List<LedgerHit> byWatermark(String keyId, String payloadHex, int limit) {
    List<LedgerHit> out = new ArrayList<>();
    for (int i = 0; i < records.size() && out.size() < limit; i++) {
      Record r = records.get(i);
      if (keyId.equals(r.watermarkKeyId().orElse(null))
          && (payloadHex == null || payloadHex.equals(SnapshotSource.payloadOf(r).orElse(null)))) {
        out.add(hit(i, 1.0, -1));
      }
    }
    return out;
  }

  @Override
  public List<LedgerHit> byWatermarkAndText(String keyId, int[] minHash, double minJaccard, int limit) {
    List<LedgerHit> out = new ArrayList<>();
    for (LedgerHit h : byMinHash(minHash, minJaccard)) {
      if (keyId.equals(h.record().watermarkKeyId().orElse(null)) && out.size() < limit) {
        out.add(h);
      }
    }
    return out;
  }

  /** Every receipt held, with its record, in the order given. */
  List<LedgerHit> all() {
    List<LedgerHit> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      out.add(hit(i, 0, -1));
    }
    return out;
  }

  private LedgerHit hit(int i, double similarity, int distance) {
    return new LedgerHit(receipts.get(i).index(), records.get(i), receipts.get(i), similarity, distance);
  }

  static int hamming(String a, String b) {
    int d = 0;
    for (int i = 0; i < 64; i++) {
      d += Integer.bitCount(Character.digit(a.charAt(i), 16) ^ Character.digit(b.charAt(i), 16));
    }
    return d;
  }

  @Override
  public void close() {}
}
