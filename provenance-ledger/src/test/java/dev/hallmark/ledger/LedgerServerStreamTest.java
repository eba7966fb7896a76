package dev.hallmark.ledger;

import static dev.hallmark.ledger.TestRecords.LOG_KEY;
import static dev.hallmark.ledger.TestRecords.ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #20: a streamed {@code POST /add} ({@code Accept: application/x-ndjson}) acknowledges each
 * record while the request body is still arriving, answers retries with the existing index, and ends
 * with a final line that says what landed.
 */
class LedgerServerStreamTest {
  @TempDir Path tmp;
  static final String TOKEN = "0123456789abcdef-test-token";
  static final ObjectMapper JSON = new ObjectMapper();

  /** A streamed add of {@code body}, read whole (Java's client reads the answer after the body). */
  static HttpResponse<String> streamAdd(LedgerServer s, String body) throws Exception {
    return HttpClient.newHttpClient().send(streamRequest(s, body), HttpResponse.BodyHandlers.ofString());
  }

  static HttpRequest streamRequest(LedgerServer s, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/add"))
        .header("Authorization", "Bearer " + TOKEN).header("Accept", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static String line(Record r) throws LedgerException {
    return new String(r.entryBytes(), StandardCharsets.UTF_8) + "\n";
  }

  @Test
  void acknowledgesEachRecordBeforeTheBodyEnds() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().build());
        LedgerServer s = LedgerServer.start(l, dir, new InetSocketAddress("127.0.0.1", 0), TOKEN, LedgerServer.Limits.DEFAULT);
        Socket sock = new Socket("127.0.0.1", s.port())) {
      sock.setSoTimeout(60_000);
      OutputStream o = sock.getOutputStream();
      ChunkedLines in = new ChunkedLines(new BufferedInputStream(sock.getInputStream()));
      o.write(("POST /add HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nAccept: application/x-ndjson\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      for (int i = 0; i < 5; i++) {
        chunk(o, line(TestRecords.simple(i)));
        if (i == 0) {
          assertEquals(200, in.status());
          assertEquals("chunked", in.header("transfer-encoding"));
          assertTrue(in.header("content-type").startsWith("application/x-ndjson"), in.header("content-type"));
        }
        // The body is still open: this acknowledgement can only come from a durable group commit of
        // the records sent so far.
        JsonNode ack = JSON.readTree(in.nextLine());
        assertEquals(i + 1, ack.get("line").asInt(), ack.toString());
        assertEquals(i, ack.get("index").asLong(), ack.toString());
        assertNull(ack.get("existing"));
      }
      chunk(o, "\n" + line(TestRecords.simple(2))); // a blank line, then a retry of record 2
      JsonNode retry = JSON.readTree(in.nextLine());
      assertEquals(7, retry.get("line").asInt(), retry.toString());
      assertEquals(2, retry.get("index").asLong());
      assertTrue(retry.get("existing").asBoolean());
      o.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      JsonNode done = JSON.readTree(in.nextLine());
      assertTrue(done.get("done").asBoolean(), done.toString());
      assertEquals(6, done.get("records").asLong());
      assertEquals(1, done.get("existing").asLong());
      assertNull(in.nextLine(), "the final chunk ends the response");
      assertTrue(in.complete);
      assertEquals(5, l.checkpoint().size());
    }
  }

  @Test
  void aClientThatGoesAwayStopsItsStreamAndLeavesNothingRunning() throws Exception {
    long before = acknowledgers(); // of other tests in this JVM, if any
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().build());
        LedgerServer s = LedgerServer.start(l, dir, new InetSocketAddress("127.0.0.1", 0), TOKEN, LedgerServer.Limits.DEFAULT)) {
      for (int round = 0; round < 3; round++) {
        try (Socket sock = new Socket("127.0.0.1", s.port())) {
          sock.setSoTimeout(60_000);
          OutputStream o = sock.getOutputStream();
          ChunkedLines in = new ChunkedLines(new BufferedInputStream(sock.getInputStream()));
          o.write(("POST /add HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\nAccept: application/x-ndjson\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          chunk(o, line(TestRecords.simple(round)));
          assertEquals(round, JSON.readTree(in.nextLine()).get("index").asLong());
          o.write("1f\r\n{\"kind\":\"text\",".getBytes(StandardCharsets.ISO_8859_1)); // half a chunk, then gone
          o.flush();
        }
      }
      // Each stream's acknowledgement thread ends with it: a long-running server does not collect them.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (acknowledgers() > before && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(before, acknowledgers(), "acknowledgement threads left running");
      String next = streamAdd(s, line(TestRecords.simple(0)) + line(TestRecords.simple(7))).body();
      assertTrue(next.contains("\"existing\":true") && next.contains("{\"line\":2,\"index\":3}")
          && next.contains("\"done\":true"), next);
    }
  }

  static long acknowledgers() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("hallmark-ledger-acks")).count();
  }

  @Test
  void aBadLineEndsTheStreamWithWhatLanded() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().build());
        LedgerServer s = LedgerServer.start(l, dir, new InetSocketAddress("127.0.0.1", 0), TOKEN, LedgerServer.Limits.DEFAULT)) {
      String body = line(TestRecords.simple(0)) + line(TestRecords.simple(1)) + "{not json\n" + line(TestRecords.simple(3));
      HttpResponse<String> r = streamAdd(s, body);
      assertEquals(200, r.statusCode(), r.body());
      List<JsonNode> lines = new ArrayList<>();
      for (String x : r.body().split("\n")) {
        lines.add(JSON.readTree(x));
      }
      assertEquals(3, lines.size(), r.body());
      assertEquals(0, lines.get(0).get("index").asLong());
      assertEquals(1, lines.get(1).get("index").asLong());
      JsonNode err = lines.get(2).get("error");
      assertEquals(400, err.get("status").asInt(), r.body());
      assertTrue(err.get("message").asText().startsWith("line 3: "), err.toString());
      assertEquals(2, err.get("acknowledged").asLong());
      assertFalse(err.get("mayHaveLanded").asBoolean());
      assertEquals(2, l.checkpoint().size(), "nothing after the bad line is appended");
      // A record with a broken signature rejects its chunk, named by its lines.
      ObjectMapper m = new ObjectMapper();
      com.fasterxml.jackson.databind.node.ObjectNode forged = (com.fasterxml.jackson.databind.node.ObjectNode)
          m.readTree(TestRecords.simple(9).entryBytes());
      forged.put("model", "forged-" + forged.path("model").asText());
      HttpResponse<String> f = streamAdd(s, m.writeValueAsString(forged) + "\n");
      JsonNode fe = JSON.readTree(f.body().strip()).get("error");
      assertEquals(400, fe.get("status").asInt(), f.body());
      assertTrue(fe.get("message").asText().startsWith("a record in lines 1-1 was rejected"), fe.toString());
      assertEquals(2, l.checkpoint().size());
    }
  }

  @Test
  void wholeBodyAddKeepsItsLimit() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().build());
        LedgerServer s = LedgerServer.start(l, dir, new InetSocketAddress("127.0.0.1", 0), TOKEN,
            new LedgerServer.Limits(2048, 10, 2))) {
      HttpClient c = HttpClient.newHttpClient();
      StringBuilder big = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        big.append(line(TestRecords.simple(i)));
      }
      assertTrue(big.length() > 2048, "" + big.length());
      HttpResponse<String> whole = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/add"))
          .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(big.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, whole.statusCode(), whole.body());
      assertTrue(whole.body().contains("application/x-ndjson"), whole.body());
      // The same body streamed: each record is under the per-record limit, and the whole is not limited.
      HttpResponse<String> streamed = streamAdd(s, big.toString());
      String[] lines = streamed.body().split("\n");
      assertEquals(11, lines.length, streamed.body());
      assertTrue(JSON.readTree(lines[10]).get("done").asBoolean());
      assertEquals(10, l.checkpoint().size());
      HttpResponse<String> tooLong = streamAdd(s, line(TestRecords.simple(20)) + "x".repeat(5000) + "\n");
      String[] tl = tooLong.body().split("\n");
      assertEquals(2, tl.length, tooLong.body());
      JsonNode e = JSON.readTree(tl[1]).get("error");
      assertEquals(413, e.get("status").asInt());
      assertTrue(e.get("message").asText().startsWith("line 2 is over the limit of 2048 bytes"), e.toString());
      assertEquals(1, e.get("acknowledged").asLong());
    }
  }

  @Test
  void storageFaultIsAn503LineAndTheNextStreamRecovers() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    Path blocker = dir.resolve("tile");
    java.nio.file.Files.writeString(blocker, "a file where the tile folder goes"); // checkpoints fail until removed
    try (dev.hallmark.ledger.internal.LedgerImpl l = (dev.hallmark.ledger.internal.LedgerImpl) Ledgers.open(dir, LOG_KEY,
            LedgerOptions.builder().autoCheckpoint(java.time.Duration.ofMillis(10)).build());
        LedgerServer s = LedgerServer.start(l, dir, new InetSocketAddress("127.0.0.1", 0), TOKEN, LedgerServer.Limits.DEFAULT)) {
      String first = streamAdd(s, line(TestRecords.simple(0))).body();
      assertTrue(first.endsWith("{\"done\":true,\"records\":1,\"existing\":0,\"durable\":true}\n"), first);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (l.backgroundFailure() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      String failed = streamAdd(s, line(TestRecords.simple(1))).body();
      JsonNode e = JSON.readTree(failed.strip()).get("error");
      assertEquals(503, e.get("status").asInt(), failed);
      assertEquals(0, e.get("acknowledged").asLong(), failed);
      java.nio.file.Files.delete(blocker);
      String again = null;
      while (System.nanoTime() < deadline) {
        again = streamAdd(s, line(TestRecords.simple(0)) + line(TestRecords.simple(1))).body();
        if (again.contains("\"done\":true")) {
          break;
        }
        assertEquals(503, JSON.readTree(again.strip()).get("error").get("status").asInt(), again);
      }
      String[] lines = again.split("\n");
      assertEquals(3, lines.length, again);
      assertTrue(JSON.readTree(lines[0]).get("existing").asBoolean(), "the retry of record 0 answers with its index");
      assertEquals(1, JSON.readTree(lines[1]).get("index").asLong());
    }
  }

  @Test
  void concurrentStreamsEachGetTheirOwnIndicesOnce() throws Exception {
    Path dir = tmp.resolve("log");
    Ledgers.init(dir, ORIGIN, LOG_KEY, "log");
    int streams = 4;
    int per = 300;
    try (Ledger l = Ledgers.open(dir, LOG_KEY, LedgerOptions.builder().build());
        LedgerServer s = LedgerServer.start(l, dir, new InetSocketAddress("127.0.0.1", 0), TOKEN, LedgerServer.Limits.DEFAULT)) {
      HttpClient c = HttpClient.newHttpClient();
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int k = 0; k < streams; k++) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < per; i++) {
          body.append(line(TestRecords.simple(k * per + i)));
        }
        answers.add(c.sendAsync(streamRequest(s, body.toString()), HttpResponse.BodyHandlers.ofString()));
      }
      java.util.Map<Long, String> told = new java.util.HashMap<>();
      for (int k = 0; k < streams; k++) {
        String[] lines = answers.get(k).get(120, java.util.concurrent.TimeUnit.SECONDS).body().split("\n");
        assertEquals(per + 1, lines.length);
        for (int i = 0; i < per; i++) {
          JsonNode a = JSON.readTree(lines[i]);
          assertEquals(i + 1, a.get("line").asInt(), "in input order");
          assertNull(told.put(a.get("index").asLong(), TestRecords.simple(k * per + i).contentSha256()),
              "an index answered twice: " + a);
        }
        assertTrue(JSON.readTree(lines[per]).get("done").asBoolean());
      }
      assertEquals(streams * per, told.size());
      assertEquals(streams * per, l.checkpoint().size());
      try (LedgerSnapshot snap = l.snapshot()) {
        for (java.util.Map.Entry<Long, String> e : told.entrySet()) {
          assertEquals(e.getValue(), snap.get(e.getKey()).contentSha256(), "record at the index its stream was told");
        }
      }
    }
  }

  static void chunk(OutputStream o, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    o.write(b);
    o.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    o.flush();
  }

  /** Reads a chunked HTTP response from a raw socket, line by line of its body. */
  static final class ChunkedLines {
    private final InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status;
    private final java.util.Map<String, String> headers = new java.util.HashMap<>();
    private boolean headRead;
    boolean complete;

    ChunkedLines(InputStream in) {
      this.in = in;
    }

    int status() throws IOException {
      head();
      return status;
    }

    String header(String name) throws IOException {
      head();
      return headers.get(name);
    }

    private void head() throws IOException {
      if (headRead) {
        return;
      }
      headRead = true;
      String first = raw();
      status = Integer.parseInt(first.split(" ")[1]);
      String h;
      while (!(h = raw()).isEmpty()) {
        int c = h.indexOf(':');
        headers.put(h.substring(0, c).strip().toLowerCase(java.util.Locale.ROOT), h.substring(c + 1).strip());
      }
    }

    /** The next body line, or null when the response ended. */
    String nextLine() throws IOException {
      head();
      while (true) {
        byte[] b = body.toByteArray();
        for (int i = 0; i < b.length; i++) {
          if (b[i] == '\n') {
            String line = new String(b, 0, i, StandardCharsets.UTF_8);
            body.reset();
            body.write(b, i + 1, b.length - i - 1);
            return line;
          }
        }
        if (complete) {
          return null;
        }
        int size = Integer.parseInt(raw().strip(), 16);
        if (size == 0) {
          raw(); // the empty line after the last chunk
          complete = true;
          continue;
        }
        byte[] data = in.readNBytes(size);
        if (data.length < size) {
          throw new IOException("response ended inside a chunk");
        }
        body.write(data);
        raw();
      }
    }

    private String raw() throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          throw new IOException("connection closed (incomplete response)");
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }
  }
}
