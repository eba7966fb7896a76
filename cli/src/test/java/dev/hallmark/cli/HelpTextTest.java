package dev.hallmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Command lists, "did you mean", shell completion and man pages: all from the commands' help text. */
class HelpTextTest {
  @TempDir Path home;

  /** Every command that has subcommands: each entry of its command list is a whole sentence. */
  @Test
  void commandListsShowWholeSentences() {
    CommandLine root = Cli.newCommandLine(new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(new java.io.StringWriter()));
    List<String> checked = new ArrayList<>();
    walk(root, checked);
    assertTrue(checked.size() >= 20, "walked " + checked);
  }

  private void walk(CommandLine c, List<String> checked) {
    if (c.getSubcommands().isEmpty()) {
      return;
    }
    List<String> path = new ArrayList<>(List.of(c.getCommandSpec().qualifiedName(" ").split(" ")));
    path.remove(0);
    path.add("--help");
    CliRun r = CliRun.run(home, path.toArray(String[]::new));
    assertEquals(0, r.exitCode, r.toString());
    String list = r.out.substring(r.out.indexOf("Commands:") + "Commands:".length());
    // Entries start at two spaces then a name; continuation lines are indented further.
    List<String> entries = new ArrayList<>();
    for (String line : list.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.matches("  \\S.*")) {
        entries.add(line.trim());
      } else {
        entries.set(entries.size() - 1, entries.get(entries.size() - 1) + " " + line.trim());
      }
    }
    for (String e : entries) {
      assertTrue(e.endsWith(".") || e.endsWith(")"), "summary cut mid-sentence in '" + String.join(" ", path) + "': " + e);
      checked.add(e);
    }
    assertTrue(!r.out.contains("payload points") || !r.out.contains("tag "), r.out);
    c.getSubcommands().values().forEach(s -> walk(s, checked));
  }

  /**
   * No command's --help breaks a sentence of its description onto a short line of its own: picocli
   * wrapped each too-long source line separately, so "c2pa read --help" printed "...: claim signature,
   * signing" and then "certificate (chained ...". Descriptions now wrap by paragraph.
   */
  @Test
  void helpWrapsDescriptionsByParagraph() {
    CliRun c2pa = CliRun.run(home, "c2pa", "read", "--help");
    assertTrue(c2pa.out.contains("Read and validate the C2PA manifest store of a JPEG or PNG file: claim\nsignature, signing"
        + " certificate"), c2pa.out);
    CliRun embed = CliRun.run(home, "image", "embed", "--help");
    assertFalse(embed.out.contains("by\nOUT's extension)\nunder"), embed.out);
    assertTrue(embed.out.contains("PNG or JPEG out, by\nOUT's extension) under a watermark key"), embed.out);
    // An indented example line stays on its own line.
    CliRun completion = CliRun.run(home, "completion", "--help");
    assertTrue(completion.out.contains("\n  source <(./hallmark completion)\n"), completion.out);
    assertEquals(List.of("a b c", "", "d", "  e", "f g"),
        List.of(HelpText.paragraphs(new String[] {"a", "b ", " c".strip(), "", "d", "  e", "f", "g"})));
  }

  @Test
  void tagSummaryIsItsFirstSentence() {
    CliRun r = CliRun.run(home, "--help");
    assertTrue(r.out.contains("  tag ") && r.out.contains("Tag one output:"), r.out);
    assertFalse(r.out.contains("payload points"), r.out);
  }

  @Test
  void mistypedCommandsAndOptionsGetSuggestions() {
    CliRun cmd = CliRun.run(home, "tgg");
    assertEquals(2, cmd.exitCode, cmd.toString());
    assertTrue(cmd.err.startsWith("hallmark: ") && cmd.err.contains("did you mean 'tag'"), cmd.err);
    CliRun opt = CliRun.run(home, "verify", "--jsn", "x.png");
    assertEquals(2, opt.exitCode, opt.toString());
    assertTrue(opt.err.contains("did you mean '--json'"), opt.err);
    CliRun sub = CliRun.run(home, "ledger", "lokup");
    assertTrue(sub.err.contains("'lookup'"), sub.err);
  }

  @Test
  void completionScriptCompletesCommandsAndOptions() throws Exception {
    CliRun r = CliRun.run(home, "completion");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("complete -F") && r.out.contains("--log-key") && r.out.contains("verify"), r.out);
    Path script = home.resolve("hallmark-completion.bash");
    Files.writeString(script, r.out, StandardCharsets.UTF_8);
    if (!new File("/bin/bash").canExecute()) {
      return;
    }
    // Load the script in bash and ask it to complete "hallmark ver".
    String probe = "source " + script + "\nCOMP_WORDS=(hallmark ver); COMP_CWORD=1; COMP_LINE='hallmark ver'; COMP_POINT=12\n"
        + "_complete_hallmark hallmark ver hallmark 2>/dev/null || $(complete -p hallmark | sed 's/.*-F \\([^ ]*\\) .*/\\1/') hallmark ver hallmark\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(out.contains("verify"), out);
  }

  @Test
  void manPagesComeFromTheHelpText() throws Exception {
    Path dir = home.resolve("man");
    CliRun r = CliRun.run(home, "man", "--out", dir.toString());
    assertEquals(0, r.exitCode, r.toString());
    Path verify = dir.resolve("hallmark-verify.1");
    String page = Files.readString(verify, StandardCharsets.UTF_8);
    assertTrue(page.startsWith(".\\\"") && page.contains(".SH OPTIONS") && page.contains("\\-\\-ledger"), page);
    assertTrue(Files.exists(dir.resolve("hallmark-ledger-lookup.1")));
    assertTrue(Files.exists(dir.resolve("hallmark.1")));
    // Every option of verify's --help is in its page.
    CliRun help = CliRun.run(home, "verify", "--help");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(--[a-z-]+)").matcher(help.out);
    while (m.find()) {
      assertTrue(page.contains(m.group(1).replace("-", "\\-")), m.group(1));
    }
    if (new File("/usr/bin/groff").canExecute()) {
      Process p = new ProcessBuilder("groff", "-man", "-Tutf8", "-P-cbou", verify.toString()).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), text);
      assertTrue(text.contains("NAME") && text.contains("--ledger"), text);
      assertFalse(text.contains("warning"), text);
    }
  }

  /**
   * verify's --alpha said "False-positive rate of the image watermark test": a test's parameter, not
   * what it decides. It says what P is to a user: the false-positive rate at which a watermark is
   * declared, as the chance of declaring one in an unmarked image.
   */
  @Test
  void verifyAlphaSaysWhatItMeansToAUser() {
    CliRun help = CliRun.run(home, "verify", "--help");
    String alpha = optionHelp(help.out, "--alpha=P");
    assertTrue(alpha.contains("false-positive rate at which an image watermark is declared"), alpha);
    assertTrue(alpha.contains("unmarked image") && alpha.contains("(default: 1.0E-6)"), alpha);
    String textAlpha = optionHelp(help.out, "--text-alpha=P");
    assertTrue(textAlpha.contains("false-positive rate at which a text watermark is declared"), textAlpha);
    for (String internal : new String[] {"VerifierSettings", "DEFAULT_", "Family-wise", "test"}) {
      assertFalse(alpha.contains(internal) || textAlpha.contains(internal), alpha + " / " + textAlpha);
    }
  }

  /** An option's description in --help, its wrapped lines joined. */
  private static String optionHelp(String help, String option) {
    StringBuilder b = new StringBuilder();
    boolean in = false;
    for (String line : help.split("\\R")) {
      String t = line.trim();
      if (t.startsWith(option)) {
        in = true;
        t = t.substring(option.length()).trim();
      } else if (in && t.startsWith("-")) {
        break;
      }
      if (in) {
        b.append(t).append(' ');
      }
    }
    return b.toString().replaceAll("\\s+", " ").trim();
  }

  @Test
  void keysUseHomeFromTheEnvironment() {
    assertEquals(Path.of("/sandbox/h"), CliEnvironment.userHome(Map.of("HOME", "/sandbox/h"), "/real/home"));
    assertEquals(Path.of("/real/home"), CliEnvironment.userHome(Map.of(), "/real/home"));
  }
}
