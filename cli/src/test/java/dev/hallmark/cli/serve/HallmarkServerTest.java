package dev.hallmark.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import dev.hallmark.cli.tag.Fixtures;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.TaggerSettings;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP API: auth, limits, bad input, and tag-then-verify over HTTP (also from the CLI against the URL). */
class HallmarkServerTest {
  static final String TOKEN = "test-token-0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Ledger ledger;
  static HallmarkServer server;
  static HallmarkServer tiny;
  static HttpClient http = HttpClient.newHttpClient();
  static byte[] photo;

  @BeforeAll
  static void start() throws Exception {
    Random r = new Random(5);
    System.out.println("HallmarkServerTest seed 5");
    WatermarkKey key = WatermarkKey.generate("gen", r);
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    SigningKey ops = SigningKey.fromSeed("ops", seed);
    Path ld = dir.resolve("ledger");
    Ledgers.init(ld, "serve.test/log", ops, "ops");
    ledger = Ledgers.open(ld, ops, LedgerOptions.DEFAULT);
    var tagger = Provenance.tagger(new TaggerSettings(ledger, ops, key, ImageWatermarkParameters.DEFAULT, Clock.systemUTC(), new SecureRandom()));
    server = HallmarkServer.start(new ServerConfig("127.0.0.1", 0, TOKEN, 8 << 20, 2, List.of(key), ledger, tagger,
        List.of(), List.of(), "default-model"));
    tiny = HallmarkServer.start(new ServerConfig("127.0.0.1", 0, TOKEN, 4096, 1, List.of(key), ledger, tagger,
        List.of(), List.of(), null));
    photo = Files.readAllBytes(Fixtures.photo(dir, "kodim07.png"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    tiny.close();
    ledger.close();
  }

  /**
   * #19 finding 3: an image that is small on the wire but large in pixels is refused by pixel count
   * before it is decoded (before: decoded and verified, costing memory by pixel count).
   */
  @Test
  void imagesOverThePixelBudgetAreRefusedBeforeDecoding() throws Exception {
    java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(6000, 6000, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(big, "png", png);
    assertTrue(png.size() < 8 << 20, "the PNG is within the upload limit: " + png.size());
    for (String path : List.of("/api/v1/verify", "/api/v1/detect/image", "/api/v1/tag/image")) {
      HttpResponse<String> r = send(server, "POST", path, png.toByteArray(), "image/png", "Bearer " + TOKEN);
      assertEquals(413, r.statusCode(), path + ": " + r.body());
      assertEquals("too-many-pixels", JSON.readTree(r.body()).get("error").get("code").asText());
    }
  }

  static HttpResponse<String> send(HallmarkServer s, String method, String path, byte[] body, String type, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path.substring(1)));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (token != null) {
      b.header("Authorization", token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertEquals(status, e.get("status").asInt());
    assertFalse(e.get("message").asText().isBlank());
    return e;
  }

  @Test
  void pageAndAssetsAreServedWithASecurityPolicy() throws Exception {
    HttpResponse<String> r = send(server, "GET", "/", null, null, null);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("Where does this file come from?"));
    assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
    assertEquals(200, send(server, "GET", "/assets/app.js", null, null, null).statusCode());
    assertEquals(200, send(server, "GET", "/assets/style.css", null, null, null).statusCode());
    assertTrue(server.url().startsWith("http://127.0.0.1:"), "binds to loopback by default");
  }

  @ParameterizedTest(name = "{0} {1} without a valid token -> 401")
  @CsvSource({
    "POST, /api/v1/tag/image, ",
    "POST, /api/v1/tag/image, Bearer wrong-token-000000000000",
    "POST, /api/v1/tag/text, ",
    "POST, /api/v1/detect/image, ",
    "POST, /api/v1/detect/text, Basic dXNlcjpwYXNz",
    "POST, /api/v1/verify, Bearer wrong-token-000000000000",
  })
  void writingAndSecretKeyEndpointsNeedTheToken(String method, String path, String auth) throws Exception {
    HttpResponse<String> r = send(server, method, path, "{\"text\":\"x\"}".getBytes(), "application/json", auth);
    JsonNode e = error(r, 401);
    assertEquals("unauthorized", e.get("code").asText());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource(delimiter = '|', value = {
    "GET | /api/v1/verify | | 405",
    "DELETE | /api/v1/ledger/info | | 405",
    "GET | /api/v1/nothing-here | | 404",
    "POST | /api/v1/verify | | 400",
    "POST | /api/v1/ledger/lookup | {\"sha256\":\"XYZ\"} | 400",
    "POST | /api/v1/ledger/lookup | {\"imageHash\":\"00\",\"maxDistance\":3} | 400",
    "POST | /api/v1/ledger/lookup | {\"minHash\":[1,2,3]} | 400",
    "POST | /api/v1/ledger/lookup | {} | 400",
    // null is not "not given": a null payload answered with the records of every payload
    "POST | /api/v1/ledger/lookup | {\"keyId\":\"0123456789abcdef\",\"payload\":null} | 400",
    "POST | /api/v1/ledger/lookup | {\"sha256\":null,\"keyId\":\"0123456789abcdef\"} | 400",
    "POST | /api/v1/ledger/lookup | [1,2] | 400",
    "POST | /api/v1/ledger/lookup | {not json | 400",
    "GET | /api/v1/ledger/records/abc | | 400",
    "GET | /api/v1/ledger/records/99999 | | 404",
  })
  void badRequestsGetClearJsonErrors(String method, String path, String body, int status) throws Exception {
    error(send(server, method, path, body == null ? null : body.getBytes(), body == null ? null : "application/json", null), status);
  }

  @Test
  void jsonEndpointsCheckTheirBody() throws Exception {
    String auth = "Bearer " + TOKEN;
    error(send(server, "POST", "/api/v1/detect/text", "{\"text\":\"x\"}".getBytes(), "text/plain", auth), 415);
    error(send(server, "POST", "/api/v1/detect/text", "{\"txt\":\"x\"}".getBytes(), "application/json", auth), 400);
    error(send(server, "POST", "/api/v1/detect/text", "{\"text\":\"x\",\"alpha\":7}".getBytes(), "application/json", auth), 400);
    error(send(server, "POST", "/api/v1/tag/image?quality=500", photo, "image/png", auth), 400);
    JsonNode e = error(send(server, "POST", "/api/v1/tag/image", "not an image".getBytes(), "image/png", auth), 422);
    assertEquals("unprocessable", e.get("code").asText());
    HttpResponse<String> ok = send(server, "POST", "/api/v1/detect/text", "{\"text\":\"Plain human words here.\"}".getBytes(), "application/json", auth);
    assertEquals(200, ok.statusCode(), ok.body());
    assertFalse(JSON.readTree(ok.body()).get("detected").asBoolean());
  }

  /** A body is exactly one JSON object: what follows it, or a member named twice, is not dropped in silence. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {
    "{\"text\":\"hello\"} garbage",
    "{\"text\":\"hello\"}{\"text\":\"more\"}",
    "{\"text\":\"hello\"} 1",
    "{\"text\":\"hello\",\"text\":\"other\"}",
  })
  void jsonBodiesAreOneObjectAndNothingElse(String body) throws Exception {
    String auth = "Bearer " + TOKEN;
    JsonNode e = error(send(server, "POST", "/api/v1/detect/text", body.getBytes(), "application/json", auth), 400);
    assertEquals("bad-json", e.get("code").asText(), e.toString());
    error(send(server, "POST", "/api/v1/ledger/lookup", ("{\"sha256\":\"" + "0".repeat(64) + "\"} x").getBytes(),
        "application/json", null), 400);
    // White space after the object is fine.
    assertEquals(200, send(server, "POST", "/api/v1/detect/text", "{\"text\":\"hello\"} \n".getBytes(),
        "application/json", auth).statusCode());
  }

  /** A member of the wrong type is a 400, not replaced by the default (nor a string read as a number). */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "/api/v1/detect/text | {\"text\":\"x\",\"alpha\":\"x\"} | alpha",
    "/api/v1/detect/text | {\"text\":\"x\",\"alpha\":[0.5]} | alpha",
    "/api/v1/detect/text | {\"text\":\"x\",\"alpha\":{}} | alpha",
    "/api/v1/detect/text | {\"text\":\"x\",\"alpha\":null} | alpha",
    "/api/v1/detect/text | {\"text\":\"x\",\"alpha\":\"0.5\"} | alpha",
    "/api/v1/detect/text | {\"text\":\"x\",\"alpha\":true} | alpha",
    "/api/v1/tag/text | {\"text\":\"some words\",\"model\":5} | model",
    "/api/v1/ledger/lookup | {\"imageHash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"maxDistance\":\"3\"} | maxDistance",
    "/api/v1/ledger/lookup | {\"imageHash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"maxDistance\":2.5} | maxDistance",
    "/api/v1/ledger/lookup | {\"keyId\":\"0000000000000000\",\"limit\":\"10\"} | limit",
    "/api/v1/ledger/lookup | {\"keyId\":\"0000000000000000\",\"limit\":null} | limit",
    "/api/v1/ledger/lookup | {\"keyId\":1234567890123456} | keyId",
  })
  void jsonMembersOfTheWrongTypeAre400(String path, String body, String member) throws Exception {
    JsonNode e = error(send(server, "POST", path, body.getBytes(), "application/json", "Bearer " + TOKEN), 400);
    assertTrue(e.get("message").asText().contains(member), e.toString());
  }

  @Test
  void lookupMembersOfTheRightTypeAreAccepted() throws Exception {
    String mh = "[" + String.join(",", java.util.Collections.nCopies(128, "7")) + "]";
    for (String body : new String[] {
        "{\"imageHash\":\"" + "0".repeat(64) + "\",\"maxDistance\":3}",
        "{\"keyId\":\"0000000000000000\",\"limit\":10}",
        "{\"minHash\":" + mh + ",\"minJaccard\":0.9}",
        "{\"minHash\":" + mh + ",\"minJaccard\":1,\"keyId\":\"0000000000000000\",\"limit\":500}"}) {
      HttpResponse<String> r = send(server, "POST", "/api/v1/ledger/lookup", body.getBytes(), "application/json", null);
      assertEquals(200, r.statusCode(), body + " " + r.body());
    }
  }

  @Test
  void bodiesOverTheLimitAreRefusedWith413() throws Exception {
    error(send(tiny, "POST", "/api/v1/verify", new byte[5000], "application/octet-stream", null), 413);
    error(send(tiny, "POST", "/api/v1/tag/image", photo, "image/png", "Bearer " + TOKEN), 413);
    // A chunked upload (no Content-Length) is cut off while streaming.
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(tiny.url() + "api/v1/verify"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[100_000]))).build();
    HttpResponse<String> r = http.send(chunked, HttpResponse.BodyHandlers.ofString());
    error(r, 413);
    assertEquals(200, send(tiny, "GET", "/api/v1/health", null, null, null).statusCode(), "still serving");
  }

  @Test
  void tagOverHttpThenVerifyACopyOverHttpAndFromTheCommandLine() throws Exception {
    HttpResponse<String> t = send(server, "POST", "/api/v1/tag/image?model=painter-2&format=png", photo, "image/png", "Bearer " + TOKEN);
    assertEquals(200, t.statusCode(), t.body());
    JsonNode tag = JSON.readTree(t.body());
    byte[] image = Base64.getDecoder().decode(tag.get("image").asText());
    assertTrue(tag.get("receipt").asText().startsWith("c2sp.org/tlog-proof@v1\n"));
    // As the tag command says: the mark read back, and whether the upload's Content Credentials were dropped.
    assertTrue(tag.at("/markCheck/payloadRecovered").asBoolean(), t.body());
    assertFalse(tag.get("inputC2paRemoved").asBoolean(), t.body());
    byte[] copy = Fixtures.reencode(image);

    // Public verification (no token): the watermark is not tested, the perceptual hash finds the record.
    HttpResponse<String> pub = send(server, "POST", "/api/v1/verify", copy, "image/jpeg", null);
    assertEquals(200, pub.statusCode(), pub.body());
    JsonNode v = JSON.readTree(pub.body());
    assertFalse(v.at("/watermark/checked").asBoolean());
    assertTrue(v.get("originEstablished").asBoolean(), pub.body());
    assertEquals("image-fingerprint", v.at("/record/via").asText());

    // With the token, the watermark is tested too and leads to the same record.
    JsonNode vk = JSON.readTree(send(server, "POST", "/api/v1/verify", copy, "image/jpeg", "Bearer " + TOKEN).body());
    assertTrue(vk.at("/watermark/detected").asBoolean());
    assertEquals(tag.get("index").asLong(), vk.at("/record/index").asLong());

    // hallmark verify --ledger URL, pinning the log key the server announces.
    Path copyFile = dir.resolve("copy-http.jpg");
    Files.write(copyFile, copy);
    JsonNode info = JSON.readTree(send(server, "GET", "/api/v1/ledger/info", null, null, null).body());
    CliRun unpinned = CliRun.run(dir, "--home", dir.resolve("h").toString(), "verify", "--ledger", server.url(), copyFile.toString());
    assertEquals(1, unpinned.exitCode, unpinned.toString());
    assertTrue(unpinned.out.contains("not trusted"), unpinned.out);
    CliRun pinned = CliRun.run(dir, "--home", dir.resolve("h").toString(), "verify", "--ledger", server.url(),
        "--log-key", info.get("logKey").asText(), copyFile.toString());
    assertEquals(0, pinned.exitCode, pinned.toString());

    HttpResponse<String> rec = send(server, "GET", "/api/v1/ledger/records/" + tag.get("index").asLong(), null, null, null);
    assertEquals(200, rec.statusCode());
    assertEquals("painter-2", JSON.readTree(rec.body()).at("/record/model").asText());
  }

  @Test
  void textTaggingAndDetectionOverHttp() throws Exception {
    String body = "{\"text\":\"A registered paragraph of ordinary prose, long enough to have a fingerprint of its own words.\"}";
    HttpResponse<String> t = send(server, "POST", "/api/v1/tag/text", body.getBytes(), "application/json", "Bearer " + TOKEN);
    assertEquals(200, t.statusCode(), t.body());
    assertEquals("default-model", JSON.readTree(t.body()).at("/record/model").asText());
    HttpResponse<String> v = send(server, "POST", "/api/v1/verify",
        "A registered paragraph of ordinary prose, long enough to have a fingerprint of its own words.".getBytes(), "text/plain", null);
    assertTrue(JSON.readTree(v.body()).get("originEstablished").asBoolean(), v.body());

    // Empty or blank text was registered (and then every empty file verified as the model's), and a
    // lone surrogate was registered as the hash of '?' in its place.
    for (String bad : new String[] {"{\"text\":\"\"}", "{\"text\":\" \\n \"}", "{\"text\":\"abc\\ud800\"}"}) {
      HttpResponse<String> r = send(server, "POST", "/api/v1/tag/text", bad.getBytes(), "application/json", "Bearer " + TOKEN);
      assertEquals(422, r.statusCode(), bad + " " + r.body());
      assertTrue(r.body().contains("nothing to tag") || r.body().contains("unpaired surrogate"), r.body());
    }
  }

  @Test
  void concurrentTagRequestsGetDistinctDurableRecords() throws Exception {
    int n = 24;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        String body = "{\"text\":\"Concurrent output number " + i + " from a busy generation service.\",\"model\":\"m\"}";
        fs.add(pool.submit(() -> send(server, "POST", "/api/v1/tag/text", body.getBytes(), "application/json", "Bearer " + TOKEN)));
      }
      java.util.Set<Long> indices = new java.util.HashSet<>();
      for (var f : fs) {
        HttpResponse<String> r = f.get();
        assertEquals(200, r.statusCode(), r.body());
        indices.add(JSON.readTree(r.body()).get("index").asLong());
      }
      assertEquals(n, indices.size(), "every output has its own ledger entry");
    } finally {
      pool.shutdownNow();
    }
  }
}
