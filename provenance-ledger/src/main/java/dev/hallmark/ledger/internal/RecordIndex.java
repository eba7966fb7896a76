package dev.hallmark.ledger.internal;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.MatchRules;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.RecordQuery;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene lookup index over records. It only proposes candidates (entry indices); callers read
 * the records from the log. Each commit records the tree size it covers and the index format, so a
 * stale index is caught up and an index of another format is refused with a "reindex" message.
 *
 * <p>Format 5: terms {@code sha} (the 32 raw bytes of the content SHA-256) and {@code wpay} (the
 * watermark payload string), the 256-byte MinHash signature as the doc value {@code mh} and the
 * 32-byte image hash as the doc value {@code phb}. The near-duplicate candidate keys are not terms but
 * pairs (key, entry index) in the {@link BandTable} beside the segments, whose run files each commit
 * lists in its user data: the 32 MinHash LSH band keys of a text record (format 3 had one 9-byte
 * {@code lsh} term per band, about 45 us of CPU per record to index) and, since format 5, the 16
 * image-chunk keys of an image record (format 4 had 16 {@code ph} terms, about 22 us per record:
 * unique terms are costly in Lucene's in-memory postings and at every flush). Exact lookups seek their
 * terms directly in each segment ({@link #lookup}) rather than building a Lucene query, so a miss costs
 * a few term seeks; a near-duplicate lookup asks the band table first and touches the segments only for
 * candidates.
 */
public final class RecordIndex implements Closeable {
  public static final String FORMAT = "5";
  public static final int BANDS = MatchRules.LSH_BANDS;
  public static final int ROWS = MatchRules.LSH_ROWS;
  public static final int CHUNKS = MatchRules.IMAGE_CHUNKS;
  /** Most candidates re-ranked per similarity query. */
  public static final int MAX_CANDIDATES = MatchRules.MAX_SHA_MATCHES;
  public static final String SHA = "sha";

  private final Directory dir;
  private final IndexWriter writer;
  private final SearcherManager manager;
  private final BandTable bands;

  private RecordIndex(Directory dir, IndexWriter writer, BandTable bands) throws IOException {
    this.dir = dir;
    this.writer = writer;
    this.bands = bands;
    this.manager = new SearcherManager(writer, null);
  }

  /** A searcher with the band table as of the same refresh; release it with {@link #release}. */
  public record Searcher(IndexSearcher searcher, BandTable.View bands) {}

  /** Opens (or creates) the on-disk index for writing. */
  public static RecordIndex openWriter(Path path) throws IOException {
    Files.createDirectories(path);
    Directory d = FSDirectory.open(path);
    IndexWriterConfig c = new IndexWriterConfig();
    c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    c.setRAMBufferSizeMB(64);
    // Merging adjacent segments only keeps each segment a contiguous run of entries in order, so a
    // look-up maps an entry to its document by position (positionalDocs) instead of walking points.
    c.setMergePolicy(new LogDocMergePolicy());
    // Documents are added continuously and committed with the tree size they cover
    // (AsyncIndexer); closing must not commit documents under an older commit's tree size.
    c.setCommitOnClose(false);
    IndexWriter w = new IndexWriter(d, c);
    try {
      Map<String, String> u = new HashMap<>();
      Iterable<Map.Entry<String, String>> live = w.getLiveCommitData();
      if (live != null) {
        live.forEach(e -> u.put(e.getKey(), e.getValue()));
      }
      // An index of another format is left as it is (the caller refuses it, or rebuilds it on
      // request): its run files, if any, are not this format's to open or to delete.
      String format = u.get("format");
      boolean ours = format == null || FORMAT.equals(format);
      return new RecordIndex(d, w, BandTable.openWriter(d, ours ? u : Map.of(), ours));
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** A fresh in-memory index (for read-only snapshots filling a gap). */
  public static RecordIndex inMemory() throws IOException {
    Directory d = new ByteBuffersDirectory();
    return new RecordIndex(d, new IndexWriter(d, new IndexWriterConfig().setMergePolicy(new LogDocMergePolicy())), BandTable.inMemory());
  }

  /** The format recorded by the last commit of the index in {@code d}, or null if none/unreadable. */
  public static String committedFormat(Directory d) {
    try {
      if (!DirectoryReader.indexExists(d)) {
        return null;
      }
      return org.apache.lucene.index.SegmentInfos.readLatestCommit(d).getUserData().get("format");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The tree size covered by the last commit of the index in {@code d}, or -1 if none/unusable/another format. */
  public static long committedSize(Directory d) {
    try {
      if (!DirectoryReader.indexExists(d)) {
        return -1;
      }
      return treeSize(org.apache.lucene.index.SegmentInfos.readLatestCommit(d).getUserData());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The tree size covered by the commit {@code r} was opened at (not the directory's latest commit,
   * which a writer may have moved on since), or -1 if unusable or of another format.
   */
  public static long committedSize(DirectoryReader r) {
    try {
      return treeSize(r.getIndexCommit().getUserData());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long treeSize(Map<String, String> u) {
    if (!FORMAT.equals(u.get("format"))) {
      return -1;
    }
    return Long.parseLong(u.getOrDefault("treeSize", "-1"));
  }

  /**
   * Null when {@code format} (from {@link #committedFormat}) is this build's or absent, else the
   * one-line problem: too old (reindex) or too new (upgrade, or reindex with this build).
   */
  public static String formatProblem(String format, Path logDir) {
    if (format == null || FORMAT.equals(format)) {
      return null;
    }
    long v;
    try {
      v = Long.parseLong(format);
    } catch (NumberFormatException e) {
      v = -1;
    }
    try {
      dev.hallmark.core.FormatVersion.check("lookup index", v, Long.parseLong(FORMAT), null);
      return null;
    } catch (dev.hallmark.core.FormatVersionException.TooNew e) {
      return logDir + ": the lookup index has format " + format + ", newer than this build's format " + FORMAT
          + "; upgrade Hallmark, or rebuild the index for this build with 'hallmark ledger reindex --dir " + logDir + "'";
    } catch (dev.hallmark.core.FormatVersionException e) {
      return logDir + ": the lookup index has format " + format + ", older than this build's format " + FORMAT
          + "; rebuild it once with 'hallmark ledger reindex --dir " + logDir
          + "' (no key needed; the log itself is unchanged)";
    }
  }

  public long committedSize() {
    return committedSize(dir);
  }

  public String committedFormat() {
    return committedFormat(dir);
  }

  public void deleteAll() throws IOException {
    writer.deleteAll();
    bands.deleteAll();
  }

  public void add(long index, Record r) throws IOException {
    writer.addDocument(document(index, r));
    if (r.textMinHash().isPresent()) {
      bands.add(index, bandKeys(r.textMinHash().get()));
    }
    if (r.imageHash().isPresent()) {
      bands.add(index, imageKeys(Hex.decode(r.imageHash().get()), 0));
    }
  }

  static Document document(long index, Record r) {
    Document d = new Document();
    d.add(new LongPoint("idx", index));
    d.add(new NumericDocValuesField("idx", index));
    d.add(new StringField(SHA, shaTerm(r.contentSha256()), Field.Store.NO));
    d.add(new StringField("kind", r.kind(), Field.Store.NO));
    r.model().ifPresent(m -> d.add(new StringField("model", m, Field.Store.NO)));
    r.producerKeyId().ifPresent(k -> d.add(new StringField("pk", k, Field.Store.NO)));
    r.watermarkKeyId().ifPresent(k -> d.add(new StringField("wk", k, Field.Store.NO)));
    r.watermarkPayload().ifPresent(p -> d.add(new StringField("wpay", p, Field.Store.NO)));
    r.timestamp().ifPresent(t -> d.add(new LongPoint("ts", t.toEpochMilli())));
    r.textMinHash().ifPresent(mh -> {
      ByteBuffer b = ByteBuffer.allocate(mh.length * 4);
      for (int v : mh) {
        b.putInt(v);
      }
      d.add(new BinaryDocValuesField("mh", new BytesRef(b.array())));
    });
    r.imageHash().ifPresent(h -> d.add(new BinaryDocValuesField("phb", new BytesRef(Hex.decode(h)))));
    return d;
  }

  /** The {@code sha} term: the 32 bytes of a 64-hex-digit SHA-256. */
  public static BytesRef shaTerm(String sha256Hex) {
    return new BytesRef(Hex.decode(sha256Hex));
  }

  /** The 64-bit hash of band {@code b} (rows {@code 4b..4b+3}) of a MinHash signature. */
  static long bandHash(int b, int r0, int r1, int r2, int r3) {
    long h = 0x9E3779B97F4A7C15L * (b + 1);
    h = mix64(h ^ (r0 & 0xffffffffL));
    h = mix64(h ^ (r1 & 0xffffffffL));
    h = mix64(h ^ (r2 & 0xffffffffL));
    return mix64(h ^ (r3 & 0xffffffffL));
  }

  /** The band table keys of a MinHash signature: {@link KeyFilter#lshKey} of each band's hash. */
  public static long[] bandKeys(int[] mh) {
    long[] out = new long[BANDS];
    for (int b = 0; b < BANDS; b++) {
      int o = b * ROWS;
      out[b] = KeyFilter.lshKey(b, bandHash(b, mh[o], mh[o + 1], mh[o + 2], mh[o + 3]));
    }
    return out;
  }

  /** The MurmurHash3 64-bit finaliser (a bijection with full avalanche). */
  static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /**
   * Commits every added entry as covering the first {@code treeSize} log entries: the band table's
   * new run files are written and synced first, then listed in the Lucene commit's user data.
   */
  public void commit(long treeSize) throws IOException {
    BandTable.Commit bc = bands.prepareCommit();
    try {
      Map<String, String> u = new HashMap<>();
      u.put("format", FORMAT);
      u.put("treeSize", Long.toString(treeSize));
      u.put(BandTable.USER_DATA, bc.names());
      writer.setLiveCommitData(u.entrySet());
      writer.commit();
    } catch (IOException | RuntimeException e) {
      bands.abortCommit(bc);
      throw e;
    }
    bands.finishCommit(bc);
    manager.maybeRefreshBlocking();
  }

  /** Makes added documents searchable without a durable commit. */
  public void refresh() throws IOException {
    bands.refresh();
    manager.maybeRefreshBlocking();
  }

  public Searcher acquire() throws IOException {
    IndexSearcher s = manager.acquire();
    return new Searcher(s, bands.view());
  }

  public void release(Searcher s) throws IOException {
    s.bands().close();
    manager.release(s.searcher());
  }

  @Override
  public void close() throws IOException {
    try {
      manager.close();
      writer.close();
      dir.close();
    } finally {
      bands.close();
    }
  }

  // ---- lookups (shared by writer snapshots and read-only snapshots) ----

  /**
   * Direct term lookup: every document holding any of {@code terms} in {@code field} whose entry
   * index is below {@code size}, as {@code {index, 0}} pairs. No Lucene query, weight or collector is
   * built: each segment's terms dictionary is seeked once per term, so a term absent from the index
   * costs one seek per segment. Order: by segment, then document.
   */
  public static List<double[]> lookup(IndexReader reader, String field, List<BytesRef> terms, long size) throws IOException {
    List<double[]> out = new ArrayList<>();
    if (terms.isEmpty()) {
      return out;
    }
    int[] docs = new int[16];
    PostingsEnum pe = null;
    for (LeafReaderContext ctx : reader.leaves()) {
      LeafReader leaf = ctx.reader();
      Terms t = leaf.terms(field);
      if (t == null) {
        continue;
      }
      TermsEnum te = t.iterator();
      int n = 0;
      for (BytesRef term : terms) {
        if (!te.seekExact(term)) {
          continue;
        }
        pe = te.postings(pe, PostingsEnum.NONE);
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
          if (n == docs.length) {
            docs = Arrays.copyOf(docs, n * 2);
          }
          docs[n++] = d;
        }
      }
      Arrays.sort(docs, 0, n);
      scoreLeaf(leaf, docs, n, size, null, null, 0, out);
    }
    return out;
  }

  /**
   * Adds to {@code out} the {@code {index, score}} pair of each distinct live document of
   * {@code docs[0, n)} (ascending) whose entry index is below {@code size}; with a {@code valueField},
   * scored from that binary doc value and kept at {@code min} or above (documents without it are
   * left out), else scored 0.
   */
  private static void scoreLeaf(LeafReader leaf, int[] docs, int n, long size, String valueField, ToDoubleFunction<BytesRef> score,
      double min, List<double[]> out) throws IOException {
    if (n == 0) {
      return;
    }
    NumericDocValues idx = DocValues.getNumeric(leaf, "idx");
    BinaryDocValues values = valueField == null ? null : leaf.getBinaryDocValues(valueField);
    if (valueField != null && values == null) {
      return;
    }
    Bits live = leaf.getLiveDocs();
    int last = -1;
    for (int i = 0; i < n; i++) {
      int d = docs[i];
      if (d == last || (live != null && !live.get(d))) {
        continue;
      }
      last = d;
      if (!idx.advanceExact(d)) {
        continue;
      }
      long e = idx.longValue();
      if (e < 0 || e >= size) {
        continue;
      }
      double sc = 0;
      if (values != null) {
        if (!values.advanceExact(d)) {
          continue;
        }
        sc = score.applyAsDouble(values.binaryValue());
        if (sc < min) {
          continue;
        }
      }
      out.add(new double[] {e, sc});
    }
  }

  /**
   * The entries of {@code entries} (ascending) that have the binary doc value {@code valueField}
   * scoring at least {@code min}, as {@code {index, score}} pairs (text lookups: the band table
   * proposes the entries, their stored signatures score them).
   */
  public static List<double[]> score(IndexReader reader, long[] entries, String valueField, ToDoubleFunction<BytesRef> score,
      double min) throws IOException {
    List<double[]> out = new ArrayList<>();
    if (entries.length == 0) {
      return out;
    }
    for (LeafReaderContext ctx : reader.leaves()) {
      int[] docs = positionalDocs(ctx.reader(), entries);
      if (docs == null) {
        docs = docsOf(ctx.reader(), entries);
      }
      scoreLeaf(ctx.reader(), docs, docs.length, Long.MAX_VALUE, valueField, score, min, out);
    }
    return out;
  }

  /**
   * The documents of {@code leaf} holding {@code entries} (ascending) when the segment holds a
   * contiguous run of entries in order (document {@code d} is entry {@code first + d}: the indexer adds
   * entries in order from one thread, and the log merge policy merges adjacent segments only), checked
   * for every document returned; null when the segment is not laid out so or a check fails.
   */
  static int[] positionalDocs(LeafReader leaf, long[] entries) throws IOException {
    int maxDoc = leaf.maxDoc();
    NumericDocValues idx = leaf.getNumericDocValues("idx");
    if (maxDoc == 0 || idx == null || !idx.advanceExact(0)) {
      return null;
    }
    long first = idx.longValue();
    if (!idx.advanceExact(maxDoc - 1) || idx.longValue() - first != maxDoc - 1) {
      return null;
    }
    int from = Arrays.binarySearch(entries, first);
    from = from >= 0 ? from : -from - 1;
    int to = Arrays.binarySearch(entries, first + maxDoc - 1);
    to = to >= 0 ? to + 1 : -to - 1;
    int[] docs = new int[Math.max(0, to - from)];
    NumericDocValues check = leaf.getNumericDocValues("idx");
    for (int i = from; i < to; i++) {
      int d = (int) (entries[i] - first);
      if (!check.advanceExact(d) || check.longValue() != entries[i]) {
        return null;
      }
      docs[i - from] = d;
    }
    return docs;
  }

  /**
   * The documents of {@code leaf} whose {@code idx} point is one of {@code entries} (ascending),
   * ascending, through Lucene's point set query: the fallback for a segment that
   * {@link #positionalDocs} cannot map. It decodes a leaf of the point tree for each scattered
   * candidate, which made image look-ups three times slower than with terms before entries were
   * mapped by position.
   */
  static int[] docsOf(LeafReader leaf, long[] entries) throws IOException {
    IndexSearcher s = new IndexSearcher(leaf);
    s.setQueryCache(null);
    Scorer sc = s.createWeight(s.rewrite(LongPoint.newSetQuery("idx", entries)), ScoreMode.COMPLETE_NO_SCORES, 1f)
        .scorer(leaf.getContext());
    if (sc == null) {
      return new int[0];
    }
    int[] docs = new int[Math.min(entries.length, 1024)];
    int n = 0;
    DocIdSetIterator it = sc.iterator();
    for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
      if (n == docs.length) {
        docs = Arrays.copyOf(docs, n * 2);
      }
      docs[n++] = d;
    }
    return Arrays.copyOf(docs, n);
  }

  /** Candidate entry indices for {@code q}, restricted to entries below {@code size}, oldest first. */
  public static List<long[]> search(IndexSearcher s, Query q, long size, int max) throws IOException {
    Query f = new BooleanQuery.Builder()
        .add(new ConstantScoreQuery(q), Occur.MUST)
        .add(LongPoint.newRangeQuery("idx", 0, size - 1), Occur.FILTER)
        .build();
    TopDocs td = s.search(f, max, new Sort(new SortField("idx", SortField.Type.LONG)));
    List<long[]> out = new ArrayList<>();
    for (ScoreDoc sd : td.scoreDocs) {
      long idx = ((Number) ((FieldDoc) sd).fields[0]).longValue();
      out.add(new long[] {idx, sd.doc});
    }
    return out;
  }

  /**
   * Multi-index hashing keys of a 256-bit image hash: for each of its {@link #CHUNKS} 16-bit chunks,
   * {@link KeyFilter#imageKey} of the chunk's value and, when {@code radius} is 1, of its 16 one-bit
   * neighbours (an indexed record stores radius 0: one key per chunk).
   */
  public static long[] imageKeys(byte[] bits, int radius) {
    if (radius < 0 || radius > 1) {
      throw new IllegalArgumentException("image chunk radius is 0 or 1, got " + radius);
    }
    long[] out = new long[CHUNKS * (1 + 16 * radius)];
    int n = 0;
    for (int c = 0; c < CHUNKS; c++) {
      int v = MatchRules.imageChunk(bits, c);
      out[n++] = KeyFilter.imageKey(c, v);
      if (radius == 1) {
        for (int bit = 0; bit < 16; bit++) {
          out[n++] = KeyFilter.imageKey(c, v ^ (1 << bit));
        }
      }
    }
    return out;
  }

  public static Query fieldQuery(RecordQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    if (q.model() != null) {
      b.add(new TermQuery(new Term("model", q.model())), Occur.FILTER);
      any = true;
    }
    if (q.producerKeyId() != null) {
      b.add(new TermQuery(new Term("pk", q.producerKeyId())), Occur.FILTER);
      any = true;
    }
    if (q.watermarkKeyId() != null) {
      b.add(new TermQuery(new Term("wk", q.watermarkKeyId())), Occur.FILTER);
      any = true;
    }
    if (q.watermarkPayload() != null) {
      b.add(new TermQuery(new Term("wpay", q.watermarkPayload())), Occur.FILTER);
      any = true;
    }
    if (q.kind() != null) {
      b.add(new TermQuery(new Term("kind", q.kind())), Occur.FILTER);
      any = true;
    }
    if (q.from() != null || q.to() != null) {
      long lo = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
      long hi = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli() - 1;
      b.add(LongPoint.newRangeQuery("ts", lo, hi), Occur.FILTER);
      any = true;
    }
    if (!any) {
      b.add(new org.apache.lucene.search.MatchAllDocsQuery(), Occur.FILTER);
    }
    return b.build();
  }

  /** A committed index opened read-only: a reader and the band table of the same commit. */
  public record ReadOnly(DirectoryReader reader, BandTable.View bands) {}

  /**
   * The committed on-disk index at {@code path}, or null when there is none (or it is unreadable);
   * callers check {@link #formatProblem} first.
   */
  public static ReadOnly readOnly(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return null;
    }
    Directory d = FSDirectory.open(path);
    for (int attempt = 0; ; attempt++) {
      if (!DirectoryReader.indexExists(d)) {
        d.close();
        return null;
      }
      // Checked on the commit the reader holds, the one its covered size is then read from.
      DirectoryReader r = DirectoryReader.open(d);
      if (committedSize(r) < 0) {
        r.close();
        d.close();
        return null;
      }
      try {
        return new ReadOnly(r, BandTable.openReadOnly(d, r.getIndexCommit().getUserData()));
      } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
        // A writer committed since and deleted a run it merged away: open its newer commit.
        r.close();
        if (attempt >= 10) {
          d.close();
          throw e;
        }
      } catch (IOException | RuntimeException e) {
        r.close();
        d.close();
        throw e;
      }
    }
  }

  /** The band table of this index as it is now (refreshed), for a reader opened on its directory. */
  public BandTable.View bandsNow() {
    bands.refresh();
    return bands.view();
  }

  public static IndexReader combine(IndexReader a, IndexReader b) throws IOException {
    if (a == null && b == null) {
      // A log with no entries yet (just initialised): no index on disk and no gap; an empty reader,
      // so that look-ups find nothing instead of failing.
      return new MultiReader();
    }
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return new MultiReader(new IndexReader[] {a, b}, true);
  }

  public Directory directory() {
    return dir;
  }
}
