package dev.hallmark.cli.serve;

import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.provenance.Tagger;
import dev.hallmark.ledger.Ledger;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link HallmarkServer} serves. {@code ledger} and {@code tagger} may be null (then the
 * tagging and ledger endpoints answer 503); {@code token} guards every endpoint that writes or uses
 * secret keys. Immutable.
 *
 * @param bind address to bind (127.0.0.1 by default)
 * @param port TCP port, 0 for any free one
 * @param maxUploadBytes largest request body accepted (413 above)
 * @param threads requests handled at once
 * @param maxImagePixels largest image (width x height) decoded for a request; larger ones are 413
 *     before any pixel is decoded
 * @param expensiveConcurrency most calls of the public verify endpoint at once (others wait, then 503)
 */
public record ServerConfig(String bind, int port, String token, long maxUploadBytes, int threads,
    List<WatermarkKey> keys, Ledger ledger, Tagger tagger, List<LedgerSource> extraSources,
    List<NoteVerifierKey> trustedLogKeys, String defaultModel, long maxImagePixels, int expensiveConcurrency) {
  /** Largest JSON body of lookups and text requests. */
  public static final int MAX_JSON_BYTES = 4 << 20;

  /**
   * Default pixel budget per image: 25 megapixels (e.g. 6000x4000). An 8192x8192 16-bit RGBA PNG of
   * half a megabyte costs 1.5-2 GB to decode; the budget, not the file size, bounds that.
   */
  public static final long DEFAULT_MAX_IMAGE_PIXELS = 25_000_000L;

  /** The defaults for the pixel budget and for verify concurrency (half the threads, at least 1). */
  public ServerConfig(String bind, int port, String token, long maxUploadBytes, int threads,
      List<WatermarkKey> keys, Ledger ledger, Tagger tagger, List<LedgerSource> extraSources,
      List<NoteVerifierKey> trustedLogKeys, String defaultModel) {
    this(bind, port, token, maxUploadBytes, threads, keys, ledger, tagger, extraSources, trustedLogKeys, defaultModel,
        DEFAULT_MAX_IMAGE_PIXELS, Math.max(1, threads / 2));
  }

  public ServerConfig {
    Objects.requireNonNull(bind);
    Objects.requireNonNull(token);
    if (token.length() < 16) {
      throw new IllegalArgumentException("the access token must have at least 16 characters");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (maxUploadBytes < 1024 || threads < 1) {
      throw new IllegalArgumentException("upload limit must be at least 1 KiB and threads at least 1");
    }
    if (maxImagePixels < 1 || expensiveConcurrency < 1) {
      throw new IllegalArgumentException("the pixel budget and verify concurrency must be positive");
    }
    keys = List.copyOf(keys);
    extraSources = List.copyOf(extraSources);
    trustedLogKeys = List.copyOf(trustedLogKeys);
  }

  @Override
  public String toString() {
    return "ServerConfig{bind=" + bind + ", port=" + port + ", keys=" + keys.size() + ", ledger="
        + (ledger == null ? "none" : ledger.origin()) + "}";
  }
}
