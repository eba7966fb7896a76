package dev.hallmark.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into the jar. */
final class VersionProvider implements IVersionProvider {
  static String version() {
    return dev.hallmark.core.BuildVersion.of(VersionProvider.class);
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "hallmark " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
