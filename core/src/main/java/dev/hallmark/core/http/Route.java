package dev.hallmark.core.http;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * One endpoint: a path (exact, or a prefix ending in {@code /}), the methods it accepts (GET also
 * answers HEAD), who may call it, its body limit and an optional limit on concurrent calls (for
 * expensive endpoints: callers beyond it wait up to the queue timeout, then get 503). Immutable.
 *
 * <pre>{@code
 * Route.post("/api/v1/verify", this::verify).access(Access.OPTIONAL_TOKEN).maxBody(64 << 20).maxConcurrent(2)
 * }</pre>
 */
public final class Route {
  /** Default body limit: 1 MiB. */
  public static final long DEFAULT_MAX_BODY = 1 << 20;

  final String path;
  final boolean prefix;
  final List<String> methods;
  final Access access;
  final long maxBody;
  final int maxConcurrent;
  final HttpHandler handler;
  final Semaphore permits;

  private Route(String path, boolean prefix, List<String> methods, Access access, long maxBody, int maxConcurrent,
      HttpHandler handler) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a route path starts with /: " + path);
    }
    if (prefix && !path.endsWith("/")) {
      throw new IllegalArgumentException("a prefix route ends with /: " + path);
    }
    if (methods.isEmpty() || maxBody < 0 || maxConcurrent < 0) {
      throw new IllegalArgumentException("route " + path + ": needs a method, a body limit >= 0 and maxConcurrent >= 0");
    }
    this.path = path;
    this.prefix = prefix;
    this.methods = List.copyOf(methods);
    this.access = Objects.requireNonNull(access);
    this.maxBody = maxBody;
    this.maxConcurrent = maxConcurrent;
    this.handler = Objects.requireNonNull(handler);
    this.permits = maxConcurrent == 0 ? null : new Semaphore(maxConcurrent, true);
  }

  /** A public GET (and HEAD) route with no body. */
  public static Route get(String path, HttpHandler handler) {
    return new Route(path, false, List.of("GET"), Access.PUBLIC, 0, 0, handler);
  }

  /** A public POST route with the default body limit. */
  public static Route post(String path, HttpHandler handler) {
    return new Route(path, false, List.of("POST"), Access.PUBLIC, DEFAULT_MAX_BODY, 0, handler);
  }

  /** A route for {@code methods} on {@code path}. */
  public static Route of(String path, HttpHandler handler, String... methods) {
    return new Route(path, false, Arrays.stream(methods).map(m -> m.toUpperCase(Locale.ROOT)).toList(), Access.PUBLIC,
        DEFAULT_MAX_BODY, 0, handler);
  }

  /** This route matching every path that starts with its path (which must end in {@code /}). */
  public Route prefix() {
    return new Route(path, true, methods, access, maxBody, maxConcurrent, handler);
  }

  public Route access(Access a) {
    return new Route(path, prefix, methods, a, maxBody, maxConcurrent, handler);
  }

  /** Largest body in bytes (413 above; 0 refuses any body). */
  public Route maxBody(long bytes) {
    return new Route(path, prefix, methods, access, bytes, maxConcurrent, handler);
  }

  /** At most {@code n} calls at once (0: no limit beyond the server's workers). */
  public Route maxConcurrent(int n) {
    return new Route(path, prefix, methods, access, maxBody, n, handler);
  }

  public String path() {
    return path;
  }

  public boolean isPrefix() {
    return prefix;
  }

  public List<String> methods() {
    return methods;
  }

  public Access accessRule() {
    return access;
  }

  public long maxBodyBytes() {
    return maxBody;
  }

  public int maxConcurrentCalls() {
    return maxConcurrent;
  }

  boolean allows(String method) {
    return methods.contains(method) || method.equals("HEAD") && methods.contains("GET");
  }

  @Override
  public String toString() {
    return methods + " " + path + (prefix ? "*" : "") + " " + access;
  }
}
