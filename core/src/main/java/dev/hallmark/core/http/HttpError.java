package dev.hallmark.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request that cannot be served: an HTTP status, a short machine-readable code and a one-line
 * message, sent as {@code {"error":{"status":N,"code":"...","message":"..."}}}. Throw it from a
 * {@link HttpHandler}. Messages must never contain secrets.
 */
public class HttpError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient List<Map.Entry<String, String>> headers;

  public HttpError(int status, String code, String message) {
    this(status, code, message, List.of());
  }

  private HttpError(int status, String code, String message, List<Map.Entry<String, String>> headers) {
    super(message == null ? code : message.replace('\n', ' ').replace('\r', ' '));
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status is 400-599, got " + status);
    }
    this.status = status;
    this.code = Objects.requireNonNull(code);
    this.headers = List.copyOf(headers);
  }

  /** 400 with code {@code bad-request}. */
  public static HttpError badRequest(String message) {
    return new HttpError(400, "bad-request", message);
  }

  /** 404 with code {@code not-found}. */
  public static HttpError notFound(String message) {
    return new HttpError(404, "not-found", message);
  }

  /** A copy that also sends response header {@code name: value}. */
  public HttpError withHeader(String name, String value) {
    List<Map.Entry<String, String>> h = new ArrayList<>(headers);
    h.add(Map.entry(name, value));
    HttpError e = new HttpError(status, code, getMessage(), h);
    e.setStackTrace(getStackTrace());
    return e;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Extra response headers (e.g. {@code Allow}, {@code WWW-Authenticate}, {@code Retry-After}). */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The JSON error body. */
  public Response toResponse() {
    String json = "{\"error\":{\"status\":" + status + ",\"code\":" + Json.quote(code) + ",\"message\":"
        + Json.quote(getMessage()) + "}}";
    Response r = Response.json(status, json);
    for (Map.Entry<String, String> h : headers) {
      r = r.withHeader(h.getKey(), h.getValue());
    }
    return r;
  }
}
