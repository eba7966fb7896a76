package dev.hallmark.cli.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.KeyringException;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.models.onnx.OnnxLanguageModel;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.LanguageModel;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hallmark text generate}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {
      "Print watermarked text sampled from the built-in demo language model (a token trigram model",
      "trained on public-domain books and speeches), or with --model from your own decoder-only ONNX",
      "export (a folder with model.onnx and tokenizer.json, e.g. from optimum-cli export onnx).",
      "With --count, prints JSONL: one {\"id\",\"text\"} object a line."
    })
public final class TextGenerateCommand extends BaseCommand {
  @Option(names = "--key", required = true, paramLabel = "NAME", description = "Watermark key name.")
  String keyName;

  @Option(names = "--scheme", paramLabel = "SCHEME",
      description = "kgw, kgw-selfhash, unigram, gumbel or synthid (default: the scheme the key records, else kgw).")
  String scheme;

  @Option(names = "--tokenizer", defaultValue = "r50k_base", paramLabel = "NAME",
      description = "Tokenizer; the built-in model uses r50k_base (default: ${DEFAULT-VALUE}).")
  String tokenizer;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Generate with this ONNX model folder (model.onnx + tokenizer.json) instead of the built-in model;"
          + " detect its text with 'text detect --tokenizer DIR/tokenizer.json'.")
  java.nio.file.Path modelDir;

  @Option(names = "--prompt", defaultValue = "The", paramLabel = "TEXT", description = "Prompt (default: ${DEFAULT-VALUE}).")
  String prompt;

  @Option(names = "--tokens", defaultValue = "200", paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--count", paramLabel = "N", description = "Print N samples as JSONL.")
  Integer count;

  @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default: random; printed to stderr).")
  Long seed;

  @Option(names = "--temperature", paramLabel = "T",
      description = "Sampling temperature (default: " + NgramLanguageModel.DEFAULT_TEMPERATURE
          + " for the built-in model, 1 for --model).")
  Double temperature;

  @Option(names = "--no-repeat-ngram", paramLabel = "N",
      description = "Never repeat an N-token sequence within the last " + NgramLanguageModel.NO_REPEAT_WINDOW
          + " tokens; 0 samples the plain trigram model, which can loop (default: "
          + NgramLanguageModel.DEFAULT_NO_REPEAT_NGRAM + ").")
  Integer noRepeatNgram;

  @Mixin SchemeOptions schemeOptions;

  @Override
  public Integer call() throws KeyringException, Exception {
    Scheme named = null;
    try {
      if (scheme != null) {
        named = Scheme.parse(scheme);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (tokens < 1 || tokens > 100_000) {
      throw new UsageException("--tokens must be 1..100000, got " + tokens);
    }
    if (count != null && (count < 1 || count > 1_000_000)) {
      throw new UsageException("--count must be 1..1000000, got " + count);
    }
    if (modelDir != null) {
      if (noRepeatNgram != null) {
        throw new UsageException("--no-repeat-ngram applies to the built-in model only, not --model");
      }
      if (temperature != null && !(temperature >= 0.05 && temperature <= 5)) {
        throw new UsageException("--temperature must be in [0.05, 5], got " + temperature);
      }
      if (tokenizerGiven()) {
        throw new UsageException("--tokenizer does not apply with --model: the model's tokenizer.json is used");
      }
      try (OnnxLanguageModel onnx = OnnxLanguageModel.open(modelDir, temperature == null ? 1.0 : temperature)) {
        if (onnx.hfTokenizer().encode(prompt).length == 0) {
          throw new UsageException("--prompt must have at least one token with --model (a transformer needs context)");
        }
        return run(named, onnx, onnx.hfTokenizer());
      }
    }
    Tokenizer tok;
    try {
      tok = Tokenizers.byName(tokenizer);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (!tok.name().equals("r50k_base")) {
      throw new UsageException("the built-in model uses r50k_base; --tokenizer " + tok.name()
          + " needs your own model (--model DIR)");
    }
    NgramLanguageModel lm = NgramLanguageModel.builtIn();
    if (temperature != null) {
      try {
        lm = lm.withTemperature(temperature);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    if (noRepeatNgram != null) {
      try {
        lm = lm.withNoRepeatNgram(noRepeatNgram);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
    return run(named, lm, tok);
  }

  private boolean tokenizerGiven() {
    return spec != null && spec.commandLine().getParseResult().hasMatchedOption("--tokenizer");
  }

  private int run(Scheme named, LanguageModel lm, Tokenizer tok) throws Exception {
    WatermarkKey key = keyring().watermarkKey(keyName);
    WatermarkParameters own;
    try {
      own = WatermarkParameters.ofKey(key).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new dev.hallmark.core.HallmarkException(e.getMessage());
    }
    Scheme s = named != null ? named : own != null ? own.scheme() : Scheme.KGW;
    WatermarkParameters params = schemeOptions.build(s);
    if (params == null) {
      throw new UsageException("--gamma and --delta apply to kgw, kgw-selfhash and unigram only");
    }
    if (own != null) {
      if (s != own.scheme() || !schemeOptions.differing(own).isEmpty()) {
        throw new UsageException("watermark key '" + key.name() + "' is for " + own + "; detection tests it under"
            + " that alone, so generate with it (drop --scheme/--gamma/--delta/--layers) or use a key made for "
            + params);
      }
      params = own;
    } else {
      schemeOptions.checkGenerates(s, params);
    }
    long sd = seed != null ? seed : environment().random().get().nextLong();
    if (seed == null) {
      err().println("seed: " + sd);
    }
    SplittableRandom rnd = new SplittableRandom(sd);
    TextGenerator gen = new TextGenerator(lm, tok,
        Watermarks.textWatermarker(key, params, lm.vocabularySize(), tok.name()));
    if (count == null) {
      TextGenerator.Generation g = gen.generate(prompt, tokens, rnd);
      out().println(prompt + g.text());
      err().printf("%s, key %s (%s), %d tokens, model entropy %.2f bits/token%n", params, key.name(),
          key.keyId(), tokens, g.meanEntropyBits());
    } else {
      ObjectMapper json = new ObjectMapper();
      double entropy = 0;
      java.util.Set<String> seen = new java.util.HashSet<>();
      int repeats = 0;
      for (int i = 0; i < count; i++) {
        TextGenerator.Generation g = gen.generate(prompt, tokens, rnd);
        entropy += g.meanEntropyBits();
        if (!seen.add(g.text())) {
          repeats++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", String.format("%s-%d-%06d", s.label(), sd, i));
        m.put("text", prompt + g.text());
        out().println(json.writeValueAsString(m));
        if (count >= 20 && (i + 1) % Math.max(1, count / 10) == 0) {
          err().printf("generated %d/%d%n", i + 1, count);
          err().flush();
        }
      }
      out().flush();
      err().printf("%s, key %s (%s), %d samples of %d tokens, model entropy %.2f bits/token%n", params,
          key.name(), key.keyId(), count, tokens, entropy / count);
      if (repeats > 0) {
        // Gumbel and SynthID choose each token from the key and the context alone (distortion-free), so
        // samples that start alike stay alike: an evaluation set would hold the same text more than once.
        err().printf("note: %d of the %d samples repeat an earlier one (%s chooses each token from the key and the"
            + " context; give each sample its own --prompt, or use a kgw or unigram key, for distinct samples)%n",
            repeats, count, s.label());
      }
    }
    return ExitCodes.OK;
  }
}
