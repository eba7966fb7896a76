package dev.hallmark.provenance;

import dev.hallmark.c2pa.C2paSigner;
import java.util.Objects;

/**
 * Per-output options: the model name recorded, the image output format ({@code png}, {@code jpeg},
 * or null for the input's format), JPEG quality ({@link #SAME_AS_SOURCE}: a JPEG input's own
 * quantisation tables, as {@code image embed} does; 92 for other inputs), for texts whether to append the provenance
 * reference as invisible Unicode tag characters (U+E0020-U+E007E), and for images an optional C2PA
 * signer: when given, the output carries a Content Credentials manifest (c2pa.created,
 * trainedAlgorithmicMedia, the model as software agent, the watermark payload as soft binding) and
 * the ledger record stores that manifest; {@code retag}: see {@link #allowRetag()}. Immutable.
 */
public record TagRequest(String model, String format, int jpegQuality, boolean unicodeTag, C2paSigner c2paSigner,
    boolean retag) {
  /** JPEG quality meaning: reuse a JPEG input's quantisation tables (92 for other inputs). */
  public static final int SAME_AS_SOURCE = 0;

  /** No Unicode tag, no C2PA manifest. */
  public TagRequest(String model, String format, int jpegQuality) {
    this(model, format, jpegQuality, false, null, false);
  }

  /** No C2PA manifest. */
  public TagRequest(String model, String format, int jpegQuality, boolean unicodeTag) {
    this(model, format, jpegQuality, unicodeTag, null, false);
  }

  /** Not a re-tag. */
  public TagRequest(String model, String format, int jpegQuality, boolean unicodeTag, C2paSigner c2paSigner) {
    this(model, format, jpegQuality, unicodeTag, c2paSigner, false);
  }

  /** @throws IllegalArgumentException naming the bad value */
  public TagRequest {
    Objects.requireNonNull(model, "model");
    if (model.isBlank() || model.length() > 256) {
      throw new IllegalArgumentException("model name must be 1-256 characters");
    }
    if (format != null && !format.equals("png") && !format.equals("jpeg")) {
      throw new IllegalArgumentException("output format must be png or jpeg, got '" + format + "'");
    }
    if (jpegQuality != SAME_AS_SOURCE && (jpegQuality < 1 || jpegQuality > 100)) {
      throw new IllegalArgumentException("JPEG quality must be 1-100, got " + jpegQuality);
    }
  }

  /** {@code model}, the input's format, a JPEG input's own quantisation tables. */
  public static TagRequest of(String model) {
    return new TagRequest(model, null, SAME_AS_SOURCE);
  }

  /** This request with a C2PA manifest signed by {@code signer} (null for none). */
  public TagRequest withC2pa(C2paSigner signer) {
    return new TagRequest(model, format, jpegQuality, unicodeTag, signer, retag);
  }

  /**
   * This request allowed to tag an image that already carries a Hallmark provenance reference
   * (tagged before): its new mark overwrites the earlier one, whose payload then no longer reads.
   * Without it {@link Tagger#tagImage} refuses such an image.
   */
  public TagRequest allowRetag() {
    return new TagRequest(model, format, jpegQuality, unicodeTag, c2paSigner, true);
  }
}
