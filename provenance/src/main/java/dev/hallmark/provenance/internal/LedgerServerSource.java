package dev.hallmark.provenance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.provenance.LedgerHit;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import java.io.IOException;
import java.net.URI;
import dev.hallmark.core.http.HttpCaller;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lookups against a ledger server ({@code hallmark ledger serve}): {@code GET /lookup?sha256=} and
 * {@code ?imageHash=}, {@code POST /lookup} by MinHash, receipts from {@code GET /prove?index=N}. That
 * API has no lookup by watermark key or payload, so those return nothing (the perceptual hash and
 * exact hash still find images). Nothing the server says is trusted: receipts are checked by the
 * verifier.
 */
public final class LedgerServerSource extends RemoteSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LedgerServerSource(URI base) {
    super(base);
  }

  private List<LedgerHit> hits(HttpCaller.Reply r) throws LedgerException {
    if (r.status() != 200) {
      throw new LedgerException(base + "lookup: HTTP " + r.status() + ": " + r.snippet());
    }
    JsonNode arr;
    try {
      arr = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new LedgerException(base + "lookup: the answer is not JSON");
    }
    List<LedgerHit> out = new ArrayList<>();
    for (JsonNode h : arr) {
      long index = h.path("index").asLong(-1);
      HttpCaller.Reply p = HttpSink.send(() -> http.get("prove?index=" + index));
      if (p.status() != 200) {
        throw new LedgerException(base + "prove?index=" + index + ": HTTP " + p.status());
      }
      Receipt receipt;
      try {
        receipt = Receipt.parse(new String(p.body(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new LedgerException(base + "prove?index=" + index + ": malformed receipt (" + e.getMessage() + ")");
      }
      byte[] entry = receipt.entry();
      Record record = entry != null ? Record.parse(entry) : Record.parse(h.path("record").toString().getBytes(StandardCharsets.UTF_8));
      out.add(new LedgerHit(index, record, receipt, h.path("similarity").asDouble(0), h.path("distance").asInt(-1)));
    }
    return out;
  }

  @Override
  public List<LedgerHit> bySha256(String sha256Hex) throws LedgerException {
    return hits(HttpSink.send(() -> http.get("lookup?sha256=" + sha256Hex)));
  }

  @Override
  public List<LedgerHit> byImageHash(String hashHex, int maxDistance) throws LedgerException {
    return hits(HttpSink.send(() -> http.get("lookup?imageHash=" + hashHex + "&maxDistance=" + maxDistance + "&limit=10")));
  }

  @Override
  public List<LedgerHit> byMinHash(int[] minHash, double minJaccard) throws LedgerException {
    ObjectNode q = JSON.createObjectNode().put("minJaccard", minJaccard).put("limit", 10);
    ArrayNode a = q.putArray("textMinHash");
    for (int v : minHash) {
      a.add(Integer.toUnsignedLong(v));
    }
    return hits(HttpSink.send(() -> http.post("lookup", "application/json", q.toString().getBytes(StandardCharsets.UTF_8))));
  }

  @Override
  public List<LedgerHit> byWatermark(String keyId, String payloadHex, int limit) {
    return List.of();
  }

  @Override
  public List<LedgerHit> byWatermarkAndText(String keyId, int[] minHash, double minJaccard, int limit) throws LedgerException {
    List<LedgerHit> out = new ArrayList<>();
    for (LedgerHit h : byMinHash(minHash, minJaccard)) {
      if (keyId.equals(h.record().watermarkKeyId().orElse(null)) && out.size() < limit) {
        out.add(h);
      }
    }
    return out;
  }

  @Override
  public void close() {}
}
