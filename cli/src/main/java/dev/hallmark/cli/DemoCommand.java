package dev.hallmark.cli;

import dev.hallmark.core.KeyInfo;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.KeyringException;
import dev.hallmark.core.NoteVerifierKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hallmark demo}: a guided tour on embedded defaults in a throw-away home folder, so it never
 * touches the user's own keyring.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run an end-to-end tour in a temporary home folder (deleted afterwards unless --keep).")
public final class DemoCommand extends BaseCommand {
  @Option(names = "--keep", description = "Keep the demo's home folder and print where it is.")
  boolean keep;

  @Override
  public Integer call() throws IOException, KeyringException {
    Path demoHome = Files.createTempDirectory("hallmark-demo-");
    try {
      run(demoHome);
    } finally {
      if (keep) {
        out().println();
        out().println("The demo's files are kept in " + demoHome);
      } else {
        deleteTree(demoHome);
      }
    }
    return ExitCodes.OK;
  }

  private void run(Path demoHome) throws KeyringException {
    Keyring keyring = Keyring.open(demoHome);
    out().println("Hallmark demo (temporary home: " + demoHome + ")");
    out().println();

    step(1, "Create a watermark key: a 256-bit secret that keys the text and image watermarks.");
    KeyInfo wm = keyring.createWatermarkKey("demo-watermark", environment().random().get());
    out().printf("   $ hallmark keys new --type watermark --name %s%n", wm.name());
    out().printf("   created watermark key '%s', key id %s (derived from the secret, safe to share)%n", wm.name(), wm.keyId());
    out().println();

    step(2, "Create a signing key: an Ed25519 key pair that signs ledger records and checkpoints.");
    KeyInfo sk = keyring.createSigningKey("demo-signer", environment().random().get(), null);
    out().printf("   $ hallmark keys new --type signing --name %s%n", sk.name());
    out().printf("   created signing key '%s', key id %s (add --passphrase-env VAR to encrypt it)%n", sk.name(), sk.keyId());
    out().println();

    step(3, "List the keyring: names, types and key ids, never secret material.");
    out().println("   $ hallmark keys list");
    for (KeyInfo k : keyring.list()) {
      out().printf("   %-15s %-9s %s%n", k.name(), k.type().label(), k.keyId());
    }
    out().println();

    step(4, "Export the public half as a C2SP signed-note verifier key, for anyone who verifies.");
    NoteVerifierKey v = keyring.verifierKey(sk.name());
    out().printf("   $ hallmark keys public --name %s%n", sk.name());
    out().println("   " + v.encode());
    out().println();

    out().println("Next: create your own keys with 'hallmark keys new' (they go to ~/.hallmark, or --home DIR),");
    out().println("and see 'hallmark --help' for every command.");
  }

  private void step(int n, String what) {
    out().println(n + ". " + what);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
