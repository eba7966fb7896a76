package dev.hallmark.core.http;

/**
 * Who may call a route. The one bearer rule for every server: the header is
 * {@code Authorization: Bearer TOKEN} (scheme case-insensitive, surrounding white space ignored),
 * compared in constant time; a missing or wrong token is 401 with {@code WWW-Authenticate}.
 */
public enum Access {
  /** Anyone; an Authorization header is ignored. */
  PUBLIC,
  /** Anyone, but a token that is sent must be right (401 otherwise); {@link Request#authenticated()} tells. */
  OPTIONAL_TOKEN,
  /** Only with the token (401 without; 403 when the server has no token configured). */
  TOKEN
}
