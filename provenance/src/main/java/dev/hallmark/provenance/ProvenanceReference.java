package dev.hallmark.provenance;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The compact provenance reference Hallmark embeds in a tagged file's metadata (PNG {@code iTXt}
 * chunk, JPEG XMP packet): {@code hallmark:1;log=<origin>;key=<watermark key id>;id=<16 hex digits>}.
 * The id is the 64-bit watermark payload, so the same reference survives in the pixels when the
 * metadata is stripped. It is a pointer, not evidence: the verifier always checks the ledger record
 * it leads to. See {@code docs/spec/verify.md}. Immutable.
 */
public record ProvenanceReference(String log, String watermarkKeyId, String id) {
  /** Format tag and version at the start of every reference. */
  public static final String PREFIX = "hallmark:1";
  /** Longest accepted encoded reference. */
  public static final int MAX_LENGTH = 512;

  /** @throws IllegalArgumentException naming the bad field */
  public ProvenanceReference {
    Objects.requireNonNull(log, "log");
    if (log.isEmpty() || log.length() > 256 || !log.matches("[\\x21-\\x7e&&[^;=]]+")) {
      throw new IllegalArgumentException("reference log origin must be 1-256 printable ASCII characters without ';' or '='");
    }
    if (watermarkKeyId == null || !watermarkKeyId.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException("reference key id must be 16 lower-case hex digits");
    }
    if (id == null || !id.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException("reference id must be 16 lower-case hex digits (the 64-bit payload)");
    }
  }

  /** The encoded form stored in metadata. */
  public String encode() {
    return PREFIX + ";log=" + log + ";key=" + watermarkKeyId + ";id=" + id;
  }

  /**
   * Parses an encoded reference.
   *
   * @throws IllegalArgumentException if it is malformed or of another version
   */
  public static ProvenanceReference parse(String text) {
    String t = text.trim();
    if (t.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("provenance reference is longer than " + MAX_LENGTH + " characters");
    }
    String[] parts = t.split(";", -1);
    if (!parts[0].startsWith("hallmark:")) {
      throw new IllegalArgumentException("not a Hallmark provenance reference");
    }
    if (!parts[0].equals(PREFIX)) {
      throw new IllegalArgumentException("provenance reference version '" + parts[0] + "' is not supported (this build reads " + PREFIX + ")");
    }
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("provenance reference field '" + parts[i] + "' is not name=value");
      }
      f.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
    }
    return new ProvenanceReference(f.get("log"), f.get("key"), f.get("id"));
  }

  @Override
  public String toString() {
    return encode();
  }
}
