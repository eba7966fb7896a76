package dev.hallmark.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a keyring says about a key without reading its secret: name, type, public key id, whether the
 * private part is encrypted, and the file that holds it.
 *
 * <p>For watermark keys the id is the 16-hex-digit {@link WatermarkKey#keyId()}; for signing keys it
 * is the 8-hex-digit C2SP signed-note key id of the key under its own name.
 *
 * @param textScheme for a watermark key, the text scheme it records ({@code kgw(gamma=0.25,...)}) or
 *     {@code any}; null for a signing key
 */
public record KeyInfo(String name, KeyType type, String keyId, boolean encrypted, Path path, String textScheme) {
  public KeyInfo {
    Objects.requireNonNull(name);
    Objects.requireNonNull(type);
    Objects.requireNonNull(keyId);
    Objects.requireNonNull(path);
  }

  /** A key description without a text scheme (signing keys). */
  public KeyInfo(String name, KeyType type, String keyId, boolean encrypted, Path path) {
    this(name, type, keyId, encrypted, path, null);
  }

  /** What a watermark key records about its text scheme: {@code any} when it records none. */
  static String describe(WatermarkKey k) {
    return k.textScheme().map(WatermarkKey.TextScheme::toString).orElse("any");
  }
}
