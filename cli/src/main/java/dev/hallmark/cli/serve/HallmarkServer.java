package dev.hallmark.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.JsonInput;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.core.http.Access;
import dev.hallmark.core.http.HttpError;
import dev.hallmark.core.http.HttpService;
import dev.hallmark.core.http.HttpSettings;
import dev.hallmark.core.http.Request;
import dev.hallmark.core.http.Response;
import dev.hallmark.core.http.Route;
import dev.hallmark.core.http.Routes;
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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP service behind {@code hallmark serve}: a JSON API (verify, detect, tag, ledger reads) and
 * the verification page, on Hallmark's one HTTP layer ({@link HttpService}: header and request
 * timeouts, per-client connection limits, the one bearer rule, JSON errors
 * {@code {"error":{"status":N,"code":"...","message":"..."}}}, security headers). Verification and
 * ledger reads are public; everything that writes or uses secret keys needs
 * {@code Authorization: Bearer TOKEN}. Images are refused above the configured pixel count before
 * they are decoded, and the expensive public endpoint (verify) runs at most
 * {@link ServerConfig#expensiveConcurrency()} calls at once.
 */
public final class HallmarkServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCES = "/dev/hallmark/cli/serve/";
  private static final Map<String, String> ASSETS = Map.of(
      "/", "index.html", "/index.html", "index.html", "/assets/app.js", "app.js", "/assets/style.css", "style.css");

  private final ServerConfig config;
  private final HttpService server;
  /** One image detector for the configured keys (per-key templates derived once); null without keys. */
  private final ImageDetector imageDetector;

  private HallmarkServer(ServerConfig config) throws IOException {
    this.config = config;
    this.imageDetector = config.keys().isEmpty() ? null : ImageWatermarks.newWatermarker().detector(config.keys());
    this.server = HttpService.start(HttpSettings.builder().bind(config.bind()).port(config.port()).token(config.token())
        .errorLog(line -> System.err.println("hallmark serve: " + line))
        .workers(config.threads()).threadName("hallmark-serve").build(), routes());
  }

  /** Binds and starts serving. */
  public static HallmarkServer start(ServerConfig config) throws IOException {
    return new HallmarkServer(config);
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    return server.url();
  }

  /** The HTTP service (open and refused connections). */
  public HttpService http() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }

  private Routes routes() {
    long upload = config.maxUploadBytes();
    long json = Math.min(upload, ServerConfig.MAX_JSON_BYTES);
    Routes.Builder b = Routes.builder();
    for (Map.Entry<String, String> a : ASSETS.entrySet()) {
      b.add(Route.get(a.getKey(), ex -> asset(a.getValue())));
    }
    return b
        .add(Route.get("/api/v1/health", ex -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("status", "ok");
          m.put("watermarkKeys", config.keys().size());
          m.put("ledger", config.ledger() == null ? null : config.ledger().origin());
          return json(200, m);
        }))
        .add(Route.post("/api/v1/verify", ex -> {
          byte[] body = body(ex);
          String name = fileName(ex);
          checkPixels(body, name);
          return json(200, verify(body, name, ex.authenticated()).toMap());
        }).access(Access.OPTIONAL_TOKEN).maxBody(upload).maxConcurrent(config.expensiveConcurrency()))
        .add(Route.post("/api/v1/detect/image", ex -> {
          requireKeys();
          byte[] body = body(ex);
          String name = fileName(ex);
          checkPixels(body, name);
          ImageDetection d = imageDetector.detect(Images.read(body, name), doubleParam(ex, "alpha", VerifierSettings.DEFAULT_ALPHA));
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("detected", d.detected());
          m.put("pValue", d.pValue());
          m.put("alpha", d.alpha());
          m.put("keysTried", d.keysTried());
          m.put("keyId", d.keyId());
          m.put("payload", d.payload() == null ? null : dev.hallmark.core.Hex.encode(d.payload()));
          m.put("payloadValid", d.payloadValid());
          m.put("scale", d.scale());
          return json(200, m);
        }).access(Access.TOKEN).maxBody(upload))
        .add(Route.post("/api/v1/detect/text", ex -> {
          requireKeys();
          JsonNode req = jsonBody(ex);
          String text = requiredText(req, "text");
          double alpha = number(req, "alpha", TextDetectionSettings.DEFAULT.alpha(), a -> a > 0 && a < 1, "a number in (0, 1)");
          return json(200, Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT.withAlpha(alpha), config.keys()).detect(text).toMap());
        }).access(Access.TOKEN).maxBody(json))
        .add(Route.post("/api/v1/tag/image", ex -> {
          requireTagger();
          byte[] body = body(ex);
          String name = fileName(ex);
          checkPixels(body, name);
          TagRequest r = tagRequest(ex.query("model"), ex.query("format"), ex.query("quality"));
          TagResult t = config.tagger().tagImage(body, name, r);
          Map<String, Object> m = tagResult(t);
          // The upload's own Content Credentials do not survive the new pixels: say so, as tag does.
          m.put("inputC2paRemoved", dev.hallmark.cli.options.InputFiles.carriesC2pa(body));
          m.put("image", Base64.getEncoder().encodeToString(t.output()));
          return json(200, m);
        }).access(Access.TOKEN).maxBody(upload))
        .add(Route.post("/api/v1/tag/text", ex -> {
          requireTagger();
          JsonNode req = jsonBody(ex);
          TagResult t = config.tagger().tagText(requiredText(req, "text"), tagRequest(optionalText(req, "model"), null, null));
          return json(200, tagResult(t));
        }).access(Access.TOKEN).maxBody(json))
        .add(Route.get("/api/v1/ledger/info", ex -> {
          requireLedger();
          try (LedgerSnapshot s = config.ledger().snapshot()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("origin", config.ledger().origin());
            m.put("logKey", config.ledger().logKey().encode());
            m.put("size", s.size());
            m.put("checkpoint", s.checkpoint().encode());
            return json(200, m);
          }
        }))
        .add(Route.get("/api/v1/ledger/checkpoint", ex -> {
          requireLedger();
          try (LedgerSnapshot s = config.ledger().snapshot()) {
            return Response.text(200, s.checkpoint().encode());
          }
        }))
        .add(Route.post("/api/v1/ledger/lookup", ex -> {
          requireLedger();
          return json(200, Map.of("hits", lookup(jsonBody(ex))));
        }).maxBody(json))
        .add(Route.get("/api/v1/ledger/records/", ex -> {
          requireLedger();
          return record(ex.pathRemainder());
        }).prefix())
        // C2PA Soft Binding API (a manifest repository over the ledger).
        .add(Route.get("/matches/byBinding", ex -> softBinding(ex, "/matches/byBinding", new byte[0])))
        .add(Route.post("/matches/byContent", ex -> {
          byte[] body = body(ex);
          checkPixels(body, "upload");
          return softBinding(ex, "/matches/byContent", body);
          // It runs the secret keys' detector: open to the public it would answer "does the mark
          // still read" for every edit an attacker tries (docs/SECURITY.md), as detect/image would.
        }).access(Access.TOKEN).maxBody(upload).maxConcurrent(config.expensiveConcurrency()))
        .add(Route.get("/manifests/", ex -> softBinding(ex, ex.path(), new byte[0])).prefix())
        .errors(e -> e instanceof HallmarkException || e instanceof IllegalArgumentException
            ? new HttpError(422, "unprocessable", e.getMessage()) : null)
        .build();
  }

  private Response softBinding(Request ex, String path, byte[] body) throws Exception {
    SoftBindingRoutes.Response r = new SoftBindingRoutes(config, imageDetector).handle(ex.queryMap(), path, body);
    return r.json() != null ? json(r.status(), r.json()) : Response.of(r.status(), r.contentType(), r.bytes());
  }

  /** Refuses an image whose header announces more pixels than the budget, before decoding it. */
  private void checkPixels(byte[] body, String name) throws HttpError {
    long[] wh = Images.dimensions(body);
    if (wh != null && wh[0] * wh[1] > config.maxImagePixels()) {
      throw new HttpError(413, "too-many-pixels", name + ": image is " + wh[0] + "x" + wh[1] + " = " + wh[0] * wh[1]
          + " pixels, over this server's budget of " + config.maxImagePixels() + " pixels per image");
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
    // A member given as null is a 400 naming it (docs/spec/verify.md), never "not given": a null
    // payload read as absent answered with the records of every payload.
    for (java.util.Iterator<Map.Entry<String, JsonNode>> it = q.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        throw new HttpError(400, "bad-request", "'" + e.getKey() + "' is null; leave it out, or give a value");
      }
    }
    LedgerSource s = Provenance.ledger(config.ledger());
    List<LedgerHit> hits;
    if (q.hasNonNull("sha256")) {
      hits = s.bySha256(hex(q, "sha256", 64));
    } else if (q.hasNonNull("imageHash")) {
      int d = integer(q, "maxDistance", VerifierSettings.DEFAULT_MAX_IMAGE_DISTANCE, 0, 31);
      hits = s.byImageHash(hex(q, "imageHash", 64), d);
    } else if (q.hasNonNull("minHash")) {
      int[] mh = minHash(q);
      double j = number(q, "minJaccard", VerifierSettings.DEFAULT_MIN_TEXT_SIMILARITY, v -> v > 0 && v <= 1, "a number in (0, 1]");
      if (q.hasNonNull("keyId")) {
        // At most 100 hits by watermark and text, however many are asked for.
        hits = s.byWatermarkAndText(hex(q, "keyId", 16), mh, j, Math.min(100, integer(q, "limit", 10, 1, 100_000)));
      } else {
        hits = s.byMinHash(mh, j);
      }
    } else if (q.hasNonNull("keyId")) {
      String payload = q.hasNonNull("payload") ? hex(q, "payload", 16) : null;
      int limit = integer(q, "limit", 100, 1, 100_000);
      hits = s.byWatermark(hex(q, "keyId", 16), payload, limit);
    } else {
      throw new HttpError(400, "bad-request", "give one of sha256, imageHash, minHash or keyId");
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

  private static int[] minHash(JsonNode q) throws HttpError {
    JsonNode a = q.get("minHash");
    if (!a.isArray() || a.size() != 128) {
      throw new HttpError(400, "bad-request", "minHash must be an array of 128 unsigned 32-bit integers");
    }
    try {
      return dev.hallmark.ledger.Record.minHashValues(a, "minHash");
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "bad-request", e.getMessage());
    }
  }

  private Response record(String idx) throws Exception {
    long index;
    try {
      index = Long.parseLong(idx);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "bad-request", "record index must be a decimal number, got '" + idx + "'");
    }
    try (LedgerSnapshot s = config.ledger().snapshot()) {
      if (index < 0 || index >= s.size()) {
        throw new HttpError(404, "not-found", "no record " + index + " (the latest checkpoint has " + s.size() + " entries)");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", index);
      m.put("record", JSON.readTree(s.entry(index)));
      m.put("receipt", s.receipt(index).encode());
      return json(200, m);
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
    t.imageMarkCheck().ifPresent(c -> m.put("markCheck", c.toMap()));
    return m;
  }

  private TagRequest tagRequest(String model, String format, String quality) throws HttpError {
    try {
      int q = quality == null ? TagRequest.SAME_AS_SOURCE : Integer.parseInt(quality);
      if (quality != null && q == TagRequest.SAME_AS_SOURCE) {
        throw new HttpError(400, "bad-request", "quality must be an integer 1-100");
      }
      String m = model == null || model.isBlank() ? config.defaultModel() : model;
      if (m == null) {
        throw new HttpError(400, "bad-request", "model is required (no default model configured)");
      }
      return new TagRequest(m, format == null ? null : format.toLowerCase(Locale.ROOT), q);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "bad-request", "quality must be an integer 1-100");
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "bad-request", e.getMessage());
    }
  }

  private static String hex(JsonNode q, String field, int len) throws HttpError {
    JsonNode n = q.get(field);
    String v = n != null && n.isTextual() ? n.textValue() : "";
    if (!v.matches("[0-9a-f]{" + len + "}")) {
      throw new HttpError(400, "bad-request", field + " must be " + len + " lower-case hex digits");
    }
    return v;
  }

  private static String requiredText(JsonNode req, String field) throws HttpError {
    JsonNode n = req.get(field);
    if (n == null || !n.isTextual()) {
      throw new HttpError(400, "bad-request", "JSON member '" + field + "' (a string) is required");
    }
    return n.textValue();
  }

  /*
   * Optional members of a JSON body. Absent gives the default; present, a member must have the type
   * it is documented with. Jackson's asDouble/asInt/asText turn a string, null, array or object into
   * the default (or "0.5" into 0.5) in silence, which answered a request the client did not make.
   */

  /** An optional number member that satisfies {@code ok} (described by {@code rule}). */
  private static double number(JsonNode req, String field, double dflt, java.util.function.DoublePredicate ok,
      String rule) throws HttpError {
    JsonNode n = req.get(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isNumber() || !ok.test(n.doubleValue())) {
      throw badMember(field, rule, n);
    }
    return n.doubleValue();
  }

  /** An optional integer member in [{@code min}, {@code max}]. */
  private static int integer(JsonNode req, String field, int dflt, int min, int max) throws HttpError {
    JsonNode n = req.get(field);
    if (n == null) {
      return dflt;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
      throw badMember(field, "an integer " + min + "-" + max, n);
    }
    return n.intValue();
  }

  /** An optional string member; null when absent. */
  private static String optionalText(JsonNode req, String field) throws HttpError {
    JsonNode n = req.get(field);
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw badMember(field, "a string", n);
    }
    return n.textValue();
  }

  private static HttpError badMember(String field, String rule, JsonNode got) {
    String what = switch (got.getNodeType()) {
      case NUMBER -> got.asText();
      case STRING -> "a string";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> got.getNodeType().name().toLowerCase(Locale.ROOT);
    };
    return new HttpError(400, "bad-request", "JSON member '" + field + "' must be " + rule + ", got " + what);
  }

  private void requireKeys() throws HttpError {
    if (config.keys().isEmpty()) {
      throw new HttpError(503, "no-keys", "this server has no watermark keys (start it with --key)");
    }
  }

  private void requireTagger() throws HttpError {
    if (config.tagger() == null) {
      throw new HttpError(503, "no-tagger", "this server does not tag (start it with --ledger, --signing-key and --tag-key)");
    }
  }

  private void requireLedger() throws HttpError {
    if (config.ledger() == null) {
      throw new HttpError(503, "no-ledger", "this server has no ledger (start it with --ledger DIR)");
    }
  }

  /** The upload, which must not be empty. */
  private static byte[] body(Request ex) throws IOException, HttpError {
    byte[] b = ex.bodyBytes();
    if (b.length == 0) {
      throw new HttpError(400, "empty-body", "the request body is empty: send the file's bytes");
    }
    return b;
  }

  private static JsonNode jsonBody(Request ex) throws IOException, HttpError {
    String ct = ex.header("Content-Type");
    if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw new HttpError(415, "unsupported-media-type", "send Content-Type: application/json");
    }
    byte[] b = body(ex);
    JsonNode n;
    try {
      // Strict: nothing may follow the object ({"text":"hello"} garbage), and no member is named twice.
      n = JsonInput.parse(b);
    } catch (JsonInput.MalformedJsonException e) {
      throw new HttpError(400, "bad-json", "the body is not valid JSON: " + e.getMessage());
    }
    if (!n.isObject()) {
      throw new HttpError(400, "bad-json", "the body must be a JSON object");
    }
    return n;
  }

  private static String fileName(Request ex) {
    String n = ex.header("X-File-Name");
    if (n == null) {
      n = ex.query("name");
    } else {
      try {
        n = URLDecoder.decode(n, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        // not %-encoded after all: use it as sent
      }
    }
    if (n == null || n.isBlank()) {
      return "upload";
    }
    n = n.replaceAll("[\\p{Cntrl}]", "");
    return n.length() > 200 ? n.substring(0, 200) : n;
  }

  private static double doubleParam(Request ex, String name, double dflt) throws HttpError {
    String v = ex.query(name);
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
      throw new HttpError(400, "bad-request", name + " must be a number in (0, 1)");
    }
  }

  private static Response asset(String name) throws IOException, HttpError {
    try (InputStream in = HallmarkServer.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new HttpError(404, "not-found", "no such page: " + name);
      }
      String type = name.endsWith(".html") ? "text/html; charset=utf-8"
          : name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
      return Response.of(200, type, in.readAllBytes()).withHeader("Content-Security-Policy",
          "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    }
  }

  private static Response json(int status, Object value) throws IOException {
    return Response.json(status, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
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
