package dev.hallmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.core.Keyring;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hallmark-spark} as a user meets it: its errors are those of {@code hallmark clean} (one line
 * starting {@code hallmark:}, naming the input and what to do, exit codes 2, 3, 4), its options take
 * what clean's take, and its report counts this run. Runs {@link Main#run} in-process on local[1].
 */
class SparkMainTest {
  @TempDir Path tmp;
  Path home;
  Path corpus;

  /** What one run printed and returned. */
  record Run(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.startsWith("note: ")).toList();
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  @BeforeAll
  static void noUi() {
    System.setProperty("spark.ui.enabled", "false");
  }

  @BeforeEach
  void keyringAndCorpus() throws Exception {
    home = tmp.resolve("home");
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(20261205L);
    Keyring ring = Keyring.open(home);
    ring.createWatermarkKey("K", r);
    ring.createWatermarkKey("K2", r);
    corpus = Files.createDirectories(tmp.resolve("corpus"));
    jsonl("a.jsonl", 5);
    jsonl("b.jsonl", 3);
  }

  private Path jsonl(String name, int n) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add("{\"id\":\"" + name + "-" + i + "\",\"text\":\"An ordinary sentence about the weather, number " + i + ".\"}");
    }
    return Files.write(corpus.resolve(name), lines, StandardCharsets.UTF_8);
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Run clean(String... more) {
    List<String> a = new ArrayList<>(List.of("clean", "--master", "local[1]", "--home", home.toString()));
    a.addAll(List.of(more));
    return run(a.toArray(String[]::new));
  }

  private static void oneLine(Run r, int code, String... parts) {
    assertEquals(code, r.code(), r.toString());
    assertEquals(1, r.errLines().size(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("hallmark: "), r.toString());
    for (String p : parts) {
      assertTrue(r.errLines().get(0).contains(p), "'" + p + "' missing: " + r);
    }
  }

  @Test
  void usageErrorsAreOneLineAsInHallmarkClean() {
    String in = corpus.resolve("a.jsonl").toString();
    String out = tmp.resolve("o").toString();
    // The CLI's option names, not the library's ("imageHammingThreshold must be in [0, 31]").
    oneLine(clean("--input", in, "--output", out, "--hamming", "40"), 2, "hallmark: --hamming must be in [0, 31]");
    oneLine(clean("--input", in, "--output", out, "--jaccard", "2"), 2, "hallmark: --jaccard must be in (0, 1]");
    // Was silently ignored.
    oneLine(clean("--input", in, "--output", out, "--log-key", "x+1+AAAA"), 2, "--log-key applies to --ledger or --registry");
    // Was "hallmark: URI is not hierarchical", without the path.
    oneLine(clean("--input", "file:data/wm.jsonl", "--output", out), 2, "file:data/wm.jsonl", "file:/absolute/path");
    oneLine(clean("--input", in, "--output", out, "--progress", "sometimes"), 2, "--progress must be auto, bar or none");
    oneLine(clean("--input", in, "--output", out, "--scheme", "rot13"), 2, "unknown text watermark scheme");
    Run nothing = run("clean", "--home", tmp.resolve("empty").toString(), "--input", in, "--output", out);
    oneLine(nothing, 2, "nothing to detect: no watermark keys in " + tmp.resolve("empty"));
    assertFalse(Files.exists(tmp.resolve("o")), "no output before the arguments are checked");
  }

  @Test
  void mistypedOptionsAndCommandsGetOneLineAndASuggestion() {
    Run typo = run("clean", "--ouptut", "x", "--input", "a.jsonl");
    assertEquals(2, typo.code(), typo.toString());
    assertEquals(List.of("hallmark: Unknown option: '--ouptut'; did you mean '--output'?", "Try 'hallmark-spark clean --help' for usage."),
        typo.errLines());
    // After --input's values: an unknown option, not an input path ("--quiett: no such file or folder").
    Run afterList = run("clean", "--output", "x", "--input", "a.jsonl", "--quiett");
    assertEquals(2, afterList.code(), afterList.toString());
    assertEquals("hallmark: Unknown option: '--quiett'; did you mean '--quiet'?", afterList.errLines().get(0));
    Run command = run("clen");
    assertEquals(2, command.code(), command.toString());
    assertTrue(command.errLines().get(0).startsWith("hallmark: ") && command.errLines().get(0).endsWith("did you mean 'clean'?"), command.toString());
    Run version = run("--version");
    assertEquals(0, version.code(), version.toString());
    assertTrue(version.out().startsWith("hallmark-spark "), version.toString());
    assertTrue(version.out().contains("Spark 4."), version.toString());
  }

  @Test
  void keysTakeCommaListsAsHallmarkClean() {
    // Was "invalid key name 'K,nope'": the list was taken as one name.
    oneLine(clean("--input", corpus.resolve("a.jsonl").toString(), "--output", tmp.resolve("o").toString(), "--key", "K,nope"),
        3, "nope");
  }

  @Test
  void inputsThatCannotBeOpenedNameThePathAndWhatToDo() {
    String out = tmp.resolve("o").toString();
    // Was exit 4, "internal error: java.lang.RuntimeException: java.lang.ClassNotFoundException: Class ...S3AFileSystem not found".
    oneLine(clean("--input", "s3a://bucket/corpus/", "--output", out), 3, "s3a://bucket/corpus/", "hadoop-aws", "--packages");
    // Was exit 2, "hallmark: java.net.UnknownHostException: nn", without the path.
    oneLine(clean("--input", "hdfs://nn.invalid:8020/x", "--output", out), 3, "hdfs://nn.invalid:8020/x", "unknown host");
    // Same code as hallmark clean (it was 2 here, 3 there).
    String a = corpus.resolve("a.jsonl").toString();
    oneLine(clean("--input", a, "--input", corpus.resolve(".").resolve("a.jsonl").toString(), "--output", out), 3, "given twice");
    // Was "hallmark: /proc/sys/x" (a folder that cannot be made there, on Linux).
    if (Files.isDirectory(Path.of("/proc/sys")) && !Files.exists(Path.of("/proc/sys/x"))) {
      oneLine(clean("--input", a, "--output", "/proc/sys/x"), 3, "hallmark: /proc/sys/x: no such file or folder");
    }
  }

  /**
   * A failure inside a Spark task (the changed input is found by the executor that re-reads it) is
   * the task's own one-line error, exit 3, as hallmark clean says it; it was exit 4 "internal error:
   * org.apache.spark.SparkException: Job aborted due to stage failure: ...".
   */
  @Test
  void errorsInsideTasksAreTheirOwnOneLineErrors() throws Exception {
    Path out = tmp.resolve("out");
    Run first = clean("--input", corpus.resolve("a.jsonl").toString(), "--output", out.toString());
    assertEquals(0, first.code(), first.toString());
    Files.delete(out.resolve("report.json"));
    Path a = corpus.resolve("a.jsonl");
    Files.writeString(a, Files.readString(a).replace("number 2", "number 9"));
    Run again = clean("--input", a.toString(), "--output", out.toString(), "--resume");
    oneLine(again, 3, "a.jsonl: the input changed since the interrupted run");
  }

  /** The report's "this run" after a kill and --resume: this run's shards and documents, as hallmark clean. */
  @Test
  void resumedRunReportsItsOwnShards() throws Exception {
    Path out = tmp.resolve("out");
    String a = corpus.resolve("a.jsonl").toString();
    String b = corpus.resolve("b.jsonl").toString();
    Run first = clean("--input", a, "--input", b, "--output", out.toString());
    assertEquals(0, first.code(), first.toString());
    // "Killed" before b's shard was committed: its marker and the report are missing.
    try (Stream<Path> s = Files.list(out.resolve("_state/shards"))) {
      for (Path m : s.filter(p -> p.getFileName().toString().contains("-b-")).toList()) {
        Files.delete(m);
      }
    }
    Files.delete(out.resolve("report.json"));
    Run again = clean("--input", a, "--input", b, "--output", out.toString(), "--resume", "--json");
    assertEquals(0, again.code(), again.toString());
    JsonNode run = new ObjectMapper().readTree(Files.readString(out.resolve("report.json"))).path("run");
    assertEquals(1, run.path("shardsProcessed").asLong(), run.toString());
    assertEquals(1, run.path("shardsSkipped").asLong(), run.toString());
    assertEquals(3, run.path("documents").asLong(), run.toString());
  }

  /** Was exit 4 and Spark's PATH_ALREADY_EXISTS, suggesting a save mode the tool does not offer. */
  @Test
  void ledgerExportRefusesAnExistingOutput() throws Exception {
    Path ledger = tmp.resolve("ledger");
    dev.hallmark.core.SigningKey logKey = dev.hallmark.core.SigningKey.fromSeed("export-log", new byte[32]);
    dev.hallmark.core.NoteVerifierKey vkey = dev.hallmark.ledger.Ledgers.init(ledger, "ledger.example/export", logKey, null);
    Path existing = Files.createDirectories(tmp.resolve("registry"));
    Run r = run("ledger-export", "--master", "local[1]", "--ledger", ledger.toString(), "--log-key", vkey.encode(),
        "--output", existing.toString());
    oneLine(r, 3, existing + ": already exists", "another --output");
  }
}
