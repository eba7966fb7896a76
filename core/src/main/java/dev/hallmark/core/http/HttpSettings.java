package dev.hallmark.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link HttpService} listens and what it tolerates from clients. Immutable; build with
 * {@link #builder()}. The defaults keep slow or greedy clients from starving others:
 *
 * <ul>
 *   <li>{@code headerTimeout} 10 s: the request line and headers must arrive within it (slowloris);
 *   <li>{@code requestTimeout} 120 s: the body must arrive, and the response be taken, within it;
 *   <li>{@code idleTimeout} 15 s: a kept-alive connection with no new request is closed;
 *   <li>{@code maxConnections} 512 and {@code maxConnectionsPerClient} 64 (per IP address): more
 *       are answered 503 and closed at once;
 *   <li>{@code workers} 4: requests handled at once; others wait up to {@code queueTimeout} 30 s,
 *       then get 503. A connection that is still sending its headers holds no worker.
 * </ul>
 */
public final class HttpSettings {
  private final String bind;
  private final int port;
  private final int workers;
  private final int maxConnections;
  private final int maxConnectionsPerClient;
  private final Duration headerTimeout;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final Duration queueTimeout;
  private final int maxHeaderBytes;
  private final long drainBytes;
  private final BearerToken token;
  private final String realm;
  private final String threadName;
  private final java.util.function.Consumer<String> errorLog;

  private HttpSettings(Builder b) {
    this.bind = Objects.requireNonNull(b.bind, "bind");
    this.port = b.port;
    this.workers = b.workers;
    this.maxConnections = b.maxConnections;
    this.maxConnectionsPerClient = b.maxConnectionsPerClient;
    this.headerTimeout = b.headerTimeout;
    this.requestTimeout = b.requestTimeout;
    this.idleTimeout = b.idleTimeout;
    this.queueTimeout = b.queueTimeout;
    this.maxHeaderBytes = b.maxHeaderBytes;
    this.drainBytes = b.drainBytes;
    this.token = b.token;
    this.realm = b.realm;
    this.threadName = b.threadName;
    this.errorLog = b.errorLog;
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (workers < 1 || maxConnections < 1 || maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
      throw new IllegalArgumentException("workers and connection limits must be positive, the per-client limit at most the total");
    }
    for (Duration d : new Duration[] {headerTimeout, requestTimeout, idleTimeout, queueTimeout}) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
    }
    if (maxHeaderBytes < 1024 || drainBytes < 0) {
      throw new IllegalArgumentException("maxHeaderBytes must be at least 1024 and drainBytes non-negative");
    }
    if (!realm.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("realm must be a simple token");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bind = bind;
    b.port = port;
    b.workers = workers;
    b.maxConnections = maxConnections;
    b.maxConnectionsPerClient = maxConnectionsPerClient;
    b.headerTimeout = headerTimeout;
    b.requestTimeout = requestTimeout;
    b.idleTimeout = idleTimeout;
    b.queueTimeout = queueTimeout;
    b.maxHeaderBytes = maxHeaderBytes;
    b.drainBytes = drainBytes;
    b.token = token;
    b.realm = realm;
    b.threadName = threadName;
    b.errorLog = errorLog;
    return b;
  }

  public String bind() {
    return bind;
  }

  public int port() {
    return port;
  }

  public int workers() {
    return workers;
  }

  public int maxConnections() {
    return maxConnections;
  }

  public int maxConnectionsPerClient() {
    return maxConnectionsPerClient;
  }

  public Duration headerTimeout() {
    return headerTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public Duration queueTimeout() {
    return queueTimeout;
  }

  public int maxHeaderBytes() {
    return maxHeaderBytes;
  }

  /** How much of a refused body is read and dropped so the client sees the 413 (then the connection is cut). */
  public long drainBytes() {
    return drainBytes;
  }

  /** The bearer token, or null: then {@link Access#TOKEN} routes answer 403. */
  public BearerToken token() {
    return token;
  }

  /** See {@link Builder#errorLog}; null when none. */
  public java.util.function.Consumer<String> errorLog() {
    return errorLog;
  }

  public String realm() {
    return realm;
  }

  String threadName() {
    return threadName;
  }

  @Override
  public String toString() {
    return "HttpSettings{bind=" + bind + ", port=" + port + ", workers=" + workers + ", maxConnections=" + maxConnections
        + ", perClient=" + maxConnectionsPerClient + ", headerTimeout=" + headerTimeout + ", requestTimeout=" + requestTimeout
        + ", token=" + (token == null ? "none" : "set") + "}";
  }

  public static final class Builder {
    private String bind = "127.0.0.1";
    private int port;
    private int workers = 4;
    private int maxConnections = 512;
    private int maxConnectionsPerClient = 64;
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(120);
    private Duration idleTimeout = Duration.ofSeconds(15);
    private Duration queueTimeout = Duration.ofSeconds(30);
    private int maxHeaderBytes = 16 << 10;
    private long drainBytes = 16L << 20;
    private BearerToken token;
    private String realm = "hallmark";
    private String threadName = "hallmark-http";
    private java.util.function.Consumer<String> errorLog;

    private Builder() {}

    public Builder bind(String address) {
      this.bind = address;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    public Builder maxConnectionsPerClient(int n) {
      this.maxConnectionsPerClient = n;
      return this;
    }

    public Builder headerTimeout(Duration d) {
      this.headerTimeout = Objects.requireNonNull(d);
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = Objects.requireNonNull(d);
      return this;
    }

    public Builder idleTimeout(Duration d) {
      this.idleTimeout = Objects.requireNonNull(d);
      return this;
    }

    public Builder queueTimeout(Duration d) {
      this.queueTimeout = Objects.requireNonNull(d);
      return this;
    }

    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = n;
      return this;
    }

    public Builder drainBytes(long n) {
      this.drainBytes = n;
      return this;
    }

    /** The bearer token (see {@link BearerToken#of}); null for none. */
    public Builder token(String token) {
      this.token = token == null ? null : BearerToken.of(token);
      return this;
    }

    public Builder realm(String realm) {
      this.realm = Objects.requireNonNull(realm);
      return this;
    }

    /** Prefix of the server's thread names. */
    public Builder threadName(String name) {
      this.threadName = Objects.requireNonNull(name);
      return this;
    }

    /**
     * Where a line goes for every request a handler failed with a 5xx answer (the client sees at most
     * the exception's class for a 500; the operator needs the cause): time, status, method, path and
     * the exception's message. Null (the default): nowhere.
     */
    public Builder errorLog(java.util.function.Consumer<String> log) {
      this.errorLog = log;
      return this;
    }

    public HttpSettings build() {
      return new HttpSettings(this);
    }
  }
}
