package dev.hallmark.core.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer: status, content type, body and extra headers. Immutable; {@link #withHeader}
 * returns a copy. The server adds {@code Content-Length} and the security headers
 * ({@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY},
 * {@code Referrer-Policy: no-referrer}, a restrictive {@code Content-Security-Policy} and
 * {@code Cache-Control: no-store} unless the response sets its own).
 */
public final class Response {
  private final int status;
  private final String contentType;
  private final byte[] body;
  private final List<Map.Entry<String, String>> headers;

  private Response(int status, String contentType, byte[] body, List<Map.Entry<String, String>> headers) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200-599, got " + status);
    }
    this.status = status;
    this.contentType = Objects.requireNonNull(contentType);
    this.body = body.clone();
    this.headers = List.copyOf(headers);
  }

  /** A response with {@code body} of type {@code contentType}. */
  public static Response of(int status, String contentType, byte[] body) {
    return new Response(status, contentType, body, List.of());
  }

  /** {@code application/json; charset=utf-8}. */
  public static Response json(int status, byte[] json) {
    return of(status, "application/json; charset=utf-8", json);
  }

  /** {@code application/json; charset=utf-8}. */
  public static Response json(int status, String json) {
    return json(status, json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code text/plain; charset=utf-8}. */
  public static Response text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy that also sends {@code name: value} (replacing a default security header of that name). */
  public Response withHeader(String name, String value) {
    if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')
        || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
      throw new IllegalArgumentException("bad response header " + name);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("content-length") || lower.equals("content-type") || lower.equals("transfer-encoding")
        || lower.equals("connection")) {
      throw new IllegalArgumentException(name + " is set by the server");
    }
    List<Map.Entry<String, String>> h = new ArrayList<>(headers);
    h.add(Map.entry(name, value));
    return new Response(status, contentType, body, h);
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body length in bytes. */
  public int length() {
    return body.length;
  }

  byte[] bodyUnsafe() {
    return body;
  }

  /** Extra headers, in order. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The value of extra header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }
}
