package dev.hallmark.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.Hex;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Record;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier's lookup by watermark payload against a real on-disk ledger: among 1,500 records of
 * one key it returns exactly the record carrying the payload, and only once a signed checkpoint
 * covers it.
 */
class PayloadLookupTest {
  static final long SEED = 20261125L;
  @TempDir Path tmp;

  static Record record(SigningKey producer, String keyId, String payload, int i) throws Exception {
    ObjectNode wm = JsonNodeFactory.instance.objectNode().put("scheme", "image-tss").put("keyId", keyId).put("payload", payload);
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(("image " + i).getBytes());
    return Record.builder().kind("image").contentSha256(Hex.encode(sha)).model("painter").watermark(wm).build().sign(producer);
  }

  @Test
  void payloadLookupFindsExactlyItsRecordWithinTheCheckpoint() throws Exception {
    System.out.println("PayloadLookupTest seed=" + SEED);
    Random r = new Random(SEED);
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    SigningKey logKey = SigningKey.fromSeed("log", seed);
    r.nextBytes(seed);
    SigningKey producer = SigningKey.fromSeed("ops", seed);
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, "test.hallmark.dev/payloads", logKey, "log");
    String key = "d14dbcf47c924f28";
    List<String> payloads = new ArrayList<>();
    try (Ledger l = Ledgers.open(dir, logKey, LedgerOptions.DEFAULT)) {
      List<Record> rs = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        byte[] p = new byte[8];
        r.nextBytes(p);
        payloads.add(Hex.encode(p));
        rs.add(record(producer, key, payloads.get(i), i));
      }
      // The same payload under another key must not be returned for this key.
      rs.add(record(producer, "0000000000000001", payloads.get(700), 1500));
      l.appendAll(rs);
      l.checkpoint();
      try (LedgerSource src = Provenance.ledger(l)) {
        for (int i : new int[] {0, 700, 1499}) {
          List<LedgerHit> hits = src.byWatermark(key, payloads.get(i), 5);
          assertEquals(List.of((long) i), hits.stream().map(LedgerHit::index).toList(), "payload of record " + i);
          assertEquals(payloads.get(i), hits.get(0).record().watermarkPayload().orElseThrow());
          assertEquals(i, hits.get(0).receipt().index());
        }
        assertEquals(List.of(1500L), src.byWatermark("0000000000000001", payloads.get(700), 5).stream().map(LedgerHit::index).toList());
        String late = "00000000deadbeef";
        assertTrue(src.byWatermark(key, late, 5).isEmpty());
        l.append(record(producer, key, late, 1501));
        assertTrue(src.byWatermark(key, late, 5).isEmpty(), "appended but not yet covered by a signed checkpoint");
        l.checkpoint();
        assertEquals(List.of(1501L), src.byWatermark(key, late, 5).stream().map(LedgerHit::index).toList());
        // Without a payload: the key's records, oldest first, up to the limit.
        assertEquals(List.of(0L, 1L, 2L), src.byWatermark(key, null, 3).stream().map(LedgerHit::index).toList());
      }
    }
  }
}
