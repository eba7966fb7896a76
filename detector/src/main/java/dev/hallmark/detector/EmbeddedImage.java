package dev.hallmark.detector;

import java.util.Objects;

/**
 * An image that belongs to a document: the document itself (a standalone image file) or one embedded
 * in it (HTML data URI, PDF image, Office picture). Holds the encoded bytes, not decoded pixels.
 */
public final class EmbeddedImage {
  private final String name;
  private final String mediaType;
  private final byte[] bytes;

  public EmbeddedImage(String name, String mediaType, byte[] bytes) {
    this.name = Objects.requireNonNull(name, "name");
    this.mediaType = mediaType == null ? "application/octet-stream" : mediaType;
    this.bytes = bytes.clone();
  }

  /** Where the image sits in its document, e.g. {@code image1.png} or the file name. */
  public String name() {
    return name;
  }

  /** The media type Tika detected. */
  public String mediaType() {
    return mediaType;
  }

  /** A copy of the encoded image. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of encoded bytes. */
  public int size() {
    return bytes.length;
  }

  /** An input stream over the encoded image (no copy). */
  public java.io.InputStream openStream() {
    return new java.io.ByteArrayInputStream(bytes);
  }

  @Override
  public String toString() {
    return "EmbeddedImage{" + name + ", " + mediaType + ", " + bytes.length + " bytes}";
  }
}
