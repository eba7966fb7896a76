package dev.hallmark.cli.options;

import picocli.CommandLine.Option;

/** {@code --signing-key NAME} and {@code --passphrase-env VAR}: a keyring signing key and its passphrase. */
public final class SigningKeyOptions {
  @Option(names = "--signing-key", paramLabel = "SKEY", description = "Keyring signing key that signs records.")
  public String name;

  @Option(names = "--passphrase-env", paramLabel = "VAR",
      description = "Environment variable holding the signing key's passphrase (never on the command line).")
  public String passphraseEnv;
}
