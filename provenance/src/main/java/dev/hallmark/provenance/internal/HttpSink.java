package dev.hallmark.provenance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Appends signed records to a ledger server ({@code hallmark ledger serve}): {@code POST /add} with
 * the bearer token, then {@code GET /prove?index=N} once the server's periodic checkpoint includes
 * the entry. The token never appears in messages.
 */
public final class HttpSink implements RecordSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RECEIPT_WAIT = Duration.ofSeconds(30);

  private final URI base;
  private final String token;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public HttpSink(URI base, String token) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.token = token;
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b) throws LedgerException {
    try {
      return client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new LedgerException(base + ": cannot reach the ledger server (" + e.getMessage() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerException(base + ": interrupted while waiting for the ledger server", e);
    }
  }

  private static String text(HttpResponse<byte[]> r) {
    byte[] b = r.body();
    return new String(b, 0, Math.min(b.length, 400), StandardCharsets.UTF_8).replace('\n', ' ');
  }

  @Override
  public String origin() throws LedgerException {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("checkpoint")).GET());
    if (r.statusCode() != 200) {
      throw new LedgerException(base + "checkpoint: HTTP " + r.statusCode() + " (is this a 'hallmark ledger serve' URL?)");
    }
    String s = new String(r.body(), StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    if (nl <= 0) {
      throw new LedgerException(base + "checkpoint: not a signed checkpoint");
    }
    return s.substring(0, nl);
  }

  @Override
  public long append(Record record) throws HallmarkException {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("add"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(record.toString())));
    if (r.statusCode() != 200) {
      throw new LedgerException(base + "add: the ledger server refused the record with HTTP " + r.statusCode() + ": " + text(r));
    }
    try {
      JsonNode n = JSON.readTree(r.body());
      return n.get("indices").get(0).asLong();
    } catch (IOException | NullPointerException e) {
      throw new LedgerException(base + "add: unexpected answer: " + text(r));
    }
  }

  @Override
  public Receipt receipt(long index) throws HallmarkException {
    long deadline = System.nanoTime() + RECEIPT_WAIT.toNanos();
    while (true) {
      HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("prove?index=" + index)).GET());
      if (r.statusCode() == 200) {
        try {
          return Receipt.parse(new String(r.body(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new LedgerException(base + "prove: malformed receipt (" + e.getMessage() + ")");
        }
      }
      if (System.nanoTime() > deadline) {
        throw new LedgerException(base + "prove: no receipt for entry " + index + " after " + RECEIPT_WAIT.toSeconds()
            + " s (HTTP " + r.statusCode() + ": " + text(r) + "); the record is durable, fetch its receipt later");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerException("interrupted while waiting for the receipt of entry " + index, e);
      }
    }
  }
}
