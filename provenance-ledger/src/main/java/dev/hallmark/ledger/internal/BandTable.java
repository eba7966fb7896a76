package dev.hallmark.ledger.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.RandomAccessInput;

/**
 * The band table of the lookup index (index format 5, issue #20): every text record's 32 MinHash LSH
 * band keys ({@link KeyFilter#lshKey}) and every image record's 16 perceptual-hash chunk keys
 * ({@link KeyFilter#imageKey}), each mapped to its entry index. It lives beside Lucene's postings
 * rather than in them because unique random terms are costly there (hashing them into the in-memory
 * postings, sorting them at flush and writing a terms-dictionary block per term): 32 band terms per
 * text record were about 45 us of every append's CPU (format 3), 16 chunk terms per image record
 * about 22 us (format 4); here an append stores its pairs in an array, and a commit sorts them
 * (radix) and writes one file.
 *
 * <p>The table is a set of immutable <em>runs</em>, each sorted by key (unsigned): runs in memory
 * (entries added since the last commit; {@link #refresh} turns the pending pairs into one) and run
 * files {@code bands-G.run} in the index directory. A commit ({@link #prepareCommit}) writes the
 * memory runs as one file and merges files level by level ({@link #MERGE_FACTOR} runs of one size
 * class into one), syncs the new files, and the caller lists them in the Lucene commit's user data
 * ({@link #USER_DATA}) before committing; only after that commit ({@link #finishCommit}) do the
 * replaced files become obsolete, and they are deleted once no view reads them. So the run files of
 * a commit are durable with its segments, a crash leaves at most unlisted files (deleted at the next
 * open), and a reader opened at a commit finds exactly that commit's runs. Between commits, more than
 * {@link #SPILL_PAIRS} pairs in memory are written to a run file that the next commit lists, so heap
 * use stays bounded however many entries one commit covers (a rebuild indexes the whole log first).
 *
 * <p>Run file (little-endian, Lucene's {@link CodecUtil} header and checksummed footer, so a
 * corrupt, older or newer file is named precisely): header {@code "HallmarkBands"} version 1;
 * {@code n} (long), the smallest and largest entries {@code base} and {@code max} (longs), the byte width {@code w} (1-8) of
 * {@code entry - base}; blocks of up to {@link #BLOCK} pairs, each its keys (8 bytes each) then its
 * entries ({@code w} bytes each); the first key of every block (8 bytes each); footer. A lookup
 * binary-searches the block keys (held in memory: 8 bytes per 1,024 pairs), then one block.
 */
public final class BandTable implements Closeable {
  /** Commit user-data key: the comma-separated run files of that commit. */
  static final String USER_DATA = "bands";
  static final String CODEC = "HallmarkBands";
  static final int VERSION = 1;
  static final int BLOCK = 1024;
  /** Runs of one size class merged into one. */
  static final int MERGE_FACTOR = 8;
  /** Pairs of the smallest size class (2,048 text records). */
  static final long LEVEL_BASE = 1L << 16;
  /**
   * Pairs held in memory (32,768 text records, 16 MB) after which they are written to a run file
   * before the next commit lists it, so that indexing a whole log before one commit (a rebuild)
   * needs no more heap than a commit interval.
   */
  static final int SPILL_PAIRS = 1 << 20;
  private static final String PREFIX = "bands-";
  private static final String SUFFIX = ".run";

  private final Directory dir;
  private final boolean persistent;
  private long[] keys = new long[4096];
  private long[] entries = new long[4096];
  private int pending;
  /** Memory runs not yet in a committed file (guarded by this). */
  private final List<Run> memory = new ArrayList<>();
  /** Run files of the last commit (guarded by this). */
  private List<Run> files = new ArrayList<>();
  /** Run files written from memory since the last commit, not yet listed by one (guarded by this). */
  private final List<Run> spilled = new ArrayList<>();
  /** After {@link #deleteAll}: the last commit's files are no longer part of the table (guarded by this). */
  private boolean dropFiles;
  /** While a commit or a spill writes memory runs to a file, they stay as they are (not merged). */
  private boolean writing;
  private long nextGen;

  private BandTable(Directory dir, boolean persistent) {
    this.dir = dir;
    this.persistent = persistent;
  }

  /** A table kept in memory only (a read-only snapshot's gap, a test). */
  public static BandTable inMemory() {
    return new BandTable(null, false);
  }

  /**
   * The writer's table over the runs listed in {@code userData} (a Lucene commit's, or empty for a
   * new index). With {@code deleteUnlisted}, run files of {@code dir} that the commit does not list
   * (left by a crash between writing them and committing) are deleted; without it (an index of
   * another format, which is refused or rebuilt) nothing is, and new files take fresh names.
   */
  static BandTable openWriter(Directory dir, Map<String, String> userData, boolean deleteUnlisted) throws IOException {
    BandTable t = new BandTable(dir, true);
    List<String> names = names(userData);
    t.files = openRuns(dir, names);
    long gen = 0;
    Set<String> listed = new HashSet<>(names);
    for (String f : dir.listAll()) {
      if (f.startsWith(PREFIX) && f.endsWith(SUFFIX)) {
        gen = Math.max(gen, generation(f) + 1);
        if (deleteUnlisted && !listed.contains(f)) {
          dir.deleteFile(f);
        }
      }
    }
    t.nextGen = gen;
    return t;
  }

  /**
   * A read-only view of the runs listed in a commit's {@code userData}.
   *
   * @throws NoSuchFileException when a writer has replaced a run since that commit (open the newer commit)
   */
  static View openReadOnly(Directory dir, Map<String, String> userData) throws IOException {
    return new View(openRuns(dir, names(userData)).toArray(new Run[0]));
  }

  private static List<String> names(Map<String, String> userData) {
    String s = userData == null ? null : userData.get(USER_DATA);
    if (s == null || s.isEmpty()) {
      return List.of();
    }
    return List.of(s.split(","));
  }

  private static long generation(String name) {
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static List<Run> openRuns(Directory dir, List<String> names) throws IOException {
    List<Run> out = new ArrayList<>();
    try {
      for (String n : names) {
        out.add(FileRun.open(dir, n));
      }
    } catch (IOException | RuntimeException e) {
      for (Run r : out) {
        r.decRef();
      }
      throw e;
    }
    return out;
  }

  /** Adds the band or chunk keys of entry {@code entry} (the indexing thread only). */
  void add(long entry, long[] bandKeys) throws IOException {
    boolean spill;
    synchronized (this) {
      int need = pending + bandKeys.length;
      if (need > keys.length) {
        int cap = Math.max(need, keys.length * 2);
        keys = Arrays.copyOf(keys, cap);
        entries = Arrays.copyOf(entries, cap);
      }
      for (long k : bandKeys) {
        keys[pending] = k;
        entries[pending++] = entry;
      }
      spill = persistent && !writing && pending >= SPILL_PAIRS;
    }
    if (spill) {
      spill();
    }
  }

  /** Writes the pairs held in memory to a run file that the next commit lists. */
  private void spill() throws IOException {
    List<Run> toWrite;
    synchronized (this) {
      refresh();
      writing = true;
      toWrite = new ArrayList<>(memory);
    }
    Run f;
    try {
      f = write(toWrite);
    } finally {
      synchronized (this) {
        writing = false;
      }
    }
    synchronized (this) {
      for (Run r : toWrite) {
        memory.remove(r);
        r.decRef();
      }
      spilled.add(f);
    }
  }

  /** Makes every added pair visible to views taken from now on. */
  synchronized void refresh() {
    if (pending > 0) {
      memory.add(MemoryRun.sorted(keys, entries, pending));
      pending = 0;
      if (keys.length > (1 << 16)) {
        keys = new long[4096];
        entries = new long[4096];
      }
    }
    if (memory.size() > MERGE_FACTOR && !writing) {
      // Many small refreshes (a snapshot after every append): keep lookups to a few runs.
      Run merged = MemoryRun.merge(memory);
      for (Run r : memory) {
        r.decRef();
      }
      memory.clear();
      memory.add(merged);
    }
  }

  /** Drops every pair (a rebuild); the files of the last commit stay until the next commit replaces them. */
  synchronized void deleteAll() {
    pending = 0;
    releaseUncommitted();
    dropFiles = true;
  }

  /** Drops the memory runs and deletes the spilled files (no commit lists them). */
  private void releaseUncommitted() {
    for (Run r : memory) {
      r.decRef();
    }
    memory.clear();
    for (Run r : spilled) {
      discard(r);
    }
    spilled.clear();
  }

  /** Releases the table's hold on a run file that no commit will list: deleted once no view reads it. */
  private static void discard(Run r) {
    ((FileRun) r).obsolete = true;
    r.decRef();
  }

  /** The runs of the table as it is now (caller holds this). */
  private List<Run> runs() {
    List<Run> rs = new ArrayList<>(memory);
    rs.addAll(spilled);
    if (!dropFiles) {
      rs.addAll(files);
    }
    return rs;
  }

  /** The current runs, each held until the view is closed. */
  synchronized View view() {
    List<Run> rs = runs();
    for (Run r : rs) {
      r.incRef();
    }
    return new View(rs.toArray(new Run[0]));
  }

  /** What a commit will install once Lucene has committed {@link #names}. */
  static final class Commit {
    final List<Run> persisted;
    final List<Run> spilled;
    final List<Run> files;
    final List<Run> created;

    Commit(List<Run> persisted, List<Run> spilled, List<Run> files, List<Run> created) {
      this.persisted = persisted;
      this.spilled = spilled;
      this.files = files;
      this.created = created;
    }

    /** The user-data value listing this commit's run files. */
    String names() {
      StringBuilder b = new StringBuilder();
      for (Run r : files) {
        if (b.length() > 0) {
          b.append(',');
        }
        b.append(((FileRun) r).name);
      }
      return b.toString();
    }
  }

  /**
   * Writes what the next commit needs (the memory runs as one file, then merges), synced; the
   * caller commits Lucene with {@link Commit#names} in the user data, then calls {@link #finishCommit},
   * or {@link #abortCommit} when that commit failed. The committing thread only.
   */
  Commit prepareCommit() throws IOException {
    List<Run> persist;
    List<Run> spills;
    List<Run> current;
    synchronized (this) {
      refresh();
      writing = true;
      persist = new ArrayList<>(memory);
      spills = new ArrayList<>(spilled);
      current = dropFiles ? new ArrayList<>() : new ArrayList<>(files);
      current.addAll(spills);
    }
    if (!persistent) {
      return new Commit(persist, List.of(), List.of(), List.of());
    }
    List<Run> created = new ArrayList<>();
    try {
      if (!persist.isEmpty()) {
        Run r = write(persist);
        created.add(r);
        current.add(r);
      }
      while (true) {
        List<Run> group = mergeGroup(current);
        if (group == null) {
          break;
        }
        Run r = write(group);
        created.add(r);
        current.removeAll(group);
        current.add(r);
      }
      List<String> names = new ArrayList<>();
      for (Run r : current) {
        if (created.contains(r) || spills.contains(r)) {
          names.add(((FileRun) r).name);
        }
      }
      dir.sync(names);
    } catch (IOException | RuntimeException e) {
      for (Run r : created) {
        discard(r);
      }
      synchronized (this) {
        writing = false;
      }
      throw e;
    }
    // Runs created and merged away within this commit are not listed: drop them now.
    List<Run> listed = new ArrayList<>(current);
    List<Run> kept = new ArrayList<>();
    for (Run r : created) {
      if (listed.contains(r)) {
        kept.add(r);
      } else {
        discard(r);
      }
    }
    return new Commit(persist, spills, listed, kept);
  }

  /** Installs {@code c} after Lucene committed its names: replaced files are deleted once unread. */
  synchronized void finishCommit(Commit c) {
    writing = false;
    if (!persistent) {
      return;
    }
    memory.removeIf(r -> {
      if (c.persisted.contains(r)) {
        r.decRef();
        return true;
      }
      return false;
    });
    for (Run r : files) {
      if (!c.files.contains(r)) {
        discard(r);
      }
    }
    for (Run r : c.spilled) {
      spilled.remove(r);
      if (!c.files.contains(r)) {
        discard(r); // merged into a file of this commit
      }
    }
    files = new ArrayList<>(c.files);
    dropFiles = false;
  }

  /** Deletes the files {@code c} created (its Lucene commit failed); the table is as before. */
  synchronized void abortCommit(Commit c) {
    writing = false;
    for (Run r : c.created) {
      discard(r);
    }
  }

  /** The first {@link #MERGE_FACTOR} runs of the smallest size class that has that many, or null. */
  private static List<Run> mergeGroup(List<Run> runs) {
    Map<Integer, List<Run>> byLevel = new java.util.TreeMap<>();
    for (Run r : runs) {
      int level = r.size < LEVEL_BASE ? 0 : 1 + (63 - Long.numberOfLeadingZeros(r.size / LEVEL_BASE)) / 3;
      byLevel.computeIfAbsent(level, k -> new ArrayList<>()).add(r);
    }
    for (List<Run> l : byLevel.values()) {
      if (l.size() >= MERGE_FACTOR) {
        return new ArrayList<>(l.subList(0, MERGE_FACTOR));
      }
    }
    return null;
  }

  /** Writes the merge of {@code runs} as a new run file (synced by the commit that lists it) and opens it. */
  private Run write(List<Run> runs) throws IOException {
    String name;
    synchronized (this) {
      name = PREFIX + nextGen++ + SUFFIX;
    }
    long n = 0;
    long base = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Run r : runs) {
      n += r.size;
      if (r.size > 0) {
        base = Math.min(base, r.minEntry);
        max = Math.max(max, r.maxEntry);
      }
    }
    if (n == 0) {
      base = 0;
      max = 0;
    }
    for (Run r : runs) {
      if (r instanceof FileRun f) {
        // Merges read whole files: verify them first, as Lucene does for the segments it merges.
        f.checkIntegrity();
      }
    }
    int w = Math.max(1, (64 - Long.numberOfLeadingZeros(max - base) + 7) / 8);
    long blocks = (n + BLOCK - 1) / BLOCK;
    long[] first = new long[(int) blocks];
    boolean done = false;
    try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
      CodecUtil.writeHeader(out, CODEC, VERSION);
      out.writeLong(n);
      out.writeLong(base);
      out.writeLong(max);
      out.writeByte((byte) w);
      Merger m = new Merger(runs);
      long[] bk = new long[BLOCK];
      long[] be = new long[BLOCK];
      for (long b = 0; b < blocks; b++) {
        int c = (int) Math.min(BLOCK, n - b * BLOCK);
        for (int i = 0; i < c; i++) {
          m.next();
          bk[i] = m.key;
          be[i] = m.entry;
        }
        first[(int) b] = bk[0];
        for (int i = 0; i < c; i++) {
          out.writeLong(bk[i]);
        }
        for (int i = 0; i < c; i++) {
          long v = be[i] - base;
          for (int k = 0; k < w; k++) {
            out.writeByte((byte) (v >>> (8 * k)));
          }
        }
      }
      for (long f : first) {
        out.writeLong(f);
      }
      CodecUtil.writeFooter(out);
      done = true;
    } finally {
      if (!done) {
        try {
          dir.deleteFile(name);
        } catch (IOException | RuntimeException e) {
          // the next open deletes unlisted run files
        }
      }
    }
    return FileRun.open(dir, name);
  }

  /** Releases the table's runs; committed files stay (they are the index), spilled ones go. */
  @Override
  public synchronized void close() {
    releaseUncommitted();
    for (Run r : files) {
      r.decRef();
    }
    files = new ArrayList<>();
  }

  /** Sorts {@code keys[0, n)} by unsigned value, carrying {@code vals} along (LSD radix, 8-bit digits). */
  static void sort(long[] keys, long[] vals, int n) {
    long[] k2 = new long[n];
    long[] v2 = new long[n];
    int[] count = new int[256];
    long[] ka = keys;
    long[] va = vals;
    long[] kb = k2;
    long[] vb = v2;
    for (int shift = 0; shift < 64; shift += 8) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) (ka[i] >>> shift) & 0xff]++;
      }
      int sum = 0;
      for (int d = 0; d < count.length; d++) {
        int c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        int p = count[(int) (ka[i] >>> shift) & 0xff]++;
        kb[p] = ka[i];
        vb[p] = va[i];
      }
      long[] t = ka;
      ka = kb;
      kb = t;
      t = va;
      va = vb;
      vb = t;
    }
    // Eight passes: the sorted data is back in the caller's arrays.
  }

  /** The key at a position of a sorted run. */
  @FunctionalInterface
  interface KeyAt {
    long at(long i) throws IOException;
  }

  /** The first position in {@code [from, to)} whose key is at or above {@code key} (unsigned), or {@code to}. */
  static long lowerBound(KeyAt keys, long from, long to, long key) throws IOException {
    while (from < to) {
      long mid = (from + to) >>> 1;
      if (Long.compareUnsigned(keys.at(mid), key) < 0) {
        from = mid + 1;
      } else {
        to = mid;
      }
    }
    return from;
  }

  /** An immutable sorted run of (key, entry) pairs, shared by views and released by reference count. */
  abstract static class Run {
    final long size;
    final long minEntry;
    final long maxEntry;
    private final AtomicInteger refs = new AtomicInteger(1);

    Run(long size, long minEntry, long maxEntry) {
      this.size = size;
      this.minEntry = minEntry;
      this.maxEntry = maxEntry;
    }

    abstract long key(long i) throws IOException;

    abstract long entry(long i) throws IOException;

    /** The first position whose key is at or above {@code key} (unsigned), or {@link #size}. */
    long lowerBound(long key) throws IOException {
      return BandTable.lowerBound(this::key, 0, size, key);
    }

    final void incRef() {
      if (refs.getAndIncrement() <= 0) {
        throw new IllegalStateException("band run already released");
      }
    }

    final void decRef() {
      if (refs.decrementAndGet() == 0) {
        release();
      }
    }

    void release() {}
  }

  static final class MemoryRun extends Run {
    private final long[] keys;
    private final long[] entries;

    private MemoryRun(long[] keys, long[] entries, long min, long max) {
      super(keys.length, min, max);
      this.keys = keys;
      this.entries = entries;
    }

    /** A run of sorted {@code keys} and their {@code entries}, with the entries' range. */
    private static MemoryRun of(long[] keys, long[] entries) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (long e : entries) {
        min = Math.min(min, e);
        max = Math.max(max, e);
      }
      return new MemoryRun(keys, entries, min, max);
    }

    static MemoryRun sorted(long[] keys, long[] entries, int n) {
      long[] k = Arrays.copyOf(keys, n);
      long[] e = Arrays.copyOf(entries, n);
      sort(k, e, n);
      return of(k, e);
    }

    static MemoryRun merge(List<Run> runs) {
      long n = 0;
      for (Run r : runs) {
        n += r.size;
      }
      long[] k = new long[Math.toIntExact(n)];
      long[] e = new long[k.length];
      try {
        Merger m = new Merger(runs);
        for (int i = 0; i < k.length; i++) {
          m.next();
          k[i] = m.key;
          e[i] = m.entry;
        }
      } catch (IOException ex) {
        throw new java.io.UncheckedIOException(ex); // memory runs do no I/O
      }
      return of(k, e);
    }

    @Override
    long key(long i) {
      return keys[(int) i];
    }

    @Override
    long entry(long i) {
      return entries[(int) i];
    }

  }

  static final class FileRun extends Run {
    final String name;
    private final Directory dir;
    private final IndexInput in;
    private final RandomAccessInput data;
    private final long dataStart;
    private final long base;
    private final int width;
    private final long[] first;
    volatile boolean obsolete;

    private FileRun(String name, Directory dir, IndexInput in, RandomAccessInput data, long dataStart, long n, long base,
        int width, long[] first, long max) {
      super(n, base, max);
      this.name = name;
      this.dir = dir;
      this.in = in;
      this.data = data;
      this.dataStart = dataStart;
      this.base = base;
      this.width = width;
      this.first = first;
    }

    static FileRun open(Directory dir, String name) throws IOException {
      IndexInput in = dir.openInput(name, IOContext.DEFAULT);
      boolean ok = false;
      try {
        CodecUtil.checkHeader(in, CODEC, VERSION, VERSION);
        long n = in.readLong();
        long base = in.readLong();
        long max = in.readLong();
        int w = in.readByte();
        long dataStart = in.getFilePointer();
        long blocks = (n + BLOCK - 1) / BLOCK;
        long expect = dataStart + n * (8 + (long) Math.max(w, 0)) + blocks * 8 + CodecUtil.footerLength();
        if (n < 0 || w < 1 || w > 8 || blocks > Integer.MAX_VALUE || max < base || in.length() != expect) {
          throw new org.apache.lucene.index.CorruptIndexException("band run of " + n + " pairs, width " + w
              + ", has " + in.length() + " bytes, expected " + expect, in);
        }
        CodecUtil.retrieveChecksum(in);
        long[] first = new long[(int) blocks];
        in.seek(dataStart + n * (8 + (long) w));
        for (int b = 0; b < first.length; b++) {
          first[b] = in.readLong();
        }
        RandomAccessInput data = in.randomAccessSlice(0, in.length());
        ok = true;
        return new FileRun(name, dir, in, data, dataStart, n, base, w, first, max);
      } finally {
        if (!ok) {
          in.close();
        }
      }
    }

    /** Verifies the whole file against its footer checksum. */
    void checkIntegrity() throws IOException {
      CodecUtil.checksumEntireFile(in.clone());
    }

    private long blockStart(long b) {
      return dataStart + b * BLOCK * (8L + width);
    }

    @Override
    long key(long i) throws IOException {
      long b = i / BLOCK;
      return data.readLong(blockStart(b) + (i - b * BLOCK) * 8);
    }

    @Override
    long entry(long i) throws IOException {
      long b = i / BLOCK;
      long c = Math.min(BLOCK, size - b * BLOCK);
      long p = blockStart(b) + c * 8 + (i - b * BLOCK) * width;
      // At least 8 bytes follow any entry (the block keys and the footer), so one read suffices.
      long v = data.readLong(p);
      return base + (width == 8 ? v : v & ((1L << (8 * width)) - 1));
    }

    @Override
    long lowerBound(long key) throws IOException {
      // The last block whose first key is below key holds the lower bound, or it is the next block's start.
      long b = BandTable.lowerBound(i -> first[(int) i], 0, first.length, key);
      if (b == 0) {
        return 0;
      }
      long from = (b - 1) * BLOCK;
      return BandTable.lowerBound(this::key, from, Math.min(size, from + BLOCK), key);
    }

    @Override
    void release() {
      try {
        in.close();
      } catch (IOException e) {
        // nothing was written through it
      }
      if (obsolete) {
        try {
          dir.deleteFile(name);
        } catch (IOException | RuntimeException e) {
          // the next writer open deletes run files no commit lists
        }
      }
    }
  }

  /** Merges sorted runs by key (unsigned), ties in run order. */
  private static final class Merger {
    private final Run[] runs;
    private final long[] pos;
    private final long[] head;
    long key;
    long entry;

    Merger(List<Run> runs) throws IOException {
      this.runs = runs.toArray(new Run[0]);
      this.pos = new long[this.runs.length];
      this.head = new long[this.runs.length];
      for (int i = 0; i < this.runs.length; i++) {
        if (this.runs[i].size > 0) {
          head[i] = this.runs[i].key(0);
        }
      }
    }

    void next() throws IOException {
      int best = -1;
      for (int i = 0; i < runs.length; i++) {
        if (pos[i] < runs[i].size && (best < 0 || Long.compareUnsigned(head[i], head[best]) < 0)) {
          best = i;
        }
      }
      if (best < 0) {
        throw new IllegalStateException("band run merge past its end");
      }
      key = head[best];
      entry = runs[best].entry(pos[best]);
      long p = ++pos[best];
      if (p < runs[best].size) {
        head[best] = runs[best].key(p);
      }
    }
  }

  /** A fixed set of runs; closing it releases them. */
  public static final class View implements Closeable {
    private final Run[] runs;
    private boolean closed;

    View(Run[] runs) {
      this.runs = runs;
    }

    /** Band pairs in this view. */
    long size() {
      long n = 0;
      for (Run r : runs) {
        n += r.size;
      }
      return n;
    }

    /** Every key of every run, in run order (for building a filter). */
    void forEachKey(java.util.function.LongConsumer to) throws IOException {
      for (Run r : runs) {
        for (long i = 0; i < r.size; i++) {
          to.accept(r.key(i));
        }
      }
    }

    /** The distinct entries below {@code size} holding any of {@code keys}, ascending. */
    long[] lookup(long[] keys, int count, long size) throws IOException {
      long[] out = new long[8];
      int n = 0;
      for (Run r : runs) {
        if (r.size == 0 || r.minEntry >= size) {
          continue;
        }
        for (int q = 0; q < count; q++) {
          long k = keys[q];
          for (long i = r.lowerBound(k); i < r.size && r.key(i) == k; i++) {
            long e = r.entry(i);
            if (e < size) {
              if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
              }
              out[n++] = e;
            }
          }
        }
      }
      Arrays.sort(out, 0, n);
      int d = 0;
      for (int i = 0; i < n; i++) {
        if (d == 0 || out[d - 1] != out[i]) {
          out[d++] = out[i];
        }
      }
      return Arrays.copyOf(out, d);
    }

    /**
     * One view of the runs of {@code a} and {@code b} (either may be null), taking over their holds:
     * closing it releases them, and closing {@code a} or {@code b} afterwards does nothing.
     */
    public static View combine(View a, View b) {
      List<Run> rs = new ArrayList<>();
      for (View v : new View[] {a, b}) {
        if (v != null) {
          synchronized (v) {
            if (!v.closed) {
              rs.addAll(List.of(v.runs));
              v.closed = true;
            }
          }
        }
      }
      return new View(rs.toArray(new Run[0]));
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        for (Run r : runs) {
          r.decRef();
        }
      }
    }
  }
}
