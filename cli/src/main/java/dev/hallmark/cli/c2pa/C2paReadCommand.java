package dev.hallmark.cli.c2pa;

import dev.hallmark.c2pa.C2pa;
import dev.hallmark.c2pa.C2paReport;
import dev.hallmark.c2pa.ManifestInfo;
import dev.hallmark.c2pa.TrustAnchors;
import dev.hallmark.c2pa.ValidationState;
import dev.hallmark.c2pa.ValidationStatus;
import dev.hallmark.cli.BaseCommand;
import dev.hallmark.cli.ExitCodes;
import dev.hallmark.cli.options.InputFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hallmark c2pa read}. */
@Command(name = "read", mixinStandardHelpOptions = true,
    description = {
      "Read and validate the C2PA manifest store of a JPEG or PNG file: claim signature, signing",
      "certificate (chained to --trust anchors), assertion hashes and the data hash, reported with",
      "C2PA's status codes. Exit 0 when Valid or Trusted, 1 when Invalid or there is no manifest."
    })
public final class C2paReadCommand extends BaseCommand {
  @Option(names = "--trust", paramLabel = "PEM",
      description = "Trust anchors (PEM certificates). Without it every signer is untrusted, at best Valid.")
  Path trust;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Parameters(index = "0", paramLabel = "FILE", description = "JPEG or PNG file, or - for standard input.")
  String file;

  /** Size limit of a read file, as for verify. */
  static final long MAX_FILE_BYTES = 256L << 20;

  @Override
  public Integer call() throws Exception {
    TrustAnchors anchors = trust == null ? TrustAnchors.none() : TrustAnchors.fromPem(Files.readAllBytes(trust));
    // A folder, a missing or empty file is a one-line error naming it; - reads standard input.
    byte[] content = InputFiles.read(file, System.in, MAX_FILE_BYTES, "read");
    String name = InputFiles.label(file);
    Optional<C2paReport> report;
    try {
      report = C2pa.read(content, anchors);
    } catch (dev.hallmark.c2pa.C2paException e) {
      throw new dev.hallmark.c2pa.C2paException(name + ": " + e.getMessage(), e);
    }
    if (report.isEmpty()) {
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", name);
        m.put("manifest", false);
        printJson(m);
      } else {
        out().println(name + ": no C2PA manifest");
      }
      return ExitCodes.NEGATIVE;
    }
    C2paReport r = report.get();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", name);
      m.put("manifest", true);
      m.putAll(r.toMap());
      printJson(m);
    } else {
      print(out(), name, r);
    }
    return r.state() == ValidationState.INVALID ? ExitCodes.NEGATIVE : ExitCodes.OK;
  }

  /** The human report, shared with other commands that show Content Credentials. */
  public static void print(PrintWriter out, String name, C2paReport r) {
    ManifestInfo m = r.activeManifest();
    out.printf("%s: C2PA %s%s%n", name, display(r.state()),
        m == null ? "" : " (manifest " + m.label() + ", claim v" + m.claimVersion() + ")");
    if (m != null) {
      // What a manifest whose signature or assertion hashes fail says is a claim, not a fact.
      boolean signed = r.signatureVerified();
      boolean actions = r.actionsVerified();
      if (!signed) {
        out.printf("  unverified  the claim signature does not verify: what follows is what the manifest claims%n");
      }
      if (m.signer() != null) {
        out.printf(signed ? "  signed by   %s, issued by %s (%s)%n"
            : "  signer      claims to be %s, issued by %s (%s); the signature does not verify%n",
            m.signer(), m.issuer(), m.signatureAlgorithm());
      }
      if (m.claimGenerator() != null) {
        out.printf("  generator   %s%n", m.claimGenerator());
      }
      if (m.title() != null) {
        out.printf("  title       %s%n", m.title());
      }
      String unverified = signed ? ": the actions assertion does not verify" : "";
      if (actions) {
        out.printf("  AI-made     %s%n", m.isTrainedAlgorithmicMedia() ? "yes (trainedAlgorithmicMedia)" : "not declared");
      } else {
        out.printf("  AI-made     %s%n", m.isTrainedAlgorithmicMedia()
            ? "claimed (trainedAlgorithmicMedia), not verified" + unverified
            : "not declared (unverified" + unverified + ")");
      }
      for (ManifestInfo.Action a : m.actions()) {
        out.printf("  action      %s%s%s%s%n", a.action(),
            a.digitalSourceType() == null ? "" : "  source " + a.digitalSourceType(),
            a.softwareAgent() == null ? "" : "  agent " + a.softwareAgent(),
            actions ? "" : "  (unverified)");
      }
      for (ManifestInfo.SoftBinding b : m.softBindings()) {
        out.printf("  soft binding %s %s%n", b.algorithm(), String.join(",", b.values()));
      }
      for (ManifestInfo.Ingredient i : m.ingredients()) {
        out.printf("  ingredient  %s (%s)%s%n", i.title(), i.relationship(),
            i.manifest() == null ? "" : " manifest " + i.manifest());
      }
    }
    for (ValidationStatus s : r.statuses()) {
      if (s.failure()) {
        out.printf("  failure     %s: %s%n", s.code(), s.explanation());
      }
    }
    out.flush();
  }

  static String display(ValidationState s) {
    return s.name().charAt(0) + s.name().substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
