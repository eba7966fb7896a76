package dev.hallmark.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven wrote into a module's jar, as {@code version.properties} beside a class of it. */
public final class BuildVersion {
  private BuildVersion() {}

  /** The {@code version} property of {@code version.properties} in {@code anchor}'s package, or "unknown". */
  public static String of(Class<?> anchor) {
    try (InputStream in = anchor.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
