package dev.hallmark.ledger.internal;

import dev.hallmark.core.Hex;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.RecordQuery;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import java.util.function.ToDoubleFunction;

/**
 * The Lucene lookup index over records. It only proposes candidates (entry indices); callers read
 * the records from the log. Each commit records the tree size it covers and the index format, so a
 * stale or foreign index is caught up or rebuilt.
 */
public final class RecordIndex implements Closeable {
  public static final String FORMAT = "2";
  public static final int BANDS = 32;
  public static final int ROWS = 4;
  public static final int CHUNKS = 16;
  /** Most candidates re-ranked per similarity query. */
  public static final int MAX_CANDIDATES = 20000;

  private final Directory dir;
  private final IndexWriter writer;
  private final SearcherManager manager;

  private RecordIndex(Directory dir, IndexWriter writer) throws IOException {
    this.dir = dir;
    this.writer = writer;
    this.manager = new SearcherManager(writer, null);
  }

  /** Opens (or creates) the on-disk index for writing. */
  public static RecordIndex openWriter(Path path) throws IOException {
    Files.createDirectories(path);
    Directory d = FSDirectory.open(path);
    IndexWriterConfig c = new IndexWriterConfig();
    c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    c.setRAMBufferSizeMB(64);
    return new RecordIndex(d, new IndexWriter(d, c));
  }

  /** A fresh in-memory index (for read-only snapshots filling a gap). */
  public static RecordIndex inMemory() throws IOException {
    Directory d = new ByteBuffersDirectory();
    return new RecordIndex(d, new IndexWriter(d, new IndexWriterConfig()));
  }

  /** The tree size covered by the last commit of the index at {@code path}, or -1 if none/unusable. */
  public static long committedSize(Directory d) {
    try {
      if (!DirectoryReader.indexExists(d)) {
        return -1;
      }
      Map<String, String> u = org.apache.lucene.index.SegmentInfos.readLatestCommit(d).getUserData();
      if (!FORMAT.equals(u.get("format"))) {
        return -1;
      }
      return Long.parseLong(u.getOrDefault("treeSize", "-1"));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public long committedSize() {
    return committedSize(dir);
  }

  public void deleteAll() throws IOException {
    writer.deleteAll();
  }

  public void add(long index, Record r) throws IOException {
    writer.addDocument(document(index, r));
  }

  static Document document(long index, Record r) {
    Document d = new Document();
    d.add(new LongPoint("idx", index));
    d.add(new StoredField("idx", index));
    d.add(new NumericDocValuesField("idx", index));
    d.add(new StringField("sha", r.contentSha256(), Field.Store.NO));
    d.add(new StringField("kind", r.kind(), Field.Store.NO));
    r.model().ifPresent(m -> d.add(new StringField("model", m, Field.Store.NO)));
    r.producerKeyId().ifPresent(k -> d.add(new StringField("pk", k, Field.Store.NO)));
    r.watermarkKeyId().ifPresent(k -> d.add(new StringField("wk", k, Field.Store.NO)));
    r.timestamp().ifPresent(t -> d.add(new LongPoint("ts", t.toEpochMilli())));
    r.textMinHash().ifPresent(mh -> {
      for (String t : bandTerms(mh)) {
        d.add(new StringField("lsh", t, Field.Store.NO));
      }
      ByteBuffer b = ByteBuffer.allocate(mh.length * 4);
      for (int v : mh) {
        b.putInt(v);
      }
      d.add(new BinaryDocValuesField("mh", new BytesRef(b.array())));
    });
    r.imageHash().ifPresent(h -> {
      byte[] bits = Hex.decode(h);
      for (int c = 0; c < CHUNKS; c++) {
        d.add(new StringField("ph", chunkTerm(c, chunk(bits, c)), Field.Store.NO));
      }
      d.add(new BinaryDocValuesField("phb", new BytesRef(bits)));
    });
    return d;
  }

  /** LSH band terms: band number and its 4 rows. */
  public static List<String> bandTerms(int[] mh) {
    List<String> out = new ArrayList<>(BANDS);
    for (int b = 0; b < BANDS; b++) {
      StringBuilder s = new StringBuilder().append(b).append(':');
      for (int r = 0; r < ROWS; r++) {
        s.append(String.format("%08x", mh[b * ROWS + r]));
      }
      out.add(s.toString());
    }
    return out;
  }

  static int chunk(byte[] bits, int c) {
    return ((bits[2 * c] & 0xff) << 8) | (bits[2 * c + 1] & 0xff);
  }

  static String chunkTerm(int c, int v) {
    return c + ":" + String.format("%04x", v);
  }

  public void commit(long treeSize) throws IOException {
    Map<String, String> u = new HashMap<>();
    u.put("format", FORMAT);
    u.put("treeSize", Long.toString(treeSize));
    writer.setLiveCommitData(u.entrySet());
    writer.commit();
    manager.maybeRefreshBlocking();
  }

  /** Makes added documents searchable without a durable commit. */
  public void refresh() throws IOException {
    manager.maybeRefreshBlocking();
  }

  public IndexSearcher acquire() throws IOException {
    return manager.acquire();
  }

  public void release(IndexSearcher s) throws IOException {
    manager.release(s);
  }

  @Override
  public void close() throws IOException {
    manager.close();
    writer.close();
    dir.close();
  }

  // ---- queries (shared by writer snapshots and read-only snapshots) ----

  /** Candidate entry indices for {@code q}, restricted to entries below {@code size}, oldest first. */
  public static List<long[]> search(IndexSearcher s, Query q, long size, int max, boolean withStored, String storedField)
      throws IOException {
    Query f = new BooleanQuery.Builder()
        .add(new ConstantScoreQuery(q), Occur.MUST)
        .add(LongPoint.newRangeQuery("idx", 0, size - 1), Occur.FILTER)
        .build();
    TopDocs td = s.search(f, max, new Sort(new SortField("idx", SortField.Type.LONG)));
    List<long[]> out = new ArrayList<>();
    for (ScoreDoc sd : td.scoreDocs) {
      Document d = s.storedFields().document(sd.doc);
      long idx = d.getField("idx").numericValue().longValue();
      out.add(new long[] {idx, sd.doc});
    }
    return out;
  }

  /**
   * Runs {@code q} (restricted to entries below {@code size}) and scores every match from the
   * binary doc values of {@code field} inside the collector, keeping {@code {index, score}} pairs
   * with {@code score >= min}. No stored fields are read, so large candidate sets stay cheap.
   */
  public static List<double[]> scan(IndexSearcher s, Query q, long size, String field, ToDoubleFunction<byte[]> score, double min)
      throws IOException {
    Query f = new BooleanQuery.Builder()
        .add(new ConstantScoreQuery(q), Occur.MUST)
        .add(LongPoint.newRangeQuery("idx", 0, size - 1), Occur.FILTER)
        .build();
    List<double[]> out = new ArrayList<>();
    s.search(f, new SimpleCollector() {
      LeafReaderContext ctx;
      BinaryDocValues values;
      NumericDocValues idx;
      int last = -1;

      @Override
      protected void doSetNextReader(LeafReaderContext context) throws IOException {
        ctx = context;
        reset();
      }

      private void reset() throws IOException {
        values = ctx.reader().getBinaryDocValues(field);
        idx = ctx.reader().getNumericDocValues("idx");
        last = -1;
      }

      @Override
      public void collect(int doc) throws IOException {
        if (doc <= last) {
          reset();
        }
        last = doc;
        if (values == null || idx == null || !values.advanceExact(doc) || !idx.advanceExact(doc)) {
          return;
        }
        BytesRef b = values.binaryValue();
        double sc = score.applyAsDouble(java.util.Arrays.copyOfRange(b.bytes, b.offset, b.offset + b.length));
        if (sc >= min) {
          out.add(new double[] {idx.longValue(), sc});
        }
      }

      @Override
      public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
      }
    });
    return out;
  }

  public static byte[] stored(IndexSearcher s, int doc, String field) throws IOException {
    Document d = s.storedFields().document(doc);
    return d.getBinaryValue(field) == null ? null : d.getBinaryValue(field).bytes;
  }

  public static Query shaQuery(String sha) {
    return new TermQuery(new Term("sha", sha));
  }

  public static Query textQuery(int[] mh) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String t : bandTerms(mh)) {
      b.add(new TermQuery(new Term("lsh", t)), Occur.SHOULD);
    }
    return b.build();
  }

  /** Multi-index hashing probe: every chunk value within {@code radius} (0 or 1) bits. */
  public static Query imageQuery(byte[] bits, int radius) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (int c = 0; c < CHUNKS; c++) {
      int v = chunk(bits, c);
      b.add(new TermQuery(new Term("ph", chunkTerm(c, v))), Occur.SHOULD);
      if (radius >= 1) {
        for (int bit = 0; bit < 16; bit++) {
          b.add(new TermQuery(new Term("ph", chunkTerm(c, v ^ (1 << bit)))), Occur.SHOULD);
        }
      }
    }
    return b.build();
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

  /** A searcher over a committed on-disk index plus an in-memory gap index, for read-only use. */
  public static IndexReader readOnly(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return null;
    }
    Directory d = FSDirectory.open(path);
    if (committedSize(d) < 0) {
      d.close();
      return null;
    }
    return DirectoryReader.open(d);
  }

  public static IndexReader combine(IndexReader a, IndexReader b) throws IOException {
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
