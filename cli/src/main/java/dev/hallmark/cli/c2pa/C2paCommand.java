package dev.hallmark.cli.c2pa;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hallmark c2pa}: Content Credentials (C2PA 2.x). */
@Command(name = "c2pa", mixinStandardHelpOptions = true,
    description = "Content Credentials (C2PA 2.x) in JPEG and PNG files.",
    subcommands = {C2paReadCommand.class})
public final class C2paCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new ParameterException(spec.commandLine(), "a c2pa command is required");
  }
}
