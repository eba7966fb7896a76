package dev.hallmark.cli.text;

import dev.hallmark.cli.UsageException;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.WatermarkParameters;
import picocli.CommandLine.Option;

/** Scheme parameter overrides shared by generate and detect. */
final class SchemeOptions {
  @Option(names = "--gamma", paramLabel = "G", description = "Green-list fraction for kgw, kgw-selfhash, unigram (presets 0.25, 0.25, 0.5).")
  Double gamma;

  @Option(names = "--delta", paramLabel = "D", description = "Green-token logit bias for kgw, kgw-selfhash, unigram (preset 2.0).")
  Double delta;

  @Option(names = "--layers", paramLabel = "M", description = "SynthID tournament layers (preset 30).")
  Integer layers;

  WatermarkParameters build(Scheme s) {
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
