package dev.hallmark.provenance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.core.http.HttpCallException;
import dev.hallmark.core.http.HttpCaller;
import java.io.IOException;
import java.net.URI;
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
  private final HttpCaller http;

  public HttpSink(URI base, String token) {
    this.http = HttpCaller.to(base).withToken(token);
    this.base = http.base();
  }

  /** Calls the server; a failure to get an answer is a {@link LedgerException}. */
  interface Call {
    HttpCaller.Reply call() throws HttpCallException;
  }

  static HttpCaller.Reply send(Call c) throws LedgerException {
    try {
      return c.call();
    } catch (HttpCallException e) {
      throw new LedgerException(e.getMessage(), e);
    }
  }

  private static String text(HttpCaller.Reply r) {
    return r.snippet();
  }

  @Override
  public String origin() throws LedgerException {
    HttpCaller.Reply r = send(() -> http.get("checkpoint"));
    if (r.status() != 200) {
      throw new LedgerException(base + "checkpoint: HTTP " + r.status() + " (is this a 'hallmark ledger serve' URL?)");
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
    HttpCaller.Reply r = send(() -> http.post("add", "application/json", record.toString().getBytes(StandardCharsets.UTF_8)));
    if (r.status() != 200) {
      throw new LedgerException(base + "add: the ledger server refused the record with HTTP " + r.status() + ": " + text(r));
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
      HttpCaller.Reply r = send(() -> http.get("prove?index=" + index));
      if (r.status() == 200) {
        try {
          return Receipt.parse(new String(r.body(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new LedgerException(base + "prove: malformed receipt (" + e.getMessage() + ")");
        }
      }
      if (System.nanoTime() > deadline) {
        throw new LedgerException(base + "prove: no receipt for entry " + index + " after " + RECEIPT_WAIT.toSeconds()
            + " s (HTTP " + r.status() + ": " + text(r) + "); the record is durable, fetch its receipt later");
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
