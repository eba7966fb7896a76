package dev.hallmark.clean.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hallmark.detector.Document;
import dev.hallmark.detector.DocumentDecision;
import dev.hallmark.detector.EmbeddedImage;
import dev.hallmark.detector.Evidence;
import dev.hallmark.detector.Reason;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The output files of one shard, written under temporary names ({@code .NAME.tmp}) and committed by
 * renaming each into place; files with no records are not created.
 */
final class ShardOutput {
  /** Identity hashes in library messages ({@code Parser@1b2c3d}) differ between runs; they are dropped. */
  private static final java.util.regex.Pattern OBJECT_HASH = java.util.regex.Pattern.compile("@[0-9a-f]{5,8}\\b");
  /** Tika's spool files ({@code /tmp/apache-tika-123.tmp}) get random names; they are replaced by a fixed one. */
  private static final java.util.regex.Pattern SPOOL_FILE = java.util.regex.Pattern.compile("\\S*apache-tika-[0-9]+\\.tmp");
  private final JsonFactory json;
  private final String input;
  private final Lane kept;
  private final Lane sources;
  private final Lane removed;
  private final Lane errors;
  private final boolean rawKept;

  ShardOutput(JsonFactory json, Path outDir, String shard, String input, boolean rawKept, Compression keptCompression) {
    this.json = json;
    this.input = input;
    this.rawKept = rawKept;
    this.kept = new Lane(outDir.resolve("kept").resolve(shard + ".jsonl" + keptCompression.suffix), keptCompression);
    this.sources = rawKept ? null : new Lane(outDir.resolve("kept").resolve(shard + ".sources.txt"), Compression.NONE);
    this.removed = new Lane(outDir.resolve("removed").resolve(shard + ".jsonl"), Compression.NONE);
    this.errors = new Lane(outDir.resolve("errors").resolve(shard + ".jsonl"), Compression.NONE);
  }

  /** Every final path a shard of this name may have (to clear a half-committed earlier attempt). */
  static List<Path> candidates(Path outDir, String shard) {
    List<Path> l = new ArrayList<>();
    for (Compression c : Compression.values()) {
      l.add(outDir.resolve("kept").resolve(shard + ".jsonl" + c.suffix));
    }
    l.add(outDir.resolve("kept").resolve(shard + ".sources.txt"));
    l.add(outDir.resolve("removed").resolve(shard + ".jsonl"));
    l.add(outDir.resolve("errors").resolve(shard + ".jsonl"));
    return l;
  }

  void kept(RawDoc raw, Document doc) throws IOException {
    if (rawKept) {
      OutputStream o = kept.out();
      o.write(raw.data);
      o.write('\n');
      return;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream(doc.text().length() + 256);
    try (JsonGenerator g = json.createGenerator(b, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("id", doc.id());
      g.writeStringField("input", input);
      g.writeStringField("location", doc.location());
      g.writeStringField("text", doc.text());
      g.writeArrayFieldStart("images");
      for (EmbeddedImage i : doc.images()) {
        g.writeString(i.name());
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    b.write('\n');
    b.writeTo(kept.out());
    OutputStream s = sources.out();
    s.write((oneLine(doc.location()) + "\t" + oneLine(doc.id()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  void removed(RawDoc raw, Document doc, DocumentDecision d) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(512);
    try (JsonGenerator g = json.createGenerator(b, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("id", doc.id());
      g.writeStringField("input", input);
      g.writeStringField("location", raw.location);
      g.writeArrayFieldStart("reasons");
      for (Reason r : d.reasons()) {
        g.writeString(r.name());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("evidence");
      for (Evidence e : d.evidence()) {
        g.writeStartObject();
        g.writeStringField("reason", e.reason().name());
        g.writeStringField("target", e.target());
        str(g, "scheme", e.scheme());
        str(g, "keyId", e.keyId());
        if (e.pValue() != null) {
          g.writeNumberField("pValue", e.pValue());
        }
        if (e.scored() != null) {
          g.writeNumberField("scored", e.scored());
        }
        str(g, "span", e.span());
        str(g, "signer", e.signer());
        if (e.ledgerIndex() != null) {
          g.writeNumberField("ledgerIndex", e.ledgerIndex());
        }
        if (e.similarity() != null) {
          g.writeNumberField("similarity", e.similarity());
        }
        if (e.distance() != null) {
          g.writeNumberField("distance", e.distance());
        }
        if (e.tests() != null) {
          g.writeNumberField("tests", e.tests());
        }
        str(g, "correction", e.correction());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("imagesScanned", d.imagesScanned());
      g.writeNumberField("textChars", doc.text().length());
      g.writeEndObject();
    }
    b.write('\n');
    b.writeTo(removed.out());
  }

  void error(RawDoc raw, String id, String stage, String message) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(b, JsonEncoding.UTF8)) {
      g.writeStartObject();
      str(g, "id", id);
      g.writeStringField("input", input);
      g.writeStringField("location", raw.location);
      g.writeStringField("stage", stage);
      g.writeStringField("error", SPOOL_FILE.matcher(OBJECT_HASH.matcher(message).replaceAll("")).replaceAll("(temporary file)"));
      g.writeEndObject();
    }
    b.write('\n');
    b.writeTo(errors.out());
  }

  /** Finishes every file, forces it to disk and renames it into place. */
  void commit() throws IOException {
    for (Lane l : lanes()) {
      l.finish();
    }
    java.util.Set<Path> folders = new java.util.LinkedHashSet<>();
    for (Lane l : lanes()) {
      if (l.rename()) {
        folders.add(l.target.toAbsolutePath().getParent());
      }
    }
    // The shard's marker is written after this; the renames must be durable before it is.
    dev.hallmark.core.DurableFiles.syncDirectories(folders);
  }

  /** Deletes the temporary files (after a failure). */
  void abort() {
    for (Lane l : lanes()) {
      l.discard();
    }
  }

  private List<Lane> lanes() {
    List<Lane> l = new ArrayList<>(List.of(kept, removed, errors));
    if (sources != null) {
      l.add(sources);
    }
    return l;
  }

  private static void str(JsonGenerator g, String f, String v) throws IOException {
    if (v != null) {
      g.writeStringField(f, v);
    }
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
  }

  static Path tmpName(Path p) {
    return p.resolveSibling("." + p.getFileName() + ".tmp");
  }

  /** One output file, opened on first write. */
  private static final class Lane {
    private final Path target;
    private final Path tmp;
    private final Compression compression;
    private FileChannel channel;
    private OutputStream out;

    Lane(Path target, Compression compression) {
      this.target = target;
      this.tmp = tmpName(target);
      this.compression = compression;
    }

    OutputStream out() throws IOException {
      if (out == null) {
        channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        OutputStream base = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), 1 << 16);
        out = compression.encode(new NonClosing(base));
        baseStream = base;
      }
      return out;
    }

    private OutputStream baseStream;

    void finish() throws IOException {
      if (out == null) {
        return;
      }
      out.close();
      baseStream.flush();
      channel.force(true);
      channel.close();
    }

    /** Renames the finished file into place; false when the lane was never written. */
    boolean rename() throws IOException {
      if (out == null) {
        return false;
      }
      dev.hallmark.core.DurableFiles.moveIntoPlace(tmp, target);
      return true;
    }

    void discard() {
      try {
        if (channel != null) {
          channel.close();
        }
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Leftover temporary files are removed at the next start.
      }
    }
  }

  /** Lets a compressor finish its frame without closing the channel underneath. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
