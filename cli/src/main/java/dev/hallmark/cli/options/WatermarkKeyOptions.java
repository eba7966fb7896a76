package dev.hallmark.cli.options;

import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.WatermarkKey;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --key NAME} (repeatable, or comma-separated): the watermark keys to use, default all. */
public final class WatermarkKeyOptions {
  @Option(names = {"--key", "--keys"}, split = ",", paramLabel = "NAME",
      description = "Watermark key; repeatable or comma-separated (default: every watermark key in the keyring).")
  public List<String> names = new ArrayList<>();

  /** The named watermark keys, each once however often named, or every watermark key in the keyring (possibly none). */
  public List<WatermarkKey> load(Keyring keyring) throws HallmarkException {
    return keyring.watermarkKeys(names);
  }

  /** Like {@link #load} but at least one key: a one-line error saying how to create one otherwise. */
  public List<WatermarkKey> require(Keyring keyring) throws HallmarkException {
    List<WatermarkKey> keys = load(keyring);
    if (keys.isEmpty()) {
      throw new HallmarkException("no watermark keys in " + keyring.directory()
          + " (create one with 'hallmark keys new --type watermark --name NAME' or pass --home)");
    }
    return keys;
  }
}
