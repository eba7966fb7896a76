package dev.hallmark.cli.image;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hallmark image}: embed and detect image watermarks, compute perceptual fingerprints. */
@Command(
    name = "image",
    description = "Image watermarks (keyed, blind, 64-bit payload) and 256-bit perceptual fingerprints.",
    mixinStandardHelpOptions = true,
    subcommands = {ImageEmbedCommand.class, ImageDetectCommand.class, ImageFingerprintCommand.class})
public final class ImageCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "an image subcommand is required (embed, detect, fingerprint)");
  }
}
