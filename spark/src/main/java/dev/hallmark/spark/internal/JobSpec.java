package dev.hallmark.spark.internal;

import dev.hallmark.clean.CleanJob;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The settings of a {@link CleanJob} as plain values, so that executors rebuild the same job. */
public final class JobSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> inputs;
  private final String output;
  private final String textField;
  private final String idField;
  private final boolean resume;
  private final int shardDocuments;
  private final int shardFiles;
  private final int shardRecords;
  private final long shardBytes;
  private final long maxDocumentBytes;
  private final int maxTextChars;
  private final long timeoutMillis;
  private final int maxEmbeddedDepth;
  private final int maxEmbeddedResources;
  private final CleanJob.Isolation isolation;
  private final int extractorMemoryMb;

  public JobSpec(CleanJob j) {
    if (j.inputs().contains(CleanJob.STDIN)) {
      throw new IllegalArgumentException("the Spark job reads files, not standard input ('-')");
    }
    inputs = List.copyOf(j.inputs());
    output = j.output().toString();
    textField = j.textField();
    idField = j.idField();
    resume = j.resume();
    shardDocuments = j.shardDocuments();
    shardFiles = j.shardFiles();
    shardRecords = j.shardRecords();
    shardBytes = j.shardBytes();
    maxDocumentBytes = j.maxDocumentBytes();
    maxTextChars = j.maxTextChars();
    timeoutMillis = j.documentTimeout().toMillis();
    maxEmbeddedDepth = j.maxEmbeddedDepth();
    maxEmbeddedResources = j.maxEmbeddedResources();
    isolation = j.isolation();
    extractorMemoryMb = j.extractorMemoryMb();
  }

  /** The job, with one thread (a task cleans its units one after another). */
  public CleanJob toJob() {
    CleanJob.Builder b = CleanJob.builder().output(Path.of(output)).textField(textField).idField(idField).resume(resume)
        .threads(1).shardDocuments(shardDocuments).shardFiles(shardFiles).shardRecords(shardRecords).shardBytes(shardBytes)
        .maxDocumentBytes(maxDocumentBytes).maxTextChars(maxTextChars).documentTimeout(Duration.ofMillis(timeoutMillis))
        .maxEmbeddedDepth(maxEmbeddedDepth).maxEmbeddedResources(maxEmbeddedResources)
        .isolation(isolation).extractorMemoryMb(extractorMemoryMb);
    inputs.forEach(b::input);
    return b.build();
  }

  public String textField() {
    return textField;
  }

  public String idField() {
    return idField;
  }
}
