package dev.hallmark.cli.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.JsonInput;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.LineReader;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.ContentSniffer;
import dev.hallmark.models.onnx.HfTokenizer;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.MultiKeyTextDetector;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.hallmark.cli.options.OutputOptions;
import dev.hallmark.cli.options.WatermarkKeyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark text detect}. */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {
      "Test a text file (or - for stdin) for text watermarks under every named key (default: every",
      "watermark key in the keyring). A key that records its scheme is tested under it alone; a key made",
      "with --scheme any under every --scheme (default: all five). p-values are exact and corrected for",
      "the (key, scheme) tests and, within each, split between the whole text and its windows",
      "(Bonferroni), so --alpha is the family-wise false-positive rate (see \"correction\" in --json).",
      "--gamma, --delta and --layers set the parameters of keys made with --scheme any; a key that records",
      "its scheme is tested with its own, and a different value for it is a usage error.",
      "Exit 0 when a watermark is detected, 1 when not."
    })
public final class TextDetectCommand extends BaseCommand {
  /** Input read per document at most; longer input is cut and flagged as truncated. */
  static final int MAX_INPUT_BYTES = 16 << 20;

  @Mixin WatermarkKeyOptions keyOptions;

  @Option(names = "--scheme", paramLabel = "SCHEME", split = ",",
      description = "Schemes to test (repeatable or comma-separated; default: kgw,kgw-selfhash,unigram,gumbel,synthid);"
          + " a key that records its scheme is tested only if it is listed, and naming it with --key without"
          + " its scheme (or leaving no test at all) is a usage error.")
  List<String> schemes = new ArrayList<>();

  @Option(names = "--tokenizer", defaultValue = "r50k_base", paramLabel = "NAME",
      description = "r50k_base, cl100k_base, o200k_base, or a model's Hugging Face tokenizer.json (a path ending"
          + " in .json), to detect text generated with 'text generate --model' (default: ${DEFAULT-VALUE}).")
  String tokenizer;

  @Option(names = "--alpha", defaultValue = "1e-3", paramLabel = "A",
      description = "Family-wise false-positive rate (default: ${DEFAULT-VALUE}).")
  double alpha;

  @Option(names = "--no-windows", description = "Test the whole text only (no scan for pasted passages).")
  boolean noWindows;

  @Mixin OutputOptions output;

  @Option(names = "--jsonl", description = "Input is JSONL: score each line's \"text\" and print one JSON result a line with"
      + " its \"id\". A line that cannot be scored (not UTF-8, not one JSON object with a string \"text\", over 16 MiB)"
      + " gets a result with its \"line\" and \"error\" instead, and the lines after it are scored; exit 3 when no line"
      + " could be scored.")
  boolean jsonl;

  @Mixin SchemeOptions schemeOptions;

  @Parameters(index = "0", paramLabel = "FILE|-", description = "Text file (UTF-8, or UTF-16 with its byte order mark), or - for standard input.")
  String input;

  @Override
  public Integer call() throws Exception {
    if (!(alpha > 0 && alpha < 1)) {
      throw new UsageException("--alpha must be in (0, 1), got " + alpha);
    }
    List<WatermarkParameters> params = new ArrayList<>();
    // Each scheme once: one named twice would be a second identical test, doubling the correction.
    java.util.Set<Scheme> chosen = new java.util.LinkedHashSet<>();
    try {
      if (schemes.isEmpty()) {
        chosen.addAll(List.of(Scheme.values()));
      } else {
        for (String s : schemes) {
          chosen.add(Scheme.parse(s));
        }
      }
      if (!isTokenizerFile()) {
        Tokenizers.byName(tokenizer);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    for (Scheme s : chosen) {
      WatermarkParameters p = schemeOptions.build(s);
      if (p == null) {
        if (!schemes.isEmpty()) {
          throw new UsageException("--gamma and --delta apply to kgw, kgw-selfhash and unigram only");
        }
        p = WatermarkParameters.defaults(s);
      }
      params.add(p);
    }
    Keyring keyring = keyring();
    List<WatermarkKey> keys = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (WatermarkKey k : keyOptions.require(keyring)) {
      keys.add(k);
      names.put(k.keyId(), k.name());
    }
    // The settings' tokenizer name is unused when a tokenizer object (a tokenizer.json) is given.
    String tokenizerName = isTokenizerFile() ? TextDetectionSettings.DEFAULT.tokenizer() : Tokenizers.byName(tokenizer).name();
    TextDetectionSettings settings = new TextDetectionSettings(tokenizerName, params, alpha, !noWindows,
        TextDetectionSettings.DEFAULT_MAX_TOKENS);
    checkTests(settings, keys);
    if (isTokenizerFile()) {
      try (HfTokenizer hf = HfTokenizer.load(Path.of(tokenizer))) {
        return detect(newDetector(() -> Watermarks.multiKeyTextDetector(settings, keys, hf)), names);
      }
    }
    return detect(newDetector(() -> Watermarks.multiKeyTextDetector(settings, keys)), names);
  }

  /**
   * Refuses a selection that would test a named key under nothing: a key that records its scheme is
   * tested under that scheme only if --scheme lists it, so naming the key (--key) without its scheme,
   * or leaving no (key, scheme) test at all, is a usage error rather than a silent "not detected".
   * So are --gamma/--delta/--layers values that such a key does not record (they would be ignored).
   */
  private void checkTests(TextDetectionSettings settings, List<WatermarkKey> keys) throws HallmarkException {
    MultiKeyTextDetector.Coverage c;
    try {
      c = MultiKeyTextDetector.coverage(settings, keys);
      for (WatermarkKey k : keys) {
        java.util.Optional<WatermarkParameters> own = WatermarkParameters.ofKey(k);
        if (!c.untested().containsKey(k.name()) && own.isPresent() && !schemeOptions.differing(own.get()).isEmpty()) {
          throw new UsageException("watermark key '" + k.name() + "' records " + own.get() + " and is tested under"
              + " that alone, so " + String.join(" ", schemeOptions.differing(own.get())) + " would be ignored for it:"
              + " drop --gamma/--delta/--layers (they set the parameters of keys made with --scheme any), or name"
              + " other keys with --key");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new HallmarkException(e.getMessage());
    }
    List<String> untested = new ArrayList<>();
    c.untested().forEach((name, own) -> untested.add("watermark key '" + name + "' records " + own + ", so --scheme "
        + String.join(",", schemes) + " selects no (key, scheme) test for it"));
    if (!untested.isEmpty() && (c.tests() == 0 || !keyOptions.names.isEmpty())) {
      throw new UsageException(String.join("; ", untested)
          + ": add its scheme to --scheme, or drop --scheme to test every key under its own scheme");
    }
  }

  /** A key that records a scheme or parameters this build cannot read is bad input, not a usage error. */
  private static MultiKeyTextDetector newDetector(java.util.function.Supplier<MultiKeyTextDetector> make)
      throws HallmarkException {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw new HallmarkException(e.getMessage());
    }
  }

  private boolean isTokenizerFile() {
    return tokenizer.endsWith(".json") || tokenizer.contains("/") || tokenizer.contains(java.io.File.separator);
  }

  private int detect(MultiKeyTextDetector detector, Map<String, String> names) throws Exception {
    String label = input.equals("-") ? "standard input" : input;
    if (jsonl) {
      return runJsonl(detector, names, label);
    }
    Bounded in = readBounded(label);
    String text = decodeText(in.bytes, in.truncated, label);
    MultiKeyTextResult r = detector.detect(text);
    Map<String, Object> m = r.toMap();
    if (in.truncated) {
      m.put("truncated", true);
    }
    addKeyName(m, names);
    if (output.json) {
      printJson(m);
    } else {
      print(r, names, in.truncated, label);
    }
    return r.detected() ? ExitCodes.OK : ExitCodes.NEGATIVE;
  }

  private int runJsonl(MultiKeyTextDetector detector, Map<String, String> names, String label)
      throws IOException, HallmarkException {
    ObjectMapper mapper = new ObjectMapper();
    boolean any = false;
    int lineNo = 0;
    int errors = 0;
    int scored = 0;
    try (InputStream raw = open(label)) {
      LineReader r = new LineReader(raw, MAX_INPUT_BYTES);
      while (true) {
        byte[] bytes;
        Map<String, Object> m = new LinkedHashMap<>();
        try {
          bytes = r.next();
        } catch (LineReader.LineTooLongException e) {
          // One document too large to score is an error of its line; the lines after it are still read.
          r.skipLine();
          lineNo++;
          errors++;
          m.put("line", lineNo);
          m.put("error", "line longer than " + MAX_INPUT_BYTES + " bytes; split the document");
          out().println(mapper.writeValueAsString(m));
          continue;
        }
        if (bytes == null) {
          break;
        }
        lineNo++;
        try {
          // Like a malformed or over-long line, a line that is not UTF-8 is an error of its own.
          byte[] lineBytes = bytes;
          String line = ContentSniffer.utf8Text(lineBytes).orElseThrow(() -> new IllegalArgumentException(indexOfNul(lineBytes) >= 0
              ? "line contains NUL bytes, which JSON text cannot" : "line is not valid UTF-8; convert the file to UTF-8"));
          if (line.isBlank()) {
            continue;
          }
          JsonNode node = JsonInput.parse(line);
          JsonNode text = node.get("text");
          if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("no string field \"text\"");
          }
          JsonNode id = node.get("id");
          m.put("id", id == null || id.isNull() ? null : id.isTextual() ? id.asText() : id);
          MultiKeyTextResult res = detector.detect(text.asText());
          Map<String, Object> rm = res.toMap();
          rm.remove("candidates");
          addKeyName(rm, names);
          m.putAll(rm);
          any |= res.detected();
          scored++;
        } catch (JsonInput.MalformedJsonException | IllegalArgumentException e) {
          errors++;
          m.put("line", lineNo);
          m.put("error", (e instanceof JsonInput.MalformedJsonException ? "not one JSON object: " : "") + e.getMessage());
        }
        out().println(mapper.writeValueAsString(m));
      }
    }
    out().flush();
    if (errors > 0 && scored == 0) {
      // Nothing was tested, so "not detected" (exit 1) would be an answer the run does not have.
      throw new HallmarkException("none of the " + lineNo + " lines of " + label + " could be scored (see their \"error\" field)");
    }
    if (errors > 0) {
      err().println("hallmark: " + errors + " of " + lineNo + " lines of " + label + " could not be scored (see their"
          + " \"error\" field); the exit code reflects the " + scored + " lines scored");
    } else if (scored == 0) {
      err().println("hallmark: " + label + " has no JSON lines to score");
    }
    return any ? ExitCodes.OK : ExitCodes.NEGATIVE;
  }

  private static int indexOfNul(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static void addKeyName(Map<String, Object> m, Map<String, String> names) {
    Object id = m.get("keyId");
    if (id != null && names.containsKey(id)) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : m.entrySet()) {
        copy.put(e.getKey(), e.getValue());
        if (e.getKey().equals("keyId")) {
          copy.put("keyName", names.get(id));
        }
      }
      m.clear();
      m.putAll(copy);
    }
  }

  private void print(MultiKeyTextResult r, Map<String, String> names, boolean truncated, String label) {
    var b = r.best();
    if (b == null) {
      // checkTests refuses a selection without tests; kept so that this never claims "no tokens" for it.
      out().println("no watermark detected: no (key, scheme) test was run");
      return;
    }
    if (b.tokensTotal() == 0) {
      out().println("no watermark detected: the text has no tokens to score");
      return;
    }
    String where = b.span() == null ? "whole text"
        : "characters " + b.span().startChar() + ".." + b.span().endChar();
    out().printf("%s: scheme %s, key %s (%s), p = %.3g (log10 %.1f, family-wise: %s; %d windows), "
        + "%d tokens scored, %s%n",
        r.detected() ? "watermark DETECTED" : "no watermark detected (best candidate)", b.scheme(),
        names.getOrDefault(b.keyId(), "?"), b.keyId(), r.familyWisePValue(),
        r.log10FamilyWisePValue(), r.correction(), b.windowsTried() - 1,
        b.tokensScored(), where);
    if (truncated || b.truncated()) {
      err().printf(java.util.Locale.ROOT, "hallmark: %s: longer than the detection limit (%d MiB, %,d tokens); only its"
          + " beginning was tested%s: split it (for example into JSONL lines for --jsonl) to test the rest%n",
          label, MAX_INPUT_BYTES >> 20, TextDetectionSettings.DEFAULT_MAX_TOKENS,
          r.detected() ? "" : ", so 'no watermark' holds for that part only");
    }
  }

  private record Bounded(byte[] bytes, boolean truncated) {}

  private InputStream open(String label) throws IOException, HallmarkException {
    if (input.equals("-")) {
      return System.in;
    }
    Path p = Path.of(input);
    if (Files.isDirectory(p)) {
      throw new HallmarkException(label + " is a directory; pass a text file (or use 'hallmark clean' for folders)");
    }
    return Files.newInputStream(p);
  }

  private Bounded readBounded(String label) throws IOException, HallmarkException {
    try (InputStream in = open(label)) {
      byte[] b = in.readNBytes(MAX_INPUT_BYTES);
      boolean more = in.read() >= 0;
      return new Bounded(b, more);
    }
  }

  /**
   * The input as text by the one rule tag and verify use ({@link ContentSniffer#text}): UTF-8, or
   * UTF-16 with its byte order mark, strictly decoded and without a NUL character anywhere in it.
   * When the size bound cut the input inside a character, the incomplete tail (at most 3 bytes) is
   * dropped.
   */
  static String decodeText(byte[] b, boolean truncated, String label) throws HallmarkException {
    java.util.Optional<String> text = ContentSniffer.text(b);
    for (int cut = 1; text.isEmpty() && truncated && cut <= 3 && cut < b.length; cut++) {
      text = ContentSniffer.text(java.util.Arrays.copyOf(b, b.length - cut));
    }
    if (text.isPresent()) {
      return text.get();
    }
    boolean utf16 = b.length >= 2 && ((b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe
        || (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff);
    boolean nul = false;
    for (int i = 0; i < b.length && !nul && !utf16; i++) {
      nul = b[i] == 0;
    }
    throw new HallmarkException(label + (nul ? " looks binary (contains NUL bytes)"
        : utf16 ? " is not valid UTF-16 text (or holds NUL characters)" : " is not valid UTF-8 text")
        + "; text detection needs UTF-8 text (or UTF-16 with its byte order mark): convert it to UTF-8 first");
  }
}
