package dev.hallmark.clean.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import dev.hallmark.detector.DocumentException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSONL line parser, the JSONL stream reader and the WARC reader on any bytes: documents,
 * error records or {@link DocumentException}, never another exception, and every reader ends.
 * Regression inputs: {@code src/test/resources/dev/hallmark/clean/internal/ReadersFuzzTestInputs/}.
 */
class ReadersFuzzTest {
  private static final JsonFactory JSON = new JsonFactory();

  @FuzzTest(maxDuration = "30s")
  void jsonlLine(byte[] data) {
    try {
      JsonlDocuments.parse(JSON, RawDoc.bytes("line 1", null, data, null), "fuzz.jsonl", "text", "id", new JsonlDocuments.Parsed());
    } catch (DocumentException expected) {
      // documented rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void jsonlStream(FuzzedDataProvider d) throws Exception {
    int maxLine = d.consumeInt(1, 4096);
    byte[] data = d.consumeRemainingAsBytes();
    JsonlReader r = new JsonlReader(new ByteArrayInputStream(data), "fuzz.jsonl", maxLine);
    try {
      int n = 0;
      while (r.next(false) != null) {
        if (++n > data.length + 1) {
          throw new AssertionError("more records than bytes: the reader does not advance");
        }
      }
    } finally {
      r.close();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void warcFile(byte[] data) throws Exception {
    Path f = Files.createTempFile("fuzz", ".warc");
    try {
      Files.write(f, data);
      WarcUnitReader r = new WarcUnitReader(f, "fuzz.warc", 1 << 20);
      try {
        int n = 0;
        RawDoc doc;
        while ((doc = r.next(false)) != null) {
          if (doc.size < 0) {
            throw new AssertionError("negative record size " + doc.size);
          }
          if (++n > data.length + 1) {
            throw new AssertionError("more records than bytes: the reader does not advance");
          }
        }
      } finally {
        r.close();
      }
    } finally {
      Files.deleteIfExists(f);
    }
  }
  /**
   * ZIP and tar archives: the reader ends, sizes are never negative, and reading with {@code skip} gives
   * the same locations and sizes as reading in full (a resumed run must cut the same shards).
   */
  @FuzzTest(maxDuration = "30s")
  void archiveFile(FuzzedDataProvider d) throws Exception {
    boolean zip = d.consumeBoolean();
    byte[] data = d.consumeRemainingAsBytes();
    Path f = Files.createTempFile("fuzz", zip ? ".zip" : ".tar");
    try {
      Files.write(f, data);
      java.util.List<String> full = archive(f, false, data.length);
      java.util.List<String> skipped = archive(f, true, data.length);
      if (!full.equals(skipped)) {
        throw new AssertionError("skip changes the documents: " + full + " against " + skipped);
      }
    } finally {
      Files.deleteIfExists(f);
    }
  }

  private static java.util.List<String> archive(Path f, boolean skip, int length) {
    java.util.List<String> docs = new java.util.ArrayList<>();
    ArchiveUnitReader r = new ArchiveUnitReader(f, "fuzz", 1 << 20);
    try {
      RawDoc doc;
      while ((doc = r.next(skip)) != null) {
        if (doc.size < 0) {
          throw new AssertionError("negative member size " + doc.size);
        }
        if (docs.size() > length + 1) {
          throw new AssertionError("more members than bytes: the reader does not advance");
        }
        // A member read in full may turn out damaged (an error of the same size); the location and size must agree.
        docs.add(doc.location + ":" + doc.size + (doc.readError != null && doc.location.equals("(archive)") ? "!" : ""));
      }
    } finally {
      r.close();
    }
    return docs;
  }
}
