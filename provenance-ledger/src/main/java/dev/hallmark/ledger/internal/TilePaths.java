package dev.hallmark.ledger.internal;

/** C2SP tlog-tiles resource paths (relative, '/'-separated). */
public final class TilePaths {
  /** Tile height: 2^8 = 256 hashes per full tile. */
  public static final int HEIGHT = 8;
  public static final int WIDTH = 1 << HEIGHT;

  private TilePaths() {}

  /** {@code N} encoded as 3-digit path elements, all but the last prefixed with 'x'. */
  public static String index(long n) {
    String last = String.format("%03d", n % 1000);
    StringBuilder b = new StringBuilder();
    n /= 1000;
    while (n > 0) {
      b.insert(0, String.format("x%03d/", n % 1000));
      n /= 1000;
    }
    return b.append(last).toString();
  }

  /** {@code tile/<L>/<N>[.p/<W>]}; width 256 means a full tile. */
  public static String tile(int level, long n, int width) {
    return "tile/" + level + "/" + index(n) + (width == WIDTH ? "" : ".p/" + width);
  }

  /** {@code tile/entries/<N>[.p/<W>]}; width 256 means a full bundle. */
  public static String entries(long n, int width) {
    return "tile/entries/" + index(n) + (width == WIDTH ? "" : ".p/" + width);
  }

  /** True for a syntactically valid tile or entry-bundle path (used to guard HTTP requests). */
  public static boolean isValid(String path) {
    return path.matches("tile/(entries|[0-9]|[1-5][0-9]|6[0-3])/(x[0-9]{3}/)*[0-9]{3}(\\.p/([1-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5]))?");
  }
}
