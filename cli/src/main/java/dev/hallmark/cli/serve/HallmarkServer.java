package dev.hallmark.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.provenance.LedgerHit;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.TagRequest;
import dev.hallmark.provenance.TagResult;
import dev.hallmark.provenance.Verdict;
import dev.hallmark.provenance.VerifierSettings;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageDetector;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.TextDetectionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP service behind {@code hallmark serve}: a JSON API (verify, detect, tag, ledger reads) and
 * the verification page, on the JDK's built-in server. Verification and ledger reads are public;
 * everything that writes or uses secret keys needs {@code Authorization: Bearer TOKEN}. Request bodies
 * are streamed to temporary files under a size limit; errors are JSON
 * {@code {"error":{"status":N,"code":"...","message":"..."}}} with a 4xx status for bad requests.
 */
public final class HallmarkServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCES = "/dev/hallmark/cli/serve/";
  private static final Map<String, String> ASSETS = Map.of(
      "/", "index.html", "/index.html", "index.html", "/assets/app.js", "app.js", "/assets/style.css", "style.css");

  private static final long DRAIN_BYTES = 16L << 20;

  private final ServerConfig config;
  private final HttpServer server;
  private final ExecutorService pool;
  private final byte[] tokenBytes;
  private final Path tmpDir;
  /** One image detector for the configured keys (per-key templates derived once); null without keys. */
  private final ImageDetector imageDetector;

  private HallmarkServer(ServerConfig config, HttpServer server, ExecutorService pool, Path tmpDir) {
    this.config = config;
    this.server = server;
    this.pool = pool;
    this.tokenBytes = config.token().getBytes(StandardCharsets.UTF_8);
    this.tmpDir = tmpDir;
    this.imageDetector = config.keys().isEmpty() ? null : ImageWatermarks.newWatermarker().detector(config.keys());
  }

  /** Binds and starts serving. */
  public static HallmarkServer start(ServerConfig config) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
    ExecutorService pool = Executors.newFixedThreadPool(config.threads(), r -> {
      Thread t = new Thread(r, "hallmark-serve");
      t.setDaemon(true);
      return t;
    });
    Path tmp = Files.createTempDirectory("hallmark-serve-");
    HallmarkServer hs = new HallmarkServer(config, s, pool, tmp);
    s.createContext("/", hs::handle);
    s.setExecutor(pool);
    s.start();
    return hs;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    String host = server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port() + "/";
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
    try (var s = Files.list(tmpDir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(tmpDir);
    } catch (IOException e) {
      // Leftover temporary uploads are removed with the system's temporary folder.
    }
  }

  /** A request that cannot be served, with its HTTP status and a short machine-readable code. */
  static final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    ApiException(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      route(ex);
    } catch (ApiException e) {
      error(ex, e.status, e.code, e.getMessage());
    } catch (HallmarkException | IllegalArgumentException e) {
      error(ex, 422, "unprocessable", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error(ex, 503, "shutting-down", "the server is shutting down");
    } catch (Exception e) {
      error(ex, 500, "internal", "internal error: " + e.getClass().getSimpleName());
    } finally {
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws Exception {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    if (ASSETS.containsKey(path)) {
      requireMethod(ex, "GET");
      asset(ex, ASSETS.get(path));
      return;
    }
    switch (path) {
      case "/api/v1/health" -> {
        requireMethod(ex, "GET");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("watermarkKeys", config.keys().size());
        m.put("ledger", config.ledger() == null ? null : config.ledger().origin());
        json(ex, 200, m);
      }
      case "/api/v1/verify" -> {
        requireMethod(ex, "POST");
        boolean withKeys = optionalAuth(ex);
        byte[] body = body(ex, config.maxUploadBytes());
        json(ex, 200, verify(body, fileName(ex), withKeys).toMap());
      }
      case "/api/v1/detect/image" -> {
        requireMethod(ex, "POST");
        requireAuth(ex);
        requireKeys();
        byte[] body = body(ex, config.maxUploadBytes());
        ImageDetection d = imageDetector.detect(Images.read(body, fileName(ex)),
            doubleParam(ex, "alpha", VerifierSettings.DEFAULT_ALPHA));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("detected", d.detected());
        m.put("pValue", d.pValue());
        m.put("alpha", d.alpha());
        m.put("keysTried", d.keysTried());
        m.put("keyId", d.keyId());
        m.put("payload", d.payload() == null ? null : dev.hallmark.core.Hex.encode(d.payload()));
        m.put("payloadValid", d.payloadValid());
        m.put("scale", d.scale());
        json(ex, 200, m);
      }
      case "/api/v1/detect/text" -> {
        requireMethod(ex, "POST");
        requireAuth(ex);
        requireKeys();
        JsonNode req = jsonBody(ex);
        String text = requiredText(req, "text");
        double alpha = req.path("alpha").asDouble(TextDetectionSettings.DEFAULT.alpha());
        if (!(alpha > 0 && alpha < 1)) {
          throw new ApiException(400, "bad-request", "alpha must be in (0, 1)");
        }
        json(ex, 200, Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT.withAlpha(alpha), config.keys()).detect(text).toMap());
      }
      case "/api/v1/tag/image" -> {
        requireMethod(ex, "POST");
        requireAuth(ex);
        requireTagger();
        byte[] body = body(ex, config.maxUploadBytes());
        TagRequest r = tagRequest(param(ex, "model"), param(ex, "format"), param(ex, "quality"));
        TagResult t = config.tagger().tagImage(body, fileName(ex), r);
        Map<String, Object> m = tagResult(t);
        m.put("image", Base64.getEncoder().encodeToString(t.output()));
        json(ex, 200, m);
      }
      case "/api/v1/tag/text" -> {
        requireMethod(ex, "POST");
        requireAuth(ex);
        requireTagger();
        JsonNode req = jsonBody(ex);
        TagResult t = config.tagger().tagText(requiredText(req, "text"), tagRequest(req.path("model").asText(null), null, null));
        json(ex, 200, tagResult(t));
      }
      case "/api/v1/ledger/info" -> {
        requireMethod(ex, "GET");
        requireLedger();
        try (LedgerSnapshot s = config.ledger().snapshot()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("origin", config.ledger().origin());
          m.put("logKey", config.ledger().logKey().encode());
          m.put("size", s.size());
          m.put("checkpoint", s.checkpoint().encode());
          json(ex, 200, m);
        }
      }
      case "/api/v1/ledger/checkpoint" -> {
        requireMethod(ex, "GET");
        requireLedger();
        try (LedgerSnapshot s = config.ledger().snapshot()) {
          send(ex, 200, "text/plain; charset=utf-8", s.checkpoint().encode().getBytes(StandardCharsets.UTF_8));
        }
      }
      case "/api/v1/ledger/lookup" -> {
        requireMethod(ex, "POST");
        requireLedger();
        json(ex, 200, Map.of("hits", lookup(jsonBody(ex))));
      }
      default -> {
        if (path.startsWith("/api/v1/ledger/records/")) {
          requireMethod(ex, "GET");
          requireLedger();
          record(ex, path.substring("/api/v1/ledger/records/".length()));
        } else if (SoftBindingRoutes.handles(path)) {
          // C2PA Soft Binding API (manifest repository over the ledger).
          requireMethod(ex, path.equals("/matches/byContent") ? "POST" : "GET");
          byte[] body = path.equals("/matches/byContent") ? body(ex, config.maxUploadBytes()) : new byte[0];
          SoftBindingRoutes.Response r = new SoftBindingRoutes(config, imageDetector).handle(ex, path, body);
          if (r.json() != null) {
            json(ex, r.status(), r.json());
          } else {
            send(ex, r.status(), r.contentType(), r.bytes());
          }
        } else {
          throw new ApiException(404, "not-found", "no such endpoint: " + path);
        }
      }
    }
  }

  private Verdict verify(byte[] body, String name, boolean withKeys) throws InterruptedException {
    VerifierSettings.Builder b = VerifierSettings.builder();
    if (withKeys) {
      b.addKeys(config.keys());
    }
    List<LedgerSource> sources = new ArrayList<>();
    if (config.ledger() != null) {
      sources.add(Provenance.ledger(config.ledger()));
    }
    sources.addAll(config.extraSources());
    sources.forEach(b::addSource);
    config.trustedLogKeys().forEach(b::trustLogKey);
    return Provenance.verifier(b.build()).verify(body, name);
  }

  private List<Map<String, Object>> lookup(JsonNode q) throws Exception {
    LedgerSource s = Provenance.ledger(config.ledger());
    List<LedgerHit> hits;
    if (q.hasNonNull("sha256")) {
      hits = s.bySha256(hex(q, "sha256", 64));
    } else if (q.hasNonNull("imageHash")) {
      int d = q.path("maxDistance").asInt(VerifierSettings.DEFAULT_MAX_IMAGE_DISTANCE);
      if (d < 0 || d > 31) {
        throw new ApiException(400, "bad-request", "maxDistance must be 0-31");
      }
      hits = s.byImageHash(hex(q, "imageHash", 64), d);
    } else if (q.hasNonNull("minHash")) {
      int[] mh = minHash(q);
      double j = q.path("minJaccard").asDouble(VerifierSettings.DEFAULT_MIN_TEXT_SIMILARITY);
      if (!(j > 0 && j <= 1)) {
        throw new ApiException(400, "bad-request", "minJaccard must be in (0, 1]");
      }
      if (q.hasNonNull("keyId")) {
        hits = s.byWatermarkAndText(hex(q, "keyId", 16), mh, j, Math.max(1, Math.min(100, q.path("limit").asInt(10))));
      } else {
        hits = s.byMinHash(mh, j);
      }
    } else if (q.hasNonNull("keyId")) {
      String payload = q.hasNonNull("payload") ? hex(q, "payload", 16) : null;
      int limit = q.path("limit").asInt(100);
      if (limit < 1 || limit > 100_000) {
        throw new ApiException(400, "bad-request", "limit must be 1-100000");
      }
      hits = s.byWatermark(hex(q, "keyId", 16), payload, limit);
    } else {
      throw new ApiException(400, "bad-request", "give one of sha256, imageHash, minHash or keyId");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (LedgerHit h : hits) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", h.index());
      m.put("similarity", h.similarity());
      m.put("distance", h.distance());
      m.put("receipt", h.receipt().encode());
      out.add(m);
    }
    return out;
  }

  private static int[] minHash(JsonNode q) throws ApiException {
    JsonNode a = q.get("minHash");
    if (!a.isArray() || a.size() != 128) {
      throw new ApiException(400, "bad-request", "minHash must be an array of 128 unsigned 32-bit integers");
    }
    int[] mh = new int[128];
    for (int i = 0; i < 128; i++) {
      long v = a.get(i).asLong(-1);
      if (!a.get(i).isIntegralNumber() || v < 0 || v > 0xffffffffL) {
        throw new ApiException(400, "bad-request", "minHash[" + i + "] must be an unsigned 32-bit integer");
      }
      mh[i] = (int) v;
    }
    return mh;
  }

  private void record(HttpExchange ex, String idx) throws Exception {
    long index;
    try {
      index = Long.parseLong(idx);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad-request", "record index must be a decimal number, got '" + idx + "'");
    }
    try (LedgerSnapshot s = config.ledger().snapshot()) {
      if (index < 0 || index >= s.size()) {
        throw new ApiException(404, "not-found", "no record " + index + " (the latest checkpoint has " + s.size() + " entries)");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", index);
      m.put("record", JSON.readTree(s.entry(index)));
      m.put("receipt", s.receipt(index).encode());
      json(ex, 200, m);
    }
  }

  private Map<String, Object> tagResult(TagResult t) throws Exception {
    Receipt receipt = config.tagger().receipt(t.index());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", t.index());
    m.put("log", config.ledger().origin());
    m.put("format", t.format());
    m.put("reference", t.reference() == null ? null : t.reference().encode());
    m.put("record", JSON.readTree(t.record().toString()));
    m.put("receipt", receipt.encode());
    return m;
  }

  private TagRequest tagRequest(String model, String format, String quality) throws ApiException {
    try {
      int q = quality == null ? 92 : Integer.parseInt(quality);
      String m = model == null || model.isBlank() ? config.defaultModel() : model;
      if (m == null) {
        throw new ApiException(400, "bad-request", "model is required (no default model configured)");
      }
      return new TagRequest(m, format == null ? null : format.toLowerCase(Locale.ROOT), q);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad-request", "quality must be an integer 1-100");
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "bad-request", e.getMessage());
    }
  }

  private static String hex(JsonNode q, String field, int len) throws ApiException {
    String v = q.path(field).asText("");
    if (!v.matches("[0-9a-f]{" + len + "}")) {
      throw new ApiException(400, "bad-request", field + " must be " + len + " lower-case hex digits");
    }
    return v;
  }

  private static String requiredText(JsonNode req, String field) throws ApiException {
    JsonNode n = req.get(field);
    if (n == null || !n.isTextual()) {
      throw new ApiException(400, "bad-request", "JSON member '" + field + "' (a string) is required");
    }
    return n.textValue();
  }

  private void requireKeys() throws ApiException {
    if (config.keys().isEmpty()) {
      throw new ApiException(503, "no-keys", "this server has no watermark keys (start it with --key)");
    }
  }

  private void requireTagger() throws ApiException {
    if (config.tagger() == null) {
      throw new ApiException(503, "no-tagger", "this server does not tag (start it with --ledger, --signing-key and --tag-key)");
    }
  }

  private void requireLedger() throws ApiException {
    if (config.ledger() == null) {
      throw new ApiException(503, "no-ledger", "this server has no ledger (start it with --ledger DIR)");
    }
  }

  private static void requireMethod(HttpExchange ex, String method) throws ApiException {
    if (!ex.getRequestMethod().equals(method)) {
      ex.getResponseHeaders().set("Allow", method);
      throw new ApiException(405, "method-not-allowed", ex.getRequestURI().getPath() + " accepts " + method + " only");
    }
  }

  private void requireAuth(HttpExchange ex) throws ApiException {
    if (!optionalAuth(ex)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"hallmark\"");
      throw new ApiException(401, "unauthorized", "this endpoint needs 'Authorization: Bearer TOKEN' (the token 'hallmark serve' printed)");
    }
  }

  /** True with a valid bearer token, false without one; a wrong token is an error (401). */
  private boolean optionalAuth(HttpExchange ex) throws ApiException {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    if (h == null || h.isBlank()) {
      return false;
    }
    if (!h.startsWith("Bearer ")) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"hallmark\"");
      throw new ApiException(401, "unauthorized", "the Authorization header must be 'Bearer TOKEN'");
    }
    byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, tokenBytes)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"hallmark\", error=\"invalid_token\"");
      throw new ApiException(401, "unauthorized", "the bearer token is not valid");
    }
    return true;
  }

  /** Streams the body to a temporary file, refusing more than {@code max} bytes, then reads it. */
  private byte[] body(HttpExchange ex, long max) throws IOException, ApiException {
    String len = ex.getRequestHeaders().getFirst("Content-Length");
    if (len != null) {
      long n;
      try {
        n = Long.parseLong(len.trim());
      } catch (NumberFormatException e) {
        throw new ApiException(400, "bad-request", "Content-Length is not a number");
      }
      if (n > max) {
        drain(ex);
        throw new ApiException(413, "too-large", "request body of " + n + " bytes is over the limit of " + max + " bytes");
      }
    }
    Path tmp = Files.createTempFile(tmpDir, "upload-", ".bin");
    try {
      long total = 0;
      try (InputStream in = ex.getRequestBody(); OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[64 * 1024];
        int r;
        while ((r = in.read(buf)) > 0) {
          total += r;
          if (total > max) {
            drain(ex);
            throw new ApiException(413, "too-large", "request body is over the limit of " + max + " bytes");
          }
          out.write(buf, 0, r);
        }
      }
      if (total == 0) {
        throw new ApiException(400, "empty-body", "the request body is empty: send the file's bytes");
      }
      return Files.readAllBytes(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads and discards up to {@link #DRAIN_BYTES} more of a refused body, so that closing the
   * connection does not reset it before the client has read the 413 answer; larger bodies are cut off.
   */
  private static void drain(HttpExchange ex) {
    ex.getResponseHeaders().set("Connection", "close");
    try {
      InputStream in = ex.getRequestBody();
      byte[] buf = new byte[64 * 1024];
      long n = 0;
      int r;
      while (n < DRAIN_BYTES && (r = in.read(buf)) > 0) {
        n += r;
      }
    } catch (IOException e) {
      // The client stopped sending; the answer may still reach it.
    }
  }

  private JsonNode jsonBody(HttpExchange ex) throws IOException, ApiException {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new ApiException(415, "unsupported-media-type", "send Content-Type: application/json");
    }
    byte[] b = body(ex, Math.min(config.maxUploadBytes(), ServerConfig.MAX_JSON_BYTES));
    try {
      JsonNode n = JSON.readTree(b);
      if (n == null || !n.isObject()) {
        throw new ApiException(400, "bad-json", "the body must be a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new ApiException(400, "bad-json", "the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String fileName(HttpExchange ex) {
    String n = ex.getRequestHeaders().getFirst("X-File-Name");
    if (n == null) {
      n = param(ex, "name");
    } else {
      n = URLDecoder.decode(n, StandardCharsets.UTF_8);
    }
    if (n == null || n.isBlank()) {
      return "upload";
    }
    n = n.replaceAll("[\\p{Cntrl}]", "");
    return n.length() > 200 ? n.substring(0, 200) : n;
  }

  private static String param(HttpExchange ex, String name) {
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return null;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      if (k.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static double doubleParam(HttpExchange ex, String name, double dflt) throws ApiException {
    String v = param(ex, name);
    if (v == null) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d > 0 && d < 1)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad-request", name + " must be a number in (0, 1)");
    }
  }

  private void asset(HttpExchange ex, String name) throws IOException, ApiException {
    try (InputStream in = HallmarkServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new ApiException(404, "not-found", "no such page: " + name);
      }
      String type = name.endsWith(".html") ? "text/html; charset=utf-8"
          : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
      ex.getResponseHeaders().set("Content-Security-Policy",
          "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
      send(ex, 200, type, in.readAllBytes());
    }
  }

  private static void json(HttpExchange ex, int status, Object value) throws IOException {
    send(ex, status, "application/json; charset=utf-8", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
  }

  private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("status", status);
    e.put("code", code);
    e.put("message", message == null ? code : message.replace('\n', ' '));
    try {
      json(ex, status, Map.of("error", e));
    } catch (IOException | IllegalStateException ignored) {
      // The client went away or a response was already started; nothing more can be sent.
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
  }

  /** The watermark keys' ids (for the startup banner). */
  static List<String> keyIds(List<WatermarkKey> keys) {
    return keys.stream().map(WatermarkKey::keyId).toList();
  }

  /** Trusted log keys as strings (for the startup banner). */
  static List<String> encoded(List<NoteVerifierKey> keys) {
    return keys.stream().map(NoteVerifierKey::encode).toList();
  }
}
