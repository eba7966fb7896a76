package dev.hallmark.benchmarks.text;

import dev.hallmark.watermark.text.NgramLanguageModel;
import dev.hallmark.watermark.text.Tokenizers;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains the built-in demo language model (r50k_base trigram, top 8192 unigrams, n-grams seen at
 * least twice) on the training part of {@link Corpora} and writes it as the watermark module's
 * resource. Usage: {@code TrainBuiltInModel [testdata/text folder] [output file]}.
 */
public final class TrainBuiltInModel {
  private TrainBuiltInModel() {}

  public static void main(String[] args) throws Exception {
    Path root = Corpora.textRoot(args, 0);
    Path out = Path.of(args.length > 1 ? args[1]
        : "watermark/src/main/resources/dev/hallmark/watermark/text/ngram-r50k-v1.bin.gz");
    List<String> docs = Corpora.training(root);
    System.err.println("training on " + docs.size() + " documents, "
        + docs.stream().mapToLong(String::length).sum() + " chars");
    NgramLanguageModel m = NgramLanguageModel.train(docs, Tokenizers.r50k(), 8192, 2);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      m.writeTo(o);
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.err.println("wrote " + out + " (" + Files.size(out) + " bytes): " + m);
  }
}
