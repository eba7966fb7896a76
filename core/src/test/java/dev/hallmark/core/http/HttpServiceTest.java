package dev.hallmark.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpServiceTest {
  private static final String TOKEN = "0123456789abcdef-secret";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static volatile CountDownLatch entered = new CountDownLatch(1);

  private static Routes routes(CountDownLatch hold) {
    return Routes.builder()
        .add(Route.get("/hello", r -> Response.text(200, "hi " + r.query("name"))))
        .add(Route.post("/echo", r -> Response.of(200, "application/octet-stream", r.bodyBytes())).maxBody(1000))
        .add(Route.post("/secret", r -> Response.text(200, "ok")).access(Access.TOKEN))
        .add(Route.post("/maybe", r -> Response.text(200, "auth=" + r.authenticated())).access(Access.OPTIONAL_TOKEN))
        .add(Route.get("/tile/", r -> Response.text(200, r.pathRemainder())).prefix())
        .add(Route.get("/slow", r -> {
          entered.countDown();
          hold.await(30, TimeUnit.SECONDS);
          return Response.text(200, "done");
        }).maxConcurrent(1))
        .add(Route.post("/stream", r -> Response.stream(200, "text/plain", out -> {
          // echoes each line of the body in upper case as soon as it arrives; a line "fail" fails
          java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(), StandardCharsets.UTF_8));
          String line;
          while ((line = in.readLine()) != null) {
            if (line.equals("fail")) {
              throw new IllegalStateException("writer failed");
            }
            out.write((line.toUpperCase(java.util.Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
          out.write("end\n".getBytes(StandardCharsets.UTF_8));
        })).maxBody(100))
        .add(Route.get("/boom", r -> {
          throw new IllegalStateException("secret detail");
        }))
        .build();
  }

  private static HttpService start(HttpSettings.Builder b, CountDownLatch hold) throws IOException {
    return HttpService.start(b.port(0).build(), routes(hold));
  }

  private static HttpResponse<String> get(HttpService s, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(s.url() + path.substring(1))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(HttpService s, String path, String auth, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path.substring(1))).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesAnswerWithSecurityHeadersAndJsonErrors() throws Exception {
    java.util.List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    try (HttpService s = start(HttpSettings.builder().errorLog(log::add), new CountDownLatch(0))) {
      HttpResponse<String> r = get(s, "/hello?name=a%20b");
      assertEquals(200, r.statusCode());
      assertEquals("hi a b", r.body());
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
      assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
      assertTrue(r.headers().firstValue("Content-Security-Policy").isPresent());
      HttpResponse<String> nf = get(s, "/nope");
      assertEquals(404, nf.statusCode());
      assertTrue(nf.body().startsWith("{\"error\":{\"status\":404,\"code\":\"not-found\""), nf.body());
      assertEquals("nosniff", nf.headers().firstValue("X-Content-Type-Options").orElse(null));
      HttpResponse<String> m = post(s, "/hello", null, "x");
      assertEquals(405, m.statusCode());
      assertEquals("GET, HEAD", m.headers().firstValue("Allow").orElse(null));
      assertEquals("0/000.p/1", get(s, "/tile/0/000.p/1").body());
      HttpResponse<String> boom = get(s, "/boom");
      assertEquals(500, boom.statusCode());
      assertTrue(!boom.body().contains("secret detail"), boom.body());
      // The client sees the class at most; the operator's log has the cause (the servers logged nothing).
      assertEquals(1, log.size(), log.toString());
      assertTrue(log.get(0).contains(" 500 GET /boom failed: IllegalStateException: secret detail"), log.get(0));
    }
  }

  @Test
  void oneBearerRuleFor401And403() throws Exception {
    try (HttpService s = start(HttpSettings.builder().token(TOKEN), new CountDownLatch(0))) {
      HttpResponse<String> none = post(s, "/secret", null, "");
      assertEquals(401, none.statusCode());
      assertEquals("Bearer realm=\"hallmark\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
      HttpResponse<String> wrong = post(s, "/secret", "Bearer " + TOKEN + "x", "");
      assertEquals(401, wrong.statusCode());
      assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
      assertEquals(401, post(s, "/secret", "Basic abc", "").statusCode());
      assertEquals(200, post(s, "/secret", "Bearer " + TOKEN, "").statusCode());
      assertEquals(200, post(s, "/secret", "bearer   " + TOKEN + "  ", "").statusCode());
      assertEquals("auth=false", post(s, "/maybe", null, "").body());
      assertEquals("auth=true", post(s, "/maybe", "Bearer " + TOKEN, "").body());
      assertEquals(401, post(s, "/maybe", "Bearer nope-nope-nope-nope", "").statusCode());
    }
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0))) {
      assertEquals(403, post(s, "/secret", "Bearer " + TOKEN, "").statusCode());
      assertEquals("auth=false", post(s, "/maybe", "Bearer " + TOKEN, "").body());
    }
  }

  @Test
  void bodyLimitsHoldForDeclaredAndChunkedBodies() throws Exception {
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0))) {
      assertEquals("abc", post(s, "/echo", null, "abc").body());
      HttpResponse<String> big = post(s, "/echo", null, "x".repeat(1001));
      assertEquals(413, big.statusCode());
      HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(URI.create(s.url() + "echo"))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[5000]))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, chunked.statusCode());
      HttpResponse<String> small = CLIENT.send(HttpRequest.newBuilder(URI.create(s.url() + "echo"))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("chunky".getBytes(StandardCharsets.UTF_8))))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("chunky", small.body());
    }
  }

  @Test
  void streamedResponseIsSentWhileTheBodyArrives() throws Exception {
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0)); Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(10_000);
      OutputStream o = c.getOutputStream();
      InputStream in = c.getInputStream();
      o.write("POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200") && head.contains("Transfer-Encoding: chunked") && head.contains("nosniff"), head);
      assertEquals("6\r\nHELLO\n\r\n", new String(in.readNBytes(11), StandardCharsets.ISO_8859_1), "answered before the body ended");
      o.write("6\r\nworld\n\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      assertEquals("6\r\nWORLD\n\r\n4\r\nend\n\r\n0\r\n\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1),
          "then the final chunk, and the connection closes");
    }
    // curl -T - sends Expect: 100-continue: the interim answer comes before the streamed head.
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0)); Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(10_000);
      OutputStream o = c.getOutputStream();
      InputStream in = c.getInputStream();
      o.write("POST /stream HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
          .getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      assertTrue(readHead(in).startsWith("HTTP/1.1 100 Continue"));
      assertTrue(readHead(in).startsWith("HTTP/1.1 200"));
      o.write("3\r\nab\n\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      assertEquals("3\r\nAB\n\r\n4\r\nend\n\r\n0\r\n\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }
    // HTTP/1.0 knows no chunks: the bytes as they are, ended by the close.
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0)); Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(10_000);
      c.getOutputStream().write("POST /stream HTTP/1.0\r\nContent-Length: 2\r\n\r\nx\n".getBytes(StandardCharsets.ISO_8859_1));
      String r = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(r.startsWith("HTTP/1.1 200") && !r.contains("Transfer-Encoding") && r.endsWith("\r\n\r\nX\nend\n"), r);
    }
    // A client that reads the answer whole gets every line.
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0))) {
      HttpResponse<String> ok = post(s, "/stream", null, "a\nb\n");
      assertEquals("A\nB\nend\n", ok.body());
    }
    // A writer that fails after the head was sent: the client sees an incomplete response, not a complete wrong one.
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0)); Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(10_000);
      c.getOutputStream().write("POST /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\nok\nfail\n".getBytes(StandardCharsets.ISO_8859_1));
      String r = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(r.startsWith("HTTP/1.1 200") && r.endsWith("3\r\nOK\n\r\n"), r);
    }
    assertThrows(IOException.class, () -> {
      try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0))) {
        post(s, "/stream", null, "ok\nfail\n");
      }
    });
  }

  @Test
  void rawProtocolKeepAliveContinueAndSmuggling() throws Exception {
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0)); Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(10_000);
      OutputStream o = c.getOutputStream();
      o.write(("GET /hello?name=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /hello?name=2 HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      String two = readResponses(c.getInputStream(), 2);
      assertTrue(two.contains("hi 1") && two.contains("hi 2"), two);
      o.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      String cont = readHead(c.getInputStream());
      assertTrue(cont.startsWith("HTTP/1.1 100 Continue"), cont);
      o.write("xyz".getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      assertTrue(readResponses(c.getInputStream(), 1).endsWith("xyz"));
    }
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0)); Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(10_000);
      c.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String r = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(r.startsWith("HTTP/1.1 400"), r);
    }
    // A bad chunk size: the 400 came only after the request timeout (120 s), because draining the
    // rest of the body took the next line, "abc", as a chunk size and waited for 2,748 bytes.
    try (HttpService s = start(HttpSettings.builder(), new CountDownLatch(0)); Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(5_000);
      c.getOutputStream().write(("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      String r = new String(c.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(r.startsWith("HTTP/1.1 400") && r.contains("chunk size"), r);
    }
  }

  @Test
  void slowHeaderClientsDoNotBlockOthersAndAreCut() throws Exception {
    HttpSettings.Builder b = HttpSettings.builder().workers(2).headerTimeout(Duration.ofSeconds(2));
    List<Socket> slow = new ArrayList<>();
    try (HttpService s = start(b, new CountDownLatch(0))) {
      for (int i = 0; i < 20; i++) {
        Socket c = new Socket("127.0.0.1", s.port());
        c.getOutputStream().write("GET /hello HTTP/1.1\r\nX-a: 1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        c.getOutputStream().flush();
        slow.add(c);
      }
      // 20 clients in the middle of their headers hold no worker: a normal request is served.
      HttpResponse<String> r = get(s, "/hello?name=ok");
      assertEquals(200, r.statusCode());
      // and every slow client is cut by the header timeout, though it keeps sending
      for (Socket c : slow) {
        c.setSoTimeout(30_000);
        boolean closed = false;
        try {
          for (int i = 0; i < 100 && !closed; i++) {
            c.getOutputStream().write("X-b: 2\r\n".getBytes(StandardCharsets.ISO_8859_1));
            c.getOutputStream().flush();
            closed = c.getInputStream().available() == 0 && waitClosed(c);
          }
        } catch (IOException e) {
          closed = true;
        }
        assertTrue(closed, "a slow header client was never disconnected");
      }
    } finally {
      for (Socket c : slow) {
        c.close();
      }
    }
  }

  private static boolean waitClosed(Socket c) throws IOException {
    c.setSoTimeout(300);
    try {
      return c.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void connectionLimitPerClientAnswers503() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (HttpService s = start(HttpSettings.builder().maxConnectionsPerClient(3), new CountDownLatch(0))) {
      for (int i = 0; i < 3; i++) {
        held.add(new Socket("127.0.0.1", s.port()));
      }
      try (Socket extra = new Socket("127.0.0.1", s.port())) {
        extra.setSoTimeout(10_000);
        String r = new String(extra.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(r.startsWith("HTTP/1.1 503"), r);
        assertTrue(r.contains("too-many-connections"), r);
      }
      assertEquals(1, s.refusedConnections());
      held.forEach(HttpServiceTest::closeQuietly);
      held.clear();
      for (int i = 0; i < 100 && s.openConnections() > 0; i++) {
        Thread.sleep(50);
      }
      assertEquals(200, get(s, "/hello").statusCode());
    } finally {
      held.forEach(HttpServiceTest::closeQuietly);
    }
  }

  @Test
  void expensiveRouteConcurrencyLimitAnswers503WhenFull() throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    entered = new CountDownLatch(1);
    try (HttpService s = start(HttpSettings.builder().queueTimeout(Duration.ofMillis(300)), hold)) {
      java.util.concurrent.CompletableFuture<HttpResponse<String>> first = CLIENT.sendAsync(
          HttpRequest.newBuilder(URI.create(s.url() + "slow")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(entered.await(30, TimeUnit.SECONDS));
      HttpResponse<String> second = get(s, "/slow");
      assertEquals(503, second.statusCode());
      assertEquals("5", second.headers().firstValue("Retry-After").orElse(null));
      assertEquals(200, get(s, "/hello").statusCode());
      hold.countDown();
      assertEquals(200, first.get(30, TimeUnit.SECONDS).statusCode());
    }
  }

  @Test
  void settingsAndTokenNeverShowTheSecret() {
    HttpSettings st = HttpSettings.builder().token(TOKEN).build();
    assertTrue(!st.toString().contains(TOKEN));
    assertTrue(!st.token().toString().contains(TOKEN));
    assertThrows(IllegalArgumentException.class, () -> BearerToken.of("short"));
    assertEquals(BearerToken.Check.ABSENT, st.token().check(null));
    assertNull(Response.text(200, "x").header("X-Frame-Options"));
    assertNotNull(new HttpError(400, "c", "m").toResponse().header("X-Frame-Options") == null ? "" : null);
    assertEquals("\"a\\\"b\\n\\u0001\"", Json.quote("a\"b\n\u0001"));
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // test cleanup
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  private static String readResponses(InputStream in, int n) throws IOException {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String head = readHead(in);
      int at = head.toLowerCase().indexOf("content-length: ");
      int len = Integer.parseInt(head.substring(at + 16, head.indexOf('\r', at)));
      all.append(head).append(new String(in.readNBytes(len), StandardCharsets.ISO_8859_1));
    }
    return all.toString();
  }
}
