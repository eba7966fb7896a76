package dev.hallmark.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint body: origin line, decimal tree size, base64 root hash, and optional
 * extension lines. Parsing is strict. The size is an unsigned 64-bit value held in a {@code long}.
 *
 * @see <a href="https://c2sp.org/tlog-checkpoint">c2sp.org/tlog-checkpoint</a>
 */
public final class Checkpoint {
  private final String origin;
  private final long size;
  private final byte[] rootHash;
  private final List<String> extensions;

  public Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    if (origin == null || origin.isEmpty() || origin.contains("\n")) {
      throw new IllegalArgumentException("checkpoint origin must be one non-empty line");
    }
    if (rootHash.length != Merkle.HASH_BYTES) {
      throw new IllegalArgumentException("checkpoint root hash must be 32 bytes");
    }
    for (String e : extensions) {
      if (e.isEmpty() || e.contains("\n")) {
        throw new IllegalArgumentException("checkpoint extension lines must be non-empty single lines");
      }
    }
    this.origin = origin;
    this.size = size;
    this.rootHash = rootHash.clone();
    this.extensions = List.copyOf(extensions);
  }

  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  /**
   * Parses a checkpoint body (the text of its signed note).
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  public static Checkpoint parse(String text) {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("checkpoint must end with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new IllegalArgumentException("checkpoint needs origin, size and root lines");
    }
    String sz = lines[1];
    if (!sz.matches("0|[1-9][0-9]{0,19}")) {
      throw new IllegalArgumentException("checkpoint size is not a decimal number without leading zeros: '" + sz + "'");
    }
    long size;
    try {
      size = Long.parseUnsignedLong(sz);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("checkpoint size does not fit in 64 bits: " + sz);
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("checkpoint root hash is not valid base64");
    }
    if (root.length != Merkle.HASH_BYTES) {
      throw new IllegalArgumentException("checkpoint root hash is " + root.length + " bytes, not 32");
    }
    List<String> ext = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
    return new Checkpoint(lines[0], size, root, ext);
  }

  public String origin() {
    return origin;
  }

  /** The tree size (unsigned). */
  public long size() {
    return size;
  }

  public byte[] rootHash() {
    return rootHash.clone();
  }

  public List<String> extensions() {
    return extensions;
  }

  /** The checkpoint body: the text that gets signed. */
  public String text() {
    StringBuilder b = new StringBuilder()
        .append(origin).append('\n')
        .append(Long.toUnsignedString(size)).append('\n')
        .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    extensions.forEach(e -> b.append(e).append('\n'));
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint && text().equals(((Checkpoint) o).text());
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(rootHash));
  }

  @Override
  public String toString() {
    return text();
  }
}
