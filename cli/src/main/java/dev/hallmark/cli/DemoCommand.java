package dev.hallmark.cli;

import dev.hallmark.cli.verify.VerdictText;
import dev.hallmark.core.KeyInfo;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.clean.CleanJob;
import dev.hallmark.clean.CleanProgress;
import dev.hallmark.clean.CleanReport;
import dev.hallmark.clean.CorpusCleaner;
import dev.hallmark.detector.DetectionPolicy;
import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Reason;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.TagRequest;
import dev.hallmark.provenance.TagResult;
import dev.hallmark.provenance.Tagger;
import dev.hallmark.provenance.TaggerSettings;
import dev.hallmark.provenance.Verdict;
import dev.hallmark.provenance.Verifier;
import dev.hallmark.provenance.VerifierSettings;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.MultiKeyTextResult;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextDetectionSettings;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.TextWatermarker;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hallmark demo}: the end-to-end tour on embedded defaults in a throw-away home folder, so it
 * never touches the user's own keyring: keys, watermarked text, an image tagged into a ledger, a
 * signed checkpoint, a corpus cleaned, and verification of a re-encoded copy and of an untagged photo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the end-to-end tour in a temporary home folder (deleted afterwards unless --keep).")
public final class DemoCommand extends BaseCommand {
  /** Seed of everything the demo draws (texts, pictures); keys still come from secure randomness. */
  static final long SEED = 2026_11_25L;
  static final String ORIGIN = "demo.hallmark.local/log";

  @Option(names = "--keep", description = "Keep the demo's home folder and print where it is.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    Path demoHome = Files.createTempDirectory("hallmark-demo-");
    try {
      run(demoHome);
    } finally {
      if (keep) {
        out().println();
        out().println("The demo's files are kept in " + demoHome);
      } else {
        deleteTree(demoHome);
      }
    }
    return ExitCodes.OK;
  }

  private void run(Path demoHome) throws Exception {
    Keyring keyring = Keyring.open(demoHome);
    out().println("Hallmark demo (temporary home: " + demoHome + ", seed " + SEED + ")");
    out().println();

    step(1, "Create a watermark key: a 256-bit secret that keys the text and image watermarks.");
    KeyInfo wm = keyring.createWatermarkKey("demo-watermark", environment().random().get(),
        WatermarkParameters.KGW_DEFAULT.toKeyScheme());
    out().printf("   $ hallmark keys new --type watermark --name %s   (text scheme: kgw, the default)%n", wm.name());
    out().printf("   created watermark key '%s', key id %s (derived from the secret, safe to share)%n", wm.name(), wm.keyId());
    out().println();

    step(2, "Create a signing key: an Ed25519 key pair that signs ledger records and checkpoints.");
    KeyInfo sk = keyring.createSigningKey("demo-signer", environment().random().get(), null);
    out().printf("   $ hallmark keys new --type signing --name %s%n", sk.name());
    out().printf("   created signing key '%s', key id %s (add --passphrase-env VAR to encrypt it)%n", sk.name(), sk.keyId());
    NoteVerifierKey v = keyring.verifierKey(sk.name());
    out().printf("   $ hallmark keys public --name %s%n", sk.name());
    out().println("   " + v.encode());
    out().println();

    WatermarkKey key = keyring.watermarkKey(wm.name());
    SigningKey signer = keyring.signingKey(sk.name(), null);
    Path work = Files.createDirectories(demoHome.resolve("work"));

    step(3, "Generate watermarked text with the built-in model (KGW watermark inside the sampling loop).");
    TextWatermarker watermarker = Watermarks.textWatermarker(key, Tokenizers.r50k());
    TextGenerator generator = new TextGenerator(NgramLanguageModel.builtIn(), Tokenizers.r50k(), watermarker);
    TextGenerator.Generation g = generator.generate("The history of the city", 300, new Random(SEED));
    out().println("   $ hallmark text generate --key demo-watermark --tokens 300 --seed " + SEED + " > generated.txt");
    out().println("   \"" + abbreviate(g.text(), 150) + "\"");
    out().println();

    step(4, "Detect it: every key under the scheme it records, with an exact family-wise p-value.");
    MultiKeyTextResult d = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(key)).detect(g.text());
    MultiKeyTextResult h = Watermarks.multiKeyTextDetector(TextDetectionSettings.DEFAULT, List.of(key)).detect(HUMAN_TEXT);
    out().println("   $ hallmark text detect generated.txt");
    out().printf(Locale.ROOT, "   generated text: %s (scheme %s, p = %.2g over %d tokens)%n", d.detected() ? "WATERMARKED" : "not detected",
        d.best().scheme(), d.familyWisePValue(), d.best().tokensScored());
    out().printf(Locale.ROOT, "   a human paragraph: %s (p = %.2g)%n", h.detected() ? "WATERMARKED" : "not watermarked", h.familyWisePValue());
    out().println();

    Path ledgerDir = demoHome.resolve("ledger");
    Ledgers.init(ledgerDir, ORIGIN, signer, signer.name());
    try (Ledger ledger = Ledgers.open(ledgerDir, signer, LedgerOptions.DEFAULT)) {
      Tagger tagger = Provenance.tagger(new TaggerSettings(ledger, signer, key, ImageWatermarkParameters.DEFAULT,
          Clock.systemUTC(), environment().random().get()));

      step(5, "Tag outputs: register the generated text, and watermark + register a generated picture.");
      TagResult text = tagger.tagGeneratedText(g.text(), watermarker.facts(), g, TagRequest.of("hallmark-ngram-demo"));
      Path picture = work.resolve("landscape.png");
      Files.write(picture, Images.encode(landscape(640, 448, SEED), Images.Format.PNG, 92));
      TagResult image = tagger.tagImage(Files.readAllBytes(picture), picture.toString(), new TagRequest("demo-painter-1", "png", 92));
      Path tagged = work.resolve("landscape.tagged.png");
      Files.write(tagged, image.output());
      Files.writeString(work.resolve("landscape.tagged.png.proof"), tagger.receipt(image.index()).encode());
      out().println("   $ hallmark tag --key demo-watermark --signing-key demo-signer --ledger ledger --model hallmark-ngram-demo --generated kgw generated.txt");
      out().println("   text  -> ledger entry " + text.index() + " (SHA-256, MinHash fingerprint, watermark facts, generation facts)");
      out().println("   $ hallmark tag --key demo-watermark --signing-key demo-signer --ledger ledger --origin " + ORIGIN
          + " --model demo-painter-1 landscape.png");
      out().println("   image -> landscape.tagged.png, ledger entry " + image.index() + ", watermark payload " + image.reference().id());
      out().println("            metadata reference: " + image.reference().encode());
      out().println();

      step(6, "Sign a checkpoint: the log's size and Merkle root, signed as a C2SP signed note.");
      SignedCheckpoint cp = ledger.checkpoint();
      out().println("   $ hallmark ledger checkpoint --dir ledger");
      for (String line : cp.encode().split("\n")) {
        out().println("   | " + line);
      }
      out().println();

      step(7, "Clean a small mixed scraped corpus before training: watermarked and registered texts are removed.");
      Path corpus = work.resolve("scraped.jsonl");
      writeCorpus(corpus, generator, g.text());
      Path cleaned = demoHome.resolve("cleaned");
      CleanReport report;
      try (LedgerSnapshot snap = ledger.snapshot()) {
        Detector detector = Detector.create(DetectionPolicy.DEFAULT, List.of(key), snap);
        report = CorpusCleaner.run(CleanJob.builder().input(corpus).output(cleaned).threads(2).build(), detector,
            CleanProgress.Listener.NONE);
      }
      out().println("   $ hallmark clean --ledger ledger --input scraped.jsonl --output cleaned");
      out().printf(Locale.ROOT, "   %d documents: %d kept, %d removed, %d errors%n", report.documents(), report.kept(),
          report.removed(), report.errors());
      for (Reason r : Reason.values()) {
        long n = report.byReason().getOrDefault(r, 0L);
        if (n > 0) {
          out().printf(Locale.ROOT, "     removed for %s: %d%n", r.name().toLowerCase(Locale.ROOT).replace('_', ' '), n);
        }
      }
      out().println("   report with the evidence for every removal: " + cleaned.resolve("report.html"));
      out().println();

      Verifier verifier = Provenance.verifier(VerifierSettings.builder().addKeys(List.of(key))
          .addSource(Provenance.ledger(ledger)).build());
      step(8, "Verify a copy of the tagged picture that was resized to 75%, re-saved as JPEG 75 and stripped of metadata.");
      Path copy = work.resolve("shared-copy.jpg");
      Files.write(copy, reencode(image.output()));
      out().println("   $ hallmark verify --ledger ledger shared-copy.jpg");
      Verdict vc = verifier.verify(Files.readAllBytes(copy), "shared-copy.jpg");
      indent(vc);
      out().println();

      step(9, "Verify a picture nobody tagged.");
      Path other = work.resolve("holiday.png");
      Files.write(other, Images.encode(landscape(640, 448, SEED + 1), Images.Format.PNG, 92));
      out().println("   $ hallmark verify --ledger ledger holiday.png");
      Verdict vu = verifier.verify(Files.readAllBytes(other), "holiday.png");
      indent(vu);
      out().println();
      if (!vc.originEstablished() || vu.originEstablished() || !d.detected()) {
        throw new IllegalStateException("the demo did not come out as expected; please report it");
      }
    } finally {
      key.destroy();
    }

    out().println("Next: what to look at now");
    out().println("  - 'hallmark demo --keep' keeps these files: open cleaned/report.html, landscape.tagged.png and its .proof receipt.");
    out().println("  - 'hallmark serve --ledger DIR --signing-key NAME' and open http://127.0.0.1:8480/ to verify files in a browser.");
    out().println("  - Your own keys: 'hallmark keys new ...' (in ~/.hallmark, or --home DIR); every command has --help.");
    out().println("  - docs/spec/verify.md explains each verdict signal; docs/BENCHMARKS.md has the measured figures.");
  }

  private void indent(Verdict v) {
    java.io.StringWriter sw = new java.io.StringWriter();
    VerdictText.print(v, new java.io.PrintWriter(sw));
    for (String line : sw.toString().split("\n")) {
      out().println("   " + line);
    }
  }

  private void step(int n, String what) {
    out().println(n + ". " + what);
    out().flush();
  }

  static final String HUMAN_TEXT = "It was a bright cold day in April, and the clocks were striking thirteen. Winston "
      + "Smith, his chin nuzzled into his breast in an effort to escape the vile wind, slipped quickly through the glass "
      + "doors of Victory Mansions, though not quickly enough to prevent a swirl of gritty dust from entering along with him.";

  private static final String[] HUMAN_PARAGRAPHS = {
    HUMAN_TEXT,
    "The committee met on Thursday to review the budget for the coming year. Members raised concerns about the cost of "
        + "repairing the old bridge, and the chair promised a full report from the engineers before the next meeting.",
    "To make the bread, mix the flour and salt, add warm water with the yeast, and knead for ten minutes until the dough "
        + "is smooth. Leave it to rise for an hour in a warm place, then shape it and bake it until it sounds hollow.",
    "Rain is expected across the north of the region tomorrow, with strong winds along the coast in the afternoon. The "
        + "south should stay dry and mild, although fog may linger in the valleys until late in the morning.",
  };

  /** A JSONL corpus: human paragraphs, the registered generated text, and other watermarked generations. */
  private static void writeCorpus(Path file, TextGenerator generator, String registered) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    int id = 0;
    for (String p : HUMAN_PARAGRAPHS) {
      lines.add(json.writeValueAsString(Map.of("id", "web-" + id++, "text", p)));
    }
    lines.add(json.writeValueAsString(Map.of("id", "web-" + id++, "text", registered)));
    String[] prompts = {"Our government", "In the morning the", "The report says"};
    for (int i = 0; i < prompts.length; i++) {
      String t = generator.generate(prompts[i], 400, new Random(SEED + 10 + i)).text();
      lines.add(json.writeValueAsString(Map.of("id", "web-" + id++, "text", t)));
    }
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** Resized to 0.75x and re-encoded as JPEG 75, without any metadata. */
  static byte[] reencode(byte[] png) throws Exception {
    BufferedImage img = Images.read(png, "tagged");
    int w = (int) Math.round(img.getWidth() * 0.75);
    int h = (int) Math.round(img.getHeight() * 0.75);
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    return Images.encode(small, Images.Format.JPEG, 75);
  }

  /**
   * A synthetic but natural-looking landscape (sky with clouds, sun, layered hills, textured field),
   * from fractal value noise seeded with {@code seed}: the same seed gives the same picture.
   */
  static BufferedImage landscape(int w, int h, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Noise clouds = new Noise(r.nextLong());
    Noise ridge = new Noise(r.nextLong());
    Noise grass = new Noise(r.nextLong());
    double sunX = w * (0.2 + 0.6 * r.nextDouble());
    double sunY = h * (0.12 + 0.15 * r.nextDouble());
    double hue = r.nextDouble();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double[] far = new double[w];
    double[] near = new double[w];
    for (int x = 0; x < w; x++) {
      far[x] = h * (0.42 + 0.16 * ridge.fractal(x / 180.0, 0.5, 5));
      near[x] = h * (0.58 + 0.14 * ridge.fractal(x / 90.0, 7.5, 5));
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double t = y / (double) h;
        double rr;
        double gg;
        double bb;
        if (y < far[x]) {
          double c = Math.max(0, clouds.fractal(x / 140.0, y / 60.0, 6) - 0.45) * 2.2;
          rr = 70 + 120 * t + 150 * c;
          gg = 120 + 90 * t + 130 * c;
          bb = 200 + 40 * t + 40 * c;
          double dsun = Math.hypot(x - sunX, y - sunY);
          double glow = Math.exp(-dsun / 40.0);
          rr += 180 * glow;
          gg += 150 * glow;
          bb += 60 * glow;
        } else if (y < near[x]) {
          double n = grass.fractal(x / 25.0, y / 25.0, 5);
          rr = 80 + 40 * n + 30 * hue;
          gg = 100 + 40 * n;
          bb = 130 + 30 * n;
        } else {
          double n = grass.fractal(x / 8.0, y / 3.0, 6);
          double depth = (y - near[x]) / (h - near[x] + 1);
          rr = 60 + 70 * n + 60 * hue + 30 * depth;
          gg = 110 + 80 * n - 20 * depth;
          bb = 30 + 30 * n;
        }
        img.setRGB(x, y, (clamp(rr) << 16) | (clamp(gg) << 8) | clamp(bb));
      }
    }
    return img;
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, Math.round(v)));
  }

  /** 2-D value noise on a hashed lattice with smooth interpolation; fractal sums of octaves. */
  private static final class Noise {
    private final long seed;

    Noise(long seed) {
      this.seed = seed;
    }

    double fractal(double x, double y, int octaves) {
      double sum = 0;
      double amp = 0.5;
      double norm = 0;
      for (int o = 0; o < octaves; o++) {
        sum += amp * value(x, y, o);
        norm += amp;
        x *= 2.03;
        y *= 2.03;
        amp *= 0.5;
      }
      return sum / norm;
    }

    private double value(double x, double y, int octave) {
      long xi = (long) Math.floor(x);
      long yi = (long) Math.floor(y);
      double fx = smooth(x - xi);
      double fy = smooth(y - yi);
      double a = lattice(xi, yi, octave);
      double b = lattice(xi + 1, yi, octave);
      double c = lattice(xi, yi + 1, octave);
      double d = lattice(xi + 1, yi + 1, octave);
      return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
    }

    private static double smooth(double t) {
      return t * t * (3 - 2 * t);
    }

    private double lattice(long x, long y, int octave) {
      long z = seed ^ (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL) ^ ((long) octave << 56);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      return (z >>> 11) / (double) (1L << 53);
    }
  }

  private static String abbreviate(String s, int n) {
    String one = s.replaceAll("\\s+", " ").trim();
    return one.length() <= n ? one : one.substring(0, n) + "...";
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
