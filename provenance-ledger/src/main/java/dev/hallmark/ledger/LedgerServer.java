package dev.hallmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.hallmark.ledger.internal.TilePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP front end of an open {@link Ledger} (JDK {@code com.sun.net.httpserver}): the C2SP tlog-tiles
 * read API ({@code GET /checkpoint}, {@code /tile/...}) served from the log folder, plus JSON
 * endpoints. {@code POST /add} needs {@code Authorization: Bearer <token>} and takes signed records
 * (one JSON object or JSON Lines); {@code GET /get?index=N}, {@code GET /lookup?sha256=H} (or
 * {@code imageHash=H&maxDistance=D}), {@code POST /lookup} with {@code {"textMinHash":[...],
 * "minJaccard":J}}, and {@code GET /prove?index=N|sha256=H} (a tlog-proof) read the latest
 * checkpoint. Request bodies are size-limited; nothing but the tiles and the checkpoint is served
 * from disk.
 */
public final class LedgerServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Request limits. */
  public record Limits(int maxBodyBytes, int maxRecordsPerRequest, int threads) {
    public static final Limits DEFAULT = new Limits(8 << 20, 10_000, 8);

    public Limits {
      if (maxBodyBytes < 1024 || maxRecordsPerRequest < 1 || threads < 1) {
        throw new IllegalArgumentException("limits must be positive (body at least 1024 bytes)");
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService pool;
  private final Ledger ledger;
  private final Path dir;
  private final byte[] token;
  private final Limits limits;

  private LedgerServer(HttpServer server, ExecutorService pool, Ledger ledger, Path dir, String token, Limits limits) {
    this.server = server;
    this.pool = pool;
    this.ledger = ledger;
    this.dir = dir;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.limits = limits;
  }

  /**
   * Starts serving {@code ledger} (whose folder is {@code dir}) on {@code address}.
   *
   * @param token bearer token for writes; null disables {@code POST /add}
   */
  public static LedgerServer start(Ledger ledger, Path dir, InetSocketAddress address, String token, Limits limits) throws IOException {
    HttpServer s = HttpServer.create(address, 64);
    ExecutorService pool = Executors.newFixedThreadPool(limits.threads(), r -> {
      Thread t = new Thread(r, "hallmark-ledger-http");
      t.setDaemon(true);
      return t;
    });
    LedgerServer ls = new LedgerServer(s, pool, ledger, dir, token, limits);
    s.createContext("/", ls::handle);
    s.setExecutor(pool);
    s.start();
    return ls;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      try {
        if (path.equals("/checkpoint")) {
          requireGet(method);
          byte[] b = Files.readAllBytes(dir.resolve("checkpoint"));
          ex.getResponseHeaders().set("Cache-Control", "no-cache, max-age=0");
          send(ex, 200, "text/plain; charset=utf-8", b);
        } else if (path.startsWith("/tile/")) {
          requireGet(method);
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
          ex.getResponseHeaders().set("Cache-Control", "public, max-age=31536000, immutable");
          send(ex, 200, "application/octet-stream", b);
        } else if (path.equals("/add")) {
          if (!method.equals("POST")) {
            throw new HttpError(405, "use POST for /add");
          }
          authorize(ex);
          add(ex);
        } else if (path.equals("/get")) {
          requireGet(method);
          long i = longParam(query(ex), "index");
          try (LedgerSnapshot s = ledger.snapshot()) {
            ObjectNode o = JSON.createObjectNode();
            o.put("index", i);
            o.set("record", s.get(i).toJson(true));
            sendJson(ex, 200, o);
          }
        } else if (path.equals("/lookup")) {
          lookup(ex, method);
        } else if (path.equals("/prove")) {
          requireGet(method);
          Map<String, String> q = query(ex);
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
            send(ex, 200, "text/plain; charset=utf-8", s.receipt(i).encode().getBytes(StandardCharsets.UTF_8));
          }
        } else {
          throw new HttpError(404, "unknown endpoint " + path);
        }
      } catch (HttpError e) {
        error(ex, e.status, e.getMessage());
      } catch (LedgerException e) {
        // A storage failure is the server's, and passes once the fault is cleared: 503. Else the request's: 400.
        if (e.isWriteFailure()) {
          ex.getResponseHeaders().set("Retry-After", "1");
        }
        error(ex, e.isWriteFailure() ? 503 : 400, e.getMessage()
            + (e.mayHaveLanded() ? " (some records may have landed; send them again: those in the log answer with their index)" : ""));
      } catch (IllegalArgumentException e) {
        error(ex, 400, e.getMessage());
      } catch (IOException | RuntimeException e) {
        error(ex, 500, "internal error: " + e.getClass().getSimpleName());
      }
    }
  }

  private void authorize(HttpExchange ex) throws HttpError {
    if (token == null) {
      throw new HttpError(403, "writes are disabled on this server (started without a token)");
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    byte[] given = h != null && h.startsWith("Bearer ") ? h.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      throw new HttpError(401, "missing or wrong bearer token");
    }
  }

  private void add(HttpExchange ex) throws IOException, HttpError, LedgerException {
    byte[] body = body(ex);
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
    sendJson(ex, 200, o);
  }

  private void lookup(HttpExchange ex, String method) throws IOException, HttpError, LedgerException {
    List<Match> ms;
    try (LedgerSnapshot s = ledger.snapshot()) {
      if (method.equals("GET")) {
        Map<String, String> q = query(ex);
        int limit = q.containsKey("limit") ? (int) longParam(q, "limit") : 20;
        if (q.containsKey("sha256")) {
          ms = s.findBySha256(q.get("sha256"));
        } else if (q.containsKey("imageHash")) {
          int d = q.containsKey("maxDistance") ? (int) longParam(q, "maxDistance") : 31;
          ms = s.findImage(q.get("imageHash"), d, Math.min(limit, 1000));
        } else {
          throw new HttpError(400, "pass sha256=H or imageHash=H[&maxDistance=D], or POST {\"textMinHash\":[...]}");
        }
      } else if (method.equals("POST")) {
        JsonNode n;
        try {
          n = JSON.readTree(body(ex));
        } catch (IOException e) {
          throw new HttpError(400, "request body is not JSON");
        }
        JsonNode mh = n == null ? null : n.get("textMinHash");
        if (mh == null || !mh.isArray() || mh.size() != Record.MINHASH_LENGTH) {
          throw new HttpError(400, "POST /lookup needs {\"textMinHash\": [128 unsigned 32-bit integers], \"minJaccard\": J}");
        }
        int[] sig = new int[Record.MINHASH_LENGTH];
        for (int i = 0; i < sig.length; i++) {
          sig[i] = (int) mh.get(i).asLong();
        }
        ms = s.findText(sig, n.path("minJaccard").asDouble(0.5), Math.min(n.path("limit").asInt(20), 1000));
      } else {
        throw new HttpError(405, "use GET or POST for /lookup");
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
    sendJson(ex, 200, a);
  }

  private byte[] body(HttpExchange ex) throws IOException, HttpError {
    String cl = ex.getRequestHeaders().getFirst("Content-Length");
    if (cl != null) {
      try {
        if (Long.parseLong(cl) > limits.maxBodyBytes()) {
          drain(ex.getRequestBody());
          throw new HttpError(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
        }
      } catch (NumberFormatException e) {
        throw new HttpError(400, "bad Content-Length");
      }
    }
    InputStream in = ex.getRequestBody();
    byte[] b = in.readNBytes(limits.maxBodyBytes() + 1);
    if (b.length > limits.maxBodyBytes()) {
      drain(in);
      throw new HttpError(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
    }
    return b;
  }

  /**
   * Discards up to 4x the body limit of an oversized request so the client can read the 413 answer
   * (closing with unread bytes makes TCP reset the connection); beyond that the connection is cut.
   */
  private void drain(InputStream in) {
    byte[] buf = new byte[64 << 10];
    long left = 4L * limits.maxBodyBytes();
    try {
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  private static void requireGet(String method) throws HttpError {
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new HttpError(405, "use GET");
    }
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> m = new HashMap<>();
    String q = ex.getRequestURI().getRawQuery();
    if (q == null) {
      return m;
    }
    for (String kv : q.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
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

  private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", message == null ? "error" : message);
    sendJson(ex, status, o);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }
  }

  /** Stops accepting requests and waits briefly for those in flight; the ledger stays open. */
  @Override
  public void close() {
    server.stop(1);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
