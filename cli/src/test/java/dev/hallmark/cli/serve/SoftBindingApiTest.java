package dev.hallmark.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.c2pa.C2pa;
import dev.hallmark.c2pa.C2paReport;
import dev.hallmark.c2pa.C2paSigner;
import dev.hallmark.c2pa.TestPki;
import dev.hallmark.c2pa.TrustAnchors;
import dev.hallmark.c2pa.ValidationState;
import dev.hallmark.cli.tag.Fixtures;
import dev.hallmark.core.Hex;
import dev.hallmark.core.SigningKey;
import dev.hallmark.core.WatermarkKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.Ledgers;
import dev.hallmark.provenance.Provenance;
import dev.hallmark.provenance.SoftBindings;
import dev.hallmark.provenance.TagRequest;
import dev.hallmark.provenance.TagResult;
import dev.hallmark.provenance.TaggerSettings;
import dev.hallmark.watermark.image.ImageWatermarkParameters;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The C2PA Soft Binding API: watermark payload -> ledger record -> stored manifest. */
class SoftBindingApiTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void bindingAndContentLeadToTheStoredManifest(@TempDir Path dir) throws Exception {
    Random r = new Random(16);
    System.out.println("SoftBindingApiTest seed 16");
    WatermarkKey key = WatermarkKey.generate("gen", r);
    byte[] seed = new byte[32];
    r.nextBytes(seed);
    SigningKey ops = SigningKey.fromSeed("ops", seed);
    Path ld = dir.resolve("ledger");
    Ledgers.init(ld, "c2pa.test/log", ops, "ops");
    TestPki.PemFiles creds = TestPki.create("ES256", 16).writePem(dir);
    C2paSigner signer = C2paSigner.fromPem(Files.readAllBytes(creds.chain()), Files.readAllBytes(creds.key()));
    try (Ledger ledger = Ledgers.open(ld, ops, LedgerOptions.DEFAULT)) {
      var tagger = Provenance.tagger(new TaggerSettings(ledger, ops, key, ImageWatermarkParameters.DEFAULT,
          Clock.systemUTC(), new SecureRandom()));
      TagResult t = tagger.tagImage(Files.readAllBytes(Fixtures.photo(dir, "kodim07.png")), "kodim07.png",
          new TagRequest("painter-1", "jpeg", 92).withC2pa(signer));
      ledger.checkpoint(); // records become searchable at the next checkpoint
      try (HallmarkServer server = HallmarkServer.start(new ServerConfig("127.0.0.1", 0, "tok-0123456789abcdef0123",
          8 << 20, 1, List.of(key), ledger, tagger, List.of(), List.of(), null))) {
        HttpClient http = HttpClient.newHttpClient();
        String value = SoftBindings.value(Hex.decode(t.reference().id()));
        HttpResponse<String> byBinding = http.send(HttpRequest.newBuilder(URI.create(server.url()
            + "matches/byBinding?alg=" + SoftBindings.ALGORITHM + "&value=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, byBinding.statusCode(), byBinding.body());
        JsonNode m = JSON.readTree(byBinding.body()).get("matches");
        assertEquals(1, m.size(), byBinding.body());
        assertEquals(String.valueOf(t.index()), m.get(0).get("manifestId").asText());

        byte[] stripped = Fixtures.reencode(t.output());
        // Without the token: refused. It runs the secret keys' detector, and answered anyone whether the
        // mark still read after each edit they tried (a removal oracle).
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(server.url() + "matches/byContent"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(stripped)).header("Content-Type", "image/jpeg").build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());
        HttpResponse<String> byContent = http.send(HttpRequest.newBuilder(URI.create(server.url() + "matches/byContent"))
            .POST(HttpRequest.BodyPublishers.ofByteArray(stripped)).header("Content-Type", "image/jpeg")
            .header("Authorization", "Bearer tok-0123456789abcdef0123").build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, byContent.statusCode(), byContent.body());
        assertEquals(String.valueOf(t.index()), JSON.readTree(byContent.body()).at("/matches/0/manifestId").asText());

        HttpResponse<byte[]> manifest = http.send(HttpRequest.newBuilder(URI.create(server.url() + "manifests/" + t.index()))
            .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, manifest.statusCode());
        assertEquals("application/c2pa", manifest.headers().firstValue("Content-Type").orElse(""));
        C2paReport rep = C2pa.validateDetached(manifest.body(), TrustAnchors.fromPem(Files.readAllBytes(creds.root())),
            Instant.now());
        assertEquals(ValidationState.TRUSTED, rep.state(), rep.toString());
        assertTrue(rep.activeManifest().isTrainedAlgorithmicMedia());

        HttpResponse<String> wrongAlg = http.send(HttpRequest.newBuilder(URI.create(server.url()
            + "matches/byBinding?alg=com.example.other&value=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, wrongAlg.statusCode());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.url() + "manifests/999"))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
      }
    }
  }
}
