package dev.hallmark.cli.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.NoteVerifierKey;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Match;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import dev.hallmark.ledger.VerifyReport;
import dev.hallmark.ledger.LedgerServer;
import dev.hallmark.watermark.fingerprint.ImageFingerprint;
import dev.hallmark.watermark.fingerprint.TextFingerprint;
import dev.hallmark.watermark.image.Images;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark ledger}: the provenance ledger (a C2SP tlog-tiles transparency log of signed records). */
@Command(
    name = "ledger",
    description = {
      "Provenance ledger: signed records in a tamper-evident transparency log (RFC 6962 Merkle tree,",
      "C2SP tlog-tiles layout, signed checkpoints, tlog-proof receipts) with a lookup index."
    },
    mixinStandardHelpOptions = true,
    subcommands = {
      LedgerCommand.Init.class, LedgerCommand.Add.class, LedgerCommand.CheckpointCmd.class, LedgerCommand.Get.class,
      LedgerCommand.Lookup.class, LedgerCommand.Prove.class, LedgerCommand.Verify.class, LedgerCommand.VerifyReceipt.class,
      LedgerCommand.Reindex.class, LedgerCommand.Serve.class
    })
public final class LedgerCommand implements Runnable {
  static final ObjectMapper JSON = new ObjectMapper();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "a ledger subcommand is required (init, add, checkpoint, get, lookup, prove, verify, verify-receipt, reindex, serve)");
  }

  /** Options shared by commands that work on one log folder. */
  abstract static class DirCommand extends BaseCommand {
    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The log folder.")
    Path dir;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** The log's signing key from the keyring: --log-key-name, else the name recorded at init. */
    SigningKey logSigningKey(String nameOption, String passEnv) throws HallmarkException {
      String name = nameOption != null ? nameOption : Ledgers.configuredSigningKeyName(dir);
      if (name == null) {
        throw new UsageException("the log in " + dir + " records no signing key name; pass --log-key-name NAME");
      }
      return signingKey(name, passEnv);
    }

    /** The verifier key to trust: --log-key (a vkey or a file holding one), else the one recorded in DIR. */
    NoteVerifierKey trustedLogKey(String option) throws HallmarkException, IOException {
      if (option != null) {
        return parseVkey(option);
      }
      NoteVerifierKey k = Ledgers.configuredLogKey(dir);
      err().println("note: trusting the log key recorded in " + dir + " (" + k.encode() + "); pin it with --log-key");
      return k;
    }

    LedgerSnapshot readSnapshot(String logKey) throws HallmarkException, IOException {
      return Ledgers.openSnapshot(dir, trustedLogKey(logKey));
    }
  }

  static NoteVerifierKey parseVkey(String option) throws IOException, HallmarkException {
    String v = option;
    if (!option.contains("+") && Files.exists(Path.of(option))) {
      v = Files.readString(Path.of(option), StandardCharsets.UTF_8).trim();
    }
    try {
      return NoteVerifierKey.parse(v);
    } catch (IllegalArgumentException e) {
      throw new HallmarkException("--log-key '" + option + "': " + e.getMessage());
    }
  }

  static Map<String, Object> matchJson(Match m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("index", m.index());
    o.put("similarity", m.similarity());
    if (m.distance() >= 0) {
      o.put("distance", m.distance());
    }
    o.put("record", m.record().toJson(true));
    return o;
  }

  /** {@code ledger init}. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create an empty log in DIR whose checkpoints are signed by a keyring signing key; prints the log's verifier key.")
  static final class Init extends DirCommand {
    @Option(names = "--origin", required = true, paramLabel = "ORIGIN",
        description = "Checkpoint origin, e.g. example.com/hallmark/log (also the signing key's note name).")
    String origin;

    @Option(names = "--signing-key", required = true, paramLabel = "NAME", description = "Keyring signing key for checkpoints.")
    String keyName;

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Passphrase of the signing key, from this variable.")
    String passEnv;

    @Override
    public Integer call() throws Exception {
      SigningKey key = signingKey(keyName, passEnv);
      NoteVerifierKey v = Ledgers.init(dir, origin, key, keyName);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dir", dir.toString());
        m.put("origin", origin);
        m.put("logKey", v.encode());
        printJson(m);
      } else {
        out().println(v.encode());
        err().println("created an empty log in " + dir + "; publish the verifier key above so others can check it");
      }
      return ExitCodes.OK;
    }
  }

  /** {@code ledger add}. */
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {
        "Append records (JSON files, or '-' for JSON Lines on stdin) and sign a new checkpoint.",
        "Unsigned records are signed with --signing-key (the producer key). Prints each record's index."
      })
  static final class Add extends DirCommand {
    @Parameters(arity = "1..*", paramLabel = "RECORD", description = "Record JSON files, or '-' for JSONL on stdin.")
    List<String> inputs;

    @Option(names = "--signing-key", paramLabel = "NAME", description = "Producer key that signs unsigned records.")
    String producerKey;

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Passphrase of --signing-key.")
    String passEnv;

    @Option(names = "--log-key-name", paramLabel = "NAME", description = "Keyring key signing checkpoints (default: the one named at init).")
    String logKeyName;

    @Option(names = "--log-passphrase-env", paramLabel = "VAR", description = "Passphrase of the log's signing key.")
    String logPassEnv;

    @Override
    public Integer call() throws Exception {
      SigningKey producer = null;
      if (producerKey != null) {
        producer = signingKey(producerKey, passEnv);
      }
      List<Record> records = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (String in : inputs) {
        if (in.equals("-")) {
          BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          String line;
          int n = 0;
          while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
              continue;
            }
            records.add(prepare(line.getBytes(StandardCharsets.UTF_8), "stdin line " + n, producer));
            names.add("stdin:" + n);
          }
        } else {
          Path p = Path.of(in);
          records.add(prepare(Files.readAllBytes(p), in, producer));
          names.add(in);
        }
      }
      if (records.isEmpty()) {
        throw new HallmarkException("no records to add (stdin was empty)");
      }
      long[] ids;
      SignedCheckpoint cp;
      try (Ledger l = Ledgers.open(dir, logSigningKey(logKeyName, logPassEnv), LedgerOptions.DEFAULT)) {
        ids = l.appendAll(records);
        cp = l.checkpoint();
      }
      if (json) {
        List<Object> arr = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("index", ids[i]);
          m.put("input", names.get(i));
          m.put("contentSha256", records.get(i).contentSha256());
          arr.add(m);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("added", arr);
        o.put("treeSize", cp.size());
        o.put("checkpoint", cp.encode());
        printJson(o);
      } else {
        for (int i = 0; i < ids.length; i++) {
          out().println(ids[i] + "\t" + names.get(i));
        }
        err().println("log " + dir + " now has " + cp.size() + " entries (checkpoint signed)");
      }
      return ExitCodes.OK;
    }

    private static Record prepare(byte[] json, String name, SigningKey producer) throws HallmarkException {
      Record r;
      try {
        r = Record.parse(json);
      } catch (LedgerException e) {
        throw new HallmarkException(name + ": " + e.getMessage());
      }
      if (!r.isSigned()) {
        if (producer == null) {
          throw new UsageException(name + ": record is unsigned; pass --signing-key NAME to sign it as its producer");
        }
        r = r.sign(producer);
      }
      try {
        r.verifySignature();
        r.entryBytes();
      } catch (VerificationException | LedgerException e) {
        throw new HallmarkException(name + ": " + e.getMessage());
      }
      return r;
    }
  }

  /** {@code ledger checkpoint}. */
  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = "Integrate any recovered entries, sign a checkpoint if the log grew, and print the current signed checkpoint.")
  static final class CheckpointCmd extends DirCommand {
    @Option(names = "--log-key-name", paramLabel = "NAME", description = "Keyring key signing checkpoints (default: the one named at init).")
    String logKeyName;

    @Option(names = "--log-passphrase-env", paramLabel = "VAR", description = "Passphrase of the log's signing key.")
    String logPassEnv;

    @Override
    public Integer call() throws Exception {
      SignedCheckpoint cp;
      try (Ledger l = Ledgers.open(dir, logSigningKey(logKeyName, logPassEnv), LedgerOptions.DEFAULT)) {
        cp = l.checkpoint();
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("origin", cp.checkpoint().origin());
        m.put("treeSize", cp.size());
        m.put("rootHash", java.util.Base64.getEncoder().encodeToString(cp.rootHash()));
        m.put("checkpoint", cp.encode());
        printJson(m);
      } else {
        out().print(cp.encode());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code ledger get}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the record at an index (checked against the Merkle tree).")
  static final class Get extends DirCommand {
    @Option(names = "--index", required = true, paramLabel = "N", description = "Entry index.")
    long index;

    @Option(names = "--log-key", paramLabel = "VKEY", description = "Log verifier key (or a file holding it).")
    String logKey;

    @Override
    public Integer call() throws Exception {
      try (LedgerSnapshot s = readSnapshot(logKey)) {
        Record r = s.get(index);
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("index", index);
          m.put("record", r.toJson(true));
          printJson(m);
        } else {
          out().println(r.toJson(true).toPrettyString());
        }
      }
      return ExitCodes.OK;
    }
  }

  /** Exactly one lookup key (field filters may be combined with each other). */
  static final class LookupKey {
    @Option(names = "--sha256", paramLabel = "HEX", description = "Exact content SHA-256.")
    String sha;

    @Option(names = "--text", paramLabel = "FILE", description = "Text near-duplicates (MinHash of the file's UTF-8 text).")
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

  /** {@code ledger lookup}. */
  @Command(name = "lookup", mixinStandardHelpOptions = true,
      description = {"Find records by content hash, text or image near-duplicate, or exact fields",
        "(model, producer key id, watermark key id, kind, time range).",
        "Exit code 1 when nothing matches."})
  static final class Lookup extends DirCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    LookupKey key;

    @Option(names = "--min-jaccard", defaultValue = "0.5", paramLabel = "J", description = "Text: least estimated Jaccard similarity (default ${DEFAULT-VALUE}).")
    double minJaccard;

    @Option(names = "--max-distance", defaultValue = "31", paramLabel = "BITS", description = "Image: largest Hamming distance, 0..31 (default ${DEFAULT-VALUE}).")
    int maxDistance;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "Most results (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--log-key", paramLabel = "VKEY", description = "Log verifier key (or a file holding it).")
    String logKey;

    @Override
    public Integer call() throws Exception {
      if (minJaccard < 0 || minJaccard > 1) {
        throw new UsageException("--min-jaccard must be between 0 and 1");
      }
      if (limit < 1) {
        throw new UsageException("--limit must be at least 1");
      }
      List<Match> ms;
      try (LedgerSnapshot s = readSnapshot(logKey)) {
        if (key.sha != null) {
          ms = s.findBySha256(key.sha);
        } else if (key.text != null) {
          String text = Files.readString(key.text, StandardCharsets.UTF_8);
          ms = s.findText(TextFingerprint.minHash(text), minJaccard, limit);
        } else if (key.image != null) {
          ms = s.findImage(ImageFingerprint.of(Images.read(key.image)).hex(), maxDistance, limit);
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
  }

  /** Index or hash for prove. */
  static final class ProveKey {
    @Option(names = "--index", paramLabel = "N", description = "Entry index.")
    Long index;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Content SHA-256 (the oldest matching record).")
    String sha;

    @Option(names = "--consistency-from", paramLabel = "SIZE",
        description = "Instead: an RFC 6962 consistency proof from tree size SIZE to the current checkpoint (base64 hashes, one a line).")
    Long from;
  }

  /** {@code ledger prove}. */
  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = {"Print an offline receipt (C2SP tlog-proof carrying the record) for an entry,",
        "or with --consistency-from a consistency proof to the current checkpoint."})
  static final class Prove extends DirCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    ProveKey key;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the receipt to FILE (.tlog-proof) instead of stdout.")
    Path outFile;

    @Option(names = "--log-key", paramLabel = "VKEY", description = "Log verifier key (or a file holding it).")
    String logKey;

    @Override
    public Integer call() throws Exception {
      Receipt r;
      long index;
      try (LedgerSnapshot s = readSnapshot(logKey)) {
        if (key.from != null) {
          if (key.from < 1 || key.from > s.size()) {
            throw new UsageException("--consistency-from must be between 1 and the log size " + s.size());
          }
          dev.hallmark.ledger.ConsistencyProof p = s.consistencyProof(key.from);
          StringBuilder b = new StringBuilder();
          p.hashes().forEach(h -> b.append(java.util.Base64.getEncoder().encodeToString(h)).append('\n'));
          if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("size1", p.size1());
            m.put("size2", p.size2());
            m.put("root1", java.util.Base64.getEncoder().encodeToString(s.rootHash(p.size1())));
            m.put("root2", java.util.Base64.getEncoder().encodeToString(s.checkpoint().rootHash()));
            m.put("proof", p.hashes().stream().map(h -> java.util.Base64.getEncoder().encodeToString(h)).toList());
            m.put("checkpoint", s.checkpoint().encode());
            printJson(m);
          } else {
            out().print(b);
          }
          return ExitCodes.OK;
        }
        if (key.index != null) {
          index = key.index;
        } else {
          List<Match> ms = s.findBySha256(key.sha);
          if (ms.isEmpty()) {
            err().println("no record with contentSha256 " + key.sha + " in the log");
            return ExitCodes.NEGATIVE;
          }
          index = ms.get(0).index();
        }
        r = s.receipt(index);
      }
      if (outFile != null) {
        Path tmp = outFile.resolveSibling(outFile.getFileName() + ".tmp");
        Files.writeString(tmp, r.encode(), StandardCharsets.UTF_8);
        Files.move(tmp, outFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("receipt", r.encode());
        printJson(m);
      } else if (outFile == null) {
        out().print(r.encode());
      } else {
        err().println("wrote receipt for entry " + index + " to " + outFile);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code ledger verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Recompute every tile and the root from the entries, check the checkpoint signature and every",
        "record signature, and prove the log only grew since the checkpoint this home remembers from the",
        "last verify of the same log (or since --since). Exit code 1 names the first problem."})
  static final class Verify extends DirCommand {
    @Option(names = "--since", paramLabel = "CHECKPOINT_FILE",
        description = "A signed checkpoint seen earlier (instead of the remembered one).")
    Path since;

    @Option(names = "--log-key", paramLabel = "VKEY", description = "Log verifier key (or a file holding it).")
    String logKey;

    @Option(names = "--no-remember",
        description = "Neither check against nor update the checkpoint remembered in HOME/checkpoints.")
    boolean noRemember;

    @Override
    public Integer call() throws Exception {
      NoteVerifierKey k = trustedLogKey(logKey);
      Path memo = noRemember ? null : rememberedCheckpoint(home(), k);
      String remembered = memo != null && Files.isRegularFile(memo) ? Files.readString(memo, StandardCharsets.UTF_8) : null;
      if (remembered != null) {
        try {
          SignedCheckpoint.verify(remembered, k);
        } catch (VerificationException e) {
          throw new HallmarkException(memo + ": the remembered checkpoint of this log is unreadable (" + e.getMessage()
              + "); delete the file to start over, or pass --no-remember");
        }
      }
      boolean againstMemo = since == null && remembered != null;
      String old = since != null ? Files.readString(since, StandardCharsets.UTF_8) : remembered;
      long[] last = {System.nanoTime()};
      VerifyReport rep;
      try {
        rep = Ledgers.verify(dir, k, old, n -> {
          if (System.nanoTime() - last[0] > 2_000_000_000L) {
            err().println("verified " + n + " entries...");
            err().flush();
            last[0] = System.nanoTime();
          }
        });
      } catch (VerificationException e) {
        String against = againstMemo ? " (checked against the checkpoint remembered in " + memo + ")" : "";
        return verificationFailed(json, "log " + dir + " FAILED verification" + against, e);
      }
      // Remember the new view only when it was proven consistent with the remembered one (or there was none).
      if (memo != null && (remembered == null || againstMemo)) {
        remember(memo, rep.checkpoint().encode());
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("treeSize", rep.entries());
        m.put("tiles", rep.tiles());
        m.put("rootHash", java.util.Base64.getEncoder().encodeToString(rep.checkpoint().rootHash()));
        m.put("producerKeyIds", rep.producerKeyIds());
        m.put("sinceSize", rep.sinceSize());
        m.put("since", since != null ? "file" : againstMemo ? "remembered" : null);
        printJson(m);
      } else {
        String consistent = rep.sinceSize() == null ? ""
            : ", consistent with the " + (againstMemo ? "remembered" : "earlier") + " checkpoint of size " + rep.sinceSize();
        out().println("ok: " + rep.entries() + " entries, " + rep.tiles() + " tiles, root "
            + java.util.Base64.getEncoder().encodeToString(rep.checkpoint().rootHash()) + consistent);
      }
      return ExitCodes.OK;
    }

    /** {@code HOME/checkpoints/ORIGIN+KEYID.checkpoint}: the last checkpoint verified for this log key. */
    static Path rememberedCheckpoint(Path home, NoteVerifierKey k) {
      return home.resolve("checkpoints").resolve(k.name().replaceAll("[^A-Za-z0-9.-]", "_") + "+" + k.keyIdHex() + ".checkpoint");
    }

    private void remember(Path memo, String checkpoint) {
      try {
        Files.createDirectories(memo.getParent());
        Path tmp = Files.createTempFile(memo.getParent(), ".checkpoint", ".tmp");
        Files.writeString(tmp, checkpoint, StandardCharsets.UTF_8);
        Files.move(tmp, memo, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        err().println("hallmark: warning: could not remember the verified checkpoint in " + memo + " (" + e.getMessage()
            + "); the next verify cannot detect a rollback without --since");
      }
    }
  }

  /** {@code ledger verify-receipt}. */
  @Command(name = "verify-receipt", mixinStandardHelpOptions = true,
      description = "Verify an offline receipt with nothing but the log's verifier key. Exit code 1 if it does not verify.")
  static final class VerifyReceipt extends BaseCommand {
    @Parameters(index = "0", paramLabel = "RECEIPT", description = "A .tlog-proof file.")
    Path receipt;

    @Option(names = "--log-key", required = true, paramLabel = "VKEY", description = "Log verifier key (or a file holding it).")
    String logKey;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      NoteVerifierKey k = parseVkey(logKey);
      Receipt r;
      try {
        r = Receipt.parse(Files.readString(receipt, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new HallmarkException(receipt + ": not a tlog-proof: " + e.getMessage());
      }
      Record rec;
      try {
        rec = r.verify(k);
      } catch (VerificationException e) {
        return verificationFailed(json, "receipt " + receipt + " does NOT verify", e);
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", true);
        m.put("index", r.index());
        m.put("record", rec.toJson(true));
        printJson(m);
      } else {
        out().println("ok: entry " + r.index() + " of log " + k.name() + ": " + rec.kind() + " " + rec.contentSha256()
            + rec.model().map(x -> " model=" + x).orElse("") + " producer=" + rec.producerKeyId().orElse("?"));
      }
      return ExitCodes.OK;
    }
  }

  /** {@code ledger reindex}. */
  @Command(name = "reindex", mixinStandardHelpOptions = true, description = {
      "Rebuild the lookup index from the log (the log is the truth), up to its signed checkpoint.",
      "Needs no key. With --log-key-name or --log-passphrase-env it runs as the log's writer instead:"
          + " it also recovers entries appended after the last checkpoint and signs a checkpoint for them."})
  static final class Reindex extends DirCommand {
    @Option(names = "--log-key-name", paramLabel = "NAME", description = "Run as the writer with this keyring key (the log's signing key).")
    String logKeyName;

    @Option(names = "--log-passphrase-env", paramLabel = "VAR", description = "Run as the writer; the log's signing key's passphrase.")
    String logPassEnv;

    @Override
    public Integer call() throws Exception {
      long t0 = System.nanoTime();
      long n = logKeyName == null && logPassEnv == null
          ? Ledgers.reindex(dir, Ledgers.configuredLogKey(dir))
          : Ledgers.reindex(dir, logSigningKey(logKeyName, logPassEnv));
      double s = (System.nanoTime() - t0) / 1e9;
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("indexed", n);
        m.put("seconds", s);
        printJson(m);
      } else {
        out().printf("indexed %d records in %.1f s%n", n, s);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code ledger serve}. */
  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = {"Serve the tlog-tiles read API (checkpoint, tiles, entry bundles) and JSON endpoints:",
        "POST /add (bearer token), GET /lookup?sha256=H, GET /prove?index=N|sha256=H, GET /get?index=N.",
        "Checkpoints are signed every second while records arrive. Stops on Ctrl-C."})
  static final class Serve extends DirCommand {
    @Option(names = "--port", required = true, paramLabel = "P", description = "TCP port (0 picks a free one).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDR", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--token-env", paramLabel = "VAR", description = "Bearer token for POST /add, from this variable (no writes without it).")
    String tokenEnv;

    @Option(names = "--log-key-name", paramLabel = "NAME", description = "Keyring key signing checkpoints (default: the one named at init).")
    String logKeyName;

    @Option(names = "--log-passphrase-env", paramLabel = "VAR", description = "Passphrase of the log's signing key.")
    String logPassEnv;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Once listening, write the bound port to FILE (useful with --port 0).")
    Path portFile;

    @Override
    public Integer call() throws Exception {
      if (port < 0 || port > 65535) {
        throw new UsageException("--port must be 0..65535");
      }
      String token = null;
      if (tokenEnv != null) {
        token = environment().get(tokenEnv);
        if (token == null || token.length() < 16) {
          throw new UsageException("environment variable " + tokenEnv + " must hold a bearer token of at least 16 characters");
        }
      }
      try (Ledger l = Ledgers.open(dir, logSigningKey(logKeyName, logPassEnv), LedgerOptions.SERVER);
          LedgerServer server = LedgerServer.start(l, dir, new InetSocketAddress(bind, port), token, LedgerServer.Limits.DEFAULT)) {
        err().println("serving " + dir + " on http://" + bind + ":" + server.port() + "/ (writes "
            + (token == null ? "disabled" : "need the bearer token") + ")");
        err().flush();
        if (portFile != null) {
          // whole or not at all: a script polling for the file never reads half a number
          Path tmp = Files.createTempFile(portFile.toAbsolutePath().getParent(), ".port", ".tmp");
          Files.writeString(tmp, server.port() + "\n");
          Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // On Ctrl-C or SIGTERM: stop serving, then sign a final checkpoint (appends acknowledged so far
        // are durable in the write-ahead log either way; the next open would checkpoint them).
        Thread hook = new Thread(() -> {
          server.close();
          try {
            l.close();
          } catch (LedgerException e) {
            System.err.println("hallmark: " + e.getMessage());
          }
        }, "hallmark-ledger-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
          Thread.currentThread().join();
        } catch (InterruptedException e) {
          // An embedding program stops the server by interrupting this thread, like Ctrl-C. The flag is
          // not set again: closing the ledger next must not meet ClosedByInterruptException.
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException e) {
            // already shutting down: the hook closes the ledger
          }
        }
      }
      return ExitCodes.OK;
    }
  }

}
