package dev.hallmark.cli.tag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallmark.cli.CliRun;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledger;
import dev.hallmark.ledger.LedgerOptions;
import dev.hallmark.ledger.LedgerServer;
import dev.hallmark.ledger.Ledgers;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tag --ledger URL} and {@code verify --ledger URL} against a 'hallmark ledger serve' instance. */
class LedgerServerTagVerifyTest {
  static final String TOKEN = "ledger-write-token-0123456789";
  @TempDir Path dir;

  @Test
  void tagIntoALedgerServerThenVerifyACopyAgainstIt() throws Exception {
    Path home = dir.resolve("home");
    assertEquals(0, CliRun.run(dir, "--home", home.toString(), "keys", "new", "--type", "watermark", "--name", "gen").exitCode);
    assertEquals(0, CliRun.run(dir, "--home", home.toString(), "keys", "new", "--type", "signing", "--name", "ops").exitCode);
    SigningKey ops = Keyring.open(home).signingKey("ops", null);
    Path ld = dir.resolve("ledger");
    String vkey = Ledgers.init(ld, "tlog.test/log", ops, "ops").encode();
    try (Ledger ledger = Ledgers.open(ld, ops, LedgerOptions.SERVER);
        LedgerServer server = LedgerServer.start(ledger, ld, new InetSocketAddress("127.0.0.1", 0), TOKEN, LedgerServer.Limits.DEFAULT)) {
      String url = "http://127.0.0.1:" + server.port() + "/";
      Path photo = Fixtures.photo(dir, "kodim07.png");
      CliRun t = CliRun.run(dir, Map.of("LEDGER_TOKEN", TOKEN), "--home", home.toString(), "tag", "--key", "gen",
          "--signing-key", "ops", "--ledger", url, "--token-env", "LEDGER_TOKEN", "--model", "remote-painter", photo.toString(), "--json");
      assertEquals(0, t.exitCode, t.toString());
      JsonNode j = new ObjectMapper().readTree(t.out);
      Path tagged = Path.of(j.get("output").asText());
      assertTrue(j.get("reference").asText().contains("log=tlog.test/log"), t.out);

      // Offline from the receipt the server proved, with the log key pinned.
      CliRun offline = CliRun.run(dir, "--home", dir.resolve("other-home").toString(), "verify", "--log-key", vkey, tagged.toString());
      assertEquals(0, offline.exitCode, offline.toString());

      Path copy = dir.resolve("copy.jpg");
      Files.write(copy, Fixtures.reencode(Files.readAllBytes(tagged)));
      CliRun v = CliRun.run(dir, "--home", home.toString(), "verify", "--ledger", url, "--log-key", vkey, copy.toString());
      assertEquals(0, v.exitCode, v.toString());
      assertTrue(v.out.contains("remote-painter") && v.out.contains("re-encoded"), v.out);

      CliRun noToken = CliRun.run(dir, Map.of("LEDGER_TOKEN", "wrong-token-00000000000"), "--home", home.toString(), "tag",
          "--key", "gen", "--signing-key", "ops", "--ledger", url, "--token-env", "LEDGER_TOKEN", "--model", "m",
          "--out", dir.resolve("second.png").toString(), photo.toString());
      assertEquals(3, noToken.exitCode, noToken.toString());
      assertTrue(noToken.err.contains("401"), noToken.err);
    }
  }
}
