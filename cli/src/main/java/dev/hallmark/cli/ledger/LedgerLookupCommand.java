package dev.hallmark.cli.ledger;

import dev.hallmark.cli.options.TrustedLogKeyOptions;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Match;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.Images;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;

/** {@code ledger lookup}. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
    description = {"Find records by content hash, text or image near-duplicate, or exact fields",
      "(model, producer key id, watermark key id, kind, time range).",
      "Exit code 1 when nothing matches."})
public final class LedgerLookupCommand extends LedgerSubcommand {
  @Mixin LedgerDirOption dirOption;
  @Mixin JsonOption jsonOption;
  @Mixin TrustedLogKeyOptions logKeyOption;

  @ArgGroup(exclusive = true, multiplicity = "1")
  LookupKey key;

  @Option(names = "--min-jaccard", defaultValue = "0.5", paramLabel = "J", description = "Text: least estimated Jaccard similarity (default ${DEFAULT-VALUE}).")
  double minJaccard;

  @Option(names = "--max-distance", defaultValue = "31", paramLabel = "BITS", description = "Image: largest Hamming distance, 0..31 (default ${DEFAULT-VALUE}).")
  int maxDistance;

  @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Most results (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    boolean json = jsonOption.json;
    String logKey = logKeyOption.single();
    if (minJaccard < 0 || minJaccard > 1) {
      throw new UsageException("--min-jaccard must be between 0 and 1");
    }
    if (limit < 1) {
      throw new UsageException("--limit must be at least 1");
    }
    List<Match> ms;
    try (LedgerSnapshot s = readSnapshot(dir, logKey)) {
      if (key.sha != null) {
        ms = s.findBySha256(key.sha);
      } else if (key.text != null) {
        byte[] bytes = Files.readAllBytes(key.text);
        String text = Files.readString(key.text, StandardCharsets.UTF_8);
        // The exact hash first: a text too short for a MinHash near-duplicate can still be registered.
        ms = new ArrayList<>(s.findBySha256(dev.hallmark.detector.EvidenceCollector.sha256(bytes)));
        java.util.Set<Long> seen = new java.util.HashSet<>();
        ms.forEach(m -> seen.add(m.index()));
        for (Match m : s.findText(TextFingerprint.minHash(text), minJaccard, limit)) {
          if (seen.add(m.index())) {
            ms.add(m);
          }
        }
      } else if (key.image != null) {
        ms = s.findImage(ImageFingerprint.of(Images.readFile(key.image)).hex(), maxDistance, limit);
      } else {
        Fields f = key.fields;
        ms = s.find(new dev.hallmark.ledger.RecordQuery(f.model, f.producerKeyId, f.watermarkKeyId, f.kind, f.from, f.to), limit);
      }
    }
    if (ms.size() > limit) {
      ms = ms.subList(0, limit);
    }
    if (json) {
      List<Object> arr = new ArrayList<>();
      ms.forEach(m -> arr.add(matchJson(m)));
      printJson(arr);
    } else {
      for (Match m : ms) {
        out().printf("%d\t%s\t%s\t%.4f%s%n", m.index(), m.record().kind(), m.record().contentSha256(), m.similarity(),
            m.distance() >= 0 ? "\tdistance=" + m.distance() : "");
      }
      if (ms.isEmpty()) {
        err().println("no matching records");
      }
    }
    return ms.isEmpty() ? ExitCodes.NEGATIVE : ExitCodes.OK;
  }

  /** Exactly one lookup key (field filters may be combined with each other). */
  static final class LookupKey {
    @Option(names = "--sha256", paramLabel = "HEX", description = "Exact content SHA-256.")
    String sha;

    @Option(names = "--text", paramLabel = "FILE", description = "Text: records of exactly this file (SHA-256), then near-duplicates (MinHash of its UTF-8 text).")
    Path text;

    @Option(names = "--image", paramLabel = "FILE", description = "Image near-duplicates (256-bit perceptual hash).")
    Path image;

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Field filters (combinable):%n")
    Fields fields;
  }

  /** Exact-field filters. */
  static final class Fields {
    @Option(names = "--model", paramLabel = "NAME", description = "Records of a model.")
    String model;

    @Option(names = "--producer-key-id", paramLabel = "HEX8", description = "Records signed by this producer key id.")
    String producerKeyId;

    @Option(names = "--watermark-key-id", paramLabel = "ID", description = "Records whose watermark keyId is ID.")
    String watermarkKeyId;

    @Option(names = "--kind", paramLabel = "KIND", description = "Records of this kind (text, image, ...).")
    String kind;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Producer timestamp at or after, e.g. 2026-11-25T00:00:00Z.")
    java.time.Instant from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Producer timestamp before.")
    java.time.Instant to;
  }
}
