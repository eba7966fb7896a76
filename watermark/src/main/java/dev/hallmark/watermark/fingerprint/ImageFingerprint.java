package dev.hallmark.watermark.fingerprint;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.watermark.internal.image.Luma;
import dev.hallmark.watermark.internal.image.Pdq;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * A 256-bit perceptual image hash in the manner of Meta's PDQ (own implementation of the published
 * algorithm; see {@code docs/spec/image-fingerprint.md}), with a 0-100 quality score.
 *
 * <p>Similar images have hashes at a small Hamming distance: {@link #matches} uses
 * {@link #DEFAULT_MATCH_THRESHOLD} (31 of 256 bits, PDQ's recommended value). Hashes of images with
 * {@link #quality()} below {@link #MIN_USEFUL_QUALITY} (flat or nearly flat images) are unreliable
 * and should not be used for lookups. Bit {@code k} (row-major over the 16x16 DCT coefficients) is bit
 * {@code 7 - k % 8} of byte {@code k / 8}. Immutable, thread-safe and serializable.
 */
public final class ImageFingerprint implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Number of bits in the hash. */
  public static final int BITS = 256;
  /** Hamming distance at or below which two hashes are taken to show the same picture. */
  public static final int DEFAULT_MATCH_THRESHOLD = 31;
  /** Quality below which a hash should not be used for matching (PDQ's guidance). */
  public static final int MIN_USEFUL_QUALITY = 50;

  private final byte[] bytes;
  private final int quality;

  private ImageFingerprint(byte[] bytes, int quality) {
    this.bytes = bytes;
    this.quality = quality;
  }

  /** The fingerprint of {@code image} (any size of at least 1x1; alpha is ignored). */
  public static ImageFingerprint of(BufferedImage image) {
    float[] y = Luma.luma(image);
    byte[] b = new byte[32];
    int q = Pdq.hash(y, image.getWidth(), image.getHeight(), b);
    return new ImageFingerprint(b, q);
  }

  /**
   * The fingerprint of an image file as a viewer shows it ({@link ImageFile#displayed()}: its EXIF
   * orientation applied), so that a copy whose pixels were rotated to that orientation matches.
   * What Hallmark registers and looks up for image files.
   */
  public static ImageFingerprint of(dev.hallmark.watermark.image.ImageFile file) {
    return of(file.displayed());
  }

  /** Parses 64 hex digits (either case) with a quality score. */
  public static ImageFingerprint fromHex(String hex, int quality) throws HallmarkException {
    if (hex == null || hex.length() != 64) {
      throw new HallmarkException("an image fingerprint is 64 hex digits, got "
          + (hex == null ? "nothing" : hex.length() + " characters"));
    }
    byte[] b = new byte[32];
    for (int i = 0; i < 32; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new HallmarkException("image fingerprint '" + hex + "' is not hexadecimal");
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return fromBytes(b, quality);
  }

  /** Wraps 32 hash bytes (copied) with a quality score 0-100. */
  public static ImageFingerprint fromBytes(byte[] bytes, int quality) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("an image fingerprint is 32 bytes, not " + bytes.length);
    }
    if (quality < 0 || quality > 100) {
      throw new IllegalArgumentException("quality must be 0-100, not " + quality);
    }
    return new ImageFingerprint(bytes.clone(), quality);
  }

  /** The 32 hash bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** 64 lower-case hex digits. */
  public String hex() {
    StringBuilder sb = new StringBuilder(64);
    for (byte b : bytes) {
      sb.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return sb.toString();
  }

  /** 0 (flat, useless for matching) to 100 (plenty of detail). */
  public int quality() {
    return quality;
  }

  /** The 16-bit chunk {@code i} (0-15), big-endian, for multi-index hashing. */
  public int chunk16(int i) {
    if (i < 0 || i >= 16) {
      throw new IndexOutOfBoundsException("chunk " + i + " of 16");
    }
    return (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
  }

  /** Hamming distance, 0-256. */
  public int distance(ImageFingerprint other) {
    int d = 0;
    for (int i = 0; i < 32; i++) {
      d += Integer.bitCount((bytes[i] ^ other.bytes[i]) & 0xff);
    }
    return d;
  }

  /** True when the distance is at most {@link #DEFAULT_MATCH_THRESHOLD}. */
  public boolean matches(ImageFingerprint other) {
    return distance(other) <= DEFAULT_MATCH_THRESHOLD;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageFingerprint && MessageDigest.isEqual(bytes, ((ImageFingerprint) o).bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  /** The hex digits and quality; equality ignores quality (it is derived from the same pixels). */
  @Override
  public String toString() {
    return "ImageFingerprint{" + hex() + ", quality=" + quality + "}";
  }
}
