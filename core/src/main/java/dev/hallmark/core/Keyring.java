package dev.hallmark.core;

import dev.hallmark.core.KeyringException.Reason;
import dev.hallmark.core.internal.Pkcs8Pem;
import dev.hallmark.core.internal.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * A folder of named keys ({@code <home>/keys}). Names are unique across types. Every file is written
 * whole with mode 0600 in a 0700 folder and is never overwritten.
 *
 * <p>Files: {@code NAME.watermark} (versioned text holding a watermark secret and its key id, which
 * doubles as a checksum), {@code NAME.signing.pem} (PKCS#8 Ed25519 private key, PBES2-encrypted when
 * a passphrase is given) and {@code NAME.signing.pub} (its C2SP verifier key). Instances are
 * immutable and thread-safe; they hold no secrets.
 */
public final class Keyring {
  /**
   * The watermark key file format version this build writes (and the newest it reads). Version 2 adds
   * the text scheme and a checksum line; version 1 files still load, as keys of any scheme.
   */
  public static final int WATERMARK_FILE_VERSION = 2;

  private static final String WATERMARK_MAGIC = "hallmark-watermark-key";
  private static final String WATERMARK_EXT = ".watermark";
  private static final String SIGNING_EXT = ".signing.pem";
  private static final String PUBLIC_EXT = ".signing.pub";

  private final Path home;
  private final Path dir;

  private Keyring(Path home) {
    this.home = home;
    this.dir = home.resolve("keys");
  }

  /** A keyring rooted at {@code home}; nothing is created until a key is. */
  public static Keyring open(Path home) {
    return new Keyring(home.toAbsolutePath().normalize());
  }

  public Path home() {
    return home;
  }

  /** Folder holding the key files. */
  public Path directory() {
    return dir;
  }

  /** Creates and stores a new watermark key that records no text scheme (detection tries every scheme). */
  public KeyInfo createWatermarkKey(String name, SecureRandom random) throws KeyringException {
    return createWatermarkKey(name, random, null);
  }

  /**
   * Creates and stores a new watermark key recording {@code textScheme}, the text scheme and
   * parameters it will generate with (null: any scheme). Detection tests a key that records a scheme
   * under that scheme only, which keeps nearly all of the scheme's detection power.
   */
  public KeyInfo createWatermarkKey(String name, SecureRandom random, WatermarkKey.TextScheme textScheme)
      throws KeyringException {
    checkName(name);
    checkFree(name);
    WatermarkKey key = WatermarkKey.generate(name, random, textScheme);
    byte[] secret = key.secretBytes();
    String body = WATERMARK_MAGIC + "\n"
        + "version: " + WATERMARK_FILE_VERSION + "\n"
        + "name: " + name + "\n"
        + "key-id: " + key.keyId() + "\n"
        + "text-scheme: " + (textScheme == null ? "any" : textScheme.label()) + "\n"
        + (textScheme == null ? "" : "text-parameters: " + textScheme.parametersText() + "\n")
        + "secret: " + Base64.getEncoder().encodeToString(secret) + "\n";
    String text = body + "checksum: " + checksum(body) + "\n";
    Arrays.fill(secret, (byte) 0);
    Path file = dir.resolve(name + WATERMARK_EXT);
    write(name, file, text.getBytes(StandardCharsets.UTF_8));
    key.destroy();
    return new KeyInfo(name, KeyType.WATERMARK, key.keyId(), false, file, KeyInfo.describe(key));
  }

  /** hex(SHA-256(UTF-8 bytes of every line before the checksum line, newlines included)[0..8]). */
  static String checksum(String body) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return Hex.encode(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable in this JVM", e);
    }
  }

  /**
   * Creates and stores a new Ed25519 signing key, encrypted under {@code passphrase} when it is not
   * null.
   */
  public KeyInfo createSigningKey(String name, SecureRandom random, char[] passphrase)
      throws KeyringException {
    checkName(name);
    checkFree(name);
    if (passphrase != null && passphrase.length == 0) {
      throw new KeyringException(Reason.PASSPHRASE_REQUIRED, "the passphrase for signing key '" + name + "' is empty");
    }
    SigningKey key = SigningKey.generate(name, random);
    String pem;
    try {
      pem = Pkcs8Pem.encode(key.privateParameters(), passphrase, random);
    } catch (IOException e) {
      throw new KeyringException(Reason.IO, "could not encode signing key '" + name + "'", e);
    }
    NoteVerifierKey vkey = key.verifierKey(name);
    Path pub = dir.resolve(name + PUBLIC_EXT);
    Path priv = dir.resolve(name + SIGNING_EXT);
    write(name, pub, (vkey.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    try {
      write(name, priv, pem.getBytes(StandardCharsets.US_ASCII));
    } catch (KeyringException e) {
      try {
        Files.deleteIfExists(pub);
      } catch (IOException ignored) {
        // The orphaned public file is harmless: list() reports only complete keys.
      }
      throw e;
    }
    return new KeyInfo(name, KeyType.SIGNING, vkey.keyIdHex(), passphrase != null, priv);
  }

  /** All complete keys, sorted by name; a key file that cannot be read fails the whole list. */
  public List<KeyInfo> list() throws KeyringException {
    return list(null);
  }

  /**
   * All complete keys that can be read, sorted by name; each key file that cannot be read (corrupt,
   * too new, wrong permissions) goes to {@code broken} with its error instead of failing the list
   * (null: it fails the list). For showing a keyring, where one bad file must not hide the others.
   */
  public List<KeyInfo> list(java.util.function.Consumer<KeyringException> broken) throws KeyringException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    Map<String, KeyInfo> out = new LinkedHashMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        if (f.startsWith(".")) {
          continue;
        }
        try {
          if (f.endsWith(WATERMARK_EXT)) {
            String name = f.substring(0, f.length() - WATERMARK_EXT.length());
            WatermarkKey k = watermarkKey(name);
            out.put(name, new KeyInfo(name, KeyType.WATERMARK, k.keyId(), false, p, KeyInfo.describe(k)));
            k.destroy();
          } else if (f.endsWith(SIGNING_EXT)) {
            String name = f.substring(0, f.length() - SIGNING_EXT.length());
            out.put(name, signingInfo(name));
          }
        } catch (KeyringException e) {
          if (broken == null) {
            throw e;
          }
          broken.accept(e);
        }
      }
    } catch (IOException e) {
      throw io("could not list keys in " + dir, e);
    }
    List<KeyInfo> list = new ArrayList<>(out.values());
    list.sort(Comparator.comparing(KeyInfo::name));
    return List.copyOf(list);
  }

  /** The key named {@code name}, whatever its type. */
  public Optional<KeyInfo> find(String name) throws KeyringException {
    if (!KeyNames.isValid(name)) {
      return Optional.empty();
    }
    if (Files.exists(dir.resolve(name + WATERMARK_EXT))) {
      WatermarkKey k = watermarkKey(name);
      k.destroy();
      return Optional.of(new KeyInfo(name, KeyType.WATERMARK, k.keyId(), false, dir.resolve(name + WATERMARK_EXT),
          KeyInfo.describe(k)));
    }
    if (Files.exists(dir.resolve(name + SIGNING_EXT))) {
      return Optional.of(signingInfo(name));
    }
    return Optional.empty();
  }

  /** Loads a watermark key, checking its format version and checksum. */
  public WatermarkKey watermarkKey(String name) throws KeyringException {
    checkName(name);
    Path file = dir.resolve(name + WATERMARK_EXT);
    if (!Files.exists(file)) {
      throw missing(name, KeyType.WATERMARK);
    }
    String text = readSecret(file);
    Map<String, String> fields = new LinkedHashMap<>();
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || !lines[0].trim().equals(WATERMARK_MAGIC)) {
      throw new KeyringException(Reason.CORRUPT, file + ": not a Hallmark watermark key file");
    }
    int checksumAt = -1;
    int offset = lines[0].length() + 1;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].trim();
      int lineStart = offset;
      offset += lines[i].length() + 1;
      if (line.isEmpty()) {
        continue;
      }
      int c = line.indexOf(':');
      if (c < 0) {
        throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (line " + (i + 1) + ")");
      }
      String field = line.substring(0, c).trim();
      if (fields.put(field, line.substring(c + 1).trim()) != null) {
        throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (field '" + field + "' repeated)");
      }
      if (field.equals("checksum")) {
        checksumAt = lineStart;
      }
    }
    int version;
    try {
      version = Integer.parseInt(fields.getOrDefault("version", ""));
    } catch (NumberFormatException e) {
      throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (no valid version line)");
    }
    if (version > WATERMARK_FILE_VERSION) {
      throw new KeyringException(Reason.UNSUPPORTED_VERSION, file + ": watermark key file version " + version
          + " is newer than this build reads (" + WATERMARK_FILE_VERSION + "); upgrade Hallmark");
    }
    if (version < 1) {
      throw new KeyringException(Reason.UNSUPPORTED_VERSION, file + ": watermark key file version " + version
          + " is too old; no longer supported");
    }
    if (!name.equals(fields.get("name"))) {
      throw new KeyringException(Reason.CORRUPT, file + ": key name in the file does not match the file name");
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(fields.getOrDefault("secret", ""));
    } catch (IllegalArgumentException e) {
      throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (secret is not base64)");
    }
    if (secret.length != WatermarkKey.SECRET_BYTES) {
      throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (secret has the wrong length)");
    }
    WatermarkKey key = WatermarkKey.fromSecret(name, secret);
    Arrays.fill(secret, (byte) 0);
    if (!key.keyId().equals(fields.get("key-id"))) {
      key.destroy();
      throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (key id does not match the secret)");
    }
    if (version == 1) {
      return key;
    }
    key.destroy();
    if (checksumAt < 0 || text.substring(checksumAt).strip().indexOf('\n') >= 0
        || !checksum(text.substring(0, checksumAt)).equals(fields.get("checksum"))) {
      throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (checksum "
          + (checksumAt < 0 ? "line missing" : "does not match, or is not the last line") + ")");
    }
    String scheme = fields.get("text-scheme");
    WatermarkKey.TextScheme ts = null;
    try {
      if (scheme == null) {
        throw new IllegalArgumentException("no text-scheme line");
      }
      if (!scheme.equals("any")) {
        ts = WatermarkKey.TextScheme.parse(scheme, fields.getOrDefault("text-parameters", ""));
      } else if (fields.containsKey("text-parameters")) {
        throw new IllegalArgumentException("text-parameters without a text scheme");
      }
    } catch (IllegalArgumentException e) {
      throw new KeyringException(Reason.CORRUPT, file + ": corrupt watermark key file (" + e.getMessage() + ")");
    }
    byte[] again = Base64.getDecoder().decode(fields.get("secret"));
    try {
      return WatermarkKey.fromSecret(name, again, ts);
    } finally {
      Arrays.fill(again, (byte) 0);
    }
  }

  /** Every watermark key in the keyring, sorted by name. */
  public List<WatermarkKey> watermarkKeys() throws KeyringException {
    List<WatermarkKey> keys = new ArrayList<>();
    for (KeyInfo info : list()) {
      if (info.type() == KeyType.WATERMARK) {
        keys.add(watermarkKey(info.name()));
      }
    }
    return keys;
  }

  /**
   * The watermark keys a command names, each once in the order first named (a key named twice would
   * be tested twice by a detector, doubling its multiple-testing correction), or every one in the
   * keyring (sorted by name) when {@code names} is null or empty: the one key-selection rule of
   * {@code --key} (hallmark's commands, hallmark-spark) and of {@code HallmarkFrames}' {@code keys}
   * option. Each element may be a comma-separated list ({@code --key a,b}); blanks around names are
   * ignored.
   *
   * @throws KeyringException naming the first key that is missing or unreadable (keys loaded before it are destroyed)
   */
  public List<WatermarkKey> watermarkKeys(java.util.Collection<String> names) throws KeyringException {
    java.util.Set<String> wanted = new java.util.LinkedHashSet<>();
    if (names != null) {
      for (String n : names) {
        for (String part : n.split(",")) {
          if (!part.isBlank()) {
            wanted.add(part.strip());
          }
        }
      }
    }
    if (wanted.isEmpty()) {
      return watermarkKeys();
    }
    List<WatermarkKey> keys = new ArrayList<>();
    boolean ok = false;
    try {
      for (String n : wanted) {
        keys.add(watermarkKey(n));
      }
      ok = true;
      return keys;
    } finally {
      if (!ok) {
        keys.forEach(WatermarkKey::destroy);
      }
    }
  }

  /**
   * Loads a signing key. {@code passphrase} may be null for an unencrypted key.
   *
   * @throws KeyringException with {@link Reason#PASSPHRASE_REQUIRED} or {@link Reason#WRONG_PASSPHRASE}
   */
  public SigningKey signingKey(String name, char[] passphrase) throws KeyringException {
    checkName(name);
    Path file = dir.resolve(name + SIGNING_EXT);
    if (!Files.exists(file)) {
      throw missing(name, KeyType.SIGNING);
    }
    String pem = readSecret(file);
    Ed25519PrivateKeyParameters params;
    try {
      params = Pkcs8Pem.decode(pem, passphrase);
    } catch (Pkcs8Pem.EncryptedException e) {
      throw new KeyringException(Reason.PASSPHRASE_REQUIRED,
          "signing key '" + name + "' is encrypted: a passphrase is required");
    } catch (Pkcs8Pem.WrongPassphraseException e) {
      throw new KeyringException(Reason.WRONG_PASSPHRASE, "wrong passphrase for signing key '" + name + "'");
    } catch (IOException e) {
      throw new KeyringException(Reason.CORRUPT, file + ": corrupt signing key file (" + e.getMessage() + ")");
    }
    SigningKey key = new SigningKey(name, params);
    Path pub = dir.resolve(name + PUBLIC_EXT);
    if (Files.exists(pub)) {
      Ed25519PublicKey stored = readVerifierKey(name, pub).publicKey();
      if (!stored.equals(key.publicKey())) {
        throw Pkcs8Pem.isEncrypted(pem)
            ? new KeyringException(Reason.WRONG_PASSPHRASE, "wrong passphrase for signing key '" + name + "'")
            : new KeyringException(Reason.CORRUPT, pub + ": public key does not match the private key");
      }
    }
    return key;
  }

  /** The verifier key of a signing key, under the key's own name; needs no passphrase. */
  public NoteVerifierKey verifierKey(String name) throws KeyringException {
    checkName(name);
    Path pub = dir.resolve(name + PUBLIC_EXT);
    if (!Files.exists(dir.resolve(name + SIGNING_EXT))) {
      if (Files.exists(dir.resolve(name + WATERMARK_EXT))) {
        throw new KeyringException(Reason.WRONG_TYPE,
            "key '" + name + "' is a watermark key, which has no public part; name a signing key");
      }
      throw missing(name, KeyType.SIGNING);
    }
    if (!Files.exists(pub)) {
      throw new KeyringException(Reason.CORRUPT, pub + ": public key file is missing");
    }
    return readVerifierKey(name, pub);
  }

  private KeyInfo signingInfo(String name) throws KeyringException {
    Path priv = dir.resolve(name + SIGNING_EXT);
    NoteVerifierKey v = verifierKey(name);
    return new KeyInfo(name, KeyType.SIGNING, v.keyIdHex(), Pkcs8Pem.isEncrypted(readText(priv)), priv);
  }

  private NoteVerifierKey readVerifierKey(String name, Path pub) throws KeyringException {
    try {
      NoteVerifierKey v = NoteVerifierKey.parse(readText(pub));
      if (!v.name().equals(name)) {
        throw new KeyringException(Reason.CORRUPT, pub + ": public key is for '" + v.name() + "', not '" + name + "'");
      }
      return v;
    } catch (IllegalArgumentException e) {
      throw new KeyringException(Reason.CORRUPT, pub + ": corrupt public key file (" + e.getMessage() + ")");
    }
  }

  private void checkFree(String name) throws KeyringException {
    for (String ext : new String[] {WATERMARK_EXT, SIGNING_EXT, PUBLIC_EXT}) {
      if (Files.exists(dir.resolve(name + ext))) {
        throw new KeyringException(Reason.DUPLICATE,
            "a key named '" + name + "' already exists in " + dir + "; choose another name");
      }
    }
  }

  private static void checkName(String name) throws KeyringException {
    if (!KeyNames.isValid(name)) {
      throw new KeyringException(Reason.INVALID_NAME, "invalid key name '" + name
          + "': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  private KeyringException missing(String name, KeyType type) {
    String other = type == KeyType.WATERMARK ? name + SIGNING_EXT : name + WATERMARK_EXT;
    if (Files.exists(dir.resolve(other))) {
      return new KeyringException(Reason.WRONG_TYPE, "key '" + name + "' is not a " + type.label() + " key");
    }
    return new KeyringException(Reason.NOT_FOUND, "no " + type.label() + " key named '" + name + "' in " + dir
        + " (see 'hallmark keys list')");
  }

  private static void write(String name, Path file, byte[] content) throws KeyringException {
    try {
      checkFolders(file);
      SecureFiles.writeNew(file, content);
    } catch (FileAlreadyExistsException e) {
      throw new KeyringException(Reason.DUPLICATE, "a key named '" + name + "' already exists; choose another name");
    } catch (IOException e) {
      throw io("could not write " + file, e);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  /**
   * Reads a secret key file after checking, where the file system has POSIX permissions, that no
   * other user can read it and no other user can write the folders that hold it (they could swap
   * the key). Keys Hallmark writes are 0600 in a 0700 folder; anything looser is refused, naming
   * the fix.
   */
  private static String readSecret(Path file) throws KeyringException {
    try {
      if (Files.isRegularFile(file) && Files.getFileStore(file).supportsFileAttributeView("posix")) {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(file);
        if (p.stream().anyMatch(x -> x.name().startsWith("GROUP_") || x.name().startsWith("OTHERS_"))) {
          throw new KeyringException(Reason.INSECURE_PERMISSIONS, file + ": permissions "
              + java.nio.file.attribute.PosixFilePermissions.toString(p) + " let other users use this secret key; run 'chmod 600 "
              + file + "'");
        }
        checkFolders(file);
      }
    } catch (IOException e) {
      throw io("could not check the permissions of " + file, e);
    }
    return readText(file);
  }

  /**
   * Refuses a key file whose folder, or the folder above it, other users can write (they could
   * replace the key), where the file system has POSIX permissions. Checked before a key is written
   * too: keys new wrote keys into such folders that every later read then refused.
   */
  private static void checkFolders(Path file) throws KeyringException, IOException {
    Path dir = file.toAbsolutePath().getParent();
    for (int i = 0; i < 2 && dir != null; i++, dir = dir.getParent()) {
      if (!Files.isDirectory(dir) || !Files.getFileStore(dir).supportsFileAttributeView("posix")) {
        continue; // a folder still to be created (with mode 0700) holds nothing yet
      }
      java.util.Set<java.nio.file.attribute.PosixFilePermission> d = Files.getPosixFilePermissions(dir);
      if (d.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)
          || d.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)) {
        throw new KeyringException(Reason.INSECURE_PERMISSIONS, dir + ": permissions "
            + java.nio.file.attribute.PosixFilePermissions.toString(d) + " let other users replace keys; run 'chmod 700 " + dir
            + "', or keep keys in a folder of your own (--home DIR or $HALLMARK_HOME)");
      }
    }
  }

  private static String readText(Path file) throws KeyringException {
    try {
      if (Files.size(file) > 64 * 1024) {
        throw new KeyringException(Reason.CORRUPT, file + ": too large to be a key file");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (KeyringException e) {
      throw e;
    } catch (java.nio.charset.MalformedInputException e) {
      throw new KeyringException(Reason.CORRUPT, file + ": not a text key file");
    } catch (IOException e) {
      throw io("could not read " + file, e);
    }
  }

  private static KeyringException io(String what, IOException e) {
    String why;
    if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      why = "no such file or folder";
    } else {
      why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new KeyringException(Reason.IO, what + ": " + why, e);
  }
}
