package dev.hallmark.clean;

import dev.hallmark.detector.Detector;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.DocumentException;
import dev.hallmark.detector.LedgerLookupException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.hallmark.core.HallmarkException;
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusCleanerTest {
  private static final ObjectMapper M = new ObjectMapper();

  @TempDir Path tmp;

  private static String line(String id, String text) {
    return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"meta\":{\"lang\":\"en\",\"n\":[1,2.50,3]}}";
  }

  private CleanJob.Builder job(Path out, Path... inputs) {
    CleanJob.Builder b = CleanJob.builder().output(out).threads(2).shardDocuments(3).shardFiles(2).shardRecords(2)
        .progressInterval(java.time.Duration.ofMillis(50));
    for (Path p : inputs) {
      b.input(p);
    }
    return b;
  }

  @Test
  void jsonlKeepsOtherFieldsByteForByteAndSendsJunkToErrors() throws Exception {
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      good.add(line("d" + i, i % 4 == 0 ? "TAGGED text " + i : "plain human text " + i));
    }
    // bzip2 and xz were read as one Tika document per file, the whole file kept or removed.
    for (String ext : List.of(".jsonl", ".jsonl.gz", ".jsonl.zst", ".jsonl.bz2", ".jsonl.xz")) {
      Path dir = Files.createDirectories(tmp.resolve("in" + ext.replace('.', '_')));
      Path in = dir.resolve("c" + ext);
      List<String> lines = new ArrayList<>(good);
      lines.add(3, "{\"id\":\"bad\",\"text\": ");
      lines.add(5, "");
      lines.add(6, "[1,2,3]");
      lines.add(7, "{\"id\":\"notext\"}");
      lines.add(8, "{\"id\":\"num\",\"text\":42}");
      Fixtures.writeLines(in, lines);
      // Invalid UTF-8 inside a string, appended as raw bytes.
      byte[] bad = "{\"id\":\"utf\",\"text\":\"caf\u00e9 \"}\n".getBytes(StandardCharsets.UTF_8);
      byte[] raw = decompress(Files.readAllBytes(in), ext);
      byte[] withBad = concat(raw, Arrays.copyOf(bad, bad.length));
      int e = indexOf(withBad, (byte) 0xc3, raw.length);
      withBad[e] = (byte) 0xff;
      Fixtures.writeRaw(in, withBad);

      Path out = tmp.resolve("out" + ext.replace('.', '_'));
      CleanReport r = CorpusCleaner.run(job(out, in).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
      assertEquals(15, r.documents(), ext);
      assertEquals(3, r.removed(), ext);
      assertEquals(7, r.kept(), ext);
      assertEquals(5, r.errors(), ext);
      assertTrue(r.conserved());
      assertEquals(1, r.inputs().get(0).skipped(), "blank line counted as skipped");

      List<String> kept = readAll(out.resolve("kept"), ".jsonl" + (ext.equals(".jsonl") ? "" : ext.substring(6)));
      List<String> expectKept = good.stream().filter(l -> !l.contains("TAGGED")).collect(Collectors.toList());
      assertEquals(expectKept, kept, "kept lines are the input lines, unchanged and in order (" + ext + ")");
      List<JsonNode> errors = json(out.resolve("errors"));
      assertEquals(5, errors.size());
      String all = errors.toString();
      assertTrue(all.contains("invalid UTF-8"), all);
      assertTrue(all.contains("no 'text' field"), all);
      assertTrue(all.contains("not a JSON object"), all);
      assertTrue(all.contains("is not a string"), all);
      List<JsonNode> removed = json(out.resolve("removed"));
      assertEquals(List.of("d0", "d4", "d8"), removed.stream().map(n -> n.get("id").asText()).collect(Collectors.toList()));
      assertEquals("TEXT_WATERMARK", removed.get(0).get("evidence").get(0).get("reason").asText());
      assertTrue(removed.get(0).get("location").asText().startsWith("line "));
      JsonNode report = M.readTree(out.resolve("report.json").toFile());
      assertEquals(15, report.get("totals").get("documents").asInt());
      assertTrue(report.get("totals").get("conserved").asBoolean());
      String html = Files.readString(out.resolve("report.html"));
      assertTrue(html.contains("<svg") && html.contains("<rect"), "charts are inline SVG");
      assertTrue(!html.contains("<script") && !html.contains(" src="), "self-contained, no network");
      // Links only to the removed records inside the output folder, never out to the network.
      assertTrue(html.replaceAll(" href=\"removed/[^\"/]+\\.jsonl\"", "").indexOf(" href=") < 0, "only local links");
    }
  }

  @Test
  void truncatedGzipGoesToErrorsAndTheRestIsKept() throws Exception {
    Path in = tmp.resolve("t.jsonl.gz");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add(line("d" + i, "text number " + i + " with some padding to make the stream longer " + "x".repeat(i)));
    }
    Fixtures.writeLines(in, lines);
    byte[] b = Files.readAllBytes(in);
    Files.write(in, Arrays.copyOf(b, b.length * 2 / 3));
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, in).shardDocuments(50).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    assertEquals(1, r.errors());
    assertTrue(r.kept() > 50 && r.kept() < 200, "kept " + r.kept());
    assertTrue(json(out.resolve("errors")).get(0).get("error").asText().contains("truncated or corrupt"));
  }

  @Test
  void truncatedWarcAndCorruptZstdAreErrorsNotCrashes() throws Exception {
    List<Fixtures.WarcEntry> e = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      e.add(new Fixtures.WarcEntry("https://example.org/" + i, "text/html",
          Fixtures.html("P" + i, "Page number " + i + " " + "words ".repeat(200), List.of()).getBytes(StandardCharsets.UTF_8)));
    }
    Path warc = tmp.resolve("cut.warc.gz");
    Fixtures.writeWarc(warc, e, true);
    byte[] w = Files.readAllBytes(warc);
    Files.write(warc, Arrays.copyOf(w, w.length / 2));
    Path zst = tmp.resolve("bad.jsonl.zst");
    Fixtures.writeLines(zst, List.of(line("a", "one"), line("b", "two")));
    byte[] z = Files.readAllBytes(zst);
    for (int i = 12; i < z.length - 4; i += 3) {
      z[i] ^= 0x5a;
    }
    Files.write(zst, z);
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, warc, zst).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    CleanReport.InputCounts wc = r.inputs().get(0);
    assertEquals(1, wc.errors(), r.toMap().toString());
    assertTrue(wc.kept() >= 10 && wc.kept() < 30, "records before the cut are kept: " + wc);
    assertTrue(r.inputs().get(1).errors() >= 1, r.toMap().toString());
    String errors = json(out.resolve("errors")).toString();
    assertTrue(errors.contains("corrupt or truncated WARC record"), errors);
    assertTrue(errors.contains("bad.jsonl.zst"), errors);
  }

  @Test
  void longLinesHitTheSizeLimit() throws Exception {
    Path in = tmp.resolve("l.jsonl");
    Fixtures.writeLines(in, List.of(line("a", "short"), line("b", "y".repeat(5000)), line("c", "short too")));
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, in).maxDocumentBytes(1000).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(2, r.kept());
    assertEquals(1, r.errors());
    assertTrue(json(out.resolve("errors")).get(0).get("error").asText().contains("longer than the limit"));
  }

  @Test
  void stdinIsReadAsJsonl() throws Exception {
    byte[] data = (line("a", "one") + "\n" + line("b", "TAGGED two") + "\n").getBytes(StandardCharsets.UTF_8);
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(CleanJob.builder().input("-").output(out).stdin(new ByteArrayInputStream(data)).build(),
        new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(2, r.documents());
    assertEquals(1, r.removed());
    assertEquals("-", r.inputs().get(0).input());
  }

  @Test
  void warcResponsesAreExtractedAndOtherRecordsSkipped() throws Exception {
    byte[] red = Fixtures.png(32, 32, Color.RED, 1);
    List<Fixtures.WarcEntry> e = List.of(
        new Fixtures.WarcEntry("https://example.org/a.html", "text/html; charset=utf-8",
            Fixtures.html("A", "An ordinary page about gardening.", List.of()).getBytes(StandardCharsets.UTF_8)),
        new Fixtures.WarcEntry("https://example.org/b.html", "text/html",
            Fixtures.html("B", "This page is TAGGED by a generator.", List.of()).getBytes(StandardCharsets.UTF_8)),
        new Fixtures.WarcEntry("https://example.org/c.html", "text/html",
            Fixtures.html("C", "Page with a red picture.", List.of(red)).getBytes(StandardCharsets.UTF_8)),
        new Fixtures.WarcEntry("https://example.org/d.png", "image/png", red),
        new Fixtures.WarcEntry("https://example.org/e.png", "image/png", Arrays.copyOf(red, 40)),
        new Fixtures.WarcEntry("https://example.org/f.txt", "text/plain", "plain words".getBytes(StandardCharsets.UTF_8)));
    Path in = tmp.resolve("crawl.warc.gz");
    Fixtures.writeWarc(in, e, true);
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, in).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(6, r.documents());
    assertEquals(1, r.inputs().get(0).skipped(), "the warcinfo record is not a document");
    assertEquals(3, r.removed(), json(out.resolve("removed")).toString());
    assertEquals(2, r.kept());
    assertEquals(1, r.errors());
    List<JsonNode> kept = json(out.resolve("kept"));
    assertTrue(kept.get(0).get("text").asText().contains("gardening"), kept.toString());
    assertTrue(kept.get(0).get("location").asText().contains("https://example.org/a.html"));
    assertTrue(Files.exists(out.resolve("kept").resolve("000-crawl-000000.jsonl.gz")));
    assertTrue(Files.readString(out.resolve("kept").resolve("000-crawl-000000.sources.txt")).contains("urn:uuid:"));
    String removed = json(out.resolve("removed")).toString();
    assertTrue(removed.contains("IMAGE_WATERMARK") && removed.contains("embedded-"), removed);
  }

  @Test
  void wetConversionAndResourceRecordsAreDocuments() throws Exception {
    // Common Crawl's WET files hold the plain text of each page as conversion records; archives made
    // without HTTP headers hold resource records. Both were skipped (0 documents from a WET file).
    Path in = tmp.resolve("CC-MAIN-test-00000.warc.wet.gz");
    byte[] latin1 = "Caf\u00e9 cr\u00e8me, words in Latin-1.".getBytes(StandardCharsets.ISO_8859_1);
    try (org.netpreserve.jwarc.WarcWriter w = new org.netpreserve.jwarc.WarcWriter(java.nio.channels.FileChannel.open(in,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE),
        org.netpreserve.jwarc.WarcCompression.GZIP)) {
      w.write(new org.netpreserve.jwarc.Warcinfo.Builder().fields(Map.of("software", List.of("hallmark-tests"))).build());
      org.netpreserve.jwarc.MediaType plain = org.netpreserve.jwarc.MediaType.parse("text/plain");
      w.write(new org.netpreserve.jwarc.WarcConversion.Builder().setHeader("WARC-Target-URI", "https://example.org/a")
          .body(plain, "\ufeffA human page about orchards.".getBytes(StandardCharsets.UTF_8)).build());
      w.write(new org.netpreserve.jwarc.WarcConversion.Builder().setHeader("WARC-Target-URI", "https://example.org/b")
          .body(plain, "A generated page, TAGGED.".getBytes(StandardCharsets.UTF_8)).build());
      w.write(new org.netpreserve.jwarc.WarcConversion.Builder().setHeader("WARC-Target-URI", "https://example.org/c")
          .body(plain, latin1).build());
      w.write(new org.netpreserve.jwarc.WarcConversion.Builder().setHeader("WARC-Target-URI", "https://example.org/d")
          .body(plain, "x".repeat(300).getBytes(StandardCharsets.UTF_8)).build());
      w.write(new org.netpreserve.jwarc.WarcResource.Builder(java.net.URI.create("https://example.org/e.html"))
          .body(org.netpreserve.jwarc.MediaType.parse("text/html"),
              Fixtures.html("E", "A stored page about bees.", List.of()).getBytes(StandardCharsets.UTF_8)).build());
      w.write(new org.netpreserve.jwarc.WarcMetadata.Builder().targetURI("https://example.org/a")
          .fields(Map.of("fetchTimeMs", List.of("12"))).build());
    }
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, in).maxTextChars(200).build(), new MarkerDetector(),
        CleanProgress.Listener.NONE);
    assertEquals(5, r.documents());
    assertEquals(2, r.inputs().get(0).skipped(), "warcinfo and metadata records are not documents");
    assertEquals("000-CC-MAIN-test-00000", r.inputs().get(0).unit());
    assertEquals(1, r.removed());
    assertTrue(json(out.resolve("removed")).toString().contains("https://example.org/b"));
    assertEquals(1, r.errors(), "the 300-character text is over the job's 200");
    assertTrue(json(out.resolve("errors")).toString().contains("exceeds the limit of 200 characters"));
    Map<String, String> kept = new TreeMap<>();
    for (JsonNode k : json(out.resolve("kept"))) {
      kept.put(k.get("location").asText().replaceAll("^offset \\d+ ", ""), k.get("text").asText());
    }
    assertEquals("A human page about orchards.", kept.get("https://example.org/a"), "UTF-8 decoded as is, BOM dropped");
    assertTrue(kept.get("https://example.org/c").contains("Caf\u00e9 cr\u00e8me"), "not UTF-8: through Tika's charset detection");
    assertTrue(kept.get("https://example.org/e.html").contains("bees"), kept.toString());
  }

  /** An ARC version-1 file: the filedesc version block, then one HTTP response record per page. */
  private static List<byte[]> arcRecords(String... pages) {
    List<byte[]> recs = new ArrayList<>();
    byte[] desc = "1 0 Hallmark tests\nURL IP-address Archive-date Content-type Archive-length\n".getBytes(StandardCharsets.US_ASCII);
    recs.add(concat(("filedesc://test.arc 0.0.0.0 20090101000000 text/plain " + desc.length + "\n").getBytes(StandardCharsets.US_ASCII),
        desc, new byte[] {'\n'}));
    for (int i = 0; i < pages.length; i++) {
      byte[] html = ("<html><body><p>" + pages[i] + "</p></body></html>").getBytes(StandardCharsets.UTF_8);
      byte[] http = concat(("HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + html.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), html);
      recs.add(concat(("http://example.org/" + i + ".html 192.0.2.1 2009010100000" + i + " text/html " + http.length + "\n")
          .getBytes(StandardCharsets.US_ASCII), http, new byte[] {'\n'}));
    }
    return recs;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  @Test
  void arcFilesAreReadRecordByRecord() throws Exception {
    // ARC (Common Crawl 2008-2012, the Internet Archive's older crawls): a .arc.gz went to Tika as one
    // file (one document for the whole crawl), and a plain ARC read as WARC failed on every record.
    List<byte[]> recs = arcRecords("A human page about orchards.", "A generated page, TAGGED.", "A human page about bees.");
    Path plain = tmp.resolve("IA-2009-00000.arc");
    Files.write(plain, concat(recs.toArray(new byte[0][])));
    Path gz = tmp.resolve("IA-2009-00001.arc.gz");
    try (java.io.OutputStream o = Files.newOutputStream(gz)) {
      for (byte[] r : recs) {
        // One gzip member per record, as archives write them.
        java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(m)) {
          z.write(r);
        }
        o.write(m.toByteArray());
      }
    }
    byte[] whole = Files.readAllBytes(plain);
    Path cut = tmp.resolve("IA-2009-00002.arc");
    Files.write(cut, Arrays.copyOf(whole, whole.length - 20));
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, plain, gz, cut).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    for (int i = 0; i < 3; i++) {
      assertEquals("warc", r.inputs().get(i).kind(), r.inputs().toString());
      assertEquals(1, r.inputs().get(i).skipped(), "the filedesc version block is not a document");
      assertEquals(3, r.inputs().get(i).documents(), r.inputs().toString());
    }
    assertEquals(9, r.documents());
    assertEquals(3, r.removed(), json(out.resolve("kept")) + " " + json(out.resolve("errors")));
    assertEquals(5, r.kept());
    assertEquals(1, r.errors());
    String errors = json(out.resolve("errors")).toString();
    assertTrue(errors.contains("IA-2009-00002.arc: ARC record at offset") && errors.contains("is truncated"), errors);
    List<JsonNode> kept = json(out.resolve("kept"));
    assertTrue(kept.get(0).get("text").asText().contains("orchards"), kept.toString());
    assertTrue(kept.get(0).get("location").asText().endsWith("http://example.org/0.html"), kept.toString());
    assertTrue(json(out.resolve("removed")).toString().contains("http://example.org/1.html"));
    assertEquals("http://example.org/2.html 2009-01-01T00:00:02Z", kept.get(1).get("id").asText(), "URL and capture date");
  }

  @Test
  void jsonLinesNamedDotJsonAreReadLineByLine() throws Exception {
    // C4, Dolma and RedPajama name their JSON Lines shards *.json.gz: such a shard went to Tika as one
    // document, so one tagged line removed the whole shard (its human lines with it).
    Path dir = Files.createDirectories(tmp.resolve("c4"));
    Path shard = dir.resolve("c4-train.00000-of-01024.json.gz");
    List<String> lines = List.of(line("a", "Human words about rivers."), line("b", "Generated words, TAGGED."),
        line("c", "Human words about bread."));
    Fixtures.writeLines(shard, lines);
    // A pretty-printed JSON document is not JSON Lines: one document, as before.
    Files.writeString(dir.resolve("config.json"), "{\n  \"title\": \"Human words\"\n}\n");
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals("jsonl", r.inputs().get(0).kind(), r.inputs().toString());
    assertEquals("files", r.inputs().get(1).kind(), r.inputs().toString());
    assertEquals(4, r.documents());
    assertEquals(1, r.removed());
    assertEquals(3, r.kept());
    assertEquals(List.of(lines.get(0), lines.get(2)), readAll(out.resolve("kept"), ".jsonl.gz"), "the human lines, byte for byte");
  }

  @Test
  void anEarlierCleanOutputInsideTheInputIsNotCleanedAgain() throws Exception {
    // Running on a folder that held a previous run's output cleaned its kept/ and removed/ files as
    // input (the removed documents as errors, its report as a document, its lock file as an error).
    Path dir = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(dir.resolve("a.txt"), "Human words.");
    Files.writeString(dir.resolve("b.txt"), "Generated words, TAGGED.");
    CleanReport first = CorpusCleaner.run(job(dir.resolve("out"), dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(2, first.documents());
    Path out2 = tmp.resolve("out2");
    CleanReport again = CorpusCleaner.run(job(out2, dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(3, again.documents(), "a.txt, b.txt and one error for the earlier output");
    assertEquals(1, again.errors());
    String errors = json(out2.resolve("errors")).toString();
    assertTrue(errors.contains("the output of an earlier hallmark clean run"), errors);
  }

  @Test
  void aFolderInputThatIsASymbolicLinkIsFollowed() throws Exception {
    // /data/corpus -> /mnt/...: the link was listed as the folder's only file, one error "symbolic
    // link: not followed", and none of the files inside were checked (exit 0). Links inside the
    // folder are still not followed.
    Path real = Files.createDirectories(tmp.resolve("real"));
    Files.writeString(real.resolve("a.txt"), "Human words.");
    Files.writeString(real.resolve("b.txt"), "Generated words, TAGGED.");
    Files.createSymbolicLink(real.resolve("inner-link.txt"), tmp.resolve("elsewhere.txt"));
    Path link = Files.createSymbolicLink(tmp.resolve("corpus"), real);
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, link).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(3, r.documents(), r.toMap().toString());
    assertEquals(1, r.kept());
    assertEquals(1, r.removed());
    assertEquals(1, r.errors(), "the link inside the folder");
    assertTrue(json(out.resolve("errors")).toString().contains("inner-link.txt"));
  }

  /** A one-page PDF written by hand, uncompressed, as simple generators write them. */
  static byte[] handWrittenPdf(String text) {
    String content = "BT /F1 10 Tf 50 750 Td (" + text + ") Tj ET";
    String[] objs = {"<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        "<</Length " + content.length() + ">>\nstream\n" + content + "\nendstream", "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"};
    StringBuilder b = new StringBuilder("%PDF-1.4\n");
    List<Integer> offsets = new ArrayList<>();
    for (int i = 0; i < objs.length; i++) {
      offsets.add(b.length());
      b.append(i + 1).append(" 0 obj\n").append(objs[i]).append("\nendobj\n");
    }
    int xref = b.length();
    b.append("xref\n0 6\n0000000000 65535 f \n");
    for (int o : offsets) {
      b.append(String.format("%010d 00000 n \n", o));
    }
    b.append("trailer\n<</Size 6/Root 1 0 R>>\nstartxref\n").append(xref).append("\n%%EOF\n");
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aTruncatedPdfThatYieldsNothingIsAnErrorNotKept() throws Exception {
    // PDFBox parses a cut PDF leniently into no text: it was kept as an empty document, its
    // (watermarked) text never checked.
    Path dir = Files.createDirectories(tmp.resolve("pdfs"));
    byte[] pdf = handWrittenPdf("A generated page, TAGGED, in a PDF that will be cut short.");
    Files.write(dir.resolve("full.pdf"), pdf);
    Files.write(dir.resolve("cut.pdf"), Arrays.copyOf(pdf, pdf.length / 2));
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(2, r.documents());
    assertEquals(1, r.removed(), "the whole PDF");
    assertEquals(0, r.kept());
    String errors = json(out.resolve("errors")).toString();
    assertTrue(errors.contains("cut.pdf") && errors.contains("no text and no images extracted from this application/pdf"), errors);
  }

  @Test
  void filesNothingCanReadAreErrorsNotKept() throws Exception {
    // A Parquet table (an HF dataset's shards) or an unknown binary: Tika has no parser for it and
    // returned empty text, so it was kept, its rows never examined.
    Path dir = Files.createDirectories(tmp.resolve("data"));
    Files.write(dir.resolve("train-00000.parquet"), "PAR1 rows that Tika cannot read PAR1".getBytes(StandardCharsets.US_ASCII));
    Files.write(dir.resolve("blob.bin"), new byte[] {0, 1, 2, 3, (byte) 0xfe, 5, 6, 7, 0, 9});
    Files.writeString(dir.resolve("notes.md"), "# Notes\n\nHuman words.");
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(3, r.documents());
    assertEquals(1, r.kept());
    assertEquals(2, r.errors());
    String errors = json(out.resolve("errors")).toString();
    assertTrue(errors.contains("no text extractor for application/x-parquet") && errors.contains("hallmark-spark"), errors);
    assertTrue(errors.contains("no text extractor for application/octet-stream"), errors);
  }

  @Test
  void folderTreeThroughTika() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("site/sub"));
    Path root = tmp.resolve("site");
    byte[] red = Fixtures.png(40, 40, Color.RED, 2);
    byte[] blue = Fixtures.png(40, 40, Color.BLUE, 3);
    Files.writeString(root.resolve("a.html"), Fixtures.html("A", "Human words about rivers.", List.of(blue)));
    Files.writeString(root.resolve("b.html"), Fixtures.html("B", "Generated words.", List.of(red)));
    Files.write(dir.resolve("c.pdf"), Fixtures.pdf("A PDF that is TAGGED in its text.", null));
    Files.write(dir.resolve("d.pdf"), Fixtures.pdf("A PDF with a red image inside.", Fixtures.solid(64, 64, Color.RED)));
    Files.write(dir.resolve("e.pdf"), Fixtures.pdf("A PDF with a blue image inside.", Fixtures.solid(64, 64, Color.BLUE)));
    byte[] pdf = Fixtures.pdf("broken", null);
    Files.write(dir.resolve("f.pdf"), Arrays.copyOf(pdf, pdf.length / 3));
    Files.write(dir.resolve("g.png"), Arrays.copyOf(red, 50));
    Files.write(dir.resolve("h.png"), red);
    Files.writeString(dir.resolve("i.txt"), "Plain text file, human.");
    Files.write(dir.resolve("j.bin"), new byte[0]);
    Fixtures.writeLines(dir.resolve("k.jsonl"), List.of(line("k1", "TAGGED"), line("k2", "fine")));
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, root).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(2, r.inputs().size(), "the JSONL file is its own unit");
    assertEquals("jsonl", r.inputs().get(0).kind());
    CleanReport.InputCounts files = r.inputs().get(1);
    assertEquals(10, files.documents());
    Map<String, String> fate = fates(out);
    assertEquals("kept", fate.get("a.html"));
    assertEquals("removed", fate.get("b.html"));
    assertEquals("removed", fate.get("sub/c.pdf"));
    assertEquals("removed", fate.get("sub/d.pdf"), "image embedded in a PDF");
    assertEquals("kept", fate.get("sub/e.pdf"));
    assertEquals("errors", fate.get("sub/f.pdf"));
    assertEquals("errors", fate.get("sub/g.png"));
    assertEquals("removed", fate.get("sub/h.png"));
    assertEquals("kept", fate.get("sub/i.txt"));
    assertEquals("errors", fate.get("sub/j.bin"));
    assertTrue(r.conserved());
  }

  /** report.html lists the removed documents with reasons and links, and titles its charts for people. */
  @Test
  void htmlReportListsRemovedDocumentsAndLabelsItsCharts() throws Exception {
    Path in = tmp.resolve("r.jsonl");
    Fixtures.writeLines(in, List.of(line("a", "TAGGED one"), line("b", "human"), line("c", "TAGGED two")));
    Path out = tmp.resolve("rout");
    CorpusCleaner.run(job(out, in).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<h2>Removed documents</h2>"), html);
    assertTrue(html.contains("<td class=\"l\">a</td>") && html.contains("<td class=\"l\">c</td>"), html);
    assertFalse(html.contains("<td class=\"l\">b</td>"), html);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<a href=\"(removed/[^\"]+)\">").matcher(html);
    int links = 0;
    while (m.find()) {
      assertTrue(Files.isRegularFile(out.resolve(m.group(1))), m.group(1));
      links++;
    }
    assertEquals(2, links);
    assertTrue(html.contains("Text watermark: smallest p-value per document"), html);
    assertFalse(html.contains(">textPValue"), "a field name as a chart title");
    assertTrue(html.contains("class=\"alpha\""), "alpha line on the p-value charts");
    assertTrue(html.contains(">documents</text>"), "y-axis label");
  }

  /** An SVG is XML text: it is extracted and scanned, not kept unscanned as an image nobody can decode. */
  @Test
  void svgInAFolderIsScannedAsText() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("svgsite"));
    Files.writeString(root.resolve("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
        + "<title>Logo</title><text x=\"1\" y=\"9\">A caption that is TAGGED by a model</text></svg>");
    Files.writeString(root.resolve("plain.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
        + "<text x=\"1\" y=\"9\">A human caption</text></svg>");
    Path out = tmp.resolve("svgout");
    CleanReport r = CorpusCleaner.run(job(out, root).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    Map<String, String> fate = fates(out);
    assertEquals("removed", fate.get("logo.svg"), fate.toString());
    assertEquals("kept", fate.get("plain.svg"), fate.toString());
    assertEquals(2, r.documents());
    assertTrue(r.conserved());
  }

  @Test
  void crashedRunResumesToTheSameResult() throws Exception {
    Path in = tmp.resolve("c.jsonl.gz");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      lines.add(i % 37 == 5 ? "{broken" : line("d" + i, (i % 7 == 0 ? "TAGGED " : "") + "doc " + i));
    }
    Fixtures.writeLines(in, lines);
    Path clean = tmp.resolve("clean");
    CleanReport a = CorpusCleaner.run(job(clean, in).shardDocuments(25).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    for (int crashAfter : new int[] {0, 1, 60, 237, 388}) {
      Path out = tmp.resolve("crash" + crashAfter);
      assertThrows(MarkerDetector.SimulatedCrash.class, () -> {
        try {
          CorpusCleaner.run(job(out, in).shardDocuments(25).build(), new MarkerDetector(crashAfter), CleanProgress.Listener.NONE);
        } catch (IllegalStateException e) {
          throw e.getCause();
        }
      });
      HallmarkException notEmpty = assertThrows(HallmarkException.class,
          () -> CorpusCleaner.run(job(out, in).shardDocuments(25).build(), new MarkerDetector(), CleanProgress.Listener.NONE));
      assertTrue(notEmpty.getMessage().contains("--resume"));
      CleanReport b = CorpusCleaner.run(job(out, in).shardDocuments(25).threads(1).resume(true).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
      assertEquals(a.toMap().get("totals"), b.toMap().get("totals"));
      assertEquals(snapshot(clean), snapshot(out), "crash after " + crashAfter);
    }
    HallmarkException changed = assertThrows(HallmarkException.class,
        () -> CorpusCleaner.run(job(clean, in).shardDocuments(26).resume(true).build(), new MarkerDetector(), CleanProgress.Listener.NONE));
    assertTrue(changed.getMessage().contains("same inputs"), changed.getMessage());
    assertTrue(changed.getMessage().contains("job.shardDocuments was 25, now 26"), changed.getMessage());
  }

  private static void crash(CleanJob job, int after) {
    assertThrows(MarkerDetector.SimulatedCrash.class, () -> {
      try {
        CorpusCleaner.run(job, new MarkerDetector(after), CleanProgress.Listener.NONE);
      } catch (IllegalStateException e) {
        throw e.getCause();
      }
    });
  }

  @Test
  void resumeRefusesAnInputThatChangedUnderACommittedShard() throws Exception {
    // A file added to a folder slid another into a committed shard of the same size (that file was
    // then in kept/ twice and the new one nowhere), and a line edited in a committed shard was not
    // noticed: only the document count was compared.
    Path dir = Files.createDirectories(tmp.resolve("site"));
    for (int i = 0; i < 10; i++) {
      Files.writeString(dir.resolve(String.format("f%02d.txt", i)), "Human words, file " + i + ".");
    }
    Path out = tmp.resolve("out-folder");
    crash(job(out, dir).shardFiles(4).threads(1).build(), 6);
    Files.writeString(dir.resolve("a-new.txt"), "A new file, TAGGED.");
    Files.writeString(out.resolve(".report.json.1234.tmp"), "left by a killed run");
    HallmarkException added = assertThrows(HallmarkException.class,
        () -> CorpusCleaner.run(job(out, dir).shardFiles(4).threads(1).resume(true).build(), new MarkerDetector(), CleanProgress.Listener.NONE));
    assertTrue(added.getMessage().contains("the input changed since the interrupted run"), added.getMessage());
    Files.delete(dir.resolve("a-new.txt"));
    CleanReport ok = CorpusCleaner.run(job(out, dir).shardFiles(4).threads(1).resume(true).build(), new MarkerDetector(),
        CleanProgress.Listener.NONE);
    assertEquals(10, ok.kept(), "the unchanged folder resumes");
    assertFalse(Files.exists(out.resolve(".report.json.1234.tmp")), "the report's temporary file is deleted");

    Path in = tmp.resolve("lines.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.add(line("d" + i, "doc number " + (100 + i)));
    }
    Files.write(in, lines);
    Path outJsonl = tmp.resolve("out-jsonl");
    crash(job(outJsonl, in).shardDocuments(10).threads(1).build(), 15);
    lines.set(3, line("d3", "doc number 999")); // same length
    Files.write(in, lines);
    HallmarkException edited = assertThrows(HallmarkException.class,
        () -> CorpusCleaner.run(job(outJsonl, in).shardDocuments(10).threads(1).resume(true).build(), new MarkerDetector(),
            CleanProgress.Listener.NONE));
    assertTrue(edited.getMessage().contains("line contents"), edited.getMessage());
  }

  @Test
  void aBrokenLedgerStopsTheRunWithOneLineAndResumeFinishesIt() throws Exception {
    Path in = tmp.resolve("l.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add(line("d" + i, (i % 5 == 0 ? "TAGGED " : "") + "doc " + i));
    }
    Fixtures.writeLines(in, lines);
    Path reference = tmp.resolve("reference");
    CorpusCleaner.run(job(reference, in).shardDocuments(20).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    Path out = tmp.resolve("broken");
    // The ledger fails from the 90th document on: before, every later document went to errors/ and
    // the run reported success; now the run stops and nothing is filed under errors.
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    Detector broken = new MarkerDetector() {
      @Override
      public DocumentDecision decide(Document d) throws DocumentException {
        if (seen.incrementAndGet() >= 90) {
          throw new LedgerLookupException(new dev.hallmark.ledger.LedgerException("ledger/index: read error"));
        }
        return super.decide(d);
      }
    };
    HallmarkException e = assertThrows(HallmarkException.class,
        () -> CorpusCleaner.run(job(out, in).shardDocuments(20).build(), broken, CleanProgress.Listener.NONE));
    assertTrue(e.getMessage().startsWith("ledger look-up failed: ledger/index: read error"), e.getMessage());
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(Files.exists(out.resolve("report.json")), "no report for a run that stopped");
    CleanReport b = CorpusCleaner.run(job(out, in).shardDocuments(20).resume(true).build(), new MarkerDetector(),
        CleanProgress.Listener.NONE);
    assertEquals(0L, ((Number) ((Map<?, ?>) b.toMap().get("totals")).get("errors")).longValue());
    assertEquals(snapshot(reference), snapshot(out));
  }

  @Test
  void aSecondRunOnTheSameFolderIsRefusedWhileTheFirstRuns() throws Exception {
    Path in = tmp.resolve("c.jsonl");
    Fixtures.writeLines(in, List.of(line("a", "one"), line("b", "two")));
    Path out = tmp.resolve("out");
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Detector slow = new MarkerDetector() {
      @Override
      public DocumentDecision decide(Document d) throws DocumentException {
        inside.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.decide(d);
      }
    };
    java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.Future<CleanReport> first = ex.submit(() -> CorpusCleaner.run(job(out, in).build(), slow, CleanProgress.Listener.NONE));
    assertTrue(inside.await(30, java.util.concurrent.TimeUnit.SECONDS));
    HallmarkException busy = assertThrows(HallmarkException.class,
        () -> CorpusCleaner.run(job(out, in).resume(true).build(), new MarkerDetector(), CleanProgress.Listener.NONE));
    assertTrue(busy.getMessage().contains("another clean run"), busy.getMessage());
    release.countDown();
    assertEquals(2, first.get().kept());
    ex.shutdown();
  }

  @Test
  void missingInputFailsBeforeAnyOutput() {
    Path out = tmp.resolve("out");
    assertThrows(java.nio.file.NoSuchFileException.class,
        () -> CorpusCleaner.run(job(out, tmp.resolve("nope.jsonl")).build(), new MarkerDetector(), CleanProgress.Listener.NONE));
    assertFalse(Files.exists(out));
  }

  // ---- helpers ----

  /** Every output file's bytes, except the per-run facts in report.json and report.html. */
  static Map<String, String> snapshot(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        String rel = out.relativize(p).toString();
        if (rel.startsWith("report.")) {
          if (rel.equals("report.json")) {
            JsonNode n = M.readTree(p.toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("run");
            m.put(rel, n.toString());
          }
          continue;
        }
        m.put(rel, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))) + " " + Files.size(p));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return m;
  }

  static Map<String, String> fates(Path out) throws IOException {
    Map<String, String> f = new TreeMap<>();
    for (String d : List.of("kept", "removed", "errors")) {
      for (JsonNode n : json(out.resolve(d))) {
        String where = n.has("location") ? n.get("location").asText() : n.get("id").asText();
        if (f.put(where, d) != null) {
          throw new AssertionError(where + " appears twice");
        }
      }
    }
    return f;
  }

  static List<JsonNode> json(Path dir) throws IOException {
    List<JsonNode> l = new ArrayList<>();
    for (String s : readAll(dir, null)) {
      l.add(M.readTree(s));
    }
    return l;
  }

  /** Lines of every .jsonl[.gz|.zst|.bz2|.xz] file in {@code dir}, in file-name order. */
  static List<String> readAll(Path dir, String suffix) throws IOException {
    List<String> lines = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && (suffix == null ? n.matches(".*\\.jsonl(\\.gz|\\.zst|\\.bz2|\\.xz)?") : n.endsWith(suffix));
      }).sorted().collect(Collectors.toList());
    }
    for (Path p : files) {
      byte[] b = decompress(Files.readAllBytes(p), p.getFileName().toString());
      for (String l : new String(b, StandardCharsets.UTF_8).split("\n")) {
        if (!l.isEmpty()) {
          lines.add(l);
        }
      }
    }
    return lines;
  }

  static byte[] decompress(byte[] b, String name) throws IOException {
    InputStream in = new ByteArrayInputStream(b);
    if (name.endsWith(".gz")) {
      in = new GZIPInputStream(in);
    } else if (name.endsWith(".zst")) {
      in = new ZstdInputStream(in);
    } else if (name.endsWith(".bz2")) {
      in = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(in);
    } else if (name.endsWith(".xz")) {
      in = new org.apache.commons.compress.compressors.xz.XZCompressorInputStream(in);
    }
    return in.readAllBytes();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static int indexOf(byte[] a, byte v, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new AssertionError("byte not found");
  }
}
