package dev.hallmark.watermark.text;

import java.util.Locale;

/** The text watermarking schemes (see {@code docs/spec/text-watermark.md}). */
public enum Scheme {
  /** KGW (Kirchenbauer et al. 2023) with LeftHash seeding: green list keyed by the previous token. */
  KGW("kgw", 1),
  /** KGW with SelfHash seeding: min-hash over the 4 previous tokens and the candidate itself. */
  KGW_SELFHASH("kgw-selfhash", 2),
  /** Unigram (Zhao et al. 2023): one fixed keyed green list. */
  UNIGRAM("unigram", 3),
  /** Gumbel / EXP (Aaronson 2022): distortion-free argmax of r^(1/p). */
  GUMBEL("gumbel", 4),
  /** SynthID-style tournament sampling (Dathathri et al. 2024). */
  SYNTHID("synthid", 5);

  private final String label;
  private final int id;

  Scheme(String label, int id) {
    this.label = label;
    this.id = id;
  }

  /** The name used on the command line, in JSON and in ledger facts. */
  public String label() {
    return label;
  }

  /** The scheme number used as a domain-separation tag in the PRF. */
  public int id() {
    return id;
  }

  /** Parses a label ({@code kgw}, {@code kgw-selfhash}, {@code unigram}, {@code gumbel}, {@code synthid}). */
  public static Scheme parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    for (Scheme x : values()) {
      if (x.label.equals(v)) {
        return x;
      }
    }
    throw new IllegalArgumentException(
        "unknown text watermark scheme '" + s + "' (use kgw, kgw-selfhash, unigram, gumbel or synthid)");
  }
}
