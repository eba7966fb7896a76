package dev.hallmark.cli.tag;

import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.UsageException;
import dev.hallmark.cli.verify.LedgerLocation;
import dev.hallmark.core.DurableFiles;
import dev.hallmark.core.HallmarkException;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.detector.ContentSniffer;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Receipt;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.TagRequest;
import dev.hallmark.provenance.TagResult;
import dev.hallmark.provenance.Tagger;
import dev.hallmark.provenance.TaggerSettings;
import dev.hallmark.watermark.Watermarks;
import dev.hallmark.watermark.text.Scheme;
import dev.hallmark.watermark.text.TextDetectionResult;
import dev.hallmark.watermark.text.Tokenizers;
import dev.hallmark.watermark.text.WatermarkFacts;
import dev.hallmark.watermark.text.WatermarkParameters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.hallmark.cli.options.ImageStrengthOptions;
import dev.hallmark.cli.options.LedgerLocationOptions;
import dev.hallmark.cli.options.OutputOptions;
import dev.hallmark.cli.options.SigningKeyOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark tag}: watermark and register one output. */
@Command(name = "tag", mixinStandardHelpOptions = true,
    header = "Tag one output: watermark it, reference its record in its metadata, and register it in the ledger.",
    description = {
      "Tag one output. An image gets the keyed watermark (its 64-bit payload points",
      "at the ledger record), a provenance reference in its metadata (PNG iTXt,",
      "JPEG XMP), and a signed ledger record of the written file (SHA-256,",
      "perceptual hash, watermark facts). A text is registered by SHA-256 and",
      "MinHash fingerprint; with --generated SCHEME its watermark facts are recorded",
      "too, after checking the watermark is really there. The record",
      "(OUT.record.json) and its inclusion receipt (OUT.proof) are written beside",
      "the output."
    })
public final class TagCommand extends BaseCommand {
  @Parameters(paramLabel = "FILE", description = "Image (PNG, JPEG, ...) or UTF-8 text to tag.")
  Path file;

  @Option(names = "--key", required = true, paramLabel = "WMKEY", description = "Watermark key name.")
  String keyName;

  @Mixin SigningKeyOptions signingKey;

  @Mixin LedgerLocationOptions ledgerOptions;

  @Option(names = "--token-env", paramLabel = "VAR", description = "Environment variable holding the ledger server's write token (with --ledger URL).")
  String tokenEnv;

  @Option(names = "--origin", paramLabel = "NAME", description = "Origin of a new log, e.g. example.com/hallmark.")
  String origin;

  @Option(names = "--model", required = true, paramLabel = "NAME", description = "Name of the model that produced the output.")
  String model;

  @Option(names = "--out", paramLabel = "OUT", description = "Output file (default: FILE with '.tagged' before the extension; for text: FILE itself).")
  Path out;

  @Option(names = "--format", paramLabel = "png|jpeg", description = "Image output format (default: from --out, else the input's).")
  String format;

  @Option(names = "--quality", paramLabel = "Q", description = "JPEG quality 1-100 (default: a JPEG input's own"
      + " quantisation tables, as image embed; 92 for other inputs).")
  Integer quality;

  @Option(names = "--force", description = "Overwrite an existing output and its .record.json and .proof (by default an earlier tag's output is never replaced), and tag an image that was tagged before (its earlier payload becomes unreadable).")
  boolean force;

  @Option(names = "--generated", paramLabel = "SCHEME", description = "The text was generated through Hallmark's sampler with this scheme and --key: record its watermark facts.")
  String generatedScheme;

  @Option(names = "--unicode-tag", description = "Text only: append the provenance reference as invisible Unicode tag characters (output: FILE.tagged.EXT unless --out).")
  boolean unicodeTag;

  @Mixin ImageStrengthOptions strength;

  @Mixin OutputOptions output;

  @Option(names = "--c2pa-cert", paramLabel = "CHAIN.pem", description = "Images: also embed a signed C2PA (Content Credentials) manifest; the signing certificate chain, signer first.")
  Path c2paCert;

  @Option(names = "--c2pa-key", paramLabel = "KEY.pem", description = "The C2PA signing certificate's private key (unencrypted PKCS#8 or EC PEM).")
  Path c2paKey;

  @Override
  public Integer call() throws Exception {
    var imageParameters = strength.parameters();
    String ledger = ledgerOptions.single();
    if (ledger == null) {
      throw new UsageException("--ledger DIR|URL is required: the ledger folder (created when missing or empty, with"
          + " --origin) or a 'hallmark ledger serve' URL");
    }
    if (signingKey.name == null) {
      throw new UsageException("--signing-key NAME is required: the keyring signing key that signs the record");
    }
    String signingKeyName = signingKey.name;
    String passphraseEnv = signingKey.passphraseEnv;
    boolean json = output.json;
    boolean remote = LedgerLocation.isUrl(ledger);
    if (remote && tokenEnv == null) {
      throw new UsageException("--ledger " + ledger + " is a ledger server: give --token-env VAR with its write token");
    }
    if (!remote && tokenEnv != null) {
      throw new UsageException("--token-env applies to a ledger server URL only");
    }
    if (file.toString().equals("-")) {
      throw new UsageException("tag reads a file and writes its tagged copy beside it; standard input (-) is not a file");
    }
    if (Files.isDirectory(file)) {
      throw new HallmarkException(file + ": is a folder; tag one file at a time");
    }
    if (!Files.isRegularFile(file)) {
      throw new HallmarkException(file + ": no such file");
    }
    if (Files.size(file) > 256L << 20) {
      throw new HallmarkException(file + ": larger than 256 MiB; not tagged");
    }
    byte[] input = Files.readAllBytes(file);
    boolean image = ContentSniffer.isImage(input);
    String text = image ? null : ContentSniffer.text(input).orElse(null);
    if (!image && text == null) {
      throw new HallmarkException(file + ": neither an image nor UTF-8 or UTF-16 text; nothing to tag");
    }
    if (!image && text.isBlank()) {
      // A record of empty content would match every empty file anyone verifies.
      throw new HallmarkException(file + ": " + (text.isEmpty() ? "empty" : "blank (only white space)") + "; nothing to tag");
    }
    if (image && (generatedScheme != null || unicodeTag)) {
      throw new UsageException("--generated and --unicode-tag apply to texts only");
    }
    if (unicodeTag && generatedScheme != null) {
      throw new UsageException("--unicode-tag registers a text as it is; a text generated with --generated carries its watermark already");
    }
    Path target = out != null ? out : image ? defaultOut(file, format) : unicodeTag ? taggedText(file) : file;
    String fmt = format;
    if (image && out != null) {
      String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
      String named = n.endsWith(".jpg") || n.endsWith(".jpeg") ? "jpeg" : n.endsWith(".png") ? "png" : null;
      if (named == null) {
        throw new UsageException("--out " + out + ": cannot write this format; name the output .png or .jpg/.jpeg");
      }
      if (fmt != null && !fmt.equalsIgnoreCase(named)) {
        throw new UsageException("--out " + out + " names a " + named + " file but --format is " + fmt);
      }
      fmt = named;
    }
    Path recordFile = target.resolveSibling(target.getFileName() + ".record.json");
    Path proofFile = target.resolveSibling(target.getFileName() + ".proof");
    if ((image || unicodeTag) && Files.exists(target) && Files.isSameFile(target, file)) {
      throw new UsageException(target + ": the output must differ from the input; Hallmark never overwrites its input");
    }
    if (!force) {
      // Checked before anything is registered: a replaced output would leave its record pointing at nothing.
      for (Path p : (image || unicodeTag || !target.equals(file)) ? List.of(target, recordFile, proofFile) : List.of(recordFile, proofFile)) {
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          throw new HallmarkException(p + ": exists (an earlier tag's output?); move it away, name another output with --out,"
              + " or pass --force to replace it");
        }
      }
    }
    TagRequest request;
    try {
      request = new TagRequest(model, fmt == null ? null : fmt.toLowerCase(Locale.ROOT),
          quality == null ? TagRequest.SAME_AS_SOURCE : quality, unicodeTag);
      if (force) {
        request = request.allowRetag();
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }

    if ((c2paCert == null) != (c2paKey == null)) {
      throw new UsageException("--c2pa-cert and --c2pa-key go together");
    }
    if (c2paCert != null) {
      if (!image) {
        throw new UsageException("--c2pa-cert applies to images only");
      }
      // Refused here, before anything is registered, when validators would reject every manifest it signs.
      request = request.withC2pa(dev.hallmark.c2pa.C2paSigner.fromPem(Files.readAllBytes(c2paCert), Files.readAllBytes(c2paKey),
          c2paCert.toString(), c2paKey.toString()));
    }

    Keyring keyring = keyring();
    char[] pass = passphraseFromEnv(passphraseEnv);
    WatermarkKey wmKey = keyring.watermarkKey(keyName);
    try {
      SigningKey signer = keyring.signingKey(signingKeyName, pass);
      Ledger l = null;
      try {
        Tagger tagger;
        String logName;
        String logKey;
        if (remote) {
          String token = environment().get(tokenEnv);
          if (token == null || token.isEmpty()) {
            throw new UsageException("environment variable " + tokenEnv + " (named by --token-env) is not set or empty");
          }
          tagger = Provenance.remoteTagger(java.net.URI.create(ledger), token, signer, wmKey, imageParameters,
              Clock.systemUTC(), environment().random().get());
          logName = ledger;
          logKey = "the server's log key (see 'hallmark ledger serve')";
        } else {
          l = LedgerLocation.openForWriting(Path.of(ledger), keyring, signer, origin, pass, LedgerOptions.DEFAULT);
          tagger = Provenance.tagger(new TaggerSettings(l, signer, wmKey, imageParameters,
              Clock.systemUTC(), environment().random().get()));
          logName = l.origin();
          logKey = l.logKey().encode();
        }
        TagResult r;
        if (image) {
          r = tagger.tagImage(input, file.toString(), request);
          int frames = dev.hallmark.watermark.image.Images.frameCount(input);
          if (frames > 1 && !output.quiet) {
            err().println("hallmark: warning: " + file + " holds " + frames + " frames or pages; only the first is tagged"
                + " and written to " + target);
          }
          if (r.transparencyLost() && !output.quiet) {
            err().println("hallmark: warning: " + file + " has transparent pixels and JPEG has no transparency: " + target
                + " shows them on white; tag to a .png to keep them");
          }
        } else if (generatedScheme != null) {
          r = tagger.tagGeneratedText(text, generatedFacts(text, wmKey), null, request);
        } else {
          r = tagger.tagText(text, request);
        }
        Receipt receipt = tagger.receipt(r.index());
        // Re-encoding drops the input's own manifest: say so rather than lose it silently.
        boolean inputC2pa = image && dev.hallmark.cli.options.InputFiles.carriesC2pa(input);
        try {
          if (!target.equals(file) || image || unicodeTag) {
            DurableFiles.write(target, r.output());
          }
          DurableFiles.write(recordFile, (r.record().toString() + "\n").getBytes(StandardCharsets.UTF_8));
          DurableFiles.write(proofFile, receipt.encode().getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
          // The record is in the log already: say where, so that the tagged output is not redone as a
          // second record, and how to get its receipt back.
          throw new HallmarkException("the record is registered (index " + r.index() + " in log " + logName
              + ") but writing the output failed: " + e.getMessage() + "; free the space or fix the folder, then tag again"
              + " to write a new output (a second record), or fetch this one's receipt with "
              + (dev.hallmark.cli.verify.LedgerLocation.isUrl(ledger) ? "GET " + ledger + "prove?index=" + r.index()
                  : "'hallmark ledger prove --dir " + ledger + " --index " + r.index() + "'"), e);
        }
        TagResult.MarkCheck check = r.imageMarkCheck().orElse(null);
        if (check != null && !check.ok()) {
          // Registered all the same (its exact hash and fingerprint still match copies), but the mark
          // will not find copies whose bytes changed, or (payload not read) not the record by payload.
          err().println("hallmark: warning: the watermark in " + target + " reads back weakly: "
              + (check.detected() ? "detected (p = " + String.format(Locale.ROOT, "%.2g", check.pValue()) + ") but its payload"
                  + " is not recovered, so copies are found by fingerprint, not by payload"
                  : "not detected (p = " + String.format(Locale.ROOT, "%.2g", check.pValue()) + "), so edited copies may not be found")
              + "; a small, flat or dark image holds a weak mark: tag a larger version, or give --psnr 38 for a stronger one");
        }
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("output", target.toString());
          m.put("format", r.format());
          m.put("index", r.index());
          m.put("log", logName);
          m.put("logKey", l == null ? null : logKey);
          m.put("reference", r.reference() == null ? null : r.reference().encode());
          m.put("record", recordFile.toString());
          m.put("receipt", proofFile.toString());
          m.put("contentSha256", r.record().contentSha256());
          m.put("c2paManifest", c2paLabel(r));
          r.imageMarkCheck().ifPresent(c -> m.put("markCheck", c.toMap()));
          m.put("inputC2paRemoved", inputC2pa);
          printJson(m);
        } else {
          out().println("tagged " + file + " -> " + target + " (" + r.format() + ")");
          out().println("  ledger record: index " + r.index() + " in log " + logName + " (" + recordFile + ")");
          out().println("  receipt:       " + proofFile + " (verifies offline against " + logKey + ")");
          if (r.reference() != null) {
            out().println("  watermark:     key " + wmKey.keyId() + ", payload " + r.reference().id() + "; metadata reference " + r.reference().encode());
          }
          if (c2paLabel(r) != null) {
            out().println("  C2PA manifest: " + c2paLabel(r) + " (stored in the ledger record too)");
          }
          out().println("Check it with: hallmark verify " + target + " --ledger " + ledger);
        }
        if (inputC2pa && !output.quiet) {
          err().println("hallmark: note: " + file + " carried Content Credentials (a C2PA manifest); " + target
              + (c2paCert != null ? " carries the new manifest instead (the earlier one is not kept as an ingredient)"
                  : " has none: they were removed (--c2pa-cert/--c2pa-key would embed a new manifest)"));
        }
        return ExitCodes.OK;
      } finally {
        if (l != null) {
          l.close();
        }
      }
    } finally {
      wmKey.destroy();
      if (pass != null) {
        Arrays.fill(pass, '\0');
      }
    }
  }

  private WatermarkFacts generatedFacts(String text, WatermarkKey key) throws HallmarkException {
    Scheme scheme;
    try {
      scheme = Scheme.parse(generatedScheme);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--generated " + generatedScheme + ": " + e.getMessage());
    }
    WatermarkParameters params = WatermarkParameters.defaults(scheme);
    TextDetectionResult d = Watermarks.textDetector(key, params, Tokenizers.r50k(), 1e-3, false).detect(text);
    if (!d.detected()) {
      throw new HallmarkException(file + ": no " + scheme.label() + " watermark under key '" + key.name() + "' (p = "
          + String.format(Locale.ROOT, "%.3g", d.pValue()) + "); register it without --generated, or name the right key and scheme");
    }
    return WatermarkFacts.of(params, Tokenizers.r50k().name(), key.keyId());
  }

  private static String c2paLabel(TagResult r) {
    return r.record().attributes().map(a -> a.path("c2pa").path("manifestLabel").asText(null)).orElse(null);
  }

  static Path defaultOut(Path in, String format) {
    String n = in.getFileName().toString();
    int dot = n.lastIndexOf('.');
    String base = dot > 0 ? n.substring(0, dot) : n;
    String ext = format != null ? (format.equalsIgnoreCase("jpeg") ? "jpg" : format.toLowerCase(Locale.ROOT))
        : dot > 0 && (n.toLowerCase(Locale.ROOT).endsWith(".jpg") || n.toLowerCase(Locale.ROOT).endsWith(".jpeg")) ? "jpg" : "png";
    return in.resolveSibling(base + ".tagged." + ext);
  }

  static Path taggedText(Path in) {
    String n = in.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return in.resolveSibling(dot > 0 ? n.substring(0, dot) + ".tagged" + n.substring(dot) : n + ".tagged");
  }

}
