package dev.hallmark.ledger;

import dev.hallmark.core.Ed25519PublicKey;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP signed note: a text ending in a newline, a blank line, and one or more signature lines
 * {@code "— <key name> base64(uint32 key id || signature)"}. Parsing is strict (valid layout, no
 * control characters but newline, standard base64); {@link #verify} implements the C2SP rules for
 * Ed25519 keys. Immutable.
 *
 * @see <a href="https://c2sp.org/signed-note">c2sp.org/signed-note</a>
 */
public final class SignedNote {
  /** Largest note accepted by {@link #parse}. */
  public static final int MAX_NOTE_BYTES = 1 << 20;
  /** Most signature lines accepted by {@link #parse} (C2SP asks for at least 16). */
  public static final int MAX_SIGNATURES = 100;

  private static final String DASH = "\u2014 ";

  /** One signature line. */
  public record Signature(String keyName, long keyId, byte[] signature) {
    public Signature {
      Objects.requireNonNull(keyName);
      signature = signature.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    String line() {
      byte[] raw = ByteBuffer.allocate(4 + signature.length).putInt((int) keyId).put(signature).array();
      return DASH + keyName + " " + Base64.getEncoder().encodeToString(raw) + "\n";
    }
  }

  private final String text;
  private final List<Signature> signatures;

  private SignedNote(String text, List<Signature> signatures) {
    this.text = text;
    this.signatures = List.copyOf(signatures);
  }

  /** Signs {@code text} (which must end in a newline) with {@code key} under the key name {@code keyName}. */
  public static SignedNote sign(String text, SigningKey key, String keyName) {
    checkText(text);
    NoteVerifierKey v = key.verifierKey(keyName);
    byte[] sig = key.sign(text.getBytes(StandardCharsets.UTF_8));
    return new SignedNote(text, List.of(new Signature(keyName, v.keyIdValue(), sig)));
  }

  /**
   * Parses a signed note.
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  public static SignedNote parse(String note) {
    if (note.length() > MAX_NOTE_BYTES) {
      throw new IllegalArgumentException("signed note is larger than " + MAX_NOTE_BYTES + " bytes");
    }
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new IllegalArgumentException("signed note contains control character 0x" + Integer.toHexString(c) + " at offset " + i);
      }
      if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i + 1 >= note.length() || !Character.isLowSurrogate(note.charAt(i + 1))) {
          throw new IllegalArgumentException("signed note is not valid UTF-8 text (lone surrogate at offset " + i + ")");
        }
        i++;
      }
    }
    if (!note.endsWith("\n")) {
      throw new IllegalArgumentException("signed note must end with a newline");
    }
    int sep = note.lastIndexOf("\n\n");
    if (sep < 0) {
      throw new IllegalArgumentException("signed note has no blank line between text and signatures");
    }
    String text = note.substring(0, sep + 1);
    String sigs = note.substring(sep + 2);
    if (sigs.isEmpty()) {
      throw new IllegalArgumentException("signed note has no signature lines");
    }
    List<Signature> out = new ArrayList<>();
    for (String line : sigs.substring(0, sigs.length() - 1).split("\n", -1)) {
      if (out.size() >= MAX_SIGNATURES) {
        throw new IllegalArgumentException("signed note has more than " + MAX_SIGNATURES + " signatures");
      }
      if (!line.startsWith(DASH)) {
        throw new IllegalArgumentException("signature line does not start with an em dash and a space: '" + abbreviate(line) + "'");
      }
      String rest = line.substring(DASH.length());
      int sp = rest.indexOf(' ');
      if (sp <= 0 || rest.indexOf(' ', sp + 1) >= 0) {
        throw new IllegalArgumentException("signature line must be '— <name> <base64>': '" + abbreviate(line) + "'");
      }
      String name = rest.substring(0, sp);
      if (name.contains("+")) {
        throw new IllegalArgumentException("signature key name contains '+': " + name);
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(rest.substring(sp + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("signature for " + name + " is not valid base64");
      }
      if (raw.length < 5) {
        throw new IllegalArgumentException("signature for " + name + " is too short");
      }
      ByteBuffer b = ByteBuffer.wrap(raw);
      long id = b.getInt() & 0xffffffffL;
      byte[] sig = new byte[raw.length - 4];
      b.get(sig);
      out.add(new Signature(name, id, sig));
    }
    return new SignedNote(text, out);
  }

  /** The signed text, including its final newline. */
  public String text() {
    return text;
  }

  public List<Signature> signatures() {
    return signatures;
  }

  /**
   * Verifies the note against {@code key}: signatures from other keys are ignored, every signature
   * matching the key's name and id must verify, and at least one must be present.
   *
   * @throws VerificationException if there is no signature by the key or one fails
   */
  public void verify(NoteVerifierKey key) throws VerificationException {
    boolean found = false;
    byte[] msg = text.getBytes(StandardCharsets.UTF_8);
    Ed25519PublicKey pub = key.publicKey();
    for (Signature s : signatures) {
      if (!s.keyName().equals(key.name()) || s.keyId() != key.keyIdValue()) {
        continue;
      }
      found = true;
      try {
        pub.verify(msg, s.signature);
      } catch (SignatureException e) {
        throw new VerificationException("note signature by " + key.name() + "+" + key.keyIdHex() + " does not verify: " + e.getMessage());
      }
    }
    if (!found) {
      throw new VerificationException("note carries no signature by " + key.name() + "+" + key.keyIdHex());
    }
  }

  /** A copy of this note with one more signature by {@code key} under {@code keyName}. */
  public SignedNote cosign(SigningKey key, String keyName) {
    List<Signature> s = new ArrayList<>(signatures);
    s.add(new Signature(keyName, key.verifierKey(keyName).keyIdValue(), key.sign(text.getBytes(StandardCharsets.UTF_8))));
    return new SignedNote(text, s);
  }

  /** The note in its wire form. */
  public String encode() {
    StringBuilder b = new StringBuilder(text).append('\n');
    signatures.forEach(s -> b.append(s.line()));
    return b.toString();
  }

  @Override
  public String toString() {
    return encode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedNote && encode().equals(((SignedNote) o).encode());
  }

  @Override
  public int hashCode() {
    return encode().hashCode();
  }

  private static void checkText(String text) {
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new IllegalArgumentException("note text contains control character 0x" + Integer.toHexString(c));
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
