package dev.hallmark.core.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/1.1 server every Hallmark endpoint runs on: one accept loop, one thread per connection
 * (bounded in total and per client address), a fixed number of workers for request handling, and a
 * watchdog that closes any connection whose current phase (waiting for a request, reading headers,
 * reading a body, taking a response) passes its deadline. The JDK's {@code com.sun.net.httpserver}
 * reads headers on its worker threads with no timeout, so a few clients that send one header line
 * every few seconds block it; here such a client holds only its own connection until the header
 * timeout cuts it.
 *
 * <p>Routing, the bearer rule ({@link Access}, {@link BearerToken}), body limits, JSON errors and
 * security headers are applied the same way to every route. Bodies use Content-Length or chunked
 * framing (both at once is refused, against request smuggling); {@code Expect: 100-continue} is
 * honoured; keep-alive is supported.
 *
 * <pre>{@code
 * Routes routes = Routes.builder()
 *     .add(Route.get("/health", r -> Response.json(200, "{\"status\":\"ok\"}")))
 *     .add(Route.post("/add", this::add).access(Access.TOKEN).maxBody(8 << 20))
 *     .build();
 * try (HttpService s = HttpService.start(HttpSettings.builder().port(0).token(token).build(), routes)) {
 *   ... s.port() ...
 * }
 * }</pre>
 */
public final class HttpService implements AutoCloseable {
  private static final long SWEEP_MILLIS = 200;
  private static final int MAX_HEADERS = 100;
  private static final byte[] CRLF = {'\r', '\n'};

  private final HttpSettings settings;
  private final Routes routes;
  private final ServerSocket socket;
  private final ThreadPoolExecutor connections;
  private final ScheduledExecutorService watchdog;
  private final Semaphore workers;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closing;

  private HttpService(HttpSettings settings, Routes routes, ServerSocket socket) {
    this.settings = settings;
    this.routes = routes;
    this.socket = socket;
    AtomicInteger n = new AtomicInteger();
    this.connections = new ThreadPoolExecutor(0, settings.maxConnections() + 8, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, settings.threadName() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, settings.threadName() + "-watchdog");
      t.setDaemon(true);
      return t;
    });
    this.workers = new Semaphore(settings.workers(), true);
    this.acceptor = new Thread(this::acceptLoop, settings.threadName() + "-accept");
    this.acceptor.setDaemon(true);
  }

  /** Binds {@code settings.bind():settings.port()} and starts serving {@code routes}. */
  public static HttpService start(HttpSettings settings, Routes routes) throws IOException {
    ServerSocket ss = new ServerSocket();
    try {
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(InetAddress.getByName(settings.bind()), settings.port()), 256);
    } catch (IOException e) {
      ss.close();
      throw new IOException("cannot listen on " + settings.bind() + ":" + settings.port() + " (" + e.getMessage() + ")", e);
    }
    HttpService s = new HttpService(settings, routes, ss);
    s.watchdog.scheduleWithFixedDelay(s::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    s.acceptor.start();
    return s;
  }

  /** The bound port. */
  public int port() {
    return socket.getLocalPort();
  }

  /** The bound address and port. */
  public InetSocketAddress address() {
    return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080/}. */
  public String url() {
    String host = socket.getInetAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port() + "/";
  }

  /** Connections open now. */
  public int openConnections() {
    return active.get();
  }

  /** Connections refused so far because a connection limit was reached. */
  public int refusedConnections() {
    return refused.get();
  }

  public HttpSettings settings() {
    return settings;
  }

  /**
   * Stops accepting, lets requests being handled finish (up to 5 s), then closes every connection.
   */
  @Override
  public void close() {
    closing = true;
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
    for (Connection c : open) {
      if (!c.inHandler) {
        c.abort();
      }
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!open.isEmpty() && System.nanoTime() < end && open.stream().anyMatch(c -> c.inHandler)) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Connection c : open) {
      c.abort();
    }
    connections.shutdownNow();
    watchdog.shutdownNow();
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Connection c : open) {
      if (now - c.deadline > 0) {
        c.abort();
      }
    }
  }

  private void acceptLoop() {
    while (!closing) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        if (closing || socket.isClosed()) {
          return;
        }
        // e.g. too many open files: back off a little instead of spinning
        sleepQuietly(50);
        continue;
      }
      InetAddress client = s.getInetAddress();
      AtomicInteger forClient = perClient.computeIfAbsent(client, k -> new AtomicInteger());
      if (active.incrementAndGet() > settings.maxConnections()) {
        active.decrementAndGet();
        refuse(s, "the server has too many connections");
        continue;
      }
      if (forClient.incrementAndGet() > settings.maxConnectionsPerClient()) {
        forClient.decrementAndGet();
        active.decrementAndGet();
        refuse(s, "too many connections from your address (limit " + settings.maxConnectionsPerClient() + ")");
        continue;
      }
      Connection c = new Connection(s, client, forClient);
      open.add(c);
      try {
        connections.execute(c);
      } catch (RejectedExecutionException e) {
        c.release();
        refuse(s, "the server has too many connections");
      }
    }
  }

  private void refuse(Socket s, String why) {
    refused.incrementAndGet();
    try (s) {
      s.setSoTimeout(1000);
      byte[] body = new HttpError(503, "too-many-connections", why).toResponse().bodyUnsafe();
      String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: "
          + body.length + "\r\nRetry-After: 5\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\n\r\n";
      OutputStream o = s.getOutputStream();
      o.write(head.getBytes(StandardCharsets.ISO_8859_1));
      o.write(body);
      o.flush();
      s.shutdownOutput();
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A malformed request head: answered with {@code status} and the connection closed. */
  private static final class BadHead extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    BadHead(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static final class Head {
    String method;
    String target;
    boolean http11;
    final Map<String, List<String>> headers = new HashMap<>();

    String first(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : v.get(0);
    }
  }

  private final class Connection implements Runnable {
    final Socket s;
    final InetAddress client;
    final AtomicInteger forClient;
    volatile long deadline;
    volatile boolean inHandler;
    /** A streamed response is being written: body reads and sent chunks each renew the deadline. */
    volatile boolean streaming;
    /** The streamed response did not end cleanly: close without a final chunk. */
    boolean streamAborted;
    /** The current request asked for {@code 100 Continue} before sending its body. */
    boolean expectContinue;
    boolean continueSent;
    private boolean released;
    InputStream in;
    OutputStream out;

    Connection(Socket s, InetAddress client, AtomicInteger forClient) {
      this.s = s;
      this.client = client;
      this.forClient = forClient;
      this.deadline = System.nanoTime() + settings.headerTimeout().toNanos();
    }

    void abort() {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }

    synchronized void release() {
      if (!released) {
        released = true;
        open.remove(this);
        forClient.decrementAndGet();
        active.decrementAndGet();
        perClient.computeIfPresent(client, (k, v) -> v.get() <= 0 ? null : v);
      }
    }

    void deadlineIn(java.time.Duration d) {
      deadline = System.nanoTime() + d.toNanos();
    }

    void noDeadline() {
      deadline = System.nanoTime() + TimeUnit.DAYS.toNanos(3650);
    }

    @Override
    public void run() {
      try (s) {
        s.setTcpNoDelay(true);
        in = new BufferedInputStream(s.getInputStream(), 16 << 10);
        out = new BufferedOutputStream(s.getOutputStream(), 16 << 10);
        boolean first = true;
        while (!closing) {
          if (!first) {
            deadlineIn(settings.idleTimeout());
          }
          int b = in.read();
          if (b < 0) {
            return;
          }
          if (!first) {
            deadlineIn(settings.headerTimeout());
          }
          first = false;
          if (!exchange(b)) {
            return;
          }
        }
      } catch (IOException e) {
        // closed by the client, by the watchdog or by close(): nothing to answer
      } finally {
        release();
      }
    }

    /** Reads one request (its first byte already read) and answers it; false to close the connection. */
    private boolean exchange(int firstByte) throws IOException {
      Head head;
      try {
        head = readHead(firstByte);
      } catch (BadHead e) {
        write(new HttpError(e.status, e.status == 431 ? "headers-too-large" : "bad-request", e.getMessage()).toResponse(), false, false);
        return false;
      }
      boolean keepAlive = head.http11 ? !hasToken(head.first("connection"), "close") : hasToken(head.first("connection"), "keep-alive");
      boolean head0 = head.method.equals("HEAD");
      String te = head.first("transfer-encoding");
      List<String> cls = head.headers.get("content-length");
      boolean chunked = false;
      long length = -1;
      try {
        if (te != null) {
          if (cls != null) {
            throw new BadHead(400, "both Transfer-Encoding and Content-Length: refused");
          }
          if (!te.strip().equalsIgnoreCase("chunked") || head.headers.get("transfer-encoding").size() > 1) {
            throw new BadHead(501, "only Transfer-Encoding: chunked is supported");
          }
          chunked = true;
        } else if (cls != null) {
          String v = cls.get(0).strip();
          for (String o : cls) {
            if (!o.strip().equals(v)) {
              throw new BadHead(400, "conflicting Content-Length headers");
            }
          }
          if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadHead(400, "Content-Length is not a number");
          }
          length = Long.parseLong(v);
        }
        String expect = head.first("expect");
        if (expect != null && !expect.strip().equalsIgnoreCase("100-continue")) {
          throw new BadHead(417, "only Expect: 100-continue is supported");
        }
      } catch (BadHead e) {
        write(new HttpError(e.status, "bad-request", e.getMessage()).toResponse(), false, head0);
        return false;
      }
      expectContinue = head.first("expect") != null && head.http11;
      continueSent = false;
      BodyStream body = new BodyStream(in, chunked, length, Long.MAX_VALUE, new BodyStream.Events() {
        @Override
        public void beforeFirstRead() throws IOException {
          sendContinue();
        }

        @Override
        public void finished() {
          // reading the body is over; the handler's own work is not timed
          if (inHandler && !streaming) {
            noDeadline();
          }
        }

        @Override
        public void progress() {
          if (streaming) {
            deadlineIn(settings.requestTimeout());
          }
        }
      });
      int q = head.target.indexOf('?');
      String path = q < 0 ? head.target : head.target.substring(0, q);
      String query = q < 0 ? null : head.target.substring(q + 1);
      Route route = routes.match(path);
      Response response;
      boolean authenticated = false;
      long max = route == null ? 0 : route.maxBody;
      try {
        if (route == null) {
          throw HttpError.notFound("no such endpoint: " + path);
        }
        if (!route.allows(head.method)) {
          List<String> allow = new ArrayList<>(route.methods);
          if (allow.contains("GET")) {
            allow.add("HEAD");
          }
          throw new HttpError(405, "method-not-allowed", path + " accepts " + String.join(", ", allow) + " only")
              .withHeader("Allow", String.join(", ", allow));
        }
        authenticated = authorize(route, head.first("authorization"));
        if (length > max || (max == 0 && chunked)) {
          throw Request.tooLarge(max);
        }
        response = handle(route, head, path, query, body, authenticated, max);
      } catch (HttpError e) {
        response = e.toResponse();
      }
      if (response.streamed()) {
        // already sent by handle(); the connection ends with it
        if (streamAborted) {
          abort();
        } else {
          try {
            s.shutdownOutput();
          } catch (SocketException e) {
            // already closed
          }
        }
        return false;
      }
      boolean close = !keepAlive || closing;
      if (!body.finished()) {
        if (expectContinue && !continueSent) {
          close = true; // the client has not sent the body and will not
        } else {
          deadlineIn(settings.requestTimeout());
          if (!body.drain(settings.drainBytes())) {
            close = true;
          }
        }
      }
      write(response, close, head0);
      return !close;
    }

    private Response handle(Route route, Head head, String path, String query, BodyStream body, boolean authenticated, long max)
        throws HttpError {
      boolean worker = false;
      boolean permit = false;
      noDeadline();
      try {
        worker = workers.tryAcquire(settings.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
        if (!worker) {
          throw new HttpError(503, "busy", "the server is busy; try again").withHeader("Retry-After", "5");
        }
        if (route.permits != null) {
          permit = route.permits.tryAcquire(settings.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
          if (!permit) {
            throw new HttpError(503, "busy", path + " is busy (at most " + route.maxConcurrent + " at once); try again")
                .withHeader("Retry-After", "5");
          }
        }
        inHandler = true;
        if (!body.finished()) {
          deadlineIn(settings.requestTimeout());
        }
        body.limit(max);
        Request r = new Request(head.method, path, query, head.headers, client, authenticated,
            route.prefix ? path.substring(route.path.length()) : "", body, max);
        try {
          Response response = route.handler.handle(r);
          if (response.streamed()) {
            stream(response, head.http11);
          }
          return response;
        } catch (HttpError e) {
          throw e;
        } catch (BodyTooLargeException e) {
          throw Request.tooLarge(max);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new HttpError(503, "shutting-down", "the server is shutting down");
        } catch (BadBodyException e) {
          throw HttpError.badRequest("malformed or incomplete request body: " + e.getMessage());
        } catch (Exception e) {
          if (body.hitLimit() || e.getCause() instanceof BodyTooLargeException) {
            throw Request.tooLarge(max);
          }
          if (e.getCause() instanceof BadBodyException) {
            throw HttpError.badRequest("malformed or incomplete request body: " + e.getCause().getMessage());
          }
          HttpError mapped = routes.map(e);
          if (mapped.status() >= 500 && settings.errorLog() != null) {
            String m = e.getMessage() == null ? "" : ": " + e.getMessage().replace('\n', ' ');
            settings.errorLog().accept(java.time.Instant.now() + " " + mapped.status() + " " + head.method + " " + path
                + " failed: " + e.getClass().getSimpleName() + m);
          }
          throw mapped;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HttpError(503, "shutting-down", "the server is shutting down");
      } finally {
        inHandler = false;
        if (permit) {
          route.permits.release();
        }
        if (worker) {
          workers.release();
        }
      }
    }

    private boolean authorize(Route route, String authorization) throws HttpError {
      if (route.access == Access.PUBLIC) {
        return false;
      }
      BearerToken token = settings.token();
      if (token == null) {
        if (route.access == Access.TOKEN) {
          throw new HttpError(403, "forbidden", "this endpoint is disabled: the server was started without a token");
        }
        return false;
      }
      BearerToken.Check c = token.check(authorization);
      String realm = "Bearer realm=\"" + settings.realm() + "\"";
      if (c == BearerToken.Check.INVALID) {
        throw new HttpError(401, "unauthorized", "the bearer token is not valid (send 'Authorization: Bearer TOKEN')")
            .withHeader("WWW-Authenticate", realm + ", error=\"invalid_token\"");
      }
      if (c == BearerToken.Check.ABSENT && route.access == Access.TOKEN) {
        throw new HttpError(401, "unauthorized", "this endpoint needs 'Authorization: Bearer TOKEN'")
            .withHeader("WWW-Authenticate", realm);
      }
      return c == BearerToken.Check.VALID;
    }

    /** The interim {@code 100 Continue}, once, if the client waits for it before sending its body. */
    private void sendContinue() throws IOException {
      if (expectContinue && !continueSent) {
        continueSent = true;
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    }

    /**
     * Sends a streamed response: the head, then what its writer produces as chunks, then the final
     * chunk. Never throws: a failure (of the writer, or of the client's connection) leaves
     * {@link #streamAborted} set, and the connection is then closed without the final chunk. An
     * HTTP/1.0 client, which knows no chunks, gets the bytes as they are, ended by the close.
     */
    private void stream(Response r, boolean http11) {
      streaming = true;
      deadlineIn(settings.requestTimeout());
      ChunkedOutput chunks = new ChunkedOutput(http11);
      try {
        sendContinue(); // a streamed answer reads the body after its head: the interim answer goes first
        writeHead(r, true, http11);
        out.flush();
        r.writer().writeTo(chunks);
        chunks.finish();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        streamAborted = true;
      } catch (Exception e) {
        streamAborted = true;
      } finally {
        chunks.close();
        streaming = false;
      }
    }

    /** The body of a streamed response: each flush sends one chunk. Thread-safe. */
    private final class ChunkedOutput extends OutputStream {
      private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(4096);
      private final boolean framed;
      private boolean closed;

      ChunkedOutput(boolean framed) {
        this.framed = framed;
      }

      @Override
      public synchronized void write(int b) throws IOException {
        open();
        pending.write(b);
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) throws IOException {
        open();
        pending.write(b, off, len);
      }

      @Override
      public synchronized void flush() throws IOException {
        open();
        if (pending.size() == 0) {
          return;
        }
        deadlineIn(settings.requestTimeout());
        if (framed) {
          out.write((Integer.toHexString(pending.size()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        pending.writeTo(out);
        if (framed) {
          out.write(CRLF);
        }
        out.flush();
        pending.reset();
        deadlineIn(settings.requestTimeout());
      }

      synchronized void finish() throws IOException {
        flush();
        if (framed) {
          out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
        closed = true;
      }

      @Override
      public synchronized void close() {
        closed = true;
      }

      private void open() throws IOException {
        if (closed) {
          throw new IOException("the streamed response has ended");
        }
      }
    }

    private void write(Response r, boolean close, boolean headRequest) throws IOException {
      deadlineIn(settings.requestTimeout());
      writeHead(r, close, false);
      if (!headRequest) {
        out.write(r.bodyUnsafe());
      }
      out.flush();
      if (close) {
        try {
          s.shutdownOutput();
        } catch (SocketException e) {
          // already closed
        }
      }
    }

    private void writeHead(Response r, boolean close, boolean chunked) throws IOException {
      StringBuilder h = new StringBuilder(256);
      h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
      h.append("Content-Type: ").append(r.contentType()).append("\r\n");
      h.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + r.length()).append("\r\n");
      defaultHeader(h, r, "X-Content-Type-Options", "nosniff");
      defaultHeader(h, r, "X-Frame-Options", "DENY");
      defaultHeader(h, r, "Referrer-Policy", "no-referrer");
      defaultHeader(h, r, "Cache-Control", "no-store");
      defaultHeader(h, r, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
      for (Map.Entry<String, String> e : r.headers()) {
        h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
      }
      h.append(close ? "Connection: close\r\n" : "");
      h.append("\r\n");
      out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private Head readHead(int firstByte) throws IOException, BadHead {
      int[] budget = {settings.maxHeaderBytes()};
      String line = line(firstByte, budget);
      while (line.isEmpty()) {
        line = line(-1, budget); // tolerate CRLFs between requests (RFC 9112 2.2)
      }
      Head h = new Head();
      int sp1 = line.indexOf(' ');
      int sp2 = line.lastIndexOf(' ');
      if (sp1 <= 0 || sp2 <= sp1) {
        throw new BadHead(400, "malformed request line");
      }
      h.method = line.substring(0, sp1);
      h.target = line.substring(sp1 + 1, sp2);
      String version = line.substring(sp2 + 1);
      if (!h.method.chars().allMatch(c -> c >= 'A' && c <= 'Z') || h.method.length() > 16) {
        throw new BadHead(400, "malformed method");
      }
      if (version.equals("HTTP/1.1")) {
        h.http11 = true;
      } else if (!version.equals("HTTP/1.0")) {
        throw new BadHead(505, "only HTTP/1.0 and HTTP/1.1 are supported");
      }
      if (!h.target.startsWith("/") || h.target.indexOf(' ') >= 0 || h.target.chars().anyMatch(c -> c < 33 || c > 126)) {
        throw new BadHead(400, "the request target must be a path starting with /");
      }
      int count = 0;
      while (true) {
        String l = line(-1, budget);
        if (l.isEmpty()) {
          break;
        }
        if (++count > MAX_HEADERS) {
          throw new BadHead(431, "more than " + MAX_HEADERS + " header fields");
        }
        if (l.charAt(0) == ' ' || l.charAt(0) == '\t') {
          throw new BadHead(400, "obsolete header line folding is not accepted");
        }
        int colon = l.indexOf(':');
        if (colon <= 0) {
          throw new BadHead(400, "malformed header line");
        }
        String name = l.substring(0, colon);
        if (!name.chars().allMatch(c -> c > 32 && c < 127)) {
          throw new BadHead(400, "malformed header name");
        }
        h.headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(l.substring(colon + 1).strip());
      }
      if (h.http11 && h.first("host") == null) {
        throw new BadHead(400, "HTTP/1.1 requests need a Host header");
      }
      return h;
    }

    /** One header line without its CRLF (or bare LF), in ISO-8859-1, within the shared byte budget. */
    private String line(int firstByte, int[] budget) throws IOException, BadHead {
      StringBuilder sb = new StringBuilder(64);
      int c = firstByte >= 0 ? firstByte : in.read();
      while (true) {
        if (c < 0) {
          throw new java.io.EOFException("the client closed the connection inside the request head");
        }
        if (--budget[0] < 0) {
          throw new BadHead(431, "request head larger than " + settings.maxHeaderBytes() + " bytes");
        }
        if (c == '\n') {
          int n = sb.length();
          if (n > 0 && sb.charAt(n - 1) == '\r') {
            sb.setLength(n - 1);
          }
          return sb.toString();
        }
        if (c == 0) {
          throw new BadHead(400, "NUL byte in the request head");
        }
        sb.append((char) c);
        c = in.read();
      }
    }
  }

  private static void defaultHeader(StringBuilder h, Response r, String name, String value) {
    if (r.header(name) == null) {
      h.append(name).append(": ").append(value).append("\r\n");
    }
  }

  private static boolean hasToken(String header, String token) {
    if (header == null) {
      return false;
    }
    for (String t : header.split(",")) {
      if (t.strip().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 417 -> "Expectation Failed";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "Status";
    };
  }
}
