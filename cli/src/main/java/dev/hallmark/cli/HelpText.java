package dev.hallmark.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The help text every command already carries, rendered three ways from the same {@link CommandSpec}:
 * the command lists of {@code --help}, the man pages ({@code hallmark man}) and, through picocli's
 * {@code AutoComplete}, the shell completion script ({@code hallmark completion}).
 *
 * <p>A command's one-line summary is its {@code header} when it has one, else the first sentence of
 * its description (joined across the description's lines), so a command list never shows a
 * sentence cut at the end of a source line.
 */
public final class HelpText {
  private HelpText() {}

  /** The command's summary: its header, else the first full sentence of its description. */
  public static String summary(CommandSpec spec) {
    UsageMessageSpec u = spec.usageMessage();
    if (u.header().length > 0) {
      return String.join(" ", u.header()).replaceAll("\\s+", " ").trim();
    }
    StringBuilder b = new StringBuilder();
    for (String line : u.description()) {
      if (line.isBlank()) {
        break;
      }
      b.append(line.trim()).append(' ');
    }
    String all = b.toString().replace("%n", " ").replaceAll("\\s+", " ").trim();
    int end = sentenceEnd(all);
    return end < 0 ? all : all.substring(0, end + 1);
  }

  /** The index of the full stop ending the first sentence, or -1. */
  static int sentenceEnd(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c == '.' || c == '?' || c == '!') && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
        // "e.g. " and "i.e. " do not end a sentence.
        String before = s.substring(Math.max(0, i - 3), i + 1).toLowerCase(Locale.ROOT);
        if (before.endsWith("e.g.") || before.endsWith("i.e.") || before.endsWith("etc.") && i + 1 < s.length()
            && Character.isLowerCase(s.charAt(Math.min(s.length() - 1, i + 2)))) {
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  /**
   * A description's source lines joined into paragraphs, so the help wraps each paragraph to the
   * terminal's width instead of breaking every source line that is too long mid-sentence. A blank line
   * ends a paragraph; an indented line (an example command) stays a line of its own.
   */
  static String[] paragraphs(String[] lines) {
    List<String> out = new ArrayList<>();
    StringBuilder p = null;
    for (String line : lines) {
      boolean own = line.isBlank() || Character.isWhitespace(line.charAt(0));
      if (own) {
        if (p != null) {
          out.add(p.toString());
          p = null;
        }
        out.add(line);
      } else if (p == null) {
        p = new StringBuilder(line.stripTrailing());
      } else {
        p.append(' ').append(line.strip());
      }
    }
    if (p != null) {
      out.add(p.toString());
    }
    return out.toArray(String[]::new);
  }

  private static String description(Help help) {
    UsageMessageSpec u = help.commandSpec().usageMessage();
    String[] d = u.description();
    if (d.length == 0) {
      return "";
    }
    return Help.join(help.ansi(), u.width(), u.adjustLineBreaksForWideCJKCharacters(), paragraphs(d),
        new StringBuilder()).toString();
  }

  /**
   * Makes every command list in the tree under {@code cl} use {@link #summary}, and every description
   * wrap by paragraph ({@link #paragraphs}).
   */
  public static void install(CommandLine cl) {
    Map<String, CommandLine.IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpText::commandList);
    sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpText::description);
    cl.setHelpSectionMap(sections);
    for (CommandLine sub : cl.getSubcommands().values()) {
      install(sub);
    }
  }

  private static String commandList(Help help) {
    Map<String, Help> subs = help.subcommands();
    if (subs.isEmpty()) {
      return "";
    }
    int nameWidth = 0;
    for (Help h : subs.values()) {
      nameWidth = Math.max(nameWidth, h.commandNamesText(", ").toString().length());
    }
    Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
        new Help.Column(nameWidth + 4, 2, Help.Column.Overflow.SPAN),
        new Help.Column(Math.max(20, help.commandSpec().usageMessage().width() - (nameWidth + 4)), 2, Help.Column.Overflow.WRAP));
    for (Help h : subs.values()) {
      table.addRowValues(h.commandNamesText(", "), help.colorScheme().text(summary(h.commandSpec())));
    }
    return table.toString();
  }

  /**
   * A man page (roff, section 1) for {@code spec}: name and summary, synopsis, the full description,
   * every option and parameter with its description, and the subcommands with their summaries.
   */
  public static String manPage(CommandSpec spec, String version) {
    String name = spec.qualifiedName("-");
    StringBuilder b = new StringBuilder();
    b.append(".\\\" Generated by 'hallmark man' from the command's own help text; do not edit.\n");
    b.append(".TH \"").append(name.toUpperCase(Locale.ROOT)).append("\" \"1\" \"\" \"")
        .append(roff(version)).append("\" \"Hallmark Manual\"\n");
    b.append(".SH NAME\n").append(roff(name)).append(" \\- ").append(roff(summary(spec))).append('\n');
    b.append(".SH SYNOPSIS\n.B ").append(roff(spec.qualifiedName(" "))).append('\n');
    if (!spec.options().isEmpty()) {
      b.append("[\\fIOPTIONS\\fR]\n");
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        b.append(roff(p.paramLabel())).append(p.arity().max() > 1 ? "..." : "").append('\n');
      }
    }
    if (!spec.subcommands().isEmpty()) {
      b.append("\\fICOMMAND\\fR\n");
    }
    b.append(".SH DESCRIPTION\n");
    List<String> paragraph = new ArrayList<>();
    for (String line : spec.usageMessage().description()) {
      if (line.isBlank()) {
        b.append(roff(String.join(" ", paragraph))).append("\n.PP\n");
        paragraph.clear();
      } else {
        paragraph.add(line.trim().replace("%n", " "));
      }
    }
    b.append(roff(String.join(" ", paragraph))).append('\n');
    if (!spec.positionalParameters().isEmpty() || !spec.options().isEmpty()) {
      b.append(".SH OPTIONS\n");
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        b.append(".TP\n.I ").append(roff(p.paramLabel())).append('\n')
            .append(roff(describe(p.description(), p.defaultValueString()))).append('\n');
      }
    }
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      b.append(".TP\n\\fB").append(roff(String.join(", ", o.names()))).append("\\fR");
      if (o.arity().max() > 0) {
        b.append(" \\fI").append(roff(o.paramLabel())).append("\\fR");
      }
      b.append('\n').append(roff(describe(o.description(), o.defaultValueString()))).append('\n');
    }
    if (!spec.subcommands().isEmpty()) {
      b.append(".SH COMMANDS\n");
      for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
        CommandSpec s = e.getValue().getCommandSpec();
        if (s.usageMessage().hidden() || !s.name().equals(e.getKey())) {
          continue;
        }
        b.append(".TP\n.B ").append(roff(e.getKey())).append('\n').append(roff(summary(s)))
            .append(" See \\fB").append(roff(s.qualifiedName("-"))).append("\\fR(1).\n");
      }
    }
    b.append(".SH EXIT STATUS\n0 ok, 1 a negative answer (not detected, not verified), 2 usage error, "
        + "3 bad input (missing or corrupt file, wrong key or passphrase), 4 internal error.\n");
    if (spec.parent() != null) {
      b.append(".SH SEE ALSO\n\\fB").append(roff(spec.parent().qualifiedName("-"))).append("\\fR(1)\n");
    }
    return b.toString();
  }

  private static String describe(String[] lines, String defaultValue) {
    String d = String.join(" ", lines).replace("%n", " ").replaceAll("\\s+", " ").trim();
    return d.replace("${DEFAULT-VALUE}", defaultValue == null ? "" : defaultValue);
  }

  /** Escapes text for roff: backslashes, and a leading '.' or '\'' that would start a request. */
  static String roff(String s) {
    String t = s.replace("\\", "\\e").replace("-", "\\-");
    if (t.startsWith(".") || t.startsWith("'")) {
      t = "\\&" + t;
    }
    return t.replace("\n.", "\n\\&.").replace("\n'", "\n\\&'");
  }
}
