package dev.hallmark.spark.internal;

import dev.hallmark.core.WatermarkKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Watermark keys as shipped to executors in a Spark broadcast: names and secrets, read once on the
 * driver. The secrets never appear in {@link #toString()} (which Spark may log), only key ids.
 */
public final class SecretKeys implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String[] names;
  private final byte[][] secrets;
  private final String[] ids;

  public SecretKeys(List<WatermarkKey> keys) {
    names = new String[keys.size()];
    secrets = new byte[keys.size()][];
    ids = new String[keys.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = keys.get(i).name();
      secrets[i] = keys.get(i).secretBytes();
      ids[i] = keys.get(i).keyId();
    }
  }

  /** Fresh key objects (the caller destroys them when done). */
  public List<WatermarkKey> open() {
    List<WatermarkKey> out = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      out.add(WatermarkKey.fromSecret(names[i], secrets[i].clone()));
    }
    return out;
  }

  public int size() {
    return names.length;
  }

  @Override
  public String toString() {
    return "SecretKeys" + Arrays.toString(ids);
  }
}
