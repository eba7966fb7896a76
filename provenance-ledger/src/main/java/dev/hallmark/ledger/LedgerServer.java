package dev.hallmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hallmark.core.LineReader;
import dev.hallmark.core.http.Access;
import dev.hallmark.core.http.HttpService;
import dev.hallmark.core.http.HttpSettings;
import dev.hallmark.core.http.Request;
import dev.hallmark.core.http.Response;
import dev.hallmark.core.http.Route;
import dev.hallmark.core.http.Routes;
import dev.hallmark.ledger.internal.TilePaths;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP front end of an open {@link Ledger}, on Hallmark's one HTTP layer ({@link HttpService}: header
 * and request timeouts, per-client connection limits, the one bearer rule, JSON errors, security
 * headers): the C2SP tlog-tiles read API ({@code GET /checkpoint}, {@code /tile/...}) served from the
 * log folder, plus JSON endpoints. {@code POST /add} needs {@code Authorization: Bearer <token>} (401
 * without or with a wrong one, 403 when the server has no token) and takes signed records (one JSON
 * object or JSON Lines, answered once; with {@code Accept: application/x-ndjson}, JSON Lines of any
 * length answered line by line as each record is durable); {@code GET /get?index=N}, {@code GET /lookup?sha256=H} (or
 * {@code imageHash=H&maxDistance=D}), {@code POST /lookup} with {@code {"textMinHash":[...],
 * "minJaccard":J}}, and {@code GET /prove?index=N|sha256=H} (a tlog-proof) read the latest
 * checkpoint. Request bodies are size-limited; nothing but the tiles and the checkpoint is served
 * from disk.
 */
public final class LedgerServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Request limits; {@code threads} is the number of requests handled at once. */
  public record Limits(int maxBodyBytes, int maxRecordsPerRequest, int threads) {
    public static final Limits DEFAULT = new Limits(8 << 20, 10_000, 8);

    public Limits {
      if (maxBodyBytes < 1024 || maxRecordsPerRequest < 1 || threads < 1) {
        throw new IllegalArgumentException("limits must be positive (body at least 1024 bytes)");
      }
    }
  }

  private final HttpService server;
  private final Ledger ledger;
  private final Path dir;
  private final Limits limits;

  private LedgerServer(Ledger ledger, Path dir, Limits limits, HttpSettings settings) throws IOException {
    this.ledger = ledger;
    this.dir = dir;
    this.limits = limits;
    this.server = HttpService.start(settings, routes());
  }

  /**
   * Starts serving {@code ledger} (whose folder is {@code dir}) on {@code address} with the default
   * connection limits and timeouts of {@link HttpSettings}.
   *
   * @param token bearer token for writes; null disables {@code POST /add} (403)
   */
  public static LedgerServer start(Ledger ledger, Path dir, InetSocketAddress address, String token, Limits limits) throws IOException {
    return start(ledger, dir, address, token, limits, null);
  }

  /**
   * As {@link #start(Ledger, Path, InetSocketAddress, String, Limits)}, with a line to {@code errorLog}
   * for every request that failed on the server's side (5xx: a storage fault, an internal error),
   * so the operator sees what clients only see as a status.
   */
  public static LedgerServer start(Ledger ledger, Path dir, InetSocketAddress address, String token, Limits limits,
      java.util.function.Consumer<String> errorLog) throws IOException {
    // An address that did not resolve (a typo, 999.1.1.1) is passed on by name, so that binding fails
    // with "cannot listen on ..." instead of a NullPointerException.
    String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    return start(ledger, dir, HttpSettings.builder().bind(host).port(address.getPort())
        .token(token).workers(limits.threads()).threadName("hallmark-ledger-http").errorLog(errorLog).build(), limits);
  }

  /** Starts serving {@code ledger} with explicit HTTP settings (bind, port, token, timeouts, connection limits). */
  public static LedgerServer start(Ledger ledger, Path dir, HttpSettings settings, Limits limits) throws IOException {
    return new LedgerServer(ledger, dir, limits, settings);
  }

  public int port() {
    return server.port();
  }

  /** The HTTP service (its address, open and refused connections). */
  public HttpService http() {
    return server;
  }

  /** Keeps the two-argument error of this class's handlers; the code follows from the status. */
  private static final class HttpError extends dev.hallmark.core.http.HttpError {
    private static final long serialVersionUID = 1L;

    HttpError(int status, String message) {
      super(status, switch (status) {
        case 400 -> "bad-request";
        case 404 -> "not-found";
        case 405 -> "method-not-allowed";
        case 413 -> "too-large";
        case 503 -> "unavailable";
        default -> "error";
      }, message);
    }
  }

  private Routes routes() {
    return Routes.builder()
        .add(Route.get("/checkpoint", ex -> {
          byte[] b = Files.readAllBytes(dir.resolve("checkpoint"));
          return Response.of(200, "text/plain; charset=utf-8", b).withHeader("Cache-Control", "no-cache, max-age=0");
        }))
        .add(Route.get("/tile/", ex -> {
          String path = ex.path();
          String rel = path.substring(1);
          if (!TilePaths.isValid(rel)) {
            throw new HttpError(404, "not a tlog-tiles resource: " + path);
          }
          byte[] b;
          try {
            b = Files.readAllBytes(dir.resolve(rel));
          } catch (NoSuchFileException e) {
            throw new HttpError(404, "no such tile: " + path);
          }
          return Response.of(200, "application/octet-stream", b).withHeader("Cache-Control", "public, max-age=31536000, immutable");
        }).prefix())
        // No transport limit: a streamed add may run for hours. A whole-body add enforces
        // maxBodyBytes itself; a streamed one bounds each record (line) by it.
        .add(Route.post("/add", this::add).access(Access.TOKEN).maxBody(Long.MAX_VALUE))
        .add(Route.get("/get", ex -> {
          long i = longParam(ex.queryMap(), "index");
          try (LedgerSnapshot s = ledger.snapshot()) {
            ObjectNode o = JSON.createObjectNode();
            o.put("index", i);
            o.set("record", s.get(i).toJson(true));
            return json(o);
          }
        }))
        .add(Route.of("/lookup", this::lookup, "GET", "POST").maxBody(limits.maxBodyBytes()))
        .add(Route.get("/prove", ex -> {
          Map<String, String> q = ex.queryMap();
          try (LedgerSnapshot s = ledger.snapshot()) {
            long i;
            if (q.containsKey("index")) {
              i = longParam(q, "index");
            } else if (q.containsKey("sha256")) {
              List<Match> ms = s.findBySha256(q.get("sha256"));
              if (ms.isEmpty()) {
                throw new HttpError(404, "no record with that contentSha256 in the latest checkpoint");
              }
              i = ms.get(0).index();
            } else {
              throw new HttpError(400, "pass index=N or sha256=H");
            }
            return Response.text(200, s.receipt(i).encode());
          }
        }))
        .errors(LedgerServer::mapError)
        .build();
  }

  /**
   * A storage failure is the server's and passes once the fault is cleared: 503 with Retry-After.
   * Any other ledger or argument error is the request's: 400. Null: not ours (the layer answers 500).
   */
  private static dev.hallmark.core.http.HttpError mapError(Exception e) {
    if (!(e instanceof LedgerException || e instanceof IllegalArgumentException)) {
      return null;
    }
    String landed = e instanceof LedgerException le && le.mayHaveLanded()
        ? " (some records may have landed; send them again: those in the log answer with their index)" : "";
    if (e instanceof LedgerException le && le.isWriteFailure()) {
      return new HttpError(503, e.getMessage() + landed).withHeader("Retry-After", "1");
    }
    return new HttpError(400, e.getMessage() + landed);
  }

  /** Content type of a streamed {@code POST /add}: asked for with {@code Accept}, answered in. */
  public static final String NDJSON = "application/x-ndjson";

  /** Records per chunk of a streamed add (one group commit at most; fewer when the client pauses). */
  private static final int STREAM_CHUNK = 256;

  /** Chunks of a streamed add submitted and not yet acknowledged: bounds the server's memory per stream. */
  private static final int STREAM_IN_FLIGHT = 8;

  private Response add(Request ex) throws IOException, dev.hallmark.core.http.HttpError, LedgerException {
    if (wantsStream(ex.header("accept"))) {
      return Response.stream(200, NDJSON + "; charset=utf-8", out -> addStream(ex, out));
    }
    if (ex.contentLength() > limits.maxBodyBytes()) {
      throw tooLarge();
    }
    byte[] body = ex.body().readNBytes(limits.maxBodyBytes() + 1);
    if (body.length > limits.maxBodyBytes()) {
      throw tooLarge();
    }
    List<Record> records = new ArrayList<>();
    String text = new String(body, StandardCharsets.UTF_8).strip();
    String[] lines = text.startsWith("{") && !text.contains("\n{") ? new String[] {text} : text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      if (records.size() >= limits.maxRecordsPerRequest()) {
        throw new HttpError(413, "more than " + limits.maxRecordsPerRequest() + " records in one request");
      }
      try {
        records.add(Record.parse(lines[i].getBytes(StandardCharsets.UTF_8)));
      } catch (LedgerException e) {
        throw new HttpError(400, "record " + (i + 1) + ": " + e.getMessage());
      }
    }
    if (records.isEmpty()) {
      throw new HttpError(400, "no records in the request body");
    }
    List<Appended> out;
    try {
      // Rejected records (unsigned, bad signature, too large) throw here: the request's fault, 400.
      java.util.concurrent.CompletableFuture<List<Appended>> f = ledger.appendDetailed(records);
      out = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpError(503, "server is shutting down");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof LedgerException le && le.isWriteFailure() ? le
          : c instanceof LedgerException le2 ? LedgerException.writeFailure(le2.getMessage(), le2)
          : LedgerException.writeFailure("append failed: " + c, c);
    }
    ObjectNode o = JSON.createObjectNode();
    ArrayNode a = o.putArray("indices");
    boolean anyExisting = false;
    for (Appended x : out) {
      a.add(x.index());
      anyExisting |= x.existing();
    }
    if (anyExisting) {
      // Appends are idempotent: a record already in the log keeps its index and is not added again.
      ArrayNode e = o.putArray("existing");
      out.forEach(x -> e.add(x.existing()));
    }
    o.put("durable", true);
    return json(o);
  }

  private HttpError tooLarge() {
    return new HttpError(413, "request body is over the limit of " + limits.maxBodyBytes() + " bytes (send JSON Lines"
        + " with 'Accept: " + NDJSON + "' to stream any number of records)");
  }

  static boolean wantsStream(String accept) {
    if (accept == null) {
      return false;
    }
    for (String part : accept.split(",")) {
      if (part.split(";")[0].strip().equalsIgnoreCase(NDJSON)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A streamed add (docs/spec/ledger.md, section 8): JSON Lines are read as they arrive, appended in
   * chunks, and each record is acknowledged with one line {@code {"line":K,"index":N}} as soon as its
   * group commit is durable, in input order, with bounded memory. The last line is either
   * {@code {"done":true,...}} or an error line naming how many records were acknowledged and whether
   * later ones may have landed; nothing after an error is read. A client that goes away stops the
   * stream; records it sent may have landed, and sending them again answers with their existing index.
   */
  private void addStream(Request ex, java.io.OutputStream out) throws IOException, InterruptedException {
    // Only the acknowledgement thread writes to out until stream.close() has joined it; the last line after.
    AppendStream<Long> stream = AppendStream.open(ledger, STREAM_IN_FLIGHT, (lines, outcomes) -> {
      StringBuilder b = new StringBuilder(lines.size() * 32);
      for (int i = 0; i < lines.size(); i++) {
        Appended a = outcomes.get(i);
        b.append("{\"line\":").append(lines.get(i)).append(",\"index\":").append(a.index());
        b.append(a.existing() ? ",\"existing\":true}\n" : "}\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    });
    java.io.InputStream in = ex.body();
    LineReader reader = new LineReader(in, limits.maxBodyBytes());
    List<Record> records = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    long lineNo = 0;
    HttpError failure = null; // what ends the stream early; its status gives the code, as for any other error
    try {
      byte[] line;
      while (true) {
        try {
          line = reader.next();
        } catch (LineReader.LineTooLongException e) {
          failure = new HttpError(413, "line " + (lineNo + 1) + " is over the limit of " + limits.maxBodyBytes() + " bytes per record");
          break;
        }
        if (line == null) {
          break;
        }
        lineNo++;
        if (LineReader.isBlank(line)) {
          continue;
        }
        try {
          records.add(Record.parse(line));
        } catch (LedgerException e) {
          failure = new HttpError(400, "line " + lineNo + ": " + e.getMessage());
          break;
        }
        lines.add(lineNo);
        // Submit what has arrived: a client that sends one record and waits gets its acknowledgement.
        if (records.size() >= STREAM_CHUNK || (!reader.hasBuffered() && in.available() == 0)) {
          submit(stream, records, lines);
        }
      }
      // The records before a bad line are still appended: the acknowledgements run up to it.
      submit(stream, records, lines);
    } catch (LedgerException e) {
      // a rejected chunk (bad signature, unsigned, too large): nothing of it was appended
      failure = e.isWriteFailure() ? new HttpError(503, e.getMessage())
          : new HttpError(400, "a record in lines " + lines.get(0) + "-" + lines.get(lines.size() - 1)
              + " was rejected, none of them was appended: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      // the request body failed (the client went away or broke its framing): no one to answer
      try {
        stream.close();
      } catch (LedgerException ignored) {
        // the reason the caller sees is the body's
      }
      throw e;
    }
    // Wait for every submitted chunk to be acknowledged (or for the stream's first failure).
    try {
      stream.close();
    } catch (LedgerException e) {
      Exception f = stream.failure();
      if (f instanceof IOException io) {
        throw io; // the acknowledgements could not be written: the client is gone
      }
      failure = new HttpError(e.isWriteFailure() ? 503 : 500, e.getMessage());
    }
    StringBuilder last = new StringBuilder();
    if (failure == null) {
      last.append("{\"done\":true,\"records\":").append(stream.acknowledged()).append(",\"existing\":")
          .append(stream.existing()).append(",\"durable\":true}\n");
    } else {
      boolean mayHaveLanded = stream.failure() != null;
      ObjectNode err = JSON.createObjectNode();
      ObjectNode e = err.putObject("error");
      e.put("status", failure.status());
      e.put("code", failure.code());
      e.put("message", failure.getMessage() + "; " + stream.acknowledged() + " records were acknowledged and are in the log"
          + (mayHaveLanded ? "; later ones may or may not be: send them again, those in the log answer with their index"
              : "; nothing after them was appended"));
      e.put("acknowledged", stream.acknowledged());
      e.put("mayHaveLanded", mayHaveLanded);
      last.append(JSON.writeValueAsString(err)).append('\n');
    }
    out.write(last.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void submit(AppendStream<Long> stream, List<Record> records, List<Long> lines)
      throws LedgerException, InterruptedException {
    if (records.isEmpty()) {
      return;
    }
    stream.append(records, lines);
    records.clear();
    lines.clear();
  }

  private Response lookup(Request ex) throws IOException, dev.hallmark.core.http.HttpError, LedgerException {
    String method = ex.method();
    List<Match> ms;
    try (LedgerSnapshot s = ledger.snapshot()) {
      if (method.equals("GET")) {
        Map<String, String> q = ex.queryMap();
        long limit = q.containsKey("limit") ? longParam(q, "limit") : 20;
        if (limit < 1) {
          throw new HttpError(400, "limit must be an integer 1-1000");
        }
        if (q.containsKey("sha256")) {
          ms = s.findBySha256(q.get("sha256"));
        } else if (q.containsKey("imageHash")) {
          long d = q.containsKey("maxDistance") ? longParam(q, "maxDistance") : 31;
          if (d < 0 || d > 256) {
            throw new HttpError(400, "maxDistance must be 0-256 (bits of the 256-bit hash)");
          }
          ms = s.findImage(q.get("imageHash"), (int) d, (int) Math.min(limit, 1000));
        } else {
          throw new HttpError(400, "pass sha256=H or imageHash=H[&maxDistance=D], or POST {\"textMinHash\":[...]}");
        }
      } else {
        JsonNode n;
        try {
          // Strict, as every body is read: trailing content or a member named twice is refused, not dropped.
          n = dev.hallmark.ledger.internal.Jcs.parse(body(ex));
        } catch (IOException e) {
          throw new HttpError(400, "request body is not one JSON object: "
              + (e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage()));
        }
        JsonNode mh = n == null ? null : n.get("textMinHash");
        if (mh == null || !mh.isArray() || mh.size() != Record.MINHASH_LENGTH) {
          throw new HttpError(400, "POST /lookup needs {\"textMinHash\": [128 unsigned 32-bit integers], \"minJaccard\": J}");
        }
        int[] sig;
        try {
          sig = Record.minHashValues(mh, "textMinHash");
        } catch (IllegalArgumentException e) {
          throw new HttpError(400, e.getMessage());
        }
        JsonNode jn = n.get("minJaccard");
        if (jn != null && !jn.isNumber()) {
          throw new HttpError(400, "minJaccard must be a number in (0, 1]");
        }
        double j = jn == null ? 0.5 : jn.asDouble();
        if (!(j > 0 && j <= 1)) {
          throw new HttpError(400, "minJaccard must be a number in (0, 1]");
        }
        JsonNode ln = n.get("limit");
        if (ln != null && (!ln.isIntegralNumber() || ln.asLong() < 1 || ln.asLong() > 1000)) {
          throw new HttpError(400, "limit must be an integer 1-1000");
        }
        ms = s.findText(sig, j, ln == null ? 20 : ln.asInt());
      }
    }
    ArrayNode a = JSON.createArrayNode();
    for (Match m : ms) {
      ObjectNode o = a.addObject();
      o.put("index", m.index());
      o.put("similarity", m.similarity());
      if (m.distance() >= 0) {
        o.put("distance", m.distance());
      }
      o.set("record", m.record().toJson(true));
    }
    return json(a);
  }

  private static byte[] body(Request ex) throws IOException, dev.hallmark.core.http.HttpError {
    return ex.bodyBytes();
  }

  private static long longParam(Map<String, String> q, String name) throws HttpError {
    String v = q.get(name);
    if (v == null) {
      throw new HttpError(400, "missing parameter " + name);
    }
    try {
      long x = Long.parseLong(v);
      if (x < 0) {
        throw new NumberFormatException();
      }
      return x;
    } catch (NumberFormatException e) {
      throw new HttpError(400, "parameter " + name + " must be a non-negative integer");
    }
  }

  private static Response json(JsonNode body) throws IOException {
    return Response.json(200, JSON.writeValueAsBytes(body));
  }

  /** Stops accepting requests and waits briefly for those in flight; the ledger stays open. */
  @Override
  public void close() {
    server.close();
  }
}
