package dev.hallmark.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code hallmark} command: global options and the list of subcommands. */
@Command(
    name = "hallmark",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Keyed watermarks, a provenance ledger and corpus cleaning against AI autophagy.",
      "",
      "Exit codes: 0 ok, 1 negative result (not detected, not verified), 2 usage error,",
      "3 bad input (missing or corrupt file, wrong key or passphrase), 4 internal error."
    },
    subcommands = {KeysCommand.class, DemoCommand.class, dev.hallmark.cli.clean.CleanCommand.class,
      dev.hallmark.cli.text.TextCommand.class, dev.hallmark.cli.tag.TagCommand.class,
      dev.hallmark.cli.verify.VerifyCommand.class, dev.hallmark.cli.serve.ServeCommand.class,
      dev.hallmark.cli.ledger.LedgerCommand.class, dev.hallmark.cli.image.ImageCommand.class,
      CompletionCommand.class, ManCommand.class, dev.hallmark.cli.c2pa.C2paCommand.class},
    usageHelpAutoWidth = true)
public final class HallmarkCommand implements Runnable {
  /** Name of the environment variable that overrides the default home folder. */
  public static final String HOME_VARIABLE = "HALLMARK_HOME";

  private final CliEnvironment environment;

  @Spec CommandSpec spec;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Keyring and settings folder (default: $HALLMARK_HOME, else ~/.hallmark).")
  Path home;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  HallmarkCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  CliEnvironment environment() {
    return environment;
  }

  boolean verbose() {
    return verbose;
  }

  /** The home folder in force: {@code --home}, else {@code $HALLMARK_HOME}, else {@code ~/.hallmark}. */
  Path home() {
    if (home != null) {
      return home;
    }
    String fromEnv = environment.get(HOME_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv);
    }
    return environment.userHome().resolve(".hallmark");
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }
}
