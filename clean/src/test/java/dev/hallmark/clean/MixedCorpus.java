package dev.hallmark.clean;

import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Record;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.ImageWatermarker;
import dev.hallmark.watermark.image.ImageWatermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.Tokenizer;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A mixed test corpus with known truth: human text from real sources, text watermarked with every
 * scheme under two keys, copy-paste mixtures, exact and lightly edited copies of ledger-registered
 * text, watermarked and ledger-registered photographs inside HTML and PDF files (and standalone),
 * human photographs, and broken inputs. Laid out as one folder holding a zstd JSONL file, a
 * truncated gzip JSONL file, a gzip WARC and a site/ tree of files.
 */
final class MixedCorpus {
  static final long SEED = 20261125L;
  static final String ORIGIN = "ledger.example/mixed-corpus";

  enum Truth { HUMAN, UNTAGGED_MODEL, TAGGED, BROKEN }

  /** Truth per document handle: {@code json:ID}, {@code file:REL/PATH} or {@code warc:URI}. */
  final Map<String, Truth> truth = new LinkedHashMap<>();
  /**
   * Handles of the TAGGED documents whose only evidence is a Unigram watermark: the weakest scheme
   * (each distinct token counts once per document, see docs/BENCHMARKS.md), held to a lower bar.
   */
  final java.util.Set<String> unigramOnly = new java.util.LinkedHashSet<>();
  /** Errors expected without a handle (a truncated stream), per input file name. */
  final Map<String, Integer> anonymousErrors = new LinkedHashMap<>();
  final Path root;
  final Path ledgerDir;

  private MixedCorpus(Path root, Path ledgerDir) {
    this.root = root;
    this.ledgerDir = ledgerDir;
  }

  static List<WatermarkKey> keys() {
    return List.of(key(1), key(2));
  }

  static WatermarkKey key(int i) {
    return WatermarkKey.fromSecret("gen" + i, sha256(("mixed-corpus-key-" + i).getBytes(StandardCharsets.UTF_8)));
  }

  static SigningKey logKey() {
    return SigningKey.fromSeed("mixed-log", sha256("mixed-corpus-log".getBytes(StandardCharsets.UTF_8)));
  }

  static SigningKey producer() {
    return SigningKey.fromSeed("producer", sha256("mixed-corpus-producer".getBytes(StandardCharsets.UTF_8)));
  }

  static LedgerSnapshot openLedger(Path ledgerDir) throws Exception {
    return Ledgers.openSnapshot(ledgerDir, Ledgers.configuredLogKey(ledgerDir));
  }

  /** The job every run of the test uses (small shards, so a kill lands mid-way). */
  static CleanJob.Builder job(Path corpus, Path out) {
    return CleanJob.builder().input(corpus.toString()).output(out).threads(2).shardDocuments(12).shardFiles(3).shardRecords(3)
        .progressInterval(java.time.Duration.ofMillis(200));
  }

  static MixedCorpus build(Path dir) throws Exception {
    Path root = Files.createDirectories(dir.resolve("corpus"));
    Path site = Files.createDirectories(root.resolve("site"));
    MixedCorpus c = new MixedCorpus(root, dir.resolve("ledger"));
    SplittableRandom rnd = new SplittableRandom(SEED);
    List<String> human = humanDocuments();
    int h = 0;

    NgramLanguageModel lm = NgramLanguageModel.builtIn();
    Tokenizer tok = Tokenizers.r50k();
    List<WatermarkKey> keys = keys();

    List<String> jsonl = new ArrayList<>();
    // Human documents.
    for (int i = 0; i < 50; i++) {
      c.add(jsonl, "human-" + i, human.get(h++), Truth.HUMAN);
    }
    // Watermarked text: every scheme, both keys.
    int n = 0;
    for (Scheme s : Scheme.values()) {
      for (int j = 0; j < 4; j++) {
        WatermarkKey k = keys.get(j % 2);
        String text = generate(lm, tok, k, WatermarkParameters.defaults(s), prompt(human.get(j)), 400, rnd.nextLong());
        c.add(jsonl, "wm-" + s.label() + "-" + j, text, Truth.TAGGED);
        if (s == Scheme.UNIGRAM) {
          c.unigramOnly.add("json:wm-" + s.label() + "-" + j);
        }
        n++;
      }
    }
    // Untagged model text: must be kept.
    for (int j = 0; j < 4; j++) {
      c.add(jsonl, "model-plain-" + j, generate(lm, tok, null, null, prompt(human.get(j + 10)), 220, rnd.nextLong()), Truth.UNTAGGED_MODEL);
    }
    // Copy-paste mixtures: a watermarked passage inside human text.
    Scheme[] schemes = Scheme.values();
    for (int j = 0; j < 8; j++) {
      String host = human.get(h++);
      String wm = generate(lm, tok, keys.get(j % 2), WatermarkParameters.defaults(schemes[j % schemes.length]),
          prompt(host), 400, rnd.nextLong());
      int cut = host.indexOf(". ", host.length() / 2);
      cut = cut < 0 ? host.length() / 2 : cut + 2;
      c.add(jsonl, "paste-" + j, host.substring(0, cut) + wm + " " + host.substring(cut), Truth.TAGGED);
      if (schemes[j % schemes.length] == Scheme.UNIGRAM) {
        c.unigramOnly.add("json:paste-" + j);
      }
    }
    // Ledger-registered model text (not watermarked): exact and lightly edited copies.
    Ledgers.init(c.ledgerDir, ORIGIN, logKey(), null);
    List<Record> records = new ArrayList<>();
    List<String> registered = new ArrayList<>();
    for (int j = 0; j < 10; j++) {
      String text = generate(lm, tok, null, null, prompt(human.get(j + 20)), 260, rnd.nextLong());
      registered.add(text);
      records.add(Record.builder().kind("text").content(text.getBytes(StandardCharsets.UTF_8))
          .textMinHash(TextFingerprint.minHash(text)).model("hallmark-demo-ngram")
          .timestamp(Instant.parse("2026-11-01T00:00:00Z")).build().sign(producer()));
    }
    for (int j = 0; j < 4; j++) {
      c.add(jsonl, "ledger-exact-" + j, registered.get(j), Truth.TAGGED);
    }
    for (int j = 4; j < 8; j++) {
      c.add(jsonl, "ledger-edited-" + j, lightEdit(registered.get(j), rnd), Truth.TAGGED);
    }
    // Broken lines (the id comes first so the error record names it).
    jsonl.add("{\"id\":\"broken-json\",\"text\":\"unterminated");
    c.truth.put("json:broken-json", Truth.BROKEN);
    jsonl.add("{\"id\":\"broken-type\",\"text\":[\"not\",\"a\",\"string\"]}");
    c.truth.put("json:broken-type", Truth.BROKEN);
    byte[] utf = ("{\"id\":\"broken-utf8\",\"text\":\"caf\u00e9 au lait\"}").getBytes(StandardCharsets.UTF_8);
    int at = indexOf(utf, (byte) 0xc3);
    utf[at] = (byte) 0xfe;
    shuffle(jsonl, rnd);
    Path docs = root.resolve("docs.jsonl.zst");
    Fixtures.writeRaw(docs, concat(String.join("\n", jsonl).getBytes(StandardCharsets.UTF_8), "\n".getBytes(StandardCharsets.UTF_8), utf, "\n".getBytes(StandardCharsets.UTF_8)));
    c.truth.put("json:broken-utf8", Truth.BROKEN);

    // A gzip JSONL file cut short: the lines before the cut are human documents, the cut is an error.
    List<String> tr = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      tr.add(jsonLine("trunc-human-" + i, human.get(h + i)));
    }
    Path trunc = root.resolve("truncated.jsonl.gz");
    Fixtures.writeLines(trunc, tr);
    byte[] tb = Files.readAllBytes(trunc);
    Files.write(trunc, Arrays.copyOf(tb, tb.length * 3 / 4));
    // Which lines survive the cut is found by reading the truncated file the same way a user would.
    int survived = survivingLines(trunc);
    for (int i = 0; i < survived; i++) {
      c.truth.put("json:trunc-human-" + i, Truth.HUMAN);
    }
    h += 12;
    c.anonymousErrors.put(trunc.toString(), 1);

    // Images.
    ImageWatermarker iw = ImageWatermarks.newWatermarker();
    BufferedImage k03 = photo("kodim03");
    BufferedImage k05 = photo("kodim05");
    BufferedImage k15 = photo("kodim15");
    BufferedImage k23 = photo("kodim23");
    byte[] payload = "hallmark".getBytes(StandardCharsets.US_ASCII);
    byte[] w1 = Images.encode(iw.embed(k03, keys.get(0), payload), Images.Format.PNG, 100);
    BufferedImage w2img = iw.embed(k15, keys.get(1), payload);
    byte[] w2 = Images.encode(w2img, Images.Format.PNG, 100);
    records.add(Record.builder().kind("image").content(Images.encode(k05, Images.Format.PNG, 100))
        .imageHash(ImageFingerprint.of(k05).hex()).model("hallmark-demo-image")
        .timestamp(Instant.parse("2026-11-02T00:00:00Z")).build().sign(producer()));
    byte[] reg85 = Images.encode(k05, Images.Format.JPEG, 85);
    byte[] human23 = Images.encode(k23, Images.Format.JPEG, 90);

    c.file(site, "articles/watermarked-photo.html", Fixtures.html("Photo", human.get(h++), List.of(w1)).getBytes(StandardCharsets.UTF_8), Truth.TAGGED);
    c.file(site, "articles/report-with-watermarked-figure.pdf", Fixtures.pdf(human.get(h++), w2img), Truth.TAGGED);
    c.file(site, "media/watermarked.png", w1, Truth.TAGGED);
    c.file(site, "articles/registered-photo.html", htmlJpeg("Registered", human.get(h++), reg85).getBytes(StandardCharsets.UTF_8), Truth.TAGGED);
    c.file(site, "articles/registered-resized.pdf", Fixtures.pdf(human.get(h++), scale(k05, 0.75)), Truth.TAGGED);
    c.file(site, "articles/human-photo.html", htmlJpeg("Harbour", human.get(h++), human23).getBytes(StandardCharsets.UTF_8), Truth.HUMAN);
    c.file(site, "articles/human-photo.pdf", Fixtures.pdf(human.get(h++), k23), Truth.HUMAN);
    c.file(site, "media/human.jpg", human23, Truth.HUMAN);
    for (int i = 0; i < 8; i++) {
      c.file(site, "pages/human-" + i + ".html", Fixtures.html("Page " + i, human.get(h++), List.of()).getBytes(StandardCharsets.UTF_8), Truth.HUMAN);
    }
    c.file(site, "pages/notes.txt", human.get(h++).getBytes(StandardCharsets.UTF_8), Truth.HUMAN);
    c.file(site, "pages/generated.html", Fixtures.html("Generated", generate(lm, tok, keys.get(0),
        WatermarkParameters.KGW_DEFAULT, "The", 250, rnd.nextLong()), List.of()).getBytes(StandardCharsets.UTF_8), Truth.TAGGED);
    c.file(site, "pages/registered-copy.html", Fixtures.html("Copied", registered.get(8), List.of()).getBytes(StandardCharsets.UTF_8), Truth.TAGGED);
    byte[] pdf = Fixtures.pdf(human.get(h++), null);
    c.file(site, "broken/truncated.pdf", Arrays.copyOf(pdf, pdf.length / 2), Truth.BROKEN);
    c.file(site, "broken/truncated.png", Arrays.copyOf(w1, 200), Truth.BROKEN);
    c.file(site, "broken/empty.html", new byte[0], Truth.BROKEN);

    // WARC.
    List<Fixtures.WarcEntry> warc = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      c.warc(warc, "https://news.example/human/" + i, "text/html; charset=utf-8",
          Fixtures.html("News " + i, human.get(h++), List.of()).getBytes(StandardCharsets.UTF_8), Truth.HUMAN);
    }
    c.warc(warc, "https://blog.example/gen/1", "text/html", Fixtures.html("Gen", generate(lm, tok, keys.get(1),
        WatermarkParameters.GUMBEL_DEFAULT, "In", 250, rnd.nextLong()), List.of()).getBytes(StandardCharsets.UTF_8), Truth.TAGGED);
    c.warc(warc, "https://blog.example/gen/2", "text/html", Fixtures.html("Gen", registered.get(9), List.of()).getBytes(StandardCharsets.UTF_8), Truth.TAGGED);
    c.warc(warc, "https://img.example/w2.png", "image/png", w2, Truth.TAGGED);
    c.warc(warc, "https://img.example/page", "text/html", Fixtures.html("Pic", human.get(h++), List.of(w1)).getBytes(StandardCharsets.UTF_8), Truth.TAGGED);
    c.warc(warc, "https://img.example/human.jpg", "image/jpeg", human23, Truth.HUMAN);
    Fixtures.writeWarc(root.resolve("crawl.warc.gz"), warc, true);

    try (Ledger l = Ledgers.open(c.ledgerDir, logKey(), LedgerOptions.DEFAULT)) {
      l.appendAll(records);
      l.checkpoint();
    }
    return c;
  }

  private void add(List<String> jsonl, String id, String text, Truth t) {
    jsonl.add(jsonLine(id, text));
    truth.put("json:" + id, t);
  }

  private void file(Path site, String rel, byte[] data, Truth t) throws IOException {
    Path p = site.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, data);
    truth.put("file:site/" + rel, t);
  }

  private void warc(List<Fixtures.WarcEntry> w, String uri, String type, byte[] body, Truth t) {
    w.add(new Fixtures.WarcEntry(uri, type, body));
    truth.put("warc:" + uri, t);
  }

  static String jsonLine(String id, String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
          Map.of("id", id, "text", text, "source", "mixed-corpus"));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String generate(NgramLanguageModel lm, Tokenizer tok, WatermarkKey k, WatermarkParameters p, String prompt, int n, long seed) {
    TextGenerator g = new TextGenerator(lm, tok, k == null ? null : Watermarks.textWatermarker(k, p, tok));
    return g.generate(prompt, n, new SplittableRandom(seed)).text().trim();
  }

  private static String prompt(String human) {
    String[] w = human.trim().split("\\s+");
    return String.join(" ", Arrays.copyOf(w, Math.min(6, w.length)));
  }

  /** Replaces about one word in 25 and drops a short last sentence: a light edit. */
  static String lightEdit(String text, SplittableRandom r) {
    String[] w = text.split(" ");
    for (int i = r.nextInt(25); i < w.length; i += 25) {
      w[i] = "indeed";
    }
    String s = String.join(" ", w);
    int last = s.lastIndexOf(". ", s.length() - 2);
    return last > s.length() * 9 / 10 ? s.substring(0, last + 1) : s;
  }

  /** Human documents of web length (about 1,000-2,500 characters), split at paragraph breaks. */
  static List<String> humanDocuments() throws IOException {
    List<String> out = new ArrayList<>();
    for (String name : List.of("moby-dick-chapters-1-16.txt", "sotu-1815_james_madison_dr.txt",
        "sotu-1941_franklin_d_roosevelt_d.txt", "sotu-1964_lyndon_b_johnson_d.txt", "sotu-2014_barack_obama_d.txt",
        "gutenberg-pg3261-news-from-nowhere-excerpt.txt")) {
      String text;
      try (InputStream in = MixedCorpus.class.getResourceAsStream("/mixed/human/" + name)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      StringBuilder cur = new StringBuilder();
      for (String para : text.split("\\n\\s*\\n")) {
        String p = para.trim().replaceAll("\\s+", " ");
        if (p.isEmpty()) {
          continue;
        }
        if (cur.length() > 0 && cur.length() + p.length() > 2500) {
          if (cur.length() >= 1000) {
            out.add(cur.toString());
          }
          cur.setLength(0);
        }
        if (cur.length() > 0) {
          cur.append("\n\n");
        }
        cur.append(p);
      }
      if (cur.length() >= 1000) {
        out.add(cur.toString());
      }
    }
    return out;
  }

  static BufferedImage photo(String name) throws Exception {
    try (InputStream in = MixedCorpus.class.getResourceAsStream("/mixed/images/" + name + ".jpg")) {
      return Images.read(in.readAllBytes(), name);
    }
  }

  static BufferedImage scale(BufferedImage src, double f) {
    int w = (int) Math.round(src.getWidth() * f);
    int h = (int) Math.round(src.getHeight() * f);
    BufferedImage d = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = d.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return d;
  }

  private static String htmlJpeg(String title, String body, byte[] jpeg) {
    return Fixtures.html(title, body, List.of()).replace("</body>",
        "<img alt=\"photo\" src=\"data:image/jpeg;base64," + java.util.Base64.getEncoder().encodeToString(jpeg) + "\"></body>");
  }

  /** Complete lines readable before the cut, reading byte by byte so nothing buffered is lost. */
  private static int survivingLines(Path gz) {
    int n = 0;
    try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      byte[] buf = new byte[1];
      while (in.read(buf) > 0) {
        if (buf[0] == '\n') {
          n++;
        }
      }
    } catch (IOException e) {
      // The cut: the partial line after the last newline is not a document.
    }
    return n;
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void shuffle(List<String> l, SplittableRandom r) {
    for (int i = l.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      String t = l.get(i);
      l.set(i, l.get(j));
      l.set(j, t);
    }
  }

  private static int indexOf(byte[] a, byte v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new IllegalStateException();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }
}
