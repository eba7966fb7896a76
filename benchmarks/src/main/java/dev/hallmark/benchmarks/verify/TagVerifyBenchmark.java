package dev.hallmark.benchmarks.verify;

import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
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
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.TextWatermarker;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * End-to-end evaluation of tag and verify on real data: half of the 24 Kodak photos are tagged into a
 * real ledger and verified after "JPEG 75 + resize 0.75x + metadata stripped" (with the watermark key,
 * and publicly without it); the other half, never tagged, must verify to nothing. Then generated
 * texts (built-in model, KGW) with 20% of their words replaced must verify, and State of the Union
 * paragraphs must not. Prints rates and mean timings.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.verify.TagVerifyBenchmark [shared-testdata-dir]</pre>
 */
public final class TagVerifyBenchmark {
  private TagVerifyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : System.getProperty("hallmark.shared.testdata", "../shared/testdata"));
    Path kodak = shared.resolve("images/kodak");
    Path sotu = shared.resolve("text/sotu");
    if (!Files.isDirectory(kodak) || !Files.isDirectory(sotu)) {
      System.err.println("TagVerifyBenchmark needs ../shared/testdata (images/kodak and text/sotu); give its path as the first argument");
      System.exit(2);
    }
    long seed = 42;
    System.out.println("seed " + seed);
    Random r = new Random(seed);
    WatermarkKey key = WatermarkKey.generate("bench", r);
    byte[] s = new byte[32];
    r.nextBytes(s);
    SigningKey ops = SigningKey.fromSeed("ops", s);
    Path dir = Files.createTempDirectory("hallmark-verify-bench-");
    Ledgers.init(dir.resolve("ledger"), "bench.hallmark/log", ops, "ops");
    try (Ledger ledger = Ledgers.open(dir.resolve("ledger"), ops, LedgerOptions.DEFAULT)) {
      SecureRandom payloads = SecureRandom.getInstance("SHA1PRNG");
      payloads.setSeed(seed);
      Tagger tagger = Provenance.tagger(new TaggerSettings(ledger, ops, key, ImageWatermarkParameters.DEFAULT, Clock.systemUTC(), payloads));
      Verifier keyed = Provenance.verifier(VerifierSettings.builder().addKeys(List.of(key)).addSource(Provenance.ledger(ledger)).build());
      Verifier pub = Provenance.verifier(VerifierSettings.builder().addSource(Provenance.ledger(ledger)).build());

      boolean textOnly = args.length > 1 && args[1].equals("--text-only");
      List<Path> photos;
      try (Stream<Path> st = Files.list(kodak)) {
        photos = textOnly ? List.of() : st.filter(p -> p.toString().endsWith(".png")).sorted().toList();
      }
      List<byte[]> copies = new ArrayList<>();
      long tagNanos = 0;
      for (int i = 0; i < photos.size(); i += 2) {
        long t0 = System.nanoTime();
        TagResult t = tagger.tagImage(Files.readAllBytes(photos.get(i)), photos.get(i).toString(), new TagRequest("bench", "png", 92));
        tagNanos += System.nanoTime() - t0;
        copies.add(attack(t.output()));
      }
      ledger.checkpoint();
      int okKeyed = 0;
      int wmKeyed = 0;
      int okPublic = 0;
      long verifyNanos = 0;
      for (byte[] c : copies) {
        long t0 = System.nanoTime();
        Verdict v = keyed.verify(c, "copy");
        verifyNanos += System.nanoTime() - t0;
        okKeyed += v.originEstablished() ? 1 : 0;
        wmKeyed += v.watermark().detected() ? 1 : 0;
        okPublic += pub.verify(c, "copy").originEstablished() ? 1 : 0;
      }
      int falseImages = 0;
      int untagged = 0;
      for (int i = 1; i < photos.size(); i += 2) {
        untagged++;
        byte[] b = Files.readAllBytes(photos.get(i));
        falseImages += keyed.verify(b, "untagged").originEstablished() ? 1 : 0;
        falseImages += keyed.verify(attack(b), "untagged-copy").originEstablished() ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "images: %d tagged; JPEG75+0.75x+stripped copies established %d/%d with the key"
          + " (watermark detected in %d), %d/%d publicly (no key: perceptual hash only)%n",
          copies.size(), okKeyed, copies.size(), wmKeyed, okPublic, copies.size());
      System.out.printf(Locale.ROOT, "images: %d untagged photos (original and attacked copy): %d false attributions of %d%n",
          untagged, falseImages, 2 * untagged);
      System.out.printf(Locale.ROOT, "images: mean tag %.0f ms (768x512, watermark+encode+sign+append), mean keyed verify %.0f ms%n",
          tagNanos / 1e6 / copies.size(), verifyNanos / 1e6 / copies.size());

      TextWatermarker wm = Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, Tokenizers.r50k());
      TextGenerator gen = new TextGenerator(NgramLanguageModel.builtIn(), Tokenizers.r50k(), wm);
      int texts = 30;
      List<String> edited = new ArrayList<>();
      String[] prompts = {"The history of", "In the morning the", "Our government", "The report says", "Science and"};
      for (int i = 0; i < texts; i++) {
        TextGenerator.Generation g = gen.generate(prompts[i % prompts.length], 300, new Random(seed + i));
        tagger.tagGeneratedText(g.text(), wm.facts(), g, TagRequest.of("ngram"));
        edited.add(substitute(g.text(), 0.2, new Random(seed * 31 + i)));
      }
      ledger.checkpoint();
      int okText = 0;
      int wmText = 0;
      for (String e : edited) {
        Verdict v = keyed.verify(e.getBytes(StandardCharsets.UTF_8), "edited");
        okText += v.originEstablished() ? 1 : 0;
        wmText += v.watermark().detected() ? 1 : 0;
        if (!v.originEstablished()) {
          System.out.printf(Locale.ROOT, "  not established: watermark p=%.3g detected=%s, record found=%s via %s%n",
              v.watermark().pValue(), v.watermark().detected(), v.record().found(), v.record().via());
        }
      }
      List<String> human = humanParagraphs(sotu, 200);
      int falseText = 0;
      int falseWm = 0;
      for (String h : human) {
        Verdict v = keyed.verify(h.getBytes(StandardCharsets.UTF_8), "human");
        falseText += v.originEstablished() ? 1 : 0;
        falseWm += v.watermark().detected() ? 1 : 0;
      }
      System.out.printf(Locale.ROOT, "text: %d generated texts (300 tokens, KGW) with 20%% of words replaced established %d/%d (watermark detected in %d)%n", texts, okText, texts, wmText);
      System.out.printf(Locale.ROOT, "text: %d State of the Union passages (250 words): %d false attributions (watermark falsely detected in %d)%n",
          human.size(), falseText, falseWm);
    }
  }

  static byte[] attack(byte[] image) throws Exception {
    BufferedImage img = Images.read(image, "x");
    int w = (int) Math.round(img.getWidth() * 0.75);
    int h = (int) Math.round(img.getHeight() * 0.75);
    BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    small.getGraphics().drawImage(img.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
    return Images.encode(small, Images.Format.JPEG, 75);
  }

  static String substitute(String text, double fraction, Random r) {
    String[] pool = {"apple", "river", "quickly", "green", "mountain", "seven", "paper", "window", "silent", "bright"};
    Matcher m = Pattern.compile("\\p{L}+").matcher(text);
    List<int[]> words = new ArrayList<>();
    while (m.find()) {
      words.add(new int[] {m.start(), m.end()});
    }
    Collections.shuffle(words, r);
    List<int[]> chosen = new ArrayList<>(words.subList(0, (int) Math.round(words.size() * fraction)));
    chosen.sort((a, b) -> Integer.compare(b[0], a[0]));
    StringBuilder sb = new StringBuilder(text);
    for (int[] w : chosen) {
      sb.replace(w[0], w[1], pool[r.nextInt(pool.length)]);
    }
    return sb.toString();
  }

  static List<String> humanParagraphs(Path sotu, int n) throws Exception {
    List<Path> files;
    try (Stream<Path> st = Files.list(sotu)) {
      files = st.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < n && i < files.size(); i++) {
      String[] words = Files.readString(files.get(i)).split("\\s+");
      for (int start = 0; start + 250 <= words.length && out.size() < n; start += 2000) {
        out.add(String.join(" ", java.util.Arrays.copyOfRange(words, start, start + 250)));
      }
    }
    return out;
  }
}
