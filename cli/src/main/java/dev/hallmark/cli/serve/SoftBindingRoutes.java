package dev.hallmark.cli.serve;

import dev.hallmark.core.http.HttpError;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.LedgerSnapshot;
import dev.hallmark.ledger.Record;
import dev.hallmark.provenance.LedgerSource;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.SoftBindings;
import dev.hallmark.provenance.VerifierSettings;
import dev.hallmark.watermark.image.ImageDetection;
import dev.hallmark.watermark.image.ImageDetector;
import dev.hallmark.watermark.image.Images;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The C2PA Soft Binding API over the ledger: {@code GET /matches/byBinding?alg=&value=},
 * {@code POST /matches/byContent} (the watermark is read from the uploaded image) and
 * {@code GET /manifests/{id}} (the manifest store, {@code application/c2pa}). Hallmark's manifest id
 * is the index of the ledger record that stores the manifest.
 */
final class SoftBindingRoutes {
  /** A response for the server to send. */
  record Response(int status, Object json, byte[] bytes, String contentType) {}

  private final ServerConfig config;
  private final ImageDetector detector;

  SoftBindingRoutes(ServerConfig config, ImageDetector detector) {
    this.config = config;
    this.detector = detector;
  }

  static boolean handles(String path) {
    return path.equals("/matches/byBinding") || path.equals("/matches/byContent") || path.startsWith("/manifests/");
  }

  Response handle(Map<String, String> q, String path, byte[] body) throws Exception {
    if (config.ledger() == null) {
      throw new HttpError(503, "no-ledger", "this server has no ledger to look manifests up in");
    }
    if (path.startsWith("/manifests/")) {
      return manifest(path.substring("/manifests/".length()));
    }
    if (config.keys().isEmpty()) {
      throw new HttpError(503, "no-keys",
          "this server holds no watermark key, so it cannot resolve Hallmark soft bindings");
    }
    String alg = q.getOrDefault("alg", SoftBindings.ALGORITHM);
    if (!alg.equals(SoftBindings.ALGORITHM)) {
      throw new HttpError(400, "unsupported-alg",
          "this repository answers for soft-binding algorithm " + SoftBindings.ALGORITHM + " only, got " + alg);
    }
    String value;
    if (path.equals("/matches/byBinding")) {
      value = q.get("value");
      if (value == null || value.isEmpty()) {
        throw new HttpError(400, "bad-request", "give the soft-binding value as ?value=");
      }
    } else {
      ImageDetection d = detector.detect(Images.read(body, "upload"), VerifierSettings.DEFAULT_ALPHA);
      if (!d.detected() || d.payload() == null) {
        return new Response(200, Map.of("matches", List.of()), null, null);
      }
      value = SoftBindings.value(d.payload());
    }
    List<String> keyIds = new ArrayList<>();
    for (WatermarkKey k : config.keys()) {
      keyIds.add(k.keyId());
    }
    LedgerSource source = Provenance.ledger(config.ledger());
    List<Map<String, Object>> matches = new ArrayList<>();
    for (SoftBindings.Match m : SoftBindings.byBinding(source, keyIds, value, 10)) {
      Map<String, Object> mm = new LinkedHashMap<>();
      mm.put("manifestId", String.valueOf(m.recordIndex()));
      mm.put("manifestLabel", m.manifestLabel());
      matches.add(mm);
    }
    return new Response(200, Map.of("matches", matches), null, null);
  }

  private Response manifest(String id) throws Exception {
    long index;
    try {
      index = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "bad-request", "a Hallmark manifest id is a ledger record index, got '" + id + "'");
    }
    try (LedgerSnapshot s = config.ledger().snapshot()) {
      if (index < 0 || index >= s.size()) {
        throw new HttpError(404, "not-found", "no manifest " + index);
      }
      Record r = Record.parse(s.entry(index));
      byte[] store = SoftBindings.manifestStore(r).orElseThrow(
          () -> new HttpError(404, "not-found", "record " + index + " stores no C2PA manifest"));
      return new Response(200, null, store, "application/c2pa");
    }
  }

}
