package dev.hallmark.cli.text;

import dev.hallmark.cli.UsageException;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.WatermarkParameters;
import picocli.CommandLine.Option;

/** Scheme parameter overrides shared by keys new, text generate and text detect. */
public final class SchemeOptions {
  @Option(names = "--gamma", paramLabel = "G", description = "Green-list fraction for kgw, kgw-selfhash, unigram (presets 0.25, 0.25, 0.5).")
  Double gamma;

  @Option(names = "--delta", paramLabel = "D", description = "Green-token logit bias for kgw, kgw-selfhash, unigram (preset 2.0).")
  Double delta;

  @Option(names = "--layers", paramLabel = "M", description = "SynthID tournament layers (preset 30).")
  Integer layers;

  /** True when any override was given. */
  public boolean any() {
    return gamma != null || delta != null || layers != null;
  }

  /** The preset of {@code s} with the overrides; null when --gamma/--delta do not apply to {@code s}. */
  public WatermarkParameters build(Scheme s) {
    WatermarkParameters.Builder b = WatermarkParameters.builder(s);
    boolean greenList = s == Scheme.KGW || s == Scheme.KGW_SELFHASH || s == Scheme.UNIGRAM;
    if (gamma != null || delta != null) {
      if (!greenList) {
        if (gamma != null || delta != null) {
          return null;
        }
      }
      if (gamma != null) {
        b.gamma(gamma);
      }
      if (delta != null) {
        b.delta(delta);
      }
    }
    if (layers != null && s == Scheme.SYNTHID) {
      b.layers(layers);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
