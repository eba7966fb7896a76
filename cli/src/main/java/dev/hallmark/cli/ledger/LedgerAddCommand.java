package dev.hallmark.cli.ledger;

import dev.hallmark.cli.options.SigningKeyOptions;
import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.core.Ed25519BatchVerifier;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.LineReader;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.AppendStream;
import dev.hallmark.ledger.Appended;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerException;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.ledger.Record;
import dev.hallmark.ledger.SignedCheckpoint;
import dev.hallmark.ledger.VerificationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ledger add}: a stream. Records are read, signed and checked on all cores in chunks of what
 * has arrived (up to {@value #CHUNK} records), appended, and acknowledged with one flushed
 * {@code INDEX<TAB>NAME} line each as soon as their group commit is durable. At most
 * {@value #IN_FLIGHT} chunks are unacknowledged at a time, so memory does not grow with the input.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {
      "Append records (JSON files, or '-' for JSON Lines on stdin) and sign a new checkpoint.",
      "Unsigned records are signed with --signing-key (the producer key). Prints each record's index as",
      "soon as it is durable (stdin is read as a stream). A record already in the log is not added again:",
      "its existing index is printed, so re-running an input after a failure is safe. A line (or file)",
      "over 1 MiB cannot be a record and stops the command before it is read whole."
    })
public final class LedgerAddCommand extends BaseCommand {
  static final int CHUNK = 256;
  /** A line of stdin (or a record file) longer than this cannot be a record; it is refused before it is held. */
  static final int MAX_INPUT_BYTES = 1 << 20;
  static final int IN_FLIGHT = 8;
  private static final int EXISTING_NOTES = 10;

  @Parameters(arity = "1..*", paramLabel = "RECORD", description = "Record JSON files, or '-' for JSONL on stdin.")
  List<String> inputs;

  @Mixin LedgerDirOption dirOption;
  @Mixin SigningKeyOptions producerOptions;
  @Mixin LogSigningKeyOptions logKeyOptions;
  @Mixin JsonOption jsonOption;

  /** A record read from the input, not yet prepared. */
  private record Raw(String name, byte[] json) {}

  /** What an acknowledgement names: the input and the record's content hash. */
  private record Tag(String name, String contentSha256) {}

  private SigningKey producer;
  /** Batch signature checks of records that arrive signed; coefficients unpredictable to producers. */
  private final Ed25519BatchVerifier batchVerifier = new Ed25519BatchVerifier(new java.security.SecureRandom());
  private long existingNoted;
  private String lastAcknowledged;
  private final List<Object> jsonAdded = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path dir = dirOption.dir;
    if (producerOptions.name != null) {
      producer = signingKey(producerOptions.name, producerOptions.passphraseEnv);
    }
    SigningKey logKey = LedgerSupport.logSigningKey(this::signingKey, dir, logKeyOptions);
    boolean json = jsonOption.json;
    PrintWriter out = out();
    // The records are checked here (signatures of records that arrive signed, in batches on all cores)
    // before they reach the ledger; it need not check again.
    LedgerOptions opts = LedgerOptions.builder().verifySignatures(false).autoCheckpoint(Duration.ofSeconds(1)).build();
    long read = 0;
    SignedCheckpoint cp;
    try (Ledger l = Ledgers.open(dir, logKey, opts)) {
      AppendStream<Tag> stream = AppendStream.open(l, IN_FLIGHT, (tags, outcomes) -> acknowledge(out, json, tags, outcomes));
      try {
        List<Raw> chunk = new ArrayList<>(CHUNK);
        for (String in : inputs) {
          if (in.equals("-")) {
            java.io.InputStream stdin = System.in;
            LineReader r = new LineReader(stdin, MAX_INPUT_BYTES);
            byte[] line;
            int n = 0;
            while (true) {
              try {
                line = r.next();
              } catch (LineReader.LineTooLongException e) {
                // The records before it are still appended and acknowledged.
                submit(stream, chunk);
                throw new HallmarkException("stdin:" + (n + 1) + ": the line is longer than " + MAX_INPUT_BYTES
                    + " bytes, too long for a record (a signed ledger entry is at most " + Record.MAX_ENTRY_BYTES
                    + " bytes); put one record per line");
              }
              if (line == null) {
                break;
              }
              n++;
              if (!LineReader.isBlank(line)) {
                chunk.add(new Raw("stdin:" + n, line));
                read++;
              }
              // Submit what has arrived: a producer that writes one record and waits gets its acknowledgement.
              if (chunk.size() >= CHUNK || (!r.hasBuffered() && stdin.available() <= 0)) {
                submit(stream, chunk);
              }
            }
          } else {
            Path file = Path.of(in);
            if (!Files.isRegularFile(file)) {
              submit(stream, chunk);
              throw new HallmarkException(in + (Files.isDirectory(file) ? ": is a folder; give record files (or - for JSON lines on stdin)"
                  : ": no such file"));
            }
            long size = Files.size(file);
            if (size > MAX_INPUT_BYTES) {
              submit(stream, chunk);
              throw new HallmarkException(in + ": " + size + " bytes, too large for a record (a signed ledger"
                  + " entry is at most " + Record.MAX_ENTRY_BYTES + " bytes); give one record per file");
            }
            chunk.add(new Raw(in, Files.readAllBytes(file)));
            read++;
            if (chunk.size() >= CHUNK) {
              submit(stream, chunk);
            }
          }
        }
        submit(stream, chunk);
        stream.close();
      } catch (UsageException e) {
        HallmarkException h = failed(stream, e);
        throw h.getCause() == e ? new UsageException(h.getMessage()) : h;
      } catch (HallmarkException | IOException | RuntimeException e) {
        throw failed(stream, e);
      }
      if (read == 0) {
        throw new HallmarkException("no records to add (stdin was empty)");
      }
      try {
        cp = l.checkpoint();
      } catch (LedgerException e) {
        throw new HallmarkException(e.getMessage() + "; all " + stream.acknowledged() + " acknowledged records are durable in the"
            + " write-ahead log; sign a checkpoint for them with 'hallmark ledger checkpoint --dir " + dir + "'", e);
      }
      long existing = stream.existing();
      if (json) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("added", jsonAdded);
        o.put("treeSize", cp.size());
        o.put("checkpoint", cp.encode());
        printJson(o);
        if (out.checkError()) {
          throw new HallmarkException("cannot write the result to standard output; the records are in the log"
              + " (re-run the same input to list their indices)");
        }
      }
      if (existing > 0) {
        err().println(existing + " of " + stream.acknowledged() + " records were already in the log; their existing indices are shown"
            + " and nothing was appended twice");
      }
      if (!json) {
        err().println("log " + dir + " now has " + cp.size() + " entries (checkpoint signed)");
      }
    }
    return ExitCodes.OK;
  }

  /** Prepares {@code chunk} on all cores, submits it, and clears it. */
  private void submit(AppendStream<Tag> stream, List<Raw> chunk) throws HallmarkException, InterruptedException {
    if (chunk.isEmpty()) {
      return;
    }
    Record[] recs = new Record[chunk.size()];
    boolean[] signedHere = new boolean[chunk.size()];
    Exception[] problems = new Exception[chunk.size()];
    IntStream range = IntStream.range(0, chunk.size());
    (chunk.size() >= 16 ? range.parallel() : range).forEach(i -> {
      try {
        Prepared p = prepare(chunk.get(i).json(), chunk.get(i).name(), producer);
        recs[i] = p.record();
        signedHere[i] = p.signedHere();
      } catch (HallmarkException | UsageException e) {
        problems[i] = e;
      }
    });
    checkSignatures(chunk, recs, signedHere, problems);
    List<Record> ok = new ArrayList<>(chunk.size());
    List<Tag> names = new ArrayList<>(chunk.size());
    Exception bad = null;
    for (int i = 0; i < recs.length; i++) {
      if (problems[i] != null) {
        bad = problems[i];
        break;
      }
      ok.add(recs[i]);
      names.add(new Tag(chunk.get(i).name(), recs[i].contentSha256()));
    }
    chunk.clear();
    // The records before a bad one are still appended, so the acknowledgements printed run up to it.
    stream.append(ok, names);
    if (bad instanceof UsageException u) {
      throw u;
    }
    if (bad != null) {
      throw (HallmarkException) bad;
    }
  }

  private void acknowledge(PrintWriter out, boolean json, List<Tag> tags, List<Appended> outcomes) throws IOException {
    for (int i = 0; i < tags.size(); i++) {
      Appended a = outcomes.get(i);
      String name = tags.get(i).name();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", a.index());
        m.put("input", name);
        m.put("contentSha256", tags.get(i).contentSha256());
        if (a.existing()) {
          m.put("existing", true);
        }
        jsonAdded.add(m);
      } else {
        out.print(a.index());
        out.print('\t');
        out.print(name);
        out.print('\n');
      }
      if (a.existing() && existingNoted++ < EXISTING_NOTES) {
        err().println("note: " + name + " is already entry " + a.index() + " of the log; not appended again");
      }
    }
    out.flush();
    if (out.checkError()) {
      throw new IOException("cannot write the acknowledgements to standard output");
    }
    lastAcknowledged = tags.get(tags.size() - 1).name();
    err().flush();
  }

  /** The one-line error of a stream that stopped: what was acknowledged, what may have landed, what to do. */
  private HallmarkException failed(AppendStream<Tag> stream, Exception cause) throws InterruptedException {
    try {
      stream.close(); // chunks submitted before the failure are still acknowledged
    } catch (LedgerException e) {
      // reported below through stream.failure()
    }
    Exception streamFailure = stream.failure();
    Exception f = streamFailure != null ? streamFailure : cause;
    String upTo = lastAcknowledged == null ? "no record was acknowledged"
        : stream.acknowledged() + " records up to " + lastAcknowledged + " were acknowledged and are in the log";
    String rest = streamFailure != null
        ? "records after those may or may not be in the log"
        : "no record from there on was appended";
    // A bad record or file: running the same input again fails the same way, so the advice is to fix
    // it first; the log's own failures clear by themselves or once the fault is fixed.
    String msg = f.getMessage() + "; " + upTo + "; " + rest + ". " + (streamFailure != null ? "Re-run" : "Fix that input, then re-run")
        + " the same input to complete it: records already in the log answer with their existing index and are not added twice";
    return new HallmarkException(msg, f);
  }

  /**
   * Checks the signatures of the records that arrived signed (those signed here need no check), as
   * batches on all cores: half to a third of the CPU of checking them one by one, with the same verdicts.
   */
  private void checkSignatures(List<Raw> chunk, Record[] recs, boolean[] signedHere, Exception[] problems) {
    // Null where there is nothing to check: records that failed to prepare and records signed here.
    List<Record> toCheck = new ArrayList<>(recs.length);
    boolean any = false;
    for (int i = 0; i < recs.length; i++) {
      boolean check = problems[i] == null && !signedHere[i];
      toCheck.add(check ? recs[i] : null);
      any |= check;
    }
    if (!any) {
      return; // every record was signed here: the usual case of a producer's own ledger add
    }
    VerificationException[] bad = Record.verifySignatures(toCheck, batchVerifier);
    for (int i = 0; i < bad.length; i++) {
      if (bad[i] != null) {
        problems[i] = new HallmarkException(chunk.get(i).name() + ": " + bad[i].getMessage());
      }
    }
  }

  /** A parsed record, and whether this command signed it. */
  record Prepared(Record record, boolean signedHere) {}

  /**
   * Parses {@code json}, signs it with {@code producer} if it is unsigned, and checks its size; a record
   * that arrived signed is not checked here ({@link #checkSignatures} checks a chunk's together).
   */
  static Prepared prepare(byte[] json, String name, SigningKey producer) throws HallmarkException {
    Record r;
    try {
      r = Record.parse(json);
    } catch (LedgerException e) {
      throw new HallmarkException(name + ": " + e.getMessage());
    }
    boolean signedHere = !r.isSigned();
    if (signedHere) {
      if (producer == null) {
        throw new UsageException(name + ": record is unsigned; pass --signing-key NAME to sign it as its producer");
      }
      r = r.sign(producer);
    }
    try {
      r.entryBytes();
    } catch (LedgerException e) {
      throw new HallmarkException(name + ": " + e.getMessage());
    }
    return new Prepared(r, signedHere);
  }
}
