package dev.hallmark.cli.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.core.Keyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code hallmark text generate} and {@code hallmark text detect} end to end, in process. */
class TextCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  Path home;

  /** Keys from a seeded generator, so every run scores the same texts; keys new itself is tested elsewhere. */
  @BeforeEach
  void keys() throws Exception {
    home = dir.resolve("home");
    // Detection power is measured in benchmarks (docs/BENCHMARKS.md), not here: the keys come from a
    // fixed seed so that every run scores the same texts.
    long seed = 2L;
    System.out.println("TextCommandTest key seed=" + seed);
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    Keyring keyring = Keyring.open(home);
    keyring.createWatermarkKey("alice", random);
    keyring.createWatermarkKey("bob", random);
  }

  CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.run(dir, all);
  }

  /**
   * Gumbel samples from one prompt repeat (the scheme picks each token from the key and the context):
   * the README's 100-sample evaluation set held 13 repeats without a word. The note says how many.
   */
  @Test
  void countSaysHowManySamplesRepeat() throws Exception {
    CliRun g = run("text", "generate", "--key", "alice", "--scheme", "gumbel", "--count", "60", "--tokens", "30", "--seed", "1");
    assertEquals(0, g.exitCode, g.toString());
    java.util.Set<String> texts = new java.util.HashSet<>();
    int lines = 0;
    for (String l : g.out.split("\n")) {
      texts.add(JSON.readTree(l).get("text").asText());
      lines++;
    }
    assertEquals(60, lines);
    int repeats = lines - texts.size();
    System.out.println("gumbel, 60 samples of 30 tokens: " + repeats + " repeats");
    if (repeats > 0) {
      assertTrue(g.err.contains("note: " + repeats + " of the 60 samples repeat an earlier one"), g.err);
    } else {
      assertFalse(g.err.contains("repeat an earlier one"), g.err);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"kgw", "kgw-selfhash", "unigram", "gumbel", "synthid"})
  void generateThenDetectEveryScheme(String scheme) throws Exception {
    CliRun g = run("text", "generate", "--key", "alice", "--scheme", scheme, "--tokens", "400", "--seed", "11");
    assertEquals(0, g.exitCode, g.toString());
    Path f = dir.resolve(scheme + ".txt");
    Files.writeString(f, g.out);
    CliRun d = run("text", "detect", "--json", f.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    JsonNode j = JSON.readTree(d.out);
    assertTrue(j.get("detected").asBoolean(), d.out);
    assertEquals(scheme, j.get("scheme").asText());
    assertEquals("alice", j.get("keyName").asText());
    assertTrue(j.get("pValue").asDouble() < 1e-3);
    assertTrue(j.get("tokensScored").asInt() > 50, d.out);
    assertEquals(10, j.get("tests").asInt());
    // Only bob's key: not detected, exit 1.
    CliRun other = run("text", "detect", "--key", "bob", f.toString());
    assertEquals(ExitCodes.NEGATIVE, other.exitCode, other.toString());
    assertTrue(other.out.startsWith("no watermark detected"), other.out);
  }

  @Test
  void keysThatRecordTheirSchemeAreTestedUnderItAlone() throws Exception {
    Path h2 = dir.resolve("typed-home");
    assertEquals(0, CliRun.run(dir, "--home", h2.toString(), "keys", "new", "--type", "watermark", "--name", "k1").exitCode);
    CliRun k2 = CliRun.run(dir, "--home", h2.toString(), "keys", "new", "--type", "watermark", "--name", "k2",
        "--scheme", "unigram", "--json");
    assertEquals(0, k2.exitCode, k2.toString());
    assertTrue(JSON.readTree(k2.out).get("textScheme").asText().startsWith("unigram("), k2.out);
    CliRun list = CliRun.run(dir, "--home", h2.toString(), "keys", "list");
    assertTrue(list.out.contains("kgw(contextWidth=1,delta=2.0,gamma=0.25)"), list.out);
    // k1 records kgw: generate uses it by default and refuses another scheme.
    CliRun wrong = CliRun.run(dir, "--home", h2.toString(), "text", "generate", "--key", "k1", "--scheme", "unigram");
    assertEquals(ExitCodes.USAGE, wrong.exitCode, wrong.toString());
    assertTrue(wrong.err.contains("is for kgw"), wrong.err);
    CliRun g = CliRun.run(dir, "--home", h2.toString(), "text", "generate", "--key", "k1", "--tokens", "200",
        "--count", "2", "--seed", "3");
    assertEquals(0, g.exitCode, g.toString());
    Path f = dir.resolve("typed.jsonl");
    Files.writeString(f, g.out);
    CliRun d = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--jsonl", f.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    for (String line : d.out.strip().split("\n")) {
      JsonNode j = JSON.readTree(line);
      assertTrue(j.get("detected").asBoolean(), line);
      assertEquals("k1", j.get("keyName").asText());
      assertEquals(2, j.get("tests").asInt(), line);
      assertTrue(j.get("correction").asText().startsWith("discrete bonferroni over 2 (key, scheme) tests"), line);
    }
    // Naming only other schemes would leave k1 untested: a usage error, not "not detected".
    CliRun none = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--jsonl", "--scheme", "gumbel", f.toString());
    assertEquals(ExitCodes.USAGE, none.exitCode, none.toString());
    assertEquals("", none.out);
  }

  /** A home with one default (kgw) key 'k-kgw', and a 200-token text generated with it. */
  private Path kgwKeyAndText(Path h2) throws Exception {
    assertEquals(0, CliRun.run(dir, "--home", h2.toString(), "keys", "new", "--type", "watermark", "--name", "k-kgw").exitCode);
    CliRun g = CliRun.run(dir, "--home", h2.toString(), "text", "generate", "--key", "k-kgw", "--tokens", "200", "--seed", "7");
    assertEquals(0, g.exitCode, g.toString());
    Path f = dir.resolve("gen.txt");
    Files.writeString(f, g.out);
    return f;
  }

  @Test
  void aSchemeThatSelectsNoTestForTheNamedKeyIsAUsageError() throws Exception {
    Path h2 = dir.resolve("kgw-home");
    Path f = kgwKeyAndText(h2);
    for (String[] keyArgs : new String[][] {{"--key", "k-kgw"}, {}}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--home", h2.toString(), "text", "detect"));
      args.addAll(java.util.List.of(keyArgs));
      args.addAll(java.util.List.of("--scheme", "gumbel", "--json", f.toString()));
      CliRun d = CliRun.run(dir, args.toArray(String[]::new));
      assertEquals(ExitCodes.USAGE, d.exitCode, d.toString());
      assertEquals("", d.out, d.toString());
      assertTrue(d.err.startsWith("hallmark: watermark key 'k-kgw' records kgw"), d.err);
      assertTrue(d.err.contains("selects no (key, scheme) test"), d.err);
      assertFalse(d.err.contains("no tokens"), d.err);
    }
    // Listing its scheme tests it (one test); a key named explicitly is never left out in silence,
    // but a keyring-wide run tests the keys the schemes select.
    CliRun ok = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--key", "k-kgw", "--scheme", "gumbel,kgw", "--json", f.toString());
    assertEquals(ExitCodes.OK, ok.exitCode, ok.toString());
    assertEquals(1, JSON.readTree(ok.out).get("tests").asInt(), ok.out);
    assertEquals(0, CliRun.run(dir, "--home", h2.toString(), "keys", "new", "--type", "watermark", "--name", "k-any",
        "--scheme", "any").exitCode);
    CliRun some = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--scheme", "gumbel", "--json", f.toString());
    assertEquals(ExitCodes.NEGATIVE, some.exitCode, some.toString());
    assertEquals(1, JSON.readTree(some.out).get("tests").asInt(), some.out);
    CliRun named = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--key", "k-any,k-kgw", "--scheme", "gumbel", f.toString());
    assertEquals(ExitCodes.USAGE, named.exitCode, named.toString());
    // A text without tokens still says so.
    Path blank = dir.resolve("blank.txt");
    Files.writeString(blank, "");
    CliRun e = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--key", "k-kgw", blank.toString());
    assertEquals(ExitCodes.NEGATIVE, e.exitCode, e.toString());
    assertEquals("no watermark detected: the text has no tokens to score\n", e.out);
  }

  @Test
  void schemeParametersThatAKeyDoesNotRecordAreRefusedNotIgnored() throws Exception {
    Path h2 = dir.resolve("kgw-home");
    Path f = kgwKeyAndText(h2);
    for (String[] over : new String[][] {{"--gamma", "0.5"}, {"--delta", "4"}, {"--layers", "20"}}) {
      CliRun d = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--key", "k-kgw", over[0], over[1], f.toString());
      assertEquals(ExitCodes.USAGE, d.exitCode, d.toString());
      assertTrue(d.err.startsWith("hallmark: watermark key 'k-kgw' records kgw"), d.err);
      assertTrue(d.err.contains(over[0] + " "), d.err);
      // Without --key the keyring's keys are tested, this one included: the same refusal.
      CliRun all = CliRun.run(dir, "--home", h2.toString(), "text", "detect", over[0], over[1], f.toString());
      assertEquals(ExitCodes.USAGE, all.exitCode, all.toString());
    }
    // generate refuses --layers for a kgw key too, instead of ignoring it.
    CliRun gl = CliRun.run(dir, "--home", h2.toString(), "text", "generate", "--key", "k-kgw", "--layers", "20");
    assertEquals(ExitCodes.USAGE, gl.exitCode, gl.toString());
    // The recorded values themselves are accepted.
    CliRun same = CliRun.run(dir, "--home", h2.toString(), "text", "detect", "--key", "k-kgw", "--gamma", "0.25",
        "--delta", "2", f.toString());
    assertEquals(ExitCodes.OK, same.exitCode, same.toString());
  }

  @Test
  void aKeyOrSchemeNamedTwiceIsTestedOnce() throws Exception {
    CliRun g = run("text", "generate", "--key", "alice", "--scheme", "unigram", "--tokens", "200", "--seed", "4");
    assertEquals(0, g.exitCode, g.toString());
    Path f = dir.resolve("twice.txt");
    Files.writeString(f, g.out);
    JsonNode once = JSON.readTree(run("text", "detect", "--key", "alice", "--json", f.toString()).out);
    for (String[] args : new String[][] {{"--key", "alice,alice"}, {"--key", "alice", "--key", "alice"}}) {
      java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("text", "detect"));
      a.addAll(java.util.List.of(args));
      a.addAll(java.util.List.of("--json", f.toString()));
      CliRun d = run(a.toArray(String[]::new));
      assertEquals(ExitCodes.OK, d.exitCode, d.toString());
      JsonNode j = JSON.readTree(d.out);
      assertEquals(5, j.get("tests").asInt(), d.out);
      assertEquals(once.get("log10PValue").asDouble(), j.get("log10PValue").asDouble(), 1e-9, d.out);
    }
    CliRun s = run("text", "detect", "--key", "alice", "--scheme", "unigram,unigram", "--json", f.toString());
    assertEquals(1, JSON.readTree(s.out).get("tests").asInt(), s.out);
  }

  @Test
  void sameSeedSameText() {
    CliRun a = run("text", "generate", "--key", "alice", "--tokens", "40", "--seed", "5");
    CliRun b = run("text", "generate", "--key", "alice", "--tokens", "40", "--seed", "5");
    assertEquals(a.out, b.out);
    assertTrue(a.out.startsWith("The"));
  }

  @Test
  void countWritesJsonlAndDetectJsonlScoresEachLine() throws Exception {
    CliRun g = run("text", "generate", "--key", "alice", "--scheme", "unigram", "--tokens", "200", "--count", "3", "--seed", "1");
    assertEquals(0, g.exitCode, g.toString());
    String[] lines = g.out.strip().split("\n");
    assertEquals(3, lines.length);
    StringBuilder in = new StringBuilder();
    for (String l : lines) {
      JsonNode j = JSON.readTree(l);
      assertTrue(j.get("id").asText().startsWith("unigram-1-"));
      in.append(l).append('\n');
    }
    in.append("{\"id\":\"human\",\"text\":\"Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world.\"}\n");
    in.append("not json\n");
    Path f = dir.resolve("in.jsonl");
    Files.writeString(f, in.toString());
    CliRun d = run("text", "detect", "--jsonl", "--key", "alice", f.toString());
    assertEquals(ExitCodes.OK, d.exitCode, d.toString());
    String[] out = d.out.strip().split("\n");
    assertEquals(5, out.length, d.out);
    for (int i = 0; i < 3; i++) {
      JsonNode j = JSON.readTree(out[i]);
      assertEquals(JSON.readTree(lines[i]).get("id").asText(), j.get("id").asText());
      assertTrue(j.get("detected").asBoolean(), out[i]);
    }
    JsonNode human = JSON.readTree(out[3]);
    assertEquals("human", human.get("id").asText());
    assertFalse(human.get("detected").asBoolean());
    assertTrue(JSON.readTree(out[4]).has("error"));
    assertTrue(d.err.contains("1 of 5 lines"), d.err);
  }

  @Test
  void aJsonlLineLongerThanTheLimitIsAnErrorOfThatLineAndTheLinesAfterItAreScored() throws Exception {
    String human = "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse.";
    Path f = dir.resolve("long.jsonl");
    try (java.io.Writer w = Files.newBufferedWriter(f)) {
      w.write("{\"id\":\"a\",\"text\":\"" + human + "\"}\n");
      // One line of 16 MiB + 1 KiB: refused once the limit is passed, never held whole.
      w.write("{\"id\":\"big\",\"text\":\"");
      String block = "word ".repeat(1 << 10);
      for (int i = 0; i < (16 << 20) / block.length() + 1; i++) {
        w.write(block);
      }
      w.write("\"}\n");
      w.write("{\"id\":\"c\",\"text\":\"" + human + "\"}\n");
    }
    CliRun d = run("text", "detect", "--jsonl", "--key", "alice", f.toString());
    assertEquals(ExitCodes.NEGATIVE, d.exitCode, d.toString());
    String[] out = d.out.strip().split("\n");
    assertEquals(3, out.length, d.out);
    assertEquals("a", JSON.readTree(out[0]).get("id").asText());
    JsonNode big = JSON.readTree(out[1]);
    assertEquals(2, big.get("line").asInt(), out[1]);
    assertTrue(big.get("error").asText().startsWith("line longer than 16777216 bytes"), out[1]);
    assertEquals("c", JSON.readTree(out[2]).get("id").asText());
    assertTrue(d.err.contains("1 of 3 lines"), d.err);
  }

  @Test
  void aJsonlLineThatIsNotUtf8OrNotOneJsonObjectIsAnErrorOfThatLine() throws Exception {
    String human = "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse.";
    java.io.ByteArrayOutputStream in = new java.io.ByteArrayOutputStream();
    in.write(("{\"id\":\"a\",\"text\":\"" + human + "\"}\n").getBytes(StandardCharsets.UTF_8));
    in.write("{\"id\":\"latin1\",\"text\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
    in.write(("{\"id\":\"two\",\"text\":\"x\"}{\"id\":\"dropped\",\"text\":\"" + human + "\"}\n").getBytes(StandardCharsets.UTF_8));
    in.write(("{\"id\":\"tail\",\"text\":\"" + human + "\"} garbage\n").getBytes(StandardCharsets.UTF_8));
    in.write(("{\"id\":\"dup\",\"text\":\"x\",\"text\":\"" + human + "\"}\n").getBytes(StandardCharsets.UTF_8));
    in.write(("{\"id\":\"c\",\"text\":\"" + human + "\"}\n").getBytes(StandardCharsets.UTF_8));
    Path f = dir.resolve("mixed.jsonl");
    Files.write(f, in.toByteArray());
    CliRun d = run("text", "detect", "--jsonl", "--key", "alice", f.toString());
    // The two good lines are scored (not detected): exit 1, and stderr counts the four bad lines.
    assertEquals(ExitCodes.NEGATIVE, d.exitCode, d.toString());
    String[] out = d.out.strip().split("\n");
    assertEquals(6, out.length, d.out);
    assertEquals("a", JSON.readTree(out[0]).get("id").asText());
    for (int i = 1; i <= 4; i++) {
      JsonNode e = JSON.readTree(out[i]);
      assertEquals(i + 1, e.get("line").asInt(), out[i]);
      assertTrue(e.has("error"), out[i]);
      assertFalse(e.has("detected"), out[i]);
    }
    assertTrue(JSON.readTree(out[1]).get("error").asText().contains("not valid UTF-8"), out[1]);
    assertTrue(JSON.readTree(out[2]).get("error").asText().contains("more follows the JSON value"), out[2]);
    assertTrue(JSON.readTree(out[3]).get("error").asText().contains("more follows the JSON value"), out[3]);
    assertTrue(JSON.readTree(out[4]).get("error").asText().contains("Duplicate field"), out[4]);
    assertEquals("c", JSON.readTree(out[5]).get("id").asText());
    assertTrue(d.err.contains("4 of 6 lines"), d.err);
  }

  @Test
  void jsonlWithoutAScorableLineIsBadInput() throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "not json\n{\"id\":1}\n\n[1,2]\n");
    CliRun d = run("text", "detect", "--jsonl", "--key", "alice", f.toString());
    assertEquals(ExitCodes.BAD_INPUT, d.exitCode, d.toString());
    assertEquals(3, d.out.strip().split("\n").length, d.out);
    assertTrue(d.err.startsWith("hallmark: none of the 4 lines of "), d.err);
    assertEquals(1, d.err.strip().split("\n").length, d.err);
    // An empty file has nothing to score, and nothing wrong in it: not detected, with a note.
    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "");
    CliRun e = run("text", "detect", "--jsonl", "--key", "alice", empty.toString());
    assertEquals(ExitCodes.NEGATIVE, e.exitCode, e.toString());
    assertTrue(e.err.contains("no JSON lines to score"), e.err);
  }

  @Test
  void garbageInput() throws Exception {
    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "");
    CliRun e = run("text", "detect", empty.toString());
    assertEquals(ExitCodes.NEGATIVE, e.exitCode, e.toString());
    assertTrue(e.out.contains("no tokens"), e.out);

    Path bin = dir.resolve("bin.dat");
    Files.write(bin, new byte[] {1, 2, 0, 3, (byte) 0xff, 0});
    CliRun b = run("text", "detect", bin.toString());
    assertEquals(ExitCodes.BAD_INPUT, b.exitCode, b.toString());
    assertTrue(b.err.contains("binary"), b.err);

    Path bad = dir.resolve("bad.txt");
    Files.write(bad, "caf\u00e9 ".getBytes(StandardCharsets.ISO_8859_1));
    CliRun u = run("text", "detect", bad.toString());
    assertEquals(ExitCodes.BAD_INPUT, u.exitCode, u.toString());
    assertTrue(u.err.contains("not valid UTF-8"), u.err);

    CliRun missing = run("text", "detect", dir.resolve("nope.txt").toString());
    assertEquals(ExitCodes.BAD_INPUT, missing.exitCode, missing.toString());

    // 100 MB on a single line: read up to the bound, flagged as truncated, no crash or hang.
    Path big = dir.resolve("big.txt");
    byte[] line = new byte[100 << 20];
    java.util.Arrays.fill(line, (byte) 'a');
    for (int i = 7; i < line.length; i += 8) {
      line[i] = ' ';
    }
    Files.write(big, line);
    line = null;
    CliRun r = run("text", "detect", "--json", "--key", "alice", "--scheme", "kgw", big.toString());
    assertEquals(ExitCodes.NEGATIVE, r.exitCode, r.err);
    assertTrue(JSON.readTree(r.out).get("truncated").asBoolean());
    Files.delete(big);
  }

  @Test
  void utf16WithItsByteOrderMarkIsTextAndANulAnywhereIsBinary() throws Exception {
    CliRun g = run("text", "generate", "--key", "alice", "--scheme", "kgw", "--tokens", "200", "--seed", "9");
    assertEquals(0, g.exitCode, g.toString());
    Path utf8 = dir.resolve("u8.txt");
    Files.writeString(utf8, g.out);
    JsonNode expected = JSON.readTree(run("text", "detect", "--json", utf8.toString()).out);
    assertTrue(expected.get("detected").asBoolean(), expected.toString());
    // As iconv -t utf-16 and Windows "Unicode" write it: a byte order mark, then UTF-16.
    for (java.nio.charset.Charset cs : new java.nio.charset.Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
      Path u16 = dir.resolve("u16-" + cs.name() + ".txt");
      Files.write(u16, ("\ufeff" + g.out).getBytes(cs));
      CliRun d = run("text", "detect", "--json", u16.toString());
      assertEquals(ExitCodes.OK, d.exitCode, d.toString());
      assertEquals(expected.get("log10PValue").asDouble(), JSON.readTree(d.out).get("log10PValue").asDouble(), 1e-9, d.out);
      assertEquals(expected.get("tokensTotal").asInt(), JSON.readTree(d.out).get("tokensTotal").asInt(), d.out);
    }
    // A NUL byte far past the first 8 KiB is binary all the same.
    byte[] late = ("word ".repeat(4000) + "\0 tail").getBytes(StandardCharsets.UTF_8);
    Path nul = dir.resolve("late-nul.txt");
    Files.write(nul, late);
    CliRun n = run("text", "detect", nul.toString());
    assertEquals(ExitCodes.BAD_INPUT, n.exitCode, n.toString());
    assertTrue(n.err.contains("looks binary (contains NUL bytes)"), n.err);
    // UTF-16 without a byte order mark cannot be told apart reliably: still refused.
    Path bare = dir.resolve("u16-bare.txt");
    Files.write(bare, "plain words".getBytes(StandardCharsets.UTF_16LE));
    assertEquals(ExitCodes.BAD_INPUT, run("text", "detect", bare.toString()).exitCode);
  }

  @Test
  void usageErrors() {
    assertEquals(ExitCodes.USAGE, run("text", "generate", "--key", "alice", "--scheme", "nope").exitCode);
    assertEquals(ExitCodes.USAGE, run("text", "generate", "--key", "alice", "--tokenizer", "cl100k_base").exitCode);
    assertEquals(ExitCodes.USAGE, run("text", "detect", "--alpha", "2", "x").exitCode);
    CliRun n = run("text", "generate", "--key", "alice", "--no-repeat-ngram", "1");
    assertEquals(ExitCodes.USAGE, n.exitCode, n.toString());
    assertTrue(n.err.contains("no-repeat n-gram size"), n.err);
    assertEquals(ExitCodes.BAD_INPUT, run("text", "generate", "--key", "carol").exitCode);
  }

  @Test
  void noKeysIsAClearError() throws Exception {
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "hello world");
    CliRun r = CliRun.run(dir, "--home", dir.resolve("empty-home").toString(), "text", "detect", f.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.exitCode, r.toString());
    assertTrue(r.err.contains("no watermark keys"), r.err);
  }
}
