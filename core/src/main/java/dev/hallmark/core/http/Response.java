package dev.hallmark.core.http;

import java.io.OutputStream;
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
 * {@code Cache-Control: no-store} unless the response sets its own). A {@linkplain #stream streamed}
 * response is sent with {@code Transfer-Encoding: chunked} instead, its body written while the request
 * is still being handled (and its body, if any, still being read).
 */
public final class Response {
  /**
   * Writes a streamed body. Runs on the connection's thread, after the status line and headers are
   * sent, while the request's worker slot is held; the request body may still be read from it. Each
   * {@code flush()} of {@code out} sends what was written since as one chunk (an empty flush sends
   * nothing); {@code out} may be written and flushed from other threads too, and must not be used after
   * this method returns. Returning ends the body; throwing closes the connection without the final
   * chunk, so the client sees an incomplete response rather than a complete one that is wrong.
   */
  @FunctionalInterface
  public interface BodyWriter {
    void writeTo(OutputStream out) throws Exception;
  }

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final List<Map.Entry<String, String>> headers;
  private final BodyWriter writer;

  private Response(int status, String contentType, byte[] body, List<Map.Entry<String, String>> headers) {
    this(status, contentType, body, headers, null);
  }

  private Response(int status, String contentType, byte[] body, List<Map.Entry<String, String>> headers, BodyWriter writer) {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200-599, got " + status);
    }
    this.status = status;
    this.contentType = Objects.requireNonNull(contentType);
    this.body = body.clone();
    this.headers = List.copyOf(headers);
    this.writer = writer;
  }

  /**
   * A response whose body {@code writer} produces while the request is handled, sent chunked: for
   * answers that grow with a request read as it arrives (acknowledgements of streamed records). The
   * connection is closed after it.
   */
  public static Response stream(int status, String contentType, BodyWriter writer) {
    return new Response(status, contentType, new byte[0], List.of(), Objects.requireNonNull(writer));
  }

  /** True for a {@linkplain #stream streamed} response. */
  public boolean streamed() {
    return writer != null;
  }

  BodyWriter writer() {
    return writer;
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
    return new Response(status, contentType, body, h, writer);
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
