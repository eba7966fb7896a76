package dev.hallmark.core;

import java.util.Locale;

/** The two kinds of key a keyring holds. */
public enum KeyType {
  /** A 256-bit secret keying the text and image watermark PRFs. */
  WATERMARK,
  /** An Ed25519 key pair that signs ledger records and checkpoints. */
  SIGNING;

  /** The lower-case name used on the command line and in files. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code watermark} or {@code signing}, case-insensitively. */
  public static KeyType parse(String s) {
    for (KeyType t : values()) {
      if (t.label().equalsIgnoreCase(s.trim())) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown key type '" + s + "' (expected watermark or signing)");
  }
}
