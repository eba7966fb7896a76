package dev.hallmark.c2pa;

/** The containers Hallmark reads and writes C2PA manifest stores in. */
public enum MediaFormat {
  JPEG("image/jpeg"),
  PNG("image/png");

  private final String mimeType;

  MediaFormat(String mimeType) {
    this.mimeType = mimeType;
  }

  public String mimeType() {
    return mimeType;
  }

  /** The format of {@code data} from its signature bytes, or null when it is neither JPEG nor PNG. */
  public static MediaFormat sniff(byte[] data) {
    if (data.length >= 3 && (data[0] & 0xff) == 0xFF && (data[1] & 0xff) == 0xD8 && (data[2] & 0xff) == 0xFF) {
      return JPEG;
    }
    if (data.length >= 8 && (data[0] & 0xff) == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G'
        && data[4] == 0x0D && data[5] == 0x0A && data[6] == 0x1A && data[7] == 0x0A) {
      return PNG;
    }
    return null;
  }
}
