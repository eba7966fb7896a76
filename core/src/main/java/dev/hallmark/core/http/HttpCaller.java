package dev.hallmark.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The one HTTP client of Hallmark's remote sources and sinks: a base URL, a connect timeout of 10 s,
 * a request timeout of 60 s, no redirects, responses bounded in size, an optional bearer token that
 * never appears in messages. Failures are {@link HttpCallException} with a one-line message naming
 * the URL. Immutable and thread-safe.
 */
public final class HttpCaller {
  /** Largest response body read by default: 16 MiB. */
  public static final long DEFAULT_MAX_RESPONSE = 16 << 20;

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  private final URI base;
  private final String token;
  private final Duration timeout;
  private final long maxResponse;

  private HttpCaller(URI base, String token, Duration timeout, long maxResponse) {
    this.base = base;
    this.token = token;
    this.timeout = timeout;
    this.maxResponse = maxResponse;
  }

  /** A caller for URLs under {@code base} (a trailing {@code /} is added when missing). */
  public static HttpCaller to(URI base) {
    String s = base.toString();
    String scheme = base.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("not an http(s) URL: " + base);
    }
    return new HttpCaller(URI.create(s.endsWith("/") ? s : s + "/"), null, Duration.ofSeconds(60), DEFAULT_MAX_RESPONSE);
  }

  /** A copy that sends {@code Authorization: Bearer token}. */
  public HttpCaller withToken(String token) {
    return new HttpCaller(base, Objects.requireNonNull(token), timeout, maxResponse);
  }

  /** A copy with another request timeout. */
  public HttpCaller withTimeout(Duration timeout) {
    return new HttpCaller(base, token, Objects.requireNonNull(timeout), maxResponse);
  }

  /** A copy reading at most {@code bytes} of a response (longer ones fail). */
  public HttpCaller withMaxResponse(long bytes) {
    return new HttpCaller(base, token, timeout, bytes);
  }

  /** The base URL, ending in {@code /}. */
  public URI base() {
    return base;
  }

  /** An answer: status and body. */
  public record Reply(int status, byte[] body) {
    /** The body as UTF-8. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The start of the body on one line, for error messages. */
    public String snippet() {
      return new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).replace('\n', ' ').replace('\r', ' ');
    }
  }

  /** {@code GET base + relative}. */
  public Reply get(String relative) throws HttpCallException {
    return send(HttpRequest.newBuilder(resolve(relative)).GET(), relative);
  }

  /** {@code POST base + relative} with {@code body} of {@code contentType}. */
  public Reply post(String relative, String contentType, byte[] body) throws HttpCallException {
    return send(HttpRequest.newBuilder(resolve(relative)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), relative);
  }

  private URI resolve(String relative) {
    if (relative.startsWith("/") || relative.contains("://")) {
      throw new IllegalArgumentException("a relative path, not " + relative);
    }
    return base.resolve(relative);
  }

  private Reply send(HttpRequest.Builder b, String what) throws HttpCallException {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<InputStream> r = CLIENT.send(b.timeout(timeout).build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, maxResponse + 1));
        if (body.length > maxResponse) {
          throw new HttpCallException(base + what + ": response larger than " + maxResponse + " bytes");
        }
        return new Reply(r.statusCode(), body);
      }
    } catch (HttpCallException e) {
      throw e;
    } catch (IOException e) {
      throw new HttpCallException(base + what + ": cannot reach the server (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage().replace('\n', ' ')) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpCallException(base + what + ": interrupted while waiting for the server", e);
    }
  }

  @Override
  public String toString() {
    return "HttpCaller{" + base + (token == null ? "" : ", token=redacted") + "}";
  }
}
