package dev.hallmark.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.hallmark.core.Ed25519BatchVerifier;
import dev.hallmark.core.Ed25519PublicKey;
import dev.hallmark.core.FormatVersion;
import dev.hallmark.core.FormatVersionException;
import dev.hallmark.core.Hex;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.internal.Jcs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A provenance record: who produced what. Immutable. Its log entry is the RFC 8785 canonical JSON of
 * all its fields; the producer's Ed25519 signature covers the canonical JSON of the record without
 * the {@code signature} member. See {@code docs/spec/ledger.md} for the format and test vectors.
 *
 * <p>Only {@code kind} and {@code contentSha256} are required. Fingerprints are plain values: a text
 * MinHash signature of {@value #MINHASH_LENGTH} unsigned 32-bit values (held in {@code int}), and a
 * 256-bit image perceptual hash as 64 lower-case hex digits.
 */
public final class Record {
  /** Record format version written by this code. */
  public static final int FORMAT_VERSION = 1;
  /** Length of a text MinHash signature. */
  public static final int MINHASH_LENGTH = 128;
  /** Largest log entry: entry bundles use a uint16 length prefix. */
  public static final int MAX_ENTRY_BYTES = 65535;

  private static final Set<String> FIELDS = Set.of("hallmarkRecord", "kind", "contentSha256", "textMinHash",
      "imageHash", "model", "watermark", "timestamp", "attributes", "producer", "signature");

  /** {@code [a-z0-9-]{1,32}} (checked by hand: once per record parsed, on the append path). */
  static boolean isKind(String s) {
    if (s == null || s.isEmpty() || s.length() > 32) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code [0-9a-f]{64}}. */
  static boolean isHex256(String s) {
    if (s == null || s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The instant of {@code s} when it is exactly what {@link Instant#toString()} prints for a year
   * 0000-9999 ({@code yyyy-MM-ddTHH:mm:ss}, then no fraction or 3, 6 or 9 digits without a trailing
   * group of zeros, then {@code Z}), else null (the caller then asks {@link Instant#parse}, which
   * accepts and rejects everything else as before). A hand-written parse: {@code java.time}'s
   * parser and printer were 3% of {@code ledger add}'s CPU and 0.6 s of its JIT compilation.
   */
  static Instant canonicalInstant(String s) {
    int n = s.length();
    if (n != 20 && n != 24 && n != 27 && n != 30) {
      return null;
    }
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return null;
    }
    boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day > MONTH_DAYS[month - 1] + (month == 2 && leap ? 1 : 0)) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.') {
        return null;
      }
      int f = digits(s, 20, n - 21);
      if (f < 0 || f % 1000 == 0) {
        return null; // a trailing group of zeros is not canonical (000, 120000, 123000000)
      }
      nanos = f * (n == 24 ? 1_000_000 : n == 27 ? 1_000 : 1);
    }
    // Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yoe = y - era * 400;
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146_097L + doe - 719_468;
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
  }

  private static final int[] MONTH_DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  /** The decimal value of {@code s[from, from + count)}, or -1 when a character is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private final String kind;
  private final String contentSha256;
  private final int[] textMinHash;
  private final String imageHash;
  private final String model;
  private final ObjectNode watermark;
  private final String timestamp;
  private final ObjectNode attributes;
  private final String producer;
  private final byte[] signature;
  /** Caches of the canonical forms: a record is immutable, and canonicalising is most of an append's CPU besides the signature. */
  private volatile byte[] entryCache;
  private volatile byte[] signedCache;

  private Record(Builder b) {
    this.kind = b.kind;
    this.contentSha256 = b.contentSha256;
    this.textMinHash = b.textMinHash == null ? null : b.textMinHash.clone();
    this.imageHash = b.imageHash;
    this.model = b.model;
    this.watermark = b.watermark == null ? null : b.watermark.deepCopy();
    this.timestamp = b.timestamp;
    this.attributes = b.attributes == null ? null : b.attributes.deepCopy();
    this.producer = b.producer;
    this.signature = b.signature == null ? null : b.signature.clone();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's fields. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.kind = kind;
    b.contentSha256 = contentSha256;
    b.textMinHash = textMinHash;
    b.imageHash = imageHash;
    b.model = model;
    b.watermark = watermark;
    b.timestamp = timestamp;
    b.attributes = attributes;
    b.producer = producer;
    b.signature = signature;
    return b;
  }

  /**
   * The values of a JSON array of MinHash entries (unsigned 32-bit integers, held in {@code int}), as a
   * record's {@code textMinHash} and the servers' look-ups take them; {@code field} names the array in
   * the message ("FIELD[i] must be an unsigned 32-bit integer"). The length is the caller's check.
   *
   * @throws IllegalArgumentException naming the first entry that is not one
   */
  public static int[] minHashValues(JsonNode array, String field) {
    int[] a = new int[array.size()];
    for (int i = 0; i < a.length; i++) {
      JsonNode e = array.get(i);
      if (!e.isIntegralNumber() || e.asLong() < 0 || e.asLong() > 0xffffffffL) {
        throw new IllegalArgumentException(field + "[" + i + "] must be an unsigned 32-bit integer");
      }
      a[i] = (int) e.asLong();
    }
    return a;
  }

  /**
   * Parses a record from JSON (a log entry, or a user's record file where {@code hallmarkRecord} may
   * be omitted). Unknown members are rejected.
   *
   * @throws LedgerException naming the problem; "too new" when the format version is newer than
   *     {@link #FORMAT_VERSION}
   */
  public static Record parse(byte[] json) throws LedgerException {
    JsonNode n;
    try {
      n = Jcs.parse(json);
    } catch (IOException e) {
      throw new LedgerException("record is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (n == null || !n.isObject()) {
      throw new LedgerException("record must be a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new LedgerException("record has unknown member '" + f + "' (allowed: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
      }
    }
    JsonNode v = n.get("hallmarkRecord");
    if (v != null) {
      if (!v.isIntegralNumber()) {
        throw new LedgerException("record member hallmarkRecord must be an integer format version");
      }
      try {
        FormatVersion.check("record", v.asLong(), FORMAT_VERSION, null);
      } catch (FormatVersionException e) {
        throw new LedgerException(e.getMessage(), e);
      }
    }
    try {
      Builder b = builder()
          .kind(text(n, "kind", true))
          .contentSha256(text(n, "contentSha256", true))
          .imageHash(text(n, "imageHash", false))
          .model(text(n, "model", false))
          .timestamp(text(n, "timestamp", false))
          .producer(text(n, "producer", false));
      JsonNode mh = n.get("textMinHash");
      if (mh != null) {
        if (!mh.isArray()) {
          throw new IllegalArgumentException("textMinHash must be an array of " + MINHASH_LENGTH + " integers");
        }
        b.textMinHash(minHashValues(mh, "textMinHash"));
      }
      b.watermark(object(n, "watermark"));
      b.attributes(object(n, "attributes"));
      String sig = text(n, "signature", false);
      if (sig != null) {
        byte[] s;
        try {
          s = Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("signature is not valid base64");
        }
        b.signature(s);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new LedgerException("invalid record: " + e.getMessage());
    }
  }

  public String kind() {
    return kind;
  }

  /** SHA-256 of the content, 64 lower-case hex digits. */
  public String contentSha256() {
    return contentSha256;
  }

  public Optional<int[]> textMinHash() {
    return Optional.ofNullable(textMinHash).map(int[]::clone);
  }

  /** 256-bit perceptual hash, 64 lower-case hex digits. */
  public Optional<String> imageHash() {
    return Optional.ofNullable(imageHash);
  }

  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** Watermark facts (scheme, parameters, keyId, payload), a copy. */
  public Optional<ObjectNode> watermark() {
    return Optional.ofNullable(watermark).map(ObjectNode::deepCopy);
  }

  /** The {@code keyId} string member of {@link #watermark()}, if any. */
  public Optional<String> watermarkKeyId() {
    return Optional.ofNullable(watermark).map(w -> w.get("keyId")).filter(JsonNode::isTextual).map(JsonNode::textValue);
  }

  /** The {@code payload} string member of {@link #watermark()}, if any. */
  public Optional<String> watermarkPayload() {
    return Optional.ofNullable(watermark).map(w -> w.get("payload")).filter(JsonNode::isTextual).map(JsonNode::textValue);
  }

  /** Producer timestamp in ISO-8601 UTC form ({@link Instant#toString()}). */
  public Optional<Instant> timestamp() {
    if (timestamp == null) {
      return Optional.empty();
    }
    Instant fast = canonicalInstant(timestamp);
    return Optional.of(fast != null ? fast : Instant.parse(timestamp));
  }

  public Optional<ObjectNode> attributes() {
    return Optional.ofNullable(attributes).map(ObjectNode::deepCopy);
  }

  /** The producer's C2SP verifier key string, present once signed. */
  public Optional<String> producer() {
    return Optional.ofNullable(producer);
  }

  /** The producer key id (8 hex digits), present once signed. */
  public Optional<String> producerKeyId() {
    return Optional.ofNullable(producer).map(p -> NoteVerifierKey.parse(p).keyIdHex());
  }

  public boolean isSigned() {
    return signature != null;
  }

  /** This record signed by {@code producerKey}: sets {@code producer} to its verifier key and adds the signature. */
  public Record sign(SigningKey producerKey) {
    Builder b = toBuilder();
    b.producer = producerKey.verifierKey(producerKey.name()).encode();
    b.signature = null;
    Record unsigned = b.build();
    // One canonicalisation for both forms: the signed bytes, and the log entry, which adds the signature.
    Jcs.Split split = unsigned.canonicalSplit();
    byte[] signed = split.without();
    b.signature = producerKey.sign(signed);
    Record r = b.build();
    r.signedCache = signed;
    r.entryCache = entry(split, r.signature);
    return r;
  }

  /**
   * Verifies the producer signature with the key named in {@code producer}.
   *
   * @throws VerificationException if unsigned or the signature does not verify
   */
  public void verifySignature() throws VerificationException {
    if (signature == null || producer == null) {
      throw new VerificationException("record for " + contentSha256 + " is not signed");
    }
    NoteVerifierKey k = NoteVerifierKey.parse(producer);
    try {
      k.publicKey().verify(signedBytesShared(), signature);
    } catch (SignatureException e) {
      throw new VerificationException("producer signature by " + k.name() + "+" + k.keyIdHex() + " does not verify: " + e.getMessage());
    }
  }

  /**
   * Verifies the producer signatures of {@code records} together, with exactly the verdicts of
   * {@link #verifySignature} on each: batches of {@link Ed25519BatchVerifier} (half the CPU of
   * single checks at 8 records, a third at 128; a failing batch is re-checked record by record), one batch per
   * core when there are at least {@value #MIN_CHUNK} records for each.
   *
   * @param records the records; a null element is skipped (its result is null), so a caller can check
   *     some of a list's records and keep their positions
   * @return per record, null when its signature verifies (or the element is null), else the exception
   *     {@link #verifySignature} throws for it
   */
  public static VerificationException[] verifySignatures(List<Record> records, Ed25519BatchVerifier verifier) {
    return verifySignatures(records, null, verifier);
  }

  /**
   * {@link #verifySignatures(List, Ed25519BatchVerifier)} for records whose checks were prepared
   * ({@link #prepareSignatureCheck}) on the threads that had them first: what is left is the batch's
   * combined multiplication.
   *
   * @param prepared per record, its prepared check, or null (unsigned, or not prepared: prepared here)
   * @throws IllegalArgumentException if the lists differ in length
   */
  public static VerificationException[] verifySignatures(List<Record> records, List<Ed25519BatchVerifier.Prepared> prepared,
      Ed25519BatchVerifier verifier) {
    int n = records.size();
    if (prepared != null && prepared.size() != n) {
      throw new IllegalArgumentException(n + " records but " + prepared.size() + " prepared checks");
    }
    // Cores, not the common pool's parallelism (cores - 1): the calling thread works on one chunk.
    int chunks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n / MIN_CHUNK));
    if (chunks == 1) {
      return verifyChunk(records, prepared, verifier);
    }
    VerificationException[] out = new VerificationException[n];
    int size = (n + chunks - 1) / chunks;
    java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
      int from = c * size;
      int to = Math.min(n, from + size);
      if (from < to) {
        System.arraycopy(verifyChunk(records.subList(from, to), prepared == null ? null : prepared.subList(from, to), verifier),
            0, out, from, to - from);
      }
    });
    return out;
  }

  /**
   * The part of this record's producer-signature check that depends on it alone (see {@link
   * Ed25519BatchVerifier.Prepared}), done now on this thread; null when the record is unsigned. Not
   * kept in the record: a prepared check holds about 2 KB.
   */
  public Ed25519BatchVerifier.Prepared prepareSignatureCheck() {
    if (signature == null || producer == null) {
      return null;
    }
    return Ed25519BatchVerifier.prepare(NoteVerifierKey.parse(producer).publicKey(), signedBytesShared(), signature);
  }

  /** Chunks smaller than this lose more to a smaller batch than they gain from another core. */
  public static final int MIN_CHUNK = 16;

  private static VerificationException[] verifyChunk(List<Record> records, List<Ed25519BatchVerifier.Prepared> prepared,
      Ed25519BatchVerifier verifier) {
    int n = records.size();
    VerificationException[] out = new VerificationException[n];
    Ed25519BatchVerifier.Prepared[] checks = new Ed25519BatchVerifier.Prepared[n];
    int[] where = new int[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      Record r = records.get(i);
      if (r == null) {
        continue;
      }
      if (r.signature == null || r.producer == null) {
        out[i] = single(r);
        continue;
      }
      where[m++] = i;
    }
    if (m > 0 && m < Ed25519BatchVerifier.MIN_BATCH) {
      for (int j = 0; j < m; j++) {
        out[where[j]] = single(records.get(where[j])); // checked alone: nothing to prepare
      }
    } else if (m > 0) {
      for (int j = 0; j < m; j++) {
        Ed25519BatchVerifier.Prepared p = prepared == null ? null : prepared.get(where[j]);
        checks[j] = p != null ? p : records.get(where[j]).prepareSignatureCheck();
      }
      boolean[] ok = verifier.verify(Arrays.copyOf(checks, m));
      for (int j = 0; j < m; j++) {
        if (!ok[j]) {
          out[where[j]] = single(records.get(where[j]));
        }
      }
    }
    return out;
  }

  /** What {@link #verifySignature} throws for {@code r}; null if it passes. */
  private static VerificationException single(Record r) {
    try {
      r.verifySignature();
      return null;
    } catch (VerificationException e) {
      return e;
    }
  }

  /** The bytes the producer signs: RFC 8785 canonical JSON of the record without {@code signature}. */
  public byte[] signedBytes() {
    return signedBytesShared().clone();
  }

  /** {@link #signedBytes()} without the defensive copy, for read-only use inside this class. */
  private byte[] signedBytesShared() {
    byte[] b = signedCache;
    if (b == null) {
      canonicalizeBoth();
      b = signedCache;
    }
    return b;
  }

  private byte[] canonicalEntry() {
    byte[] b = entryCache;
    if (b == null) {
      canonicalizeBoth();
      b = entryCache;
    }
    return b;
  }

  /**
   * Both canonical forms from one pass over the members: the signed bytes (no {@code signature}) and the
   * log entry (with it; the same bytes for an unsigned record). A signed append needs both.
   */
  private void canonicalizeBoth() {
    Jcs.Split split = canonicalSplit();
    byte[] without = split.without();
    signedCache = without;
    entryCache = signature == null ? without : entry(split, signature);
  }

  /**
   * The canonical members without {@code signature}, split where it sorts, written straight from the
   * fields (no JSON tree, no sorting; {@code RecordVectorsTest} compares both forms with canonicalising
   * {@link #toJson} whole).
   */
  private Jcs.Split canonicalSplit() {
    Jcs.Members m = new Jcs.Members("signature");
    if (attributes != null) {
      m.value("attributes", attributes);
    }
    m.string("contentSha256", contentSha256);
    m.integer("hallmarkRecord", FORMAT_VERSION);
    if (imageHash != null) {
      m.string("imageHash", imageHash);
    }
    m.string("kind", kind);
    if (model != null) {
      m.string("model", model);
    }
    if (producer != null) {
      m.string("producer", producer);
    }
    if (textMinHash != null) {
      m.unsignedInts("textMinHash", textMinHash);
    }
    if (timestamp != null) {
      m.string("timestamp", timestamp);
    }
    if (watermark != null) {
      m.value("watermark", watermark);
    }
    return m.split();
  }

  /** The log entry: the members of {@code split} with the {@code signature} member added. */
  private static byte[] entry(Jcs.Split split, byte[] signature) {
    return split.with(TextNode.valueOf(Base64.getEncoder().encodeToString(signature)));
  }

  /**
   * The log entry: RFC 8785 canonical JSON of the whole record.
   *
   * @throws LedgerException if it exceeds {@link #MAX_ENTRY_BYTES}
   */
  public byte[] entryBytes() throws LedgerException {
    byte[] b = canonicalEntry();
    if (b.length > MAX_ENTRY_BYTES) {
      throw new LedgerException("record for " + contentSha256 + " is " + b.length + " bytes as a log entry; the limit is "
          + MAX_ENTRY_BYTES + " (tlog-tiles uint16 length prefix): move bulky data out of attributes/watermark");
    }
    return b.clone();
  }

  /** The record as a JSON object (with the signature when {@code withSignature}). */
  public ObjectNode toJson(boolean withSignature) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("hallmarkRecord", FORMAT_VERSION);
    o.put("kind", kind);
    o.put("contentSha256", contentSha256);
    if (textMinHash != null) {
      ArrayNode a = o.putArray("textMinHash");
      for (int v : textMinHash) {
        a.add(Integer.toUnsignedLong(v));
      }
    }
    if (imageHash != null) {
      o.put("imageHash", imageHash);
    }
    if (model != null) {
      o.put("model", model);
    }
    if (watermark != null) {
      o.set("watermark", watermark.deepCopy());
    }
    if (timestamp != null) {
      o.put("timestamp", timestamp);
    }
    if (attributes != null) {
      o.set("attributes", attributes.deepCopy());
    }
    if (producer != null) {
      o.put("producer", producer);
    }
    if (withSignature && signature != null) {
      o.put("signature", Base64.getEncoder().encodeToString(signature));
    }
    return o;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record && Arrays.equals(canonicalEntry(), ((Record) o).canonicalEntry());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(canonicalEntry());
  }

  @Override
  public String toString() {
    return new String(canonicalEntry(), StandardCharsets.UTF_8);
  }

  private static String text(JsonNode n, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("member '" + field + "' is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("member '" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static ObjectNode object(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new IllegalArgumentException("member '" + field + "' must be a JSON object");
    }
    return (ObjectNode) v;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  /** Builds a {@link Record}; {@link #build()} validates every field. */
  public static final class Builder {
    private String kind;
    private String contentSha256;
    private int[] textMinHash;
    private String imageHash;
    private String model;
    private ObjectNode watermark;
    private String timestamp;
    private ObjectNode attributes;
    private String producer;
    private byte[] signature;

    private Builder() {}

    /** {@code text}, {@code image}, or another lower-case word (1-32 of a-z, 0-9, '-'). */
    public Builder kind(String kind) {
      this.kind = kind;
      return this;
    }

    public Builder contentSha256(String hex) {
      this.contentSha256 = hex;
      return this;
    }

    /** Sets {@code contentSha256} to the SHA-256 of {@code content}. */
    public Builder content(byte[] content) {
      this.contentSha256 = Hex.encode(Merkle.sha256().digest(content));
      return this;
    }

    public Builder textMinHash(int[] signature) {
      this.textMinHash = signature == null ? null : signature.clone();
      return this;
    }

    public Builder imageHash(String hex) {
      this.imageHash = hex;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder watermark(ObjectNode facts) {
      this.watermark = facts == null ? null : facts.deepCopy();
      return this;
    }

    public Builder timestamp(String instant) {
      this.timestamp = instant;
      return this;
    }

    public Builder timestamp(Instant instant) {
      this.timestamp = instant == null ? null : instant.toString();
      return this;
    }

    public Builder attributes(ObjectNode attributes) {
      this.attributes = attributes == null ? null : attributes.deepCopy();
      return this;
    }

    /** The producer's verifier key string (set by {@link Record#sign}). */
    public Builder producer(String vkey) {
      this.producer = vkey;
      return this;
    }

    public Builder signature(byte[] signature) {
      this.signature = signature == null ? null : signature.clone();
      return this;
    }

    /** @throws IllegalArgumentException naming the invalid field */
    public Record build() {
      if (!isKind(kind)) {
        throw new IllegalArgumentException("kind must be 1-32 of a-z, 0-9, '-' (e.g. text, image), got " + quote(kind));
      }
      if (!isHex256(contentSha256)) {
        throw new IllegalArgumentException("contentSha256 must be 64 lower-case hex digits, got " + quote(contentSha256));
      }
      if (textMinHash != null && textMinHash.length != MINHASH_LENGTH) {
        throw new IllegalArgumentException("textMinHash must have " + MINHASH_LENGTH + " values, got " + textMinHash.length);
      }
      if (imageHash != null && !isHex256(imageHash)) {
        throw new IllegalArgumentException("imageHash must be 64 lower-case hex digits (256 bits), got " + quote(imageHash));
      }
      if (model != null && (model.isEmpty() || model.length() > 256)) {
        throw new IllegalArgumentException("model must be 1-256 characters");
      }
      if (timestamp != null && canonicalInstant(timestamp) == null) {
        try {
          if (!Instant.parse(timestamp).toString().equals(timestamp)) {
            throw new IllegalArgumentException("timestamp must be in canonical UTC form " + Instant.parse(timestamp) + ", got " + timestamp);
          }
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("timestamp must be an ISO-8601 UTC instant like 2026-11-25T10:00:00Z, got " + quote(timestamp));
        }
      }
      if (producer != null) {
        NoteVerifierKey.parse(producer);
      }
      if (signature != null) {
        if (signature.length != 64) {
          throw new IllegalArgumentException("signature must be 64 bytes (Ed25519), got " + signature.length);
        }
        if (producer == null) {
          throw new IllegalArgumentException("a signed record must name its producer key");
        }
      }
      return new Record(this);
    }

    private static String quote(String s) {
      return s == null ? "nothing" : "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }
  }
}
