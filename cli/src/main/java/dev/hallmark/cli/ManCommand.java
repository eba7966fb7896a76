package dev.hallmark.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hallmark man}: man pages generated from the commands' own help text. */
@Command(name = "man", mixinStandardHelpOptions = true,
    description = {
      "Write man pages (roff, section 1) for hallmark and every subcommand, generated from the same",
      "help text as --help. Without --out, prints the page of hallmark itself; with --out DIR, writes",
      "hallmark.1, hallmark-tag.1, ... into DIR (view one with: man -l DIR/hallmark-tag.1)."
    })
public final class ManCommand extends BaseCommand {
  @Option(names = "--out", paramLabel = "DIR", description = "Folder to write one page per command into.")
  Path out;

  @Override
  public Integer call() throws IOException {
    CommandLine rootLine = spec.root().commandLine();
    String version = String.join(" ", rootLine.getCommandSpec().version());
    if (out == null) {
      out().print(HelpText.manPage(rootLine.getCommandSpec(), version));
      out().flush();
      return ExitCodes.OK;
    }
    Files.createDirectories(out);
    List<CommandLine> all = new ArrayList<>();
    collect(rootLine, all);
    for (CommandLine c : all) {
      Path page = out.resolve(c.getCommandSpec().qualifiedName("-") + ".1");
      Files.writeString(page, HelpText.manPage(c.getCommandSpec(), version), StandardCharsets.UTF_8);
      out().println(page);
    }
    out().flush();
    return ExitCodes.OK;
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    c.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName()) && !sub.getCommandSpec().usageMessage().hidden()) {
        collect(sub, into);
      }
    });
  }
}
