package dev.hallmark.cli.text;

import dev.hallmark.cli.UsageException;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * The overrides given (as {@code --gamma 0.5}) that differ from what a key which records its
   * scheme records, or that its scheme does not have; empty when every override given matches.
   * Such a key is generated and tested with its recorded parameters alone, so any other value would
   * be ignored.
   */
  public List<String> differing(WatermarkParameters recorded) {
    Map<String, Object> r = recorded.toMap();
    List<String> out = new ArrayList<>();
    differs("gamma", gamma, r, out);
    differs("delta", delta, r, out);
    differs("layers", layers, r, out);
    return out;
  }

  private static void differs(String name, Number given, Map<String, Object> recorded, List<String> out) {
    if (given != null && !(recorded.get(name) instanceof Number n && n.doubleValue() == given.doubleValue())) {
      out.add("--" + name + " " + given);
    }
  }

  /**
   * Refuses parameters that generate no usable watermark (for a key made with them, or text generated
   * with them): a delta of 0 biases nothing, and a green list of under 1% or over 99% of the
   * vocabulary (at gamma 1e-9, none of r50k's 50,257 tokens) gave text identical to unwatermarked
   * text, with exit 0 at generation and exit 1 at detection. Also refuses --layers for a scheme
   * that has none. Detection still reads whatever a key records.
   */
  public void checkGenerates(Scheme s, WatermarkParameters p) {
    if (layers != null && s != Scheme.SYNTHID) {
      throw new UsageException("--layers applies to synthid only, not " + s.label());
    }
    boolean greenList = s == Scheme.KGW || s == Scheme.KGW_SELFHASH || s == Scheme.UNIGRAM;
    if (!greenList) {
      return;
    }
    if (p.delta() <= 0) {
      throw new UsageException("--delta " + p.delta() + " adds nothing to the green tokens: the text would carry no watermark;"
          + " give a delta above 0 (preset 2.0)");
    }
    if (p.gamma() < 0.01 || p.gamma() > 0.99) {
      throw new UsageException("--gamma " + p.gamma() + " makes " + (p.gamma() < 0.01 ? "almost no token" : "almost every token")
          + " green: the text would carry no usable watermark; give a gamma from 0.01 to 0.99 (preset " 
          + WatermarkParameters.builder(s).build().gamma() + ")");
    }
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
