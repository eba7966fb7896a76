package dev.hallmark.cli;

import dev.hallmark.core.KeyInfo;
import dev.hallmark.core.KeyType;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.KeyringException;
import dev.hallmark.core.NoteVerifierKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hallmark keys}: create, list and export keys in the keyring. */
@Command(
    name = "keys",
    description = "Create, list and export keys (watermark secrets, Ed25519 signing keys).",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.New.class, KeysCommand.ListKeys.class, KeysCommand.Public.class})
public final class KeysCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a keys subcommand is required (new, list, public)");
  }

  static Map<String, Object> toJson(KeyInfo k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", k.name());
    m.put("type", k.type().label());
    m.put("keyId", k.keyId());
    m.put("encrypted", k.encrypted());
    m.put("path", k.path().toString());
    if (k.textScheme() != null) {
      m.put("textScheme", k.textScheme());
    }
    return m;
  }

  /** {@code hallmark keys new}. */
  @Command(name = "new", mixinStandardHelpOptions = true,
      description = {
        "Create a key. A watermark key is a 256-bit secret; a signing key is an Ed25519 key pair whose",
        "private half is stored as PKCS#8 PEM, encrypted (PBES2, AES-256) when a passphrase is given.",
        "Key files are created with mode 0600 and never overwritten. A watermark key records the text",
        "scheme it generates with (--scheme, default kgw): detection then tests it under that scheme only,",
        "which keeps nearly all of the scheme's power. --scheme any makes a key tested under every scheme."
      })
  static final class New extends BaseCommand {
    @Option(names = "--type", required = true, paramLabel = "watermark|signing",
        converter = KeyTypeConverter.class, description = "Key type: watermark or signing.")
    KeyType type;

    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "Key name: 1-64 letters, digits, '.', '_' or '-'.")
    String name;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
        description = "Encrypt the signing key with the passphrase held in environment variable VAR.")
    String passphraseEnv;

    @picocli.CommandLine.Mixin dev.hallmark.cli.options.OutputOptions output;

    @Option(names = "--scheme", paramLabel = "SCHEME",
        description = "Watermark keys: the text scheme the key generates with: kgw, kgw-selfhash, unigram, gumbel,"
            + " synthid, or any (default: kgw).")
    String scheme;

    @picocli.CommandLine.Mixin dev.hallmark.cli.text.SchemeOptions schemeOptions;

    @Override
    public Integer call() throws KeyringException {
      if (type == KeyType.WATERMARK && passphraseEnv != null) {
        throw new UsageException("--passphrase-env applies to signing keys only; watermark keys are stored unencrypted with mode 0600");
      }
      if (type == KeyType.SIGNING && (scheme != null || schemeOptions.any())) {
        throw new UsageException("--scheme, --gamma, --delta and --layers apply to watermark keys only");
      }
      Keyring keyring = keyring();
      KeyInfo info;
      if (type == KeyType.WATERMARK) {
        dev.hallmark.core.WatermarkKey.TextScheme ts = null;
        String s = scheme == null ? "kgw" : scheme.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("any")) {
          if (schemeOptions.any()) {
            throw new UsageException("--gamma, --delta and --layers need a scheme; --scheme any records none");
          }
        } else {
          dev.hallmark.watermark.text.Scheme sc;
          try {
            sc = dev.hallmark.watermark.text.Scheme.parse(s);
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " or any");
          }
          dev.hallmark.watermark.text.WatermarkParameters p = schemeOptions.build(sc);
          if (p == null) {
            throw new UsageException("--gamma and --delta apply to kgw, kgw-selfhash and unigram only");
          }
          schemeOptions.checkGenerates(sc, p);
          ts = p.toKeyScheme();
        }
        info = keyring.createWatermarkKey(name, environment().random().get(), ts);
      } else {
        char[] pass = passphraseFromEnv(passphraseEnv);
        try {
          info = keyring.createSigningKey(name, environment().random().get(), pass);
        } finally {
          if (pass != null) {
            Arrays.fill(pass, '\0');
          }
        }
      }
      if (output.json) {
        printJson(toJson(info));
      } else {
        out().printf("created %s key '%s' (key id %s%s%s) in %s%n", info.type().label(), info.name(),
            info.keyId(), info.encrypted() ? ", encrypted" : "",
            info.textScheme() == null ? "" : ", text scheme " + info.textScheme(), info.path().getParent());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code hallmark keys list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List keys: name, type and public key id. Never prints secret material.")
  static final class ListKeys extends BaseCommand {
    @picocli.CommandLine.Mixin dev.hallmark.cli.options.OutputOptions output;

    @Override
    public Integer call() throws KeyringException {
      Keyring keyring = keyring();
      // One unreadable key file must not hide the others: they are listed, it is named on stderr and
      // the exit code says something is wrong.
      List<KeyringException> broken = new ArrayList<>();
      List<KeyInfo> keys = keyring.list(broken::add);
      for (KeyringException e : broken) {
        err().println("hallmark: " + e.getMessage());
        if (root().verbose()) {
          e.printStackTrace(err());
        }
      }
      int code = broken.isEmpty() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
      if (output.json) {
        List<Object> arr = new ArrayList<>();
        keys.forEach(k -> arr.add(toJson(k)));
        printJson(arr);
        return code;
      }
      if (keys.isEmpty() && broken.isEmpty()) {
        err().println("no keys in " + keyring.directory() + " (create one with 'hallmark keys new --type watermark --name NAME')");
        return ExitCodes.OK;
      }
      int w = Math.max(4, keys.stream().mapToInt(k -> k.name().length()).max().orElse(4));
      out().printf("%-" + w + "s  %-9s  %-16s  %-9s  %s%n", "NAME", "TYPE", "KEY ID", "ENCRYPTED", "TEXT SCHEME");
      for (KeyInfo k : keys) {
        out().printf("%-" + w + "s  %-9s  %-16s  %-9s  %s%n", k.name(), k.type().label(), k.keyId(),
            k.type() == KeyType.SIGNING ? (k.encrypted() ? "yes" : "no") : "-",
            k.textScheme() == null ? "-" : k.textScheme());
      }
      return code;
    }
  }

  /** {@code hallmark keys public}. */
  @Command(name = "public", mixinStandardHelpOptions = true,
      description = {
        "Print a signing key's C2SP signed-note verifier key: name+keyid+base64(0x01||public key).",
        "The public key file is checked against the private key (an encrypted one with",
        "--passphrase-env; without it, the public key file is printed unchecked, with a note)."
      })
  static final class Public extends BaseCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Signing key name.")
    String name;

    @Option(names = "--note-name", paramLabel = "ORIGIN",
        description = "Name the verifier key carries (for a log, its origin); default: the key's name.")
    String noteName;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
        description = "Check the public key file against the encrypted private key, whose passphrase is in VAR.")
    String passphraseEnv;

    @picocli.CommandLine.Mixin dev.hallmark.cli.options.OutputOptions output;

    @Override
    public Integer call() throws KeyringException {
      NoteVerifierKey v = keyring().verifierKey(name);
      // What gets published must be the private key's: a replaced or damaged .pub file would have every
      // verifier trust another key. signingKey compares the two and refuses a mismatch.
      boolean encrypted = keyring().find(name).map(KeyInfo::encrypted).orElse(false);
      if (!encrypted || passphraseEnv != null) {
        char[] pass = passphraseEnv == null ? null : passphraseFromEnv(passphraseEnv);
        try {
          keyring().signingKey(name, pass);
        } finally {
          if (pass != null) {
            Arrays.fill(pass, '\0');
          }
        }
      } else if (!output.quiet) {
        err().println("hallmark: note: signing key '" + name + "' is encrypted, so its public key file is printed without"
            + " checking it against the private key; give --passphrase-env VAR to check");
      }
      if (noteName != null) {
        v = NoteVerifierKey.of(noteName, v.publicKey());
      }
      if (output.json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("keyId", v.keyIdHex());
        m.put("verifierKey", v.encode());
        m.put("publicKey", dev.hallmark.core.Hex.encode(v.publicKey().bytes()));
        printJson(m);
      } else {
        out().println(v.encode());
      }
      return ExitCodes.OK;
    }
  }

  /** Accepts watermark|signing in any case. */
  static final class KeyTypeConverter implements picocli.CommandLine.ITypeConverter<KeyType> {
    @Override
    public KeyType convert(String value) {
      try {
        return KeyType.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
