package dev.hallmark.ledger;

import static dev.hallmark.ledger.TestRecords.LOG_KEY;
import static dev.hallmark.ledger.TestRecords.ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.ledger.internal.LedgerImpl;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /add: idempotent answers, 503 for a storage fault, and recovery once the fault is cleared. */
class LedgerServerFailureTest {
  @TempDir Path tmp;
  static final String TOKEN = "0123456789abcdef-test-token";

  static HttpResponse<String> post(HttpClient c, int port, Record r) throws Exception {
    return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/add"))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(new String(r.entryBytes(), StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void storageFaultIs503AndTheServerRecovers() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    Path blocker = dir.resolve("tile");
    Files.writeString(blocker, "a file where the tile folder goes"); // checkpoints fail until removed
    HttpClient c = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    try (LedgerImpl l = (LedgerImpl) Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().autoCheckpoint(Duration.ofMillis(10)).build());
        LedgerServer s = LedgerServer.start(l, dir, new InetSocketAddress("127.0.0.1", 0), TOKEN, LedgerServer.Limits.DEFAULT)) {
      HttpResponse<String> first = post(c, s.port(), TestRecords.simple(0));
      assertEquals(200, first.statusCode(), first.body());
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (l.backgroundFailure() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      HttpResponse<String> failed = post(c, s.port(), TestRecords.simple(1));
      assertEquals(503, failed.statusCode(), failed.body());
      assertTrue(failed.body().contains("automatic checkpoint failed"), failed.body());
      Files.delete(blocker);
      HttpResponse<String> again = null;
      while (System.nanoTime() < deadline) {
        again = post(c, s.port(), TestRecords.simple(1));
        if (again.statusCode() == 200) {
          break;
        }
        assertEquals(503, again.statusCode(), again.body());
      }
      assertEquals(200, again.statusCode(), again.body());
      JsonNode dup = json.readTree(post(c, s.port(), TestRecords.simple(0)).body());
      assertEquals(0, dup.get("indices").get(0).asInt());
      assertTrue(dup.get("existing").get(0).asBoolean(), dup.toString());
      HttpResponse<String> bad = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/add"))
          .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"text\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode(), bad.body());
    }
  }
}
