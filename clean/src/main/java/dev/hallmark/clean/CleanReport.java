package dev.hallmark.clean;

import dev.hallmark.detector.Reason;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a clean run, as written to {@code report.json}. Everything except {@link #run()} is
 * computed from the committed shards, so an interrupted-and-resumed run reports the same counts,
 * reasons and histograms as an uninterrupted one.
 *
 * @param output the output folder
 * @param inputs counts per input unit (one per JSONL/WARC file, one per folder of other files)
 * @param byReason removed documents per reason (a document with two reasons counts under both)
 * @param histograms score histograms over every examined document
 * @param policy the decision policy in force
 * @param detector what the detector checks (key ids, ledger size; no secrets)
 * @param run facts about this run only (time, throughput, shards skipped because already done)
 */
public record CleanReport(
    Path output,
    List<InputCounts> inputs,
    Map<Reason, Long> byReason,
    List<Histogram> histograms,
    Map<String, Object> policy,
    Map<String, Object> detector,
    RunStats run) {
  public CleanReport {
    inputs = List.copyOf(inputs);
    byReason = Map.copyOf(byReason);
    histograms = List.copyOf(histograms);
  }

  /** Version of the report.json layout. */
  public static final int FORMAT_VERSION = 1;

  /**
   * Counts for one input unit. {@code documents} is counted by the reader, the others from what the
   * writers committed; {@link #conserved()} checks that they agree.
   */
  public record InputCounts(String input, String unit, String kind, long documents, long kept,
      long removed, long errors, long skipped, long bytes) {
    public boolean conserved() {
      return documents == kept + removed + errors;
    }

    /**
     * What looks wrong with this input, in one line that names it and says what to do; null when
     * nothing does. It gave no documents (a WARC file all of whose records are of other types, such
     * as a Common Crawl WAT file; an empty file), or every document it gave is an error (a JSONL
     * file whose lines lack the text field: a wrong {@code --text-field}).
     */
    public String warning() {
      if (documents > 0 && errors == documents) {
        return input + ": every one of its " + documents + " document" + (documents == 1 ? " is an error" : "s is an error")
            + " (see errors/" + ("jsonl".equals(kind) ? "; if they lack the text field, name it with --text-field" : "") + ")";
      }
      if (documents > 0) {
        return null;
      }
      if ("warc".equals(kind) && skipped > 0) {
        return input + ": no documents: none of its " + skipped + " WARC record" + (skipped == 1 ? " is" : "s is")
            + " a response, resource or conversion record (a Common Crawl WAT file holds only metadata;"
            + " clean the matching WARC or WET files)";
      }
      if ("archive".equals(kind) && skipped > 0) {
        return input + ": no documents: its " + skipped + " member" + (skipped == 1 ? " is a link or special file" : "s are links or special files")
            + " (folders are not counted)";
      }
      return input + ": no documents: it is empty" + ("jsonl".equals(kind) ? " or holds only blank lines" : "");
    }
  }

  /** A histogram: {@code counts[i]} documents fell in bin {@code labels[i]}. */
  public record Histogram(String name, String description, List<String> labels, List<Long> counts) {
    public Histogram {
      labels = List.copyOf(labels);
      counts = List.copyOf(counts);
    }
  }

  /** Facts about this particular run. */
  public record RunStats(double seconds, long documents, long bytes, long shardsProcessed,
      long shardsSkipped, int threads) {
    public double documentsPerSecond() {
      return seconds > 0 ? documents / seconds : 0;
    }

    public double megabytesPerSecond() {
      return seconds > 0 ? bytes / 1e6 / seconds : 0;
    }
  }

  public long documents() {
    return inputs.stream().mapToLong(InputCounts::documents).sum();
  }

  public long kept() {
    return inputs.stream().mapToLong(InputCounts::kept).sum();
  }

  public long removed() {
    return inputs.stream().mapToLong(InputCounts::removed).sum();
  }

  public long errors() {
    return inputs.stream().mapToLong(InputCounts::errors).sum();
  }

  /** True when every input's documents are accounted for exactly once. */
  public boolean conserved() {
    return inputs.stream().allMatch(InputCounts::conserved);
  }

  /** The report as plain values (what report.json holds). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "hallmark-clean-report");
    m.put("version", FORMAT_VERSION);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("documents", documents());
    totals.put("kept", kept());
    totals.put("removed", removed());
    totals.put("errors", errors());
    totals.put("conserved", conserved());
    m.put("totals", totals);
    List<Object> ins = new ArrayList<>();
    for (InputCounts c : inputs) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("input", c.input());
      i.put("unit", c.unit());
      i.put("kind", c.kind());
      i.put("documents", c.documents());
      i.put("kept", c.kept());
      i.put("removed", c.removed());
      i.put("errors", c.errors());
      i.put("skipped", c.skipped());
      i.put("bytes", c.bytes());
      i.put("conserved", c.conserved());
      if (c.warning() != null) {
        i.put("note", c.warning());
      }
      ins.add(i);
    }
    m.put("inputs", ins);
    Map<String, Object> reasons = new LinkedHashMap<>();
    for (Reason r : Reason.values()) {
      reasons.put(r.name(), byReason.getOrDefault(r, 0L));
    }
    m.put("removedByReason", reasons);
    List<Object> hs = new ArrayList<>();
    for (Histogram h : histograms) {
      Map<String, Object> hm = new LinkedHashMap<>();
      hm.put("name", h.name());
      hm.put("description", h.description());
      hm.put("labels", h.labels());
      hm.put("counts", h.counts());
      hs.add(hm);
    }
    m.put("histograms", hs);
    m.put("policy", policy);
    m.put("detector", detector);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("seconds", run.seconds());
    r.put("documents", run.documents());
    r.put("bytes", run.bytes());
    r.put("documentsPerSecond", run.documentsPerSecond());
    r.put("megabytesPerSecond", run.megabytesPerSecond());
    r.put("shardsProcessed", run.shardsProcessed());
    r.put("shardsSkipped", run.shardsSkipped());
    r.put("threads", run.threads());
    m.put("run", r);
    return m;
  }
}
