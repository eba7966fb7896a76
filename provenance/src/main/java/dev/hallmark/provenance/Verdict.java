package dev.hallmark.provenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a verification found about one file, signal by signal, with a one-sentence verdict for
 * people. Immutable. See {@code docs/spec/verify.md} for what each signal means.
 *
 * <p>{@link #originEstablished()} holds exactly when a ledger record was found, its producer
 * signature is valid, its inclusion in the log is proven against a checkpoint signed by a trusted
 * log key, and the file is tied to the record: identical hash, or the record's watermark payload
 * read from the pixels or the metadata, or a near-duplicate fingerprint.
 *
 * @param fileName the name the file was given under (for messages only)
 * @param kind {@code image}, {@code text} or {@code other}
 * @param sha256 SHA-256 of the file's bytes
 * @param reference the provenance reference found in the metadata, or null
 * @param watermark the watermark test
 * @param record the ledger record found, or a "not found" signal
 * @param signature the record's producer signature check
 * @param inclusion the record's inclusion proof check against a signed checkpoint
 * @param hash how the file relates to the record's content hash
 * @param originEstablished see above; false when {@code ambiguous}
 * @param summary the human verdict
 * @param notes further observations (keys not trusted, sources that failed), one line each
 * @param otherMatches every other distinct record that also matches the file within the thresholds
 *     (its signature and inclusion proof holding), best first; empty when the record is the only one
 * @param choice how {@code record} was chosen among several matches ({@link #SELECTION_RULE}), or null
 *     when only one record matched
 * @param ambiguous true when several records match and the selection rule cannot separate the best
 *     two: the file is not tied to one registration, so origin is not established
 * @param c2pa Content Credentials: embedded, or recovered from the ledger record
 */
public record Verdict(
    String fileName,
    String kind,
    String sha256,
    ProvenanceReference reference,
    WatermarkSignal watermark,
    RecordSignal record,
    Check signature,
    Check inclusion,
    HashRelation hash,
    boolean originEstablished,
    String summary,
    List<String> notes,
    List<RecordSignal> otherMatches,
    String choice,
    boolean ambiguous,
    C2paSignal c2pa) {

  /** Without other matches and without a C2PA signal. */
  public Verdict(String fileName, String kind, String sha256, ProvenanceReference reference, WatermarkSignal watermark,
      RecordSignal record, Check signature, Check inclusion, HashRelation hash, boolean originEstablished,
      String summary, List<String> notes) {
    this(fileName, kind, sha256, reference, watermark, record, signature, inclusion, hash, originEstablished, summary,
        notes, List.of(), null, false, C2paSignal.none("not checked"));
  }

  /** Without a C2PA signal. */
  public Verdict(String fileName, String kind, String sha256, ProvenanceReference reference, WatermarkSignal watermark,
      RecordSignal record, Check signature, Check inclusion, HashRelation hash, boolean originEstablished,
      String summary, List<String> notes, List<RecordSignal> otherMatches, String choice, boolean ambiguous) {
    this(fileName, kind, sha256, reference, watermark, record, signature, inclusion, hash, originEstablished, summary,
        notes, otherMatches, choice, ambiguous, C2paSignal.none("not checked"));
  }

  /**
   * How one record is chosen when several match within the thresholds (only records whose producer
   * signature and inclusion proof hold compete): (1) a record bound to the file by the watermark
   * payload read from it; (2) the closest: exact hash, then the smallest perceptual-hash distance
   * (images) or the highest fingerprint similarity (texts); (3) the earliest registration, only
   * between records of the same content (the same output registered again). Records that still tie
   * make the verdict ambiguous: which registration was first says nothing about which of two
   * different outputs a copy came from.
   */
  public static final String SELECTION_RULE =
      "watermark payload first, then the closest (exact hash, perceptual-hash distance or fingerprint similarity),"
          + " then the earliest registration of the same content; a tie left after that is ambiguous";

  public Verdict {
    Objects.requireNonNull(c2pa);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(watermark);
    Objects.requireNonNull(record);
    Objects.requireNonNull(signature);
    Objects.requireNonNull(inclusion);
    Objects.requireNonNull(hash);
    Objects.requireNonNull(summary);
    notes = List.copyOf(notes);
    otherMatches = List.copyOf(otherMatches);
    if (ambiguous && originEstablished) {
      throw new IllegalArgumentException("an ambiguous verdict does not establish origin");
    }
  }

  /** The verdict in one word: {@code established}, {@code ambiguous} or {@code not-established}. */
  public String outcome() {
    return originEstablished ? "established" : ambiguous ? "ambiguous" : "not-established";
  }

  /** Outcome of a cryptographic check. */
  public enum Status {
    VALID, INVALID, NOT_CHECKED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /** A cryptographic check with a one-line explanation. */
  public record Check(Status status, String detail) {
    public Check {
      Objects.requireNonNull(status);
      Objects.requireNonNull(detail);
    }

    public boolean valid() {
      return status == Status.VALID;
    }
  }

  /**
   * The watermark test: {@code checked} is false when no key was available.
   *
   * @param pValue family-wise p-value over the keys (and schemes) tried, 1 when not checked
   * @param alpha the false-positive rate the decision was taken at
   * @param payload the 64-bit image payload as hex when decoded and valid, else null
   * @param scheme watermark scheme label (text) or {@code image-tss}
   */
  public record WatermarkSignal(boolean checked, boolean detected, String keyId, double pValue, double alpha,
      int keysTried, String scheme, String payload, boolean payloadValid, String detail) {
    public static WatermarkSignal notChecked(String why) {
      return new WatermarkSignal(false, false, null, 1.0, 0, 0, null, null, false, why);
    }
  }

  /**
   * The ledger record the file leads to.
   *
   * @param via how it was found: {@code exact-hash}, {@code watermark-payload}, {@code metadata-reference},
   *     {@code image-fingerprint}, {@code text-fingerprint}, {@code watermark-key+text-fingerprint}, or null
   * @param source the {@link LedgerSource#describe()} of where it came from
   * @param log the log origin of the checkpoint that includes it
   * @param similarity 1 for exact; fingerprint similarity otherwise
   * @param distance image-hash Hamming distance, or -1
   * @param searched false when no ledger or receipt was given, so no record was looked for (then
   *     {@code found} is false too)
   */
  public record RecordSignal(boolean found, String via, String source, long index, String log, String model,
      String timestamp, String producer, String contentSha256, double similarity, int distance,
      Map<String, Object> record, boolean searched) {
    public RecordSignal {
      record = record == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(record));
      if (found && !searched) {
        throw new IllegalArgumentException("a record found was searched for");
      }
    }

    /** A record looked for in the ledgers or receipts given. */
    public RecordSignal(boolean found, String via, String source, long index, String log, String model,
        String timestamp, String producer, String contentSha256, double similarity, int distance,
        Map<String, Object> record) {
      this(found, via, source, index, log, model, timestamp, producer, contentSha256, similarity, distance, record, true);
    }

    /** Searched for in the ledgers or receipts given, and none matches. */
    public static RecordSignal notFound() {
      return new RecordSignal(false, null, null, -1, null, null, null, null, null, 0, -1, null, true);
    }

    /** Not searched for: no ledger or receipt was given. */
    public static RecordSignal notSearched() {
      return new RecordSignal(false, null, null, -1, null, null, null, null, null, 0, -1, null, false);
    }

    /**
     * The signal in one word: {@code found}, {@code no-match} (the ledgers and receipts given hold no
     * matching record) or {@code no-ledger-given} (none was given, so none was searched).
     */
    public String status() {
      return found ? "found" : searched ? "no-match" : "no-ledger-given";
    }
  }

  /** How the file's bytes relate to the record's content. */
  public enum HashRelation {
    /** Byte-identical to the registered output. */
    EQUAL,
    /** Not identical but tied to it (watermark payload or near-duplicate fingerprint): an edited or re-encoded copy. */
    SIMILAR,
    /** Neither identical nor similar. */
    DIFFERENT,
    /** No record to compare with. */
    UNKNOWN;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A JSON-ready map of every signal (plain values only). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", fileName);
    m.put("kind", kind);
    m.put("sha256", sha256);
    m.put("originEstablished", originEstablished);
    m.put("verdict", outcome());
    m.put("ambiguous", ambiguous);
    m.put("summary", summary);
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("found", reference != null);
    if (reference != null) {
      ref.put("reference", reference.encode());
      ref.put("log", reference.log());
      ref.put("keyId", reference.watermarkKeyId());
      ref.put("id", reference.id());
    }
    m.put("metadataReference", ref);
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("checked", watermark.checked());
    w.put("detected", watermark.detected());
    w.put("keyId", watermark.keyId());
    w.put("pValue", watermark.pValue());
    w.put("alpha", watermark.alpha());
    w.put("keysTried", watermark.keysTried());
    w.put("scheme", watermark.scheme());
    w.put("payload", watermark.payload());
    w.put("payloadValid", watermark.payloadValid());
    w.put("detail", watermark.detail());
    m.put("watermark", w);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("found", record.found());
    r.put("status", record.status());
    if (record.found()) {
      r.put("via", record.via());
      r.put("source", record.source());
      r.put("log", record.log());
      r.put("index", record.index());
      r.put("model", record.model());
      r.put("timestamp", record.timestamp());
      r.put("producer", record.producer());
      r.put("contentSha256", record.contentSha256());
      r.put("similarity", record.similarity());
      r.put("distance", record.distance());
      r.put("record", record.record());
    }
    m.put("record", r);
    List<Object> others = new ArrayList<>();
    for (RecordSignal o : otherMatches) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("via", o.via());
      x.put("source", o.source());
      x.put("log", o.log());
      x.put("index", o.index());
      x.put("model", o.model());
      x.put("timestamp", o.timestamp());
      x.put("contentSha256", o.contentSha256());
      x.put("similarity", o.similarity());
      x.put("distance", o.distance());
      others.add(x);
    }
    m.put("otherMatches", others);
    m.put("choice", choice);
    m.put("signature", Map.of("status", signature.status().label(), "detail", signature.detail()));
    m.put("inclusionProof", Map.of("status", inclusion.status().label(), "detail", inclusion.detail()));
    m.put("hash", hash.label());
    m.put("c2pa", c2pa.toMap());
    m.put("notes", new ArrayList<>(notes));
    return m;
  }
}
