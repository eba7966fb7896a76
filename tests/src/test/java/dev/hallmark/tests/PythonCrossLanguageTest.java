package dev.hallmark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.Keyring;
import dev.hallmark.models.onnx.HfTokenizer;
import dev.hallmark.models.onnx.RandomDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java and Python generate the same watermarked tokens, and Java detects Python's text: the packaged
 * jar runs {@code text generate --model} on a random-weight GPT-2-shaped ONNX model; the Python package
 * ({@code python/hallmark_watermark}, Debian's python3-numpy and python3-torch) rebuilds the same
 * decoder from its weights in torch and samples with the same key, scheme and seed. Needs
 * {@code /usr/bin/python3} with NumPy: skipped with a message where it is absent, a failure when
 * {@code HALLMARK_REQUIRE_PYTHON=1} (CI).
 */
class PythonCrossLanguageTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MODEL_SEED = 17;
  static final int TOKENS = 120;
  static final String PYTHON = "/usr/bin/python3";
  @TempDir static Path dir;
  static Path home;
  static Path model;
  static Path keyFile;

  @BeforeAll
  static void setUp() throws Exception {
    String missing = pythonProblem();
    if (missing != null && "1".equals(System.getenv("HALLMARK_REQUIRE_PYTHON"))) {
      throw new AssertionError("HALLMARK_REQUIRE_PYTHON=1 but " + missing
          + " (apt-get install -y python3-numpy python3-torch)");
    }
    Assumptions.assumeTrue(missing == null, "skipped: " + missing
        + " (apt-get install -y python3-numpy python3-torch runs it)");
    System.out.println("PythonCrossLanguageTest model seed=" + MODEL_SEED + ", key seed=5, sampling seed=11");
    home = dir.resolve("home");
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(5L);
    Keyring keyring = Keyring.open(home);
    keyring.createWatermarkKey("gen", random);
    keyFile = keyring.directory().resolve("gen.watermark");
    model = dir.resolve("model");
    new RandomDecoder(2, 48, 4, 1000, 512, true, MODEL_SEED).write(model);
  }

  static String pythonProblem() throws InterruptedException {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return PYTHON + " is absent";
    }
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return "python3-numpy is not installed";
      }
    } catch (IOException e) {
      return PYTHON + " cannot run (" + e.getMessage() + ")";
    }
    return null;
  }

  static Path repo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("python/hallmark_watermark"))) {
      p = p.getParent();
    }
    assertTrue(p != null, "python/hallmark_watermark not found above " + Path.of("").toAbsolutePath());
    return p;
  }

  static String runPython(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON);
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo().resolve("python").toFile());
    Path out = Files.createTempFile(dir, "py-out", ".txt");
    Path err = Files.createTempFile(dir, "py-err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("python " + String.join(" ", args) + " did not finish in 10 minutes");
    }
    String o = Files.readString(out, StandardCharsets.UTF_8);
    String e = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "python " + String.join(" ", args) + "\n--- stdout\n" + o + "--- stderr\n" + e);
    System.out.print(e);
    return o;
  }

  static PackagedJar hallmark(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return PackagedJar.run(Map.of(), null, all);
  }

  @Test
  void pythonPackagePassesItsOwnTests() throws Exception {
    String out = runPython("-m", "unittest", "discover", "-s", "tests", "-t", ".", "-p", "test_*.py");
    System.out.print(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kgw", "kgw-selfhash", "unigram", "gumbel", "synthid"})
  void javaAndPythonGenerateTheSameTokensAndJavaDetectsPythonsText(String scheme) throws Exception {
    generateInBothAndDetect("gen", keyFile, scheme, "--scheme", scheme);
  }

  /**
   * A key made with non-preset parameters (key file version 2 records them): Java's text generate and
   * the Python package both generate with the recorded parameters, so the tokens are the same.
   */
  @ParameterizedTest
  @ValueSource(strings = {"kgw --gamma 0.5 --delta 4", "synthid --layers 10"})
  void aKeysRecordedParametersGiveTheSameTokensInJavaAndPython(String made) throws Exception {
    String[] words = made.split(" ");
    String scheme = words[0];
    String name = "made-" + scheme;
    List<String> args = new ArrayList<>(List.of("keys", "new", "--type", "watermark", "--name", name,
        "--scheme", scheme));
    args.addAll(Arrays.asList(words).subList(1, words.length));
    PackagedJar k = hallmark(args.toArray(new String[0]));
    assertEquals(0, k.exitCode, k.toString());
    // No --scheme: text generate takes the key's scheme and parameters, as the Python package does.
    generateInBothAndDetect(name, home.resolve("keys").resolve(name + ".watermark"), scheme);
  }

  void generateInBothAndDetect(String keyName, Path key, String scheme, String... schemeArgs) throws Exception {
    String prompt = RandomDecoder.word(3) + " " + RandomDecoder.word(300);
    List<String> gen = new ArrayList<>(List.of("text", "generate", "--model", model.toString(), "--key", keyName));
    gen.addAll(Arrays.asList(schemeArgs));
    gen.addAll(List.of("--tokens", Integer.toString(TOKENS), "--seed", "11", "--prompt", prompt));
    PackagedJar g = hallmark(gen.toArray(new String[0]));
    assertEquals(0, g.exitCode, g.toString());
    int[] promptIds;
    int[] javaTokens;
    try (HfTokenizer tok = HfTokenizer.load(model.resolve("tokenizer.json"))) {
      promptIds = tok.encode(prompt);
      int[] all = tok.encode(g.out.strip());
      javaTokens = Arrays.copyOfRange(all, promptIds.length, all.length);
    }
    assertEquals(TOKENS, javaTokens.length, g.out);
    StringJoiner ids = new StringJoiner(",");
    for (int t : promptIds) {
      ids.add(Integer.toString(t));
    }
    JsonNode py = JSON.readTree(runPython("tests/crosslang.py", "--model", model.toString(), "--key",
        key.toString(), "--scheme", scheme, "--seed", "11", "--tokens", Integer.toString(TOKENS),
        "--prompt-ids", ids.toString()));
    String what = keyName + " " + scheme;
    System.out.println(what + ": python backend " + py.get("backend").asText() + ", parameters "
        + py.get("parameters").asText() + "; java: " + g.err.strip());
    assertEquals(Arrays.toString(javaTokens), Arrays.toString(tokens(py.get("sampler"))), what + " sampler");
    assertEquals(Arrays.toString(javaTokens), Arrays.toString(tokens(py.get("processor"))), what + " processor");

    Path text = dir.resolve("python-" + keyName + "-" + scheme + ".txt");
    Files.writeString(text, py.get("engine_text").asText());
    PackagedJar d = hallmark("text", "detect", "--json", "--tokenizer", model.resolve("tokenizer.json").toString(),
        text.toString());
    assertEquals(0, d.exitCode, d.toString());
    JsonNode r = JSON.readTree(d.out);
    assertEquals(scheme, r.get("scheme").asText(), d.out);
    assertEquals(keyName, r.get("keyName").asText(), d.out);
  }

  static int[] tokens(JsonNode a) {
    int[] t = new int[a.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = a.get(i).asInt();
    }
    return t;
  }
}
