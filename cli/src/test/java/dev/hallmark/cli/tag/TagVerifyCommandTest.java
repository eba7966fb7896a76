package dev.hallmark.cli.tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.image.Images;
import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.TextGenerator;
import dev.hallmark.watermark.text.TextWatermarker;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code hallmark tag} and {@code hallmark verify} through the command line, on a real ledger folder. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TagVerifyCommandTest {
  static final long SEED = 77L;
  @TempDir static Path dir;
  Path home;
  Path ledger;
  Path tagged;

  CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(dir, all);
  }

  @BeforeAll
  void tagAPhoto() throws Exception {
    System.out.println("TagVerifyCommandTest seed " + SEED);
    home = dir.resolve("home");
    ledger = dir.resolve("ledger");
    assertEquals(0, run("keys", "new", "--type", "watermark", "--name", "gen").exitCode);
    assertEquals(0, run("keys", "new", "--type", "signing", "--name", "ops").exitCode);
    Path photo = Fixtures.photo(dir, "kodim07.png");
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--origin",
        "test.example/log", "--model", "painter-1", photo.toString(), "--json");
    assertEquals(0, t.exitCode, t.toString());
    assertTrue(!t.err.contains("reads back weakly"), t.err);
    assertTrue(new ObjectMapper().readTree(t.out).get("markCheck").get("payloadRecovered").asBoolean(), t.out);
    JsonNode j = new ObjectMapper().readTree(t.out);
    tagged = Path.of(j.get("output").asText());
    assertEquals(dir.resolve("kodim07.tagged.png"), tagged);
    assertTrue(Files.exists(Path.of(tagged + ".proof")) && Files.exists(Path.of(tagged + ".record.json")));
  }

  @Test
  void taggedFileVerifiesOfflineFromItsReceipt() {
    CliRun v = run("verify", "--no-watermark", tagged.toString());
    assertEquals(0, v.exitCode, v.toString());
    assertTrue(v.out.contains("ORIGIN ESTABLISHED") && v.out.contains("painter-1"), v.out);
    assertTrue(v.out.contains("byte-identical"), v.out);
  }

  @Test
  void reencodedResizedStrippedCopyVerifiesAgainstTheLedgerFolder() throws Exception {
    Path copy = dir.resolve("copy.jpg");
    Files.write(copy, Fixtures.reencode(Files.readAllBytes(tagged)));
    CliRun v = run("verify", "--ledger", ledger.toString(), "--json", copy.toString());
    assertEquals(0, v.exitCode, v.toString());
    JsonNode j = new ObjectMapper().readTree(v.out);
    assertFalse(j.at("/metadataReference/found").asBoolean());
    assertTrue(j.at("/watermark/detected").asBoolean());
    assertEquals("valid", j.at("/inclusionProof/status").asText());
    assertEquals("valid", j.at("/signature/status").asText());
    assertEquals("similar", j.at("/hash").asText());
    assertEquals(0, j.at("/record/index").asLong());
  }

  @Test
  void untaggedPhotoVerifiesToNothingWithExitCode1() throws Exception {
    Path photo = Fixtures.photo(dir, "kodim20.png");
    CliRun v = run("verify", "--ledger", ledger.toString(), photo.toString());
    assertEquals(1, v.exitCode, v.toString());
    assertTrue(v.out.contains("No Hallmark provenance found"), v.out);
  }

  /**
   * Without --ledger and without a receipt no record is searched for: the ledger-record row said "no
   * matching record in the ledgers and receipts consulted" and the JSON only found: false, as if a
   * ledger had been searched in vain.
   */
  @Test
  void withoutALedgerTheRecordRowSaysNoneWasGivenAndHowToGiveOne() throws Exception {
    Path photo = Fixtures.photo(Files.createDirectories(dir.resolve("no-ledger")), "kodim20.png");
    CliRun v = run("verify", "--no-watermark", photo.toString());
    assertEquals(1, v.exitCode, v.toString());
    String row = v.out.lines().filter(l -> l.contains("] ledger record")).findFirst().orElseThrow();
    assertTrue(row.contains("no ledger or receipt given") && row.contains("--ledger DIR|URL"), row);
    assertTrue(!v.out.contains("consulted") && !v.out.contains("no matching"), v.out);
    CliRun j = run("verify", "--no-watermark", "--json", photo.toString());
    assertEquals(1, j.exitCode, j.toString());
    JsonNode record = new ObjectMapper().readTree(j.out).get("record");
    assertFalse(record.get("found").asBoolean());
    assertEquals("no-ledger-given", record.get("status").asText(), j.out);

    // With a ledger searched in vain, the status is a plain "no match".
    CliRun searched = run("verify", "--no-watermark", "--json", "--ledger", ledger.toString(), photo.toString());
    assertEquals("no-match", new ObjectMapper().readTree(searched.out).at("/record/status").asText(), searched.out);
  }

  /**
   * A receipt of another record (another file's .proof given by mistake, or beside a file replaced
   * since) was silently passed over: the verdict did not say the receipt was not this file's.
   */
  @Test
  void aReceiptForAnotherRecordIsNamedInANote() throws Exception {
    Path own = Files.createDirectories(dir.resolve("other-receipt"));
    Path note = Files.writeString(own.resolve("note.txt"), "A short registered note about the tides of the northern harbour.\n");
    assertEquals(0, run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", dir.resolve("ledger-other").toString(),
        "--origin", "test.example/other", "--model", "m", note.toString()).exitCode);
    Path proof = Path.of(note + ".proof");
    long index = dev.hallmark.ledger.Receipt.parse(Files.readString(proof)).index();
    String expected = "receipt " + proof + " is for another record (index " + index + " in log test.example/other)";

    // Only that receipt: nothing establishes the origin, exit 1 as for any verdict that does not.
    CliRun v = run("verify", "--no-watermark", "--receipt", proof.toString(), tagged.toString());
    assertEquals(1, v.exitCode, v.toString());
    assertTrue(v.out.contains("note: " + expected), v.out);
    String row = v.out.lines().filter(l -> l.contains("] ledger record")).findFirst().orElseThrow();
    assertTrue(row.contains("no matching record in the receipts given") && row.contains("--ledger DIR|URL"), row);

    // The ledger establishes the origin; the stray receipt is still named.
    CliRun j = run("verify", "--no-watermark", "--json", "--ledger", ledger.toString(), "--receipt", proof.toString(),
        tagged.toString());
    assertEquals(0, j.exitCode, j.toString());
    JsonNode notes = new ObjectMapper().readTree(j.out).get("notes");
    assertTrue(notes.toString().contains(expected), j.out);
  }

  /** A PNG with transparent pixels tagged to JPEG loses them onto white: tag warns, as image embed does. */
  @Test
  void transparencyLostToJpegIsAWarning() throws Exception {
    Path own = Files.createDirectories(dir.resolve("transparent"));
    java.awt.image.BufferedImage src = javax.imageio.ImageIO.read(Fixtures.photo(own, "kodim20.png").toFile());
    java.awt.image.BufferedImage argb = new java.awt.image.BufferedImage(src.getWidth(), src.getHeight(),
        java.awt.image.BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        argb.setRGB(x, y, (x < 40 ? 0x00000000 : 0xff000000) | (src.getRGB(x, y) & 0xffffff));
      }
    }
    Path clear = own.resolve("clear.png");
    javax.imageio.ImageIO.write(argb, "png", clear.toFile());
    String led = dir.resolve("ledger-transparent").toString();
    CliRun j = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", led, "--origin", "test.example/transparent",
        "--model", "m", "--format", "jpeg", clear.toString());
    assertEquals(0, j.exitCode, j.toString());
    assertTrue(j.err.contains(clear + " has transparent pixels and JPEG has no transparency"), j.err);
    CliRun p = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", led, "--model", "m",
        "--out", own.resolve("clear-out.png").toString(), clear.toString());
    assertEquals(0, p.exitCode, p.toString());
    assertFalse(p.err.contains("transparent"), p.err);
  }

  @Test
  void generatedTextEditedByAFifthStillVerifiesAndHumanTextDoesNot() throws Exception {
    WatermarkKey key = Keyring.open(home).watermarkKey("gen");
    TextWatermarker wm = Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, Tokenizers.r50k());
    String text = new TextGenerator(NgramLanguageModel.builtIn(), Tokenizers.r50k(), wm)
        .generate("The history of the city", 400, new Random(SEED)).text();
    Path gen = dir.resolve("generated.txt");
    Files.writeString(gen, text);
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "ngram-demo",
        "--generated", "kgw", gen.toString());
    assertEquals(0, t.exitCode, t.toString());
    Path edited = dir.resolve("edited.txt");
    Files.writeString(edited, Fixtures.substituteWords(text, 0.2, new Random(SEED + 1)));
    CliRun v = run("verify", "--ledger", ledger.toString(), edited.toString());
    assertEquals(0, v.exitCode, v.toString());
    assertTrue(v.out.contains("ngram-demo") && v.out.contains("edited"), v.out);

    Path human = dir.resolve("human.txt");
    Files.writeString(human, "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my "
        + "purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery "
        + "part of the world. It is a way I have of driving off the spleen and regulating the circulation.", StandardCharsets.UTF_8);
    CliRun h = run("verify", "--ledger", ledger.toString(), human.toString());
    assertEquals(1, h.exitCode, h.toString());

    // --generated refuses a text that does not carry the named watermark.
    CliRun bad = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "x",
        "--generated", "kgw", human.toString());
    assertEquals(3, bad.exitCode, bad.toString());
    assertTrue(bad.err.contains("no kgw watermark"), bad.err);
  }

  /**
   * A tagged text without words (emoji) has the no-shingle fingerprint: it verifies by its exact hash
   * only. Its fingerprint "estimated Jaccard 1.0" against every other wordless text, so tagging "😀😀"
   * established the origin of "!!! ???".
   */
  @Test
  void aTextWithoutWordsMatchesItselfExactlyAndNoOtherWordlessText() throws Exception {
    Path own = Files.createDirectories(dir.resolve("wordless"));
    Path led = dir.resolve("wordless-ledger");
    Path emoji = own.resolve("emoji.txt");
    Files.writeString(emoji, "\uD83D\uDE00\uD83D\uDE00\n", StandardCharsets.UTF_8);
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", led.toString(), "--origin",
        "test.example/wordless", "--model", "m", emoji.toString());
    assertEquals(0, t.exitCode, t.toString());
    Path punct = own.resolve("punct.txt");
    Files.writeString(punct, "!!! ???\n", StandardCharsets.UTF_8);
    CliRun v = run("verify", "--no-watermark", "--ledger", led.toString(), punct.toString());
    assertEquals(1, v.exitCode, v.toString());
    assertTrue(v.out.contains("No Hallmark provenance found"), v.out);
    Path copy = own.resolve("copy.txt");
    Files.copy(emoji, copy);
    CliRun same = run("verify", "--no-watermark", "--ledger", led.toString(), copy.toString());
    assertEquals(0, same.exitCode, same.toString());
    assertTrue(same.out.contains("ORIGIN ESTABLISHED") && same.out.contains("byte-identical"), same.out);
  }

  /**
   * Tag reads the mark back from the file it wrote: a photo shrunk to 200x133 holds a mark too weak to
   * detect, and tag said nothing (the record promised a payload no copy would show).
   */
  @Test
  void aMarkTooWeakToReadBackIsReported() throws Exception {
    Path own = Files.createDirectories(dir.resolve("weak"));
    java.awt.image.BufferedImage big = javax.imageio.ImageIO.read(Fixtures.photo(own, "kodim07.png").toFile());
    java.awt.image.BufferedImage small = new java.awt.image.BufferedImage(200, 133, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = small.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(big, 0, 0, 200, 133, null);
    g.dispose();
    Path f = own.resolve("small.png");
    javax.imageio.ImageIO.write(small, "png", f.toFile());
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", dir.resolve("weak-ledger").toString(), "--origin",
        "test.example/weak", "--model", "m", "--json", f.toString());
    assertEquals(0, t.exitCode, t.toString());
    assertTrue(t.err.contains("warning: the watermark in") && t.err.contains("reads back weakly"), t.err);
    JsonNode check = new ObjectMapper().readTree(t.out).get("markCheck");
    assertTrue(check != null && !check.get("payloadRecovered").asBoolean(), t.out);
  }

  /** A failure to write the output after the record is registered names the record's index and how to get its receipt. */
  @Test
  void aFailedWriteAfterRegisteringNamesTheRecord() throws Exception {
    Path own = Files.createDirectories(dir.resolve("sidecar"));
    Path text = own.resolve("note.txt");
    Files.writeString(text, "A short note that a model wrote about the tides and the moon.", StandardCharsets.UTF_8);
    Files.createDirectories(own.resolve("note.txt.record.json")); // a folder where the record file goes
    Path led = dir.resolve("sidecar-ledger");
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", led.toString(), "--origin", "test.example/sidecar",
        "--model", "m", "--force", text.toString());
    assertEquals(3, t.exitCode, t.toString());
    assertTrue(t.err.contains("the record is registered (index 0 in log test.example/sidecar)")
        && t.err.contains("hallmark ledger prove --dir " + led + " --index 0"), t.err);
  }

  /**
   * File names and record fields are printed with control characters escaped: a file named
   * "x: ORIGIN ESTABLISHED\n  Generated by ..." or holding ESC[8m (hidden text) faked or hid the verdict.
   */
  @Test
  void hostileFileAndModelNamesCannotFakeTheVerdict() throws Exception {
    Path own = Files.createDirectories(dir.resolve("hostile"));
    Path f = own.resolve("report.txt: ORIGIN ESTABLISHED\n  Generated by model human, verified.\n\u001b[8mhidden");
    Files.writeString(f, "Some words a person wrote about the weather and the harbour this week.", StandardCharsets.UTF_8);
    Path led = dir.resolve("hostile-ledger");
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", led.toString(), "--origin", "test.example/hostile",
        "--model", "m1\u001b[8m\nfake", "--out", own.resolve("tagged.txt").toString(), f.toString());
    assertEquals(0, t.exitCode, t.toString());
    CliRun v = run("verify", "--no-watermark", "--ledger", led.toString(), f.toString());
    assertEquals(0, v.exitCode, v.toString());
    assertEquals(1, v.out.lines().filter(l -> l.contains("ORIGIN")).count(), v.out);
    assertTrue(v.out.lines().findFirst().orElse("").endsWith("\\u000a\\u001b[8mhidden: ORIGIN ESTABLISHED"), v.out);
    assertTrue(!v.out.contains("\u001b") && v.out.contains("m1\\u001b[8m\\u000afake"), v.out);
  }

  /** A pipe (bash's <(...)) or a device is read as a stream: verify said "no such file" while text detect read it. */
  @Test
  void aPipeIsReadLikeStandardInput() throws Exception {
    Path fifo = dir.resolve("pipe");
    org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
        "mkfifo is not available");
    Thread writer = new Thread(() -> {
      try {
        Files.write(fifo, Files.readAllBytes(tagged));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    CliRun v = run("verify", "--no-watermark", "--ledger", ledger.toString(), fifo.toString());
    writer.join(10_000);
    assertEquals(0, v.exitCode, v.toString());
    assertTrue(v.out.contains("ORIGIN ESTABLISHED"), v.out);
    CliRun empty = run("verify", "/dev/null");
    assertEquals(3, empty.exitCode, empty.toString());
    assertTrue(empty.err.contains("/dev/null: empty"), empty.err);
  }

  /**
   * A watermarked passage inside a larger document (a web page) is found by its watermark but matches
   * no record as a whole: the summary said "no ledger record could be checked ... give the ledger" with
   * the ledger given.
   */
  @Test
  void aWatermarkedPassageInALargerDocumentSaysTheLedgerWasSearched() throws Exception {
    WatermarkKey key = Keyring.open(home).watermarkKey("gen");
    TextWatermarker wm = Watermarks.textWatermarker(key, WatermarkParameters.KGW_DEFAULT, Tokenizers.r50k());
    String text = new TextGenerator(NgramLanguageModel.builtIn(), Tokenizers.r50k(), wm)
        .generate("The harbour at dawn", 400, new Random(SEED + 7)).text();
    Path own = Files.createDirectories(dir.resolve("passage"));
    Path gen = own.resolve("gen.txt");
    Files.writeString(gen, text);
    Path led = dir.resolve("passage-ledger");
    assertEquals(0, run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", led.toString(), "--origin",
        "test.example/passage", "--model", "m", "--generated", "kgw", gen.toString()).exitCode);
    StringBuilder page = new StringBuilder();
    Random r = new Random(SEED + 8);
    String[] words = ("the a of and to in harbour ship rope tide morning sailor captain deck wind sea storm port town "
        + "market bread fish net boat oar sail mast anchor light house keeper evening").split(" ");
    for (int i = 0; i < 6000; i++) {
      page.append(words[r.nextInt(words.length)]).append(i % 17 == 16 ? ". " : " ");
    }
    page.append("\n\n").append(text).append("\n");
    Path doc = own.resolve("page.txt");
    Files.writeString(doc, page.toString());
    CliRun v = run("verify", "--ledger", led.toString(), doc.toString());
    assertEquals(1, v.exitCode, v.toString());
    assertTrue(v.out.contains("A Hallmark watermark was found") && v.out.contains("no record in the ledgers and receipts consulted"),
        v.out);
    assertTrue(!v.out.contains("give the ledger"), v.out);
  }

  /** verify says when only the beginning of a long text was tested for the watermark, as text detect does. */
  @Test
  void aTextLongerThanTheWatermarkTestSaysOnlyItsBeginningWasTested() throws Exception {
    StringBuilder b = new StringBuilder();
    Random r = new Random(SEED + 9);
    String[] words = "the a of and to in harbour ship rope tide morning sailor captain deck wind sea".split(" ");
    for (int i = 0; i < 1_200_000; i++) {
      b.append(words[r.nextInt(words.length)]).append(' ');
    }
    Path f = dir.resolve("long.txt");
    Files.writeString(f, b.toString());
    CliRun v = run("verify", "--json", f.toString());
    assertEquals(1, v.exitCode, v.toString());
    assertTrue(new ObjectMapper().readTree(v.out).get("notes").toString().contains("only its beginning was tested"), v.out);
  }

  @Test
  void psnrSetsTheTaggedImagesStrength() throws Exception {
    // A ledger of its own, so that this record cannot match another test's photo.
    Path photo = Fixtures.photo(Files.createDirectories(dir.resolve("strength")), "kodim07.png");
    Path strong = dir.resolve("strength").resolve("strong.png");
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", dir.resolve("strength-ledger").toString(),
        "--origin", "test.example/strength", "--model", "painter-1", "--psnr", "36", "--out", strong.toString(),
        photo.toString());
    assertEquals(0, t.exitCode, t.toString());
    double db = Images.psnr(Images.read(photo), Images.read(strong));
    assertTrue(db > 35.3 && db < 36.3, "tag --psnr 36: " + db + " dB"); // the default gives 40.2-40.5
    CliRun v = run("verify", "--ledger", dir.resolve("strength-ledger").toString(), "--json", strong.toString());
    assertEquals(0, v.exitCode, v.toString());
    assertTrue(new ObjectMapper().readTree(v.out).at("/watermark/detected").asBoolean(), v.out);
    CliRun bad = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m",
        "--psnr", "55", photo.toString());
    assertEquals(2, bad.exitCode, bad.toString());
    assertTrue(bad.err.contains("--psnr must be 34-50 dB"), bad.err);
  }

  @Test
  void badInputGetsOneLineErrorsAndTheRightExitCodes() throws Exception {
    CliRun missing = run("verify", dir.resolve("nope.png").toString());
    assertEquals(3, missing.exitCode, missing.toString());
    assertTrue(missing.err.startsWith("hallmark: ") && missing.err.contains("nope.png"), missing.err);

    Path photo = Fixtures.photo(dir, "kodim20.png");
    CliRun noKey = run("tag", "--key", "nokey", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m", photo.toString());
    assertEquals(3, noKey.exitCode, noKey.toString());

    CliRun noOrigin = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", dir.resolve("fresh").toString(), "--model", "m", photo.toString());
    assertEquals(2, noOrigin.exitCode, noOrigin.toString());
    assertTrue(noOrigin.err.contains("--origin"), noOrigin.err);

    Path garbage = dir.resolve("garbage.bin");
    Files.write(garbage, new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0});
    CliRun g = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m", garbage.toString());
    assertEquals(3, g.exitCode, g.toString());

    // A PDF is neither an image nor a text: said in the summary, with where to look inside it.
    Path pdf = dir.resolve("doc.pdf");
    Files.write(pdf, new byte[] {'%', 'P', 'D', 'F', '-', '1', '.', '4', '\n', '%', (byte) 0xe2, (byte) 0xe3, (byte) 0xcf,
        (byte) 0xd3, '\n'});
    CliRun p = run("verify", "--ledger", ledger.toString(), pdf.toString());
    assertEquals(1, p.exitCode, p.toString());
    assertTrue(p.out.contains("no watermark test (not an image or a UTF-8 text)"), p.out);
    assertTrue(p.err.contains("hallmark clean --input " + pdf), p.err);

    Path badReceipt = dir.resolve("bad.proof");
    Files.writeString(badReceipt, "not a receipt\n");
    CliRun r = run("verify", "--receipt", badReceipt.toString(), photo.toString());
    assertEquals(3, r.exitCode, r.toString());
    assertTrue(r.err.contains("not a valid receipt"), r.err);
  }

  @Test
  void aDamagedReceiptBesideTheFileDoesNotStopTheLedgerCheck() throws Exception {
    // FILE.proof is read automatically; a damaged one stopped verify with exit 3 even with a ledger
    // that establishes the origin (and a binary one said only 'Input length = 1').
    Path copy = Files.copy(tagged, dir.resolve("copy-with-bad-proof.png"));
    Files.write(Path.of(copy + ".proof"), new byte[] {(byte) 0xff, 0, 1, 2});
    CliRun v = run("verify", "--ledger", ledger.toString(), copy.toString());
    assertEquals(0, v.exitCode, v.toString());
    assertTrue(v.err.contains("warning: " + copy + ".proof: not UTF-8 text, so not a receipt; checked without it"), v.err);
    // A receipt the user names is still required to be one.
    CliRun named = run("verify", "--ledger", ledger.toString(), "--receipt", copy + ".proof", copy.toString());
    assertEquals(3, named.exitCode, named.toString());
  }

  @Test
  void anImageTaggedBeforeIsNotMarkedAgainWithoutForce() throws Exception {
    // A second tag overwrote the first mark's payload with its own: neither payload then read, and a
    // re-encoded copy verified as ambiguous.
    Path own = dir.resolve("ledger-retag");
    CliRun again = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--origin", "test.example/retag",
        "--model", "m2", "--out", dir.resolve("retagged.png").toString(), tagged.toString());
    assertEquals(3, again.exitCode, again.toString());
    assertTrue(again.err.contains(tagged + ": already tagged") && again.err.contains("--force"), again.err);
    assertFalse(Files.exists(dir.resolve("retagged.png")));
    CliRun forced = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--model", "m2", "--force",
        "--out", dir.resolve("retagged.png").toString(), tagged.toString());
    assertEquals(0, forced.exitCode, forced.toString());
  }

  @Test
  void utf16TextWithItsByteOrderMarkIsAText() throws Exception {
    // Notepad's "Unicode" (UTF-16LE with a BOM) was 'neither an image nor UTF-8 text; nothing to tag'.
    String text = "A registered paragraph written in Notepad, saved as Unicode, about the harvest and the mill.";
    byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] utf16 = new byte[body.length + 2];
    utf16[0] = (byte) 0xff;
    utf16[1] = (byte) 0xfe;
    System.arraycopy(body, 0, utf16, 2, body.length);
    Path f = Files.write(dir.resolve("notepad.txt"), utf16);
    Path own = dir.resolve("ledger-utf16");
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--origin", "test.example/utf16",
        "--model", "m", f.toString());
    assertEquals(0, t.exitCode, t.toString());
    assertTrue(t.out.contains("(text)"), t.out);
    // The same words in UTF-8 are found through the text fingerprint.
    Path utf8 = Files.writeString(dir.resolve("notepad-utf8.txt"), text);
    CliRun v = run("verify", "--ledger", own.toString(), "--json", utf8.toString());
    assertEquals("text", new ObjectMapper().readTree(v.out).get("kind").asText(), v.out);
    assertTrue(new ObjectMapper().readTree(v.out).at("/record/found").asBoolean(), v.out);
  }

  @Test
  void tagNeverRegistersEmptyTextNorReplacesAnInputOrAnEarlierOutput() throws Exception {
    // An empty file was tagged, and from then on every empty file verified as made by the model.
    Path empty = Files.createFile(dir.resolve("empty.txt"));
    Path blank = Files.writeString(dir.resolve("blank.txt"), " \n\t\n");
    for (Path p : new Path[] {empty, blank}) {
      CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m", p.toString());
      assertEquals(3, t.exitCode, t.toString());
      assertTrue(t.err.startsWith("hallmark: " + p + ": ") && t.err.contains("nothing to tag"), t.err);
      assertFalse(Files.exists(Path.of(p + ".record.json")), "nothing written");
    }
    CliRun folder = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m", dir.toString());
    assertTrue(folder.err.contains(dir + ": is a folder"), folder.err);
    CliRun stdin = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "m", "-");
    assertEquals(2, stdin.exitCode, stdin.toString());
    CliRun v = run("verify", "--ledger", ledger.toString(), empty.toString());
    assertEquals(3, v.exitCode, v.toString());
    assertTrue(v.err.contains(empty + ": empty file"), v.err);

    // Its own ledger, so that the photo tagged here is not found by the other tests.
    Path own = dir.resolve("ledger-own");
    Path photo = Fixtures.photo(dir, "kodim20.png");
    Path copy = Files.copy(photo, dir.resolve("kodim20-copy.png"));
    String size = Files.size(copy) + "";
    // The output named after the input is the input: refused, like image embed.
    CliRun same = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--origin", "test.example/own", "--model", "m",
        "--out", copy.toString(), copy.toString());
    assertEquals(2, same.exitCode, same.toString());
    assertTrue(same.err.contains("never overwrites its input"), same.err);
    assertEquals(size, Files.size(copy) + "");
    // A name whose format tag cannot write (a PNG was written under .webp).
    CliRun webp = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--origin", "test.example/own", "--model", "m",
        "--out", dir.resolve("x.webp").toString(), copy.toString());
    assertEquals(2, webp.exitCode, webp.toString());
    assertTrue(webp.err.contains("name the output .png or .jpg/.jpeg"), webp.err);
    assertFalse(Files.exists(dir.resolve("x.webp")));

    // A second tag to the same default output (a.png then a.bmp both make a.tagged.png) replaced the
    // first signed output and its receipt.
    CliRun first = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--origin", "test.example/own", "--model", "m", "--json",
        copy.toString());
    assertEquals(0, first.exitCode, first.toString());
    Path out = dir.resolve("kodim20-copy.tagged.png");
    byte[] firstBytes = Files.readAllBytes(out);
    String firstProof = Files.readString(Path.of(out + ".proof"));
    CliRun again = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--origin", "test.example/own", "--model", "m2", copy.toString());
    assertEquals(3, again.exitCode, again.toString());
    assertTrue(again.err.contains(out + ": exists") && again.err.contains("--force"), again.err);
    assertTrue(java.util.Arrays.equals(firstBytes, Files.readAllBytes(out)));
    assertEquals(firstProof, Files.readString(Path.of(out + ".proof")));
    CliRun forced = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", own.toString(), "--origin", "test.example/own", "--model", "m2",
        "--force", copy.toString());
    assertEquals(0, forced.exitCode, forced.toString());
    assertFalse(firstProof.equals(Files.readString(Path.of(out + ".proof"))), "replaced with --force");
  }

  @Test
  void unicodeTagMarksATextInvisiblyAndStillVerifiesWhenStripped() throws Exception {
    Path essay = dir.resolve("essay.txt");
    String text = "A registered essay about rivers and mountains, written for the tagging test, with enough words to "
        + "give the fingerprint something to work on when the invisible tag is removed again by a careless editor.";
    Files.writeString(essay, text);
    CliRun t = run("tag", "--key", "gen", "--signing-key", "ops", "--ledger", ledger.toString(), "--model", "writer-1",
        "--unicode-tag", essay.toString());
    assertEquals(0, t.exitCode, t.toString());
    Path tagged = dir.resolve("essay.tagged.txt");
    String out = Files.readString(tagged);
    assertTrue(out.startsWith(text) && out.length() > text.length(), "tag appended");
    assertTrue(out.substring(text.length()).codePoints().allMatch(c -> c >= 0xE0020 && c <= 0xE007E), "only invisible tag characters");
    assertEquals(text, Files.readString(essay), "the input is left alone");

    CliRun v = run("verify", "--json", "--no-watermark", tagged.toString());
    assertEquals(0, v.exitCode, v.toString());
    JsonNode j = new ObjectMapper().readTree(v.out);
    assertTrue(j.at("/metadataReference/found").asBoolean(), v.out);
    assertEquals("equal", j.at("/hash").asText());

    Path stripped = dir.resolve("stripped.txt");
    Files.writeString(stripped, text);
    CliRun s = run("verify", "--ledger", ledger.toString(), "--no-watermark", stripped.toString());
    assertEquals(0, s.exitCode, s.toString());
    assertTrue(s.out.contains("writer-1") && s.out.contains("text-fingerprint"), s.out);
  }
}
