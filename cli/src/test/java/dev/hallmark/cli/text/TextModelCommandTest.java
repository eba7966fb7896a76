package dev.hallmark.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.core.Keyring;
import dev.hallmark.models.onnx.RandomDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code text generate --model DIR} on a random-weight GPT-2-shaped ONNX model (with and without past
 * key values), then {@code text detect --tokenizer DIR/tokenizer.json}.
 */
class TextModelCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MODEL_SEED = 7;
  @TempDir static Path dir;
  static Path home;
  static Path model;
  static Path modelNoCache;

  @BeforeAll
  static void setUp() throws Exception {
    System.out.println("TextModelCommandTest model seed=" + MODEL_SEED + ", key seed=3");
    home = dir.resolve("home");
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(3L);
    Keyring keyring = Keyring.open(home);
    keyring.createWatermarkKey("alice", random);
    keyring.createWatermarkKey("bob", random);
    model = dir.resolve("model");
    modelNoCache = dir.resolve("model-nocache");
    new RandomDecoder(2, 48, 4, 1000, 512, true, MODEL_SEED).write(model);
    new RandomDecoder(2, 48, 4, 1000, 512, false, MODEL_SEED).write(modelNoCache);
  }

  static CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(dir, all);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kgw", "kgw-selfhash", "unigram", "gumbel", "synthid"})
  void everySchemeThroughOnnxIsDetectedWithTheModelsTokenizer(String scheme) throws Exception {
    String prompt = RandomDecoder.word(3) + " " + RandomDecoder.word(300);
    CliRun g = run("text", "generate", "--model", model.toString(), "--key", "alice", "--scheme", scheme,
        "--tokens", "200", "--seed", "11", "--prompt", prompt);
    assertEquals(0, g.exitCode, g.toString());
    Path f = dir.resolve(scheme + ".txt");
    Files.writeString(f, g.out);
    CliRun d = run("text", "detect", "--json", "--tokenizer", model.resolve("tokenizer.json").toString(), f.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    JsonNode j = JSON.readTree(d.out);
    assertTrue(j.get("detected").asBoolean(), d.out);
    assertEquals("alice", j.get("keyName").asText(), d.out);
    assertEquals(scheme, j.get("scheme").asText(), d.out);
    assertTrue(j.get("tokensScored").asInt() > 100, d.out);
    CliRun bob = run("text", "detect", "--key", "bob", "--tokenizer", model.resolve("tokenizer.json").toString(),
        f.toString());
    assertEquals(ExitCodes.NEGATIVE, bob.exitCode, bob.toString());
    // The same text scored with a tokenizer that splits it differently is not evidence.
    CliRun wrong = run("text", "detect", "--json", f.toString());
    assertEquals(ExitCodes.NEGATIVE, wrong.exitCode, wrong.toString());
    // Without the KV cache the model computes the same logits, so the same seed gives the same text.
    CliRun g2 = run("text", "generate", "--model", modelNoCache.toString(), "--key", "alice", "--scheme", scheme,
        "--tokens", "200", "--seed", "11", "--prompt", prompt);
    assertEquals(g.out, g2.out);
  }

  @Test
  void badModelFoldersAndOptionsAreOneLineErrors() throws Exception {
    CliRun r = run("text", "generate", "--model", dir.resolve("absent").toString(), "--key", "alice");
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode, r.toString());
    assertTrue(r.err.startsWith("hallmark: ") && r.err.contains("absent"), r.err);
    r = run("text", "generate", "--model", model.toString(), "--key", "alice", "--no-repeat-ngram", "3");
    assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
    r = run("text", "generate", "--model", model.toString(), "--key", "alice", "--prompt", "");
    assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
    r = run("text", "generate", "--model", model.toString(), "--key", "alice", "--tokenizer", "cl100k_base");
    assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
    r = run("text", "detect", "--tokenizer", dir.resolve("none.json").toString(), "-");
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode, r.toString());
    assertTrue(r.err.contains("none.json"), r.err);
  }
}
