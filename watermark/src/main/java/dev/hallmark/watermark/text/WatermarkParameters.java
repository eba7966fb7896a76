package dev.hallmark.watermark.text;

import dev.hallmark.core.WatermarkKey;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, serializable parameters of one text watermarking scheme. Build with {@link #builder}
 * or take a preset; {@link Builder#build()} validates.
 *
 * <ul>
 *   <li>{@code gamma}: green-list fraction (KGW, Unigram), in (0, 1).
 *   <li>{@code delta}: logit bias added to green tokens (KGW, Unigram), in [0, 20].
 *   <li>{@code contextWidth}: tokens of left context that seed the PRF (1 for KGW LeftHash, 4 for
 *       SelfHash, Gumbel and SynthID; 0 for Unigram).
 *   <li>{@code layers}: tournament layers (SynthID), 1..64.
 *   <li>{@code weighted}: SynthID detector: false = mean score (exact binomial p-value), true =
 *       weighted mean with weights m, m-1, ..., 1 (Chernoff-bounded p-value).
 * </ul>
 */
public final class WatermarkParameters implements Serializable {
  private static final long serialVersionUID = 1L;

  /** KGW LeftHash, gamma 0.25, delta 2.0. */
  public static final WatermarkParameters KGW_DEFAULT = builder(Scheme.KGW).build();
  /** KGW SelfHash (context 4), gamma 0.25, delta 2.0. */
  public static final WatermarkParameters KGW_SELFHASH_DEFAULT = builder(Scheme.KGW_SELFHASH).build();
  /** Unigram, gamma 0.5, delta 2.0. */
  public static final WatermarkParameters UNIGRAM_DEFAULT = builder(Scheme.UNIGRAM).build();
  /** Gumbel / EXP with context width 4. */
  public static final WatermarkParameters GUMBEL_DEFAULT = builder(Scheme.GUMBEL).build();
  /** SynthID tournament, 30 layers, context width 4, mean detector. */
  public static final WatermarkParameters SYNTHID_DEFAULT = builder(Scheme.SYNTHID).build();

  private final Scheme scheme;
  private final double gamma;
  private final double delta;
  private final int contextWidth;
  private final int layers;
  private final boolean weighted;

  private WatermarkParameters(Builder b) {
    this.scheme = b.scheme;
    this.gamma = b.gamma;
    this.delta = b.delta;
    this.contextWidth = b.contextWidth;
    this.layers = b.layers;
    this.weighted = b.weighted;
  }

  /** The preset for {@code scheme}. */
  public static WatermarkParameters defaults(Scheme scheme) {
    return switch (scheme) {
      case KGW -> KGW_DEFAULT;
      case KGW_SELFHASH -> KGW_SELFHASH_DEFAULT;
      case UNIGRAM -> UNIGRAM_DEFAULT;
      case GUMBEL -> GUMBEL_DEFAULT;
      case SYNTHID -> SYNTHID_DEFAULT;
    };
  }

  /** A builder pre-filled with the scheme's preset values. */
  public static Builder builder(Scheme scheme) {
    return new Builder(scheme);
  }

  public Scheme scheme() {
    return scheme;
  }

  public double gamma() {
    return gamma;
  }

  public double delta() {
    return delta;
  }

  public int contextWidth() {
    return contextWidth;
  }

  public int layers() {
    return layers;
  }

  public boolean weighted() {
    return weighted;
  }

  /** The parameters that matter for this scheme, as a flat map of plain values (for JSON and ledger facts). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (scheme) {
      case KGW, KGW_SELFHASH -> {
        m.put("gamma", gamma);
        m.put("delta", delta);
        m.put("contextWidth", contextWidth);
      }
      case UNIGRAM -> {
        m.put("gamma", gamma);
        m.put("delta", delta);
      }
      case GUMBEL -> m.put("contextWidth", contextWidth);
      case SYNTHID -> {
        m.put("layers", layers);
        m.put("contextWidth", contextWidth);
        m.put("detector", weighted ? "weighted-mean" : "mean");
      }
    }
    return m;
  }

  /**
   * The form a key file records (see {@code docs/spec/text-watermark.md}, "Key files"): the scheme
   * label and the {@link #toMap()} values as strings.
   */
  public WatermarkKey.TextScheme toKeyScheme() {
    Map<String, String> m = new LinkedHashMap<>();
    toMap().forEach((k, v) -> m.put(k, String.valueOf(v)));
    return new WatermarkKey.TextScheme(scheme.label(), m);
  }

  /**
   * The parameters a key records, or empty when it records none (a key of any scheme).
   *
   * @throws IllegalArgumentException when the recorded scheme or a parameter is unknown or invalid
   *     (a key file written by a newer build, or edited by hand)
   */
  public static java.util.Optional<WatermarkParameters> ofKey(WatermarkKey key) {
    if (key.textScheme().isEmpty()) {
      return java.util.Optional.empty();
    }
    WatermarkKey.TextScheme ts = key.textScheme().get();
    String where = "watermark key '" + key.name() + "'";
    Scheme s;
    try {
      s = Scheme.parse(ts.label());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " records text scheme '" + ts.label()
          + "', which this build does not know; upgrade Hallmark");
    }
    Builder b = builder(s);
    Map<String, String> expected = b.build().toKeyScheme().parameters();
    for (Map.Entry<String, String> e : ts.parameters().entrySet()) {
      if (!expected.containsKey(e.getKey())) {
        throw new IllegalArgumentException(where + " records parameter '" + e.getKey() + "', which "
            + s.label() + " does not have");
      }
      String v = e.getValue();
      try {
        switch (e.getKey()) {
          case "gamma" -> b.gamma(Double.parseDouble(v));
          case "delta" -> b.delta(Double.parseDouble(v));
          case "contextWidth" -> b.contextWidth(Integer.parseInt(v));
          case "layers" -> b.layers(Integer.parseInt(v));
          case "detector" -> {
            if (!v.equals("mean") && !v.equals("weighted-mean")) {
              throw new IllegalArgumentException("detector must be mean or weighted-mean");
            }
            b.weighted(v.equals("weighted-mean"));
          }
          default -> throw new IllegalArgumentException("unknown parameter");
        }
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ": bad value '" + v + "' for " + e.getKey());
      }
    }
    for (String k : expected.keySet()) {
      if (!ts.parameters().containsKey(k)) {
        throw new IllegalArgumentException(where + " does not record " + s.label() + " parameter '" + k + "'");
      }
    }
    try {
      return java.util.Optional.of(b.build());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WatermarkParameters p && p.scheme == scheme && p.gamma == gamma
        && p.delta == delta && p.contextWidth == contextWidth && p.layers == layers && p.weighted == weighted;
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, gamma, delta, contextWidth, layers, weighted);
  }

  @Override
  public String toString() {
    return scheme.label() + toMap();
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private final Scheme scheme;
    private double gamma;
    private double delta;
    private int contextWidth;
    private int layers;
    private boolean weighted;

    private Builder(Scheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme");
      switch (scheme) {
        case KGW -> { gamma = 0.25; delta = 2.0; contextWidth = 1; }
        case KGW_SELFHASH -> { gamma = 0.25; delta = 2.0; contextWidth = 4; }
        case UNIGRAM -> { gamma = 0.5; delta = 2.0; contextWidth = 0; }
        case GUMBEL -> contextWidth = 4;
        case SYNTHID -> { contextWidth = 4; layers = 30; }
      }
    }

    public Builder gamma(double v) {
      gamma = v;
      return this;
    }

    public Builder delta(double v) {
      delta = v;
      return this;
    }

    public Builder contextWidth(int v) {
      contextWidth = v;
      return this;
    }

    public Builder layers(int v) {
      layers = v;
      return this;
    }

    public Builder weighted(boolean v) {
      weighted = v;
      return this;
    }

    /** @throws IllegalArgumentException naming the bad value */
    public WatermarkParameters build() {
      switch (scheme) {
        case KGW, KGW_SELFHASH, UNIGRAM -> {
          if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1), got " + gamma);
          }
          if (!(delta >= 0 && delta <= 20)) {
            throw new IllegalArgumentException("delta must be in [0, 20], got " + delta);
          }
        }
        default -> { }
      }
      if (scheme == Scheme.UNIGRAM && contextWidth != 0) {
        throw new IllegalArgumentException("unigram has no context; contextWidth must be 0");
      }
      if (scheme == Scheme.KGW && contextWidth != 1) {
        throw new IllegalArgumentException("KGW LeftHash uses contextWidth 1 (use kgw-selfhash for wider contexts)");
      }
      if (scheme != Scheme.UNIGRAM && scheme != Scheme.KGW && (contextWidth < 1 || contextWidth > 8)) {
        throw new IllegalArgumentException("contextWidth must be 1..8, got " + contextWidth);
      }
      if (scheme == Scheme.SYNTHID && (layers < 1 || layers > 64)) {
        throw new IllegalArgumentException("SynthID layers must be 1..64, got " + layers);
      }
      if (scheme != Scheme.SYNTHID) {
        layers = 0;
        weighted = false;
      }
      if (scheme == Scheme.GUMBEL || scheme == Scheme.SYNTHID) {
        gamma = 0;
        delta = 0;
      }
      return new WatermarkParameters(this);
    }
  }
}
