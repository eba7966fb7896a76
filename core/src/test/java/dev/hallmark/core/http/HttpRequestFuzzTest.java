package dev.hallmark.core.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Any bytes sent to {@link HttpService}: the answer is a well-formed HTTP/1.1 status line below 500
 * (or the connection is closed), never a 5xx, a hang or a dead server. Regression inputs live under
 * {@code src/test/resources/dev/hallmark/core/http/HttpRequestFuzzTestInputs/}.
 */
class HttpRequestFuzzTest {
  private static HttpService server;

  private static synchronized HttpService server() throws IOException {
    if (server == null) {
      server = HttpService.start(HttpSettings.builder().port(0).token("fuzz-token-0123456789")
          .headerTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(1))
          .maxConnectionsPerClient(512).build(),
          Routes.builder()
              .add(Route.get("/get", r -> Response.text(200, String.valueOf(r.queryMap()))))
              .add(Route.post("/post", r -> Response.of(200, "application/octet-stream", r.bodyBytes())).maxBody(4096))
              .add(Route.post("/auth", r -> Response.text(200, "ok")).access(Access.TOKEN))
              .add(Route.get("/p/", r -> Response.text(200, r.pathRemainder())).prefix())
              .build());
    }
    return server;
  }

  @FuzzTest(maxDuration = "60s")
  void anyRequestBytes(byte[] data) throws IOException {
    HttpService s = server();
    // The harness itself connects to the server under test: not server-side request forgery.
    try (com.code_intelligence.jazzer.api.SilentCloseable allow =
            com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections((host, port) -> port == s.port());
        Socket c = new Socket("127.0.0.1", s.port())) {
      c.setSoTimeout(10_000);
      try {
        c.getOutputStream().write(data);
        c.shutdownOutput();
      } catch (IOException e) {
        return; // the server closed early (e.g. after a 4xx): fine
      }
      InputStream in = c.getInputStream();
      byte[] head = in.readNBytes(12);
      if (head.length == 0) {
        return; // closed without an answer (incomplete request at end of input)
      }
      String status = new String(head, StandardCharsets.ISO_8859_1);
      // 501 (unsupported transfer coding) and 505 (HTTP version) are protocol answers; 500 and 503 are not expected
      if (!status.startsWith("HTTP/1.1 ") || status.startsWith("HTTP/1.1 500") || status.startsWith("HTTP/1.1 503")) {
        throw new AssertionError("bad or 5xx answer: " + status);
      }
      in.readAllBytes();
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the server neither answered nor closed within 10 s", e);
    }
  }
}
