package dev.hallmark.core;

import java.util.regex.Pattern;

/** Rules for key names: they become file names, so they are restricted to a portable set. */
public final class KeyNames {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private KeyNames() {}

  /** Whether {@code name} is 1 to 64 characters of letters, digits, '.', '_' or '-', not starting with a symbol. */
  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }

  static String check(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "invalid key name '" + name + "': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }
}
