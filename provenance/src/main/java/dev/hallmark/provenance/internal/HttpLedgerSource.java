package dev.hallmark.provenance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.provenance.LedgerHit;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import java.io.IOException;
import java.net.URI;
import dev.hallmark.core.http.HttpCaller;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Lookups against a served ledger ({@code hallmark serve}): {@code POST /api/v1/ledger/lookup}
 * returns records with their receipts, which the verifier checks itself; nothing the server says is
 * trusted.
 */
public final class HttpLedgerSource extends RemoteSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  public HttpLedgerSource(URI base) {
    super(base);
  }

  /** The log key the server announces ({@code GET /api/v1/ledger/info}); trust it only if pinned. */
  public NoteVerifierKey announcedLogKey() throws LedgerException {
    JsonNode n = call(HttpSink.send(() -> http.get("api/v1/ledger/info")));
    try {
      return NoteVerifierKey.parse(n.path("logKey").asText(""));
    } catch (IllegalArgumentException e) {
      throw new LedgerException(base + ": the server's log key is not a valid verifier key (" + e.getMessage() + ")");
    }
  }

  @Override
  public List<LedgerHit> bySha256(String sha256Hex) throws LedgerException {
    ObjectNode q = JSON.createObjectNode().put("sha256", sha256Hex);
    return lookup(q);
  }

  @Override
  public List<LedgerHit> byImageHash(String hashHex, int maxDistance) throws LedgerException {
    return lookup(JSON.createObjectNode().put("imageHash", hashHex).put("maxDistance", maxDistance));
  }

  @Override
  public List<LedgerHit> byMinHash(int[] minHash, double minJaccard) throws LedgerException {
    ObjectNode q = JSON.createObjectNode().put("minJaccard", minJaccard);
    ArrayNode a = q.putArray("minHash");
    for (int v : minHash) {
      a.add(Integer.toUnsignedLong(v));
    }
    return lookup(q);
  }

  @Override
  public List<LedgerHit> byWatermark(String keyId, String payloadHex, int limit) throws LedgerException {
    ObjectNode q = JSON.createObjectNode().put("keyId", keyId).put("limit", limit);
    if (payloadHex != null) {
      q.put("payload", payloadHex);
    }
    return lookup(q);
  }

  @Override
  public List<LedgerHit> byWatermarkAndText(String keyId, int[] minHash, double minJaccard, int limit) throws LedgerException {
    ObjectNode q = JSON.createObjectNode().put("keyId", keyId).put("minJaccard", minJaccard).put("limit", limit);
    ArrayNode a = q.putArray("minHash");
    for (int v : minHash) {
      a.add(Integer.toUnsignedLong(v));
    }
    return lookup(q);
  }

  private List<LedgerHit> lookup(ObjectNode query) throws LedgerException {
    JsonNode n = call(HttpSink.send(() -> http.post("api/v1/ledger/lookup", "application/json",
        query.toString().getBytes(StandardCharsets.UTF_8))));
    List<LedgerHit> out = new ArrayList<>();
    for (JsonNode h : n.path("hits")) {
      Receipt r;
      try {
        r = Receipt.parse(h.path("receipt").asText(""));
      } catch (IllegalArgumentException e) {
        throw new LedgerException(base + ": the server returned a malformed receipt (" + e.getMessage() + ")");
      }
      byte[] entry = r.entry();
      if (entry == null) {
        throw new LedgerException(base + ": the server returned a receipt without its log entry");
      }
      out.add(new LedgerHit(r.index(), Record.parse(entry), r, h.path("similarity").asDouble(0), h.path("distance").asInt(-1)));
    }
    return out;
  }

  private JsonNode call(HttpCaller.Reply resp) throws LedgerException {
    if (resp.status() != 200) {
      throw new LedgerException(base + ": ledger lookup failed with HTTP " + resp.status() + ": " + resp.snippet());
    }
    try {
      return JSON.readTree(resp.body());
    } catch (IOException e) {
      throw new LedgerException(base + ": the server's answer is not JSON");
    }
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  @Override
  public void close() {}
}
