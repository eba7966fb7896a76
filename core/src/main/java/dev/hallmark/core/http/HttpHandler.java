package dev.hallmark.core.http;

/**
 * Answers one request. Throw {@link HttpError} for a 4xx/5xx with a message; any other exception
 * goes through the routes' error mapper (default: 500 naming only the exception class).
 */
@FunctionalInterface
public interface HttpHandler {
  Response handle(Request request) throws Exception;
}
