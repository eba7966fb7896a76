package dev.hallmark.cli.text;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hallmark text}: generate watermarked text with the built-in model, detect text watermarks. */
@Command(
    name = "text",
    description = "Text watermarks: generate with the built-in model, detect in files.",
    mixinStandardHelpOptions = true,
    subcommands = {TextGenerateCommand.class, TextDetectCommand.class})
public final class TextCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a text subcommand is required (generate, detect)");
  }
}
