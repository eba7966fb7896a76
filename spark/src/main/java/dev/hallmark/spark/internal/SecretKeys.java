package dev.hallmark.spark.internal;

import dev.hallmark.core.WatermarkKey;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Watermark keys as shipped to executors in a Spark broadcast: names, secrets and the text scheme
 * each key records, read once on the driver. The secrets never appear in {@link #toString()} (which
 * Spark may log), only key ids. (The scheme was once dropped here, so executors tested every key under
 * all five schemes with default parameters: more tests, and a key with other parameters barely found.)
 */
public final class SecretKeys implements Serializable {
  private static final long serialVersionUID = 2L;
  private final String[] names;
  private final byte[][] secrets;
  private final String[] ids;
  /** Per key: the recorded scheme label and parameters text, or null (any scheme). */
  private final String[] schemes;
  private final String[] parameters;

  public SecretKeys(List<WatermarkKey> keys) {
    names = new String[keys.size()];
    secrets = new byte[keys.size()][];
    ids = new String[keys.size()];
    schemes = new String[keys.size()];
    parameters = new String[keys.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = keys.get(i).name();
      secrets[i] = keys.get(i).secretBytes();
      ids[i] = keys.get(i).keyId();
      WatermarkKey.TextScheme t = keys.get(i).textScheme().orElse(null);
      schemes[i] = t == null ? null : t.label();
      parameters[i] = t == null ? null : t.parametersText();
    }
  }

  /** Fresh key objects (the caller destroys them when done). */
  public List<WatermarkKey> open() {
    List<WatermarkKey> out = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      WatermarkKey.TextScheme t = schemes[i] == null ? null : WatermarkKey.TextScheme.parse(schemes[i], parameters[i]);
      out.add(WatermarkKey.fromSecret(names[i], secrets[i].clone(), t));
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
