package dev.hallmark.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as a {@link HttpHandler} sees it: headers already read and checked, the body a
 * stream bounded by the route's limit. Not thread-safe; valid only during the handler call.
 */
public final class Request {
  private final String method;
  private final String path;
  private final String rawQuery;
  private final Map<String, List<String>> headers;
  private final InetAddress remote;
  private final boolean authenticated;
  private final String remainder;
  private final BodyStream body;
  private final long maxBody;

  Request(String method, String path, String rawQuery, Map<String, List<String>> headers, InetAddress remote,
      boolean authenticated, String remainder, BodyStream body, long maxBody) {
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    this.headers = headers;
    this.remote = remote;
    this.authenticated = authenticated;
    this.remainder = remainder;
    this.body = body;
    this.maxBody = maxBody;
  }

  /** {@code GET}, {@code POST}, ... ({@code HEAD} requests reach GET routes with this saying HEAD). */
  public String method() {
    return method;
  }

  /** The path as sent, not percent-decoded (e.g. {@code /tile/0/000}). */
  public String path() {
    return path;
  }

  /** For a prefix route, the part of the path after the prefix; for an exact route, "". */
  public String pathRemainder() {
    return remainder;
  }

  /** The raw query string (after {@code ?}), or null. */
  public String rawQuery() {
    return rawQuery;
  }

  /** The first value of query parameter {@code name}, percent-decoded; "" for {@code ?name}; null if absent. */
  public String query(String name) {
    return queryMap().get(name);
  }

  /** All query parameters (first value of each), percent-decoded. */
  public Map<String, String> queryMap() {
    Map<String, String> m = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return m;
    }
    for (String kv : rawQuery.split("&")) {
      int eq = kv.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        m.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        // a malformed %-escape: the parameter is ignored, as if absent
      }
    }
    return m;
  }

  /** The first value of header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The client's address. */
  public InetAddress remoteAddress() {
    return remote;
  }

  /** True when the request carried the server's bearer token (see {@link Access}). */
  public boolean authenticated() {
    return authenticated;
  }

  /** The declared body length, or -1 when chunked or absent. */
  public long contentLength() {
    return body.declaredLength();
  }

  /** The route's body limit in bytes. */
  public long maxBodyBytes() {
    return maxBody;
  }

  /**
   * The body as a stream. Reading more than {@link #maxBodyBytes()} throws
   * {@link BodyTooLargeException} (answered 413); a client that stalls past the request timeout is
   * disconnected (the read fails).
   */
  public InputStream body() {
    return body;
  }

  /** The whole body (at most {@link #maxBodyBytes()}; 413 above). */
  public byte[] bodyBytes() throws IOException, HttpError {
    try {
      return body.readAllBytes();
    } catch (BodyTooLargeException e) {
      throw tooLarge(maxBody);
    }
  }

  static HttpError tooLarge(long max) {
    return new HttpError(413, "too-large", "request body is over the limit of " + max + " bytes");
  }
}
