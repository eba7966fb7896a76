package dev.hallmark.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hallmark.core.HallmarkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZIP and tar archives are cleaned member by member. Before, an archive was one Tika document: one
 * tagged page removed every human page archived with it, and an archive over the document limit was
 * one error with none of its pages checked.
 */
class ArchiveInputTest {
  @TempDir Path tmp;

  private static Map<String, byte[]> pages(int n, int tagged) {
    Map<String, byte[]> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String body = (i == tagged ? "This page is TAGGED by a generator. " : "An ordinary page about gardening, number " + i + ". ")
          + "words ".repeat(50);
      m.put("site/p" + i + ".html", Fixtures.html("P" + i, body, List.of()).getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  static byte[] zip(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      z.putNextEntry(new ZipEntry("site/"));
      z.closeEntry();
      for (Map.Entry<String, byte[]> e : members.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return b.toByteArray();
  }

  static byte[] tarGz(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream g = new GZIPOutputStream(b); TarArchiveOutputStream t = new TarArchiveOutputStream(g)) {
      TarArchiveEntry link = new TarArchiveEntry("site/link.html", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("p0.html");
      t.putArchiveEntry(link);
      t.closeArchiveEntry();
      for (Map.Entry<String, byte[]> e : members.entrySet()) {
        TarArchiveEntry te = new TarArchiveEntry(e.getKey());
        te.setSize(e.getValue().length);
        te.setModTime(1_700_000_000_000L);
        t.putArchiveEntry(te);
        t.write(e.getValue());
        t.closeArchiveEntry();
      }
    }
    return b.toByteArray();
  }

  private CleanJob.Builder job(Path out, Path... inputs) {
    CleanJob.Builder b = CleanJob.builder().output(out).threads(2).shardFiles(3).progressInterval(java.time.Duration.ofMillis(50));
    for (Path p : inputs) {
      b.input(p);
    }
    return b;
  }

  @Test
  void eachMemberIsOneDocumentAndOnlyTheTaggedOneIsRemoved() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.write(dir.resolve("pages.zip"), zip(pages(7, 4)));
    Files.write(dir.resolve("pages.tar.gz"), tarGz(pages(5, 1)));
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    assertEquals(12, r.documents(), "one document per member; folders are not documents");
    assertEquals(2, r.removed());
    assertEquals(10, r.kept());
    assertEquals(0, r.errors());
    List<JsonNode> removed = CorpusCleanerTest.json(out.resolve("removed"));
    List<String> where = new ArrayList<>();
    for (JsonNode n : removed) {
      where.add(Path.of(n.get("input").asText()).getFileName() + "!" + n.get("location").asText());
    }
    where.sort(null);
    assertEquals(List.of("pages.tar.gz!site/p1.html", "pages.zip!site/p4.html"), where);
    for (CleanReport.InputCounts c : r.inputs()) {
      assertEquals("archive", c.kind(), c.input());
    }
    assertEquals(1, r.inputs().stream().filter(c -> c.input().endsWith(".tar.gz")).findFirst().orElseThrow().skipped(),
        "the symbolic link is counted as skipped");
    List<JsonNode> kept = CorpusCleanerTest.json(out.resolve("kept"));
    assertEquals(10, kept.size());
    assertTrue(kept.stream().allMatch(n -> n.get("text").asText().contains("gardening")), "text extracted from each member's HTML");
  }

  @Test
  void damagedArchivesNestedCorporaAndBigMembersAreErrorsAndTheRestIsRead() throws Exception {
    Map<String, byte[]> m = pages(6, -1);
    m.put("dump/more.jsonl.gz", new byte[] {1, 2, 3});
    m.put("big.txt", "x".repeat(5000).getBytes(StandardCharsets.UTF_8));
    Path zip = tmp.resolve("a.zip");
    Files.write(zip, zip(m));
    byte[] tgz = tarGz(pages(40, -1));
    Path cut = tmp.resolve("cut.tgz");
    Files.write(cut, Arrays.copyOf(tgz, tgz.length / 2));
    Path notZip = tmp.resolve("not.zip");
    Files.writeString(notZip, "this is not an archive");
    Path notTar = tmp.resolve("not.tar");
    Files.writeString(notTar, "neither is this; a tar reader would call it an empty archive");
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, zip, cut, notZip, notTar).maxDocumentBytes(4000).build(), new MarkerDetector(),
        CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    List<JsonNode> errors = CorpusCleanerTest.json(out.resolve("errors"));
    Map<String, String> byLocation = new TreeMap<>();
    for (JsonNode e : errors) {
      byLocation.put(Path.of(e.get("input").asText()).getFileName() + "!" + e.get("location").asText(), e.get("error").asText());
    }
    assertTrue(byLocation.get("a.zip!dump/more.jsonl.gz").contains("unpack the archive"), byLocation.toString());
    assertTrue(byLocation.get("a.zip!big.txt").contains("larger than the limit"), byLocation.toString());
    assertTrue(byLocation.get("cut.tgz!(archive)").contains("damaged after member"), byLocation.toString());
    assertTrue(byLocation.get("not.zip!(archive)").contains("not a readable zip archive: it does not start with a zip header"),
        byLocation.toString());
    assertTrue(byLocation.get("not.tar!(archive)").contains("not a readable tar archive: its first block is not a tar header"),
        byLocation.toString());
    assertEquals(5, errors.size(), byLocation.toString());
    CleanReport.InputCounts a = r.inputs().get(0);
    assertEquals(6, a.kept());
    CleanReport.InputCounts c = r.inputs().get(1);
    assertTrue(c.kept() > 5 && c.kept() < 40, "the members before the damage are read: " + c);
  }

  /**
   * Found by a tester: a zip entry named like a folder but holding data was dropped unseen (a way to
   * hide a document); a member failing its CRC-32 was cleaned as if whole; a text file named .tar said
   * "IllegalArgumentException (Invalid byte 114 ...)"; a .tar.gz missing its last byte read as whole;
   * a truncated zip said "Error reading Zip content".
   */
  @Test
  void hiddenDamagedAndTruncatedMembersAreNeverSilentlyLost() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    java.io.ByteArrayOutputStream zb = new java.io.ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zb)) {
      z.putNextEntry(new ZipEntry("hidden/"));
      z.write("This page is TAGGED by a generator, under a folder's name.".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
      ZipEntry stored = new ZipEntry("a.txt");
      byte[] a = "plain words of a person, stored without compression".getBytes(StandardCharsets.UTF_8);
      stored.setMethod(ZipEntry.STORED);
      stored.setSize(a.length);
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(a);
      stored.setCrc(crc.getValue());
      z.putNextEntry(stored);
      z.write(a);
      z.closeEntry();
    }
    byte[] zip = zb.toByteArray();
    Files.write(dir.resolve("hidden.zip"), zip);
    byte[] damaged = zip.clone();
    String all = new String(damaged, StandardCharsets.ISO_8859_1);
    damaged[all.indexOf("plain words") + 3] ^= 1; // a stored member's byte: its CRC-32 no longer holds
    Files.write(dir.resolve("crc.zip"), damaged);
    Files.write(dir.resolve("cut.zip"), Arrays.copyOf(zip, zip.length - 1));
    Files.writeString(dir.resolve("text.tar"), "not a tar but a long text. ".repeat(40));
    byte[] tgz = tarGz(pages(3, -1));
    Files.write(dir.resolve("cut.tgz"), Arrays.copyOf(tgz, tgz.length - 1));
    Path out = tmp.resolve("out");
    CleanReport r = CorpusCleaner.run(job(out, dir).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertTrue(r.conserved());
    Map<String, String> errors = new TreeMap<>();
    for (JsonNode e : CorpusCleanerTest.json(out.resolve("errors"))) {
      errors.put(Path.of(e.get("input").asText()).getFileName() + "!" + e.get("location").asText(), e.get("error").asText());
    }
    List<String> removed = new ArrayList<>();
    for (JsonNode n : CorpusCleanerTest.json(out.resolve("removed"))) {
      removed.add(Path.of(n.get("input").asText()).getFileName() + "!" + n.get("location").asText());
    }
    assertTrue(removed.contains("hidden.zip!hidden/"), "the folder-named member is read: " + removed + " " + errors);
    assertTrue(errors.getOrDefault("crc.zip!a.txt", "").contains("does not match its CRC-32"), errors.toString());
    assertTrue(errors.getOrDefault("cut.zip!(archive)", "").contains("central directory"), errors.toString());
    assertTrue(errors.getOrDefault("text.tar!(archive)", "").contains("its first block is not a tar header"), errors.toString());
    assertTrue(errors.getOrDefault("cut.tgz!(archive)", "").contains("damaged after member 3"), errors.toString());
  }

  @Test
  void resumeOfAnArchiveGivesTheSameOutputAndRefusesAChangedArchive() throws Exception {
    Map<String, byte[]> m = pages(20, 7);
    Path in = tmp.resolve("p.zip");
    Files.write(in, zip(m));
    Path clean = tmp.resolve("clean");
    CleanReport a = CorpusCleaner.run(job(clean, in).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(1, a.removed());
    Path out = tmp.resolve("crashed");
    try {
      CorpusCleaner.run(job(out, in).threads(1).build(), new MarkerDetector(9), CleanProgress.Listener.NONE);
    } catch (MarkerDetector.SimulatedCrash | IllegalStateException expected) {
      // the run stops part way
    }
    CleanReport b = CorpusCleaner.run(job(out, in).threads(1).resume(true).build(), new MarkerDetector(), CleanProgress.Listener.NONE);
    assertEquals(a.toMap().get("totals"), b.toMap().get("totals"));
    assertEquals(CorpusCleanerTest.json(clean.resolve("kept")).toString(), CorpusCleanerTest.json(out.resolve("kept")).toString());
    // The same member names and sizes with other bytes: the CRC-32 in the resume digest differs.
    Map<String, byte[]> edited = new java.util.LinkedHashMap<>(m);
    byte[] p0 = edited.get("site/p0.html").clone();
    p0[p0.length - 20] ^= 1;
    edited.put("site/p0.html", p0);
    Files.write(in, zip(edited));
    HallmarkException e = org.junit.jupiter.api.Assertions.assertThrows(HallmarkException.class,
        () -> CorpusCleaner.run(job(out, in).threads(1).resume(true).build(), new MarkerDetector(), CleanProgress.Listener.NONE));
    assertTrue(e.getMessage().contains("changed"), e.getMessage());
  }
}
