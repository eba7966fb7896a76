package dev.hallmark.tests.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallmark.cli.Cli;
import dev.hallmark.core.Keyring;
import dev.hallmark.core.SigningKey;
import dev.hallmark.ledger.Ledgers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using Hallmark as a library" section, compiled and run exactly as printed: every
 * {@code java} block there is a whole program, and each one is run against keys, a ledger and inputs
 * made here the way the CLI makes them. A changed API that the README does not follow fails here.
 */
class ReadmeLibraryTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final String SECTION = "## Using Hallmark as a library";

  @TempDir Path tmp;

  /** The java blocks of the library section, by class name, in README order. */
  static Map<String, String> snippets() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf(SECTION);
    assertTrue(start >= 0, "README.md has the section '" + SECTION + "'");
    // The section's own text: up to the next heading (its subsections, e.g. Spark, have snippets of their own).
    int end = readme.length();
    for (String h : new String[] {"\n## ", "\n### "}) {
      int i = readme.indexOf(h, start + SECTION.length());
      end = i < 0 ? end : Math.min(end, i);
    }
    String section = readme.substring(start, end);
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
    while (m.find()) {
      Matcher name = Pattern.compile("public class (\\w+)").matcher(m.group(1));
      assertTrue(name.find(), "every java block in the section is a whole public class:\n" + m.group(1));
      out.put(name.group(1), m.group(1));
    }
    return out;
  }

  @Test
  void theLibrarySnippetsCompileAndRunAsPrinted() throws Exception {
    Map<String, String> sources = snippets();
    assertEquals(List.of("TagAnImage", "DetectText", "CleanJsonl", "VerifyAFile"), new ArrayList<>(sources.keySet()),
        "the README shows tag, detect, clean and verify in this order");
    Path classes = compile(sources);

    // Keys and a ledger, as `hallmark keys new` and `hallmark ledger init` make them.
    long seed = 20261203L;
    System.out.println("ReadmeLibraryTest seed " + seed);
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    Path home = tmp.resolve("home");
    Keyring keyring = Keyring.open(home);
    keyring.createWatermarkKey("gen-2026", random);
    keyring.createSigningKey("log-key", random, null);
    keyring.createSigningKey("producer", random, null);
    SigningKey logKey = keyring.signingKey("log-key", null);
    Path ledger = tmp.resolve("ledger");
    Ledgers.init(ledger, "example.com/hallmark/log", logKey, "log-key");

    Path photo = tmp.resolve("photo.png");
    try (InputStream in = ReadmeLibraryTest.class.getResourceAsStream("/browser/kodim07.png")) {
      Files.copy(in, photo);
    }
    Path tagged = tmp.resolve("photo.tagged.png");
    String tagOut = run(classes, "TagAnImage", home.toString(), ledger.toString(), photo.toString(), tagged.toString());
    assertEquals("registered at index 0", tagOut.strip());
    assertTrue(Files.size(tagged) > 1000);

    Path generated = tmp.resolve("generated.txt");
    Files.writeString(generated, cli(home, "text", "generate", "--key", "gen-2026", "--scheme", "kgw", "--tokens", "300",
        "--seed", "7"));
    String human = "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be"
        + " in want of a wife. However little known the feelings or views of such a man may be on his first entering"
        + " a neighbourhood, this truth is so well fixed in the minds of the surrounding families, that he is"
        + " considered as the rightful property of some one or other of their daughters.";
    Path humanFile = tmp.resolve("human.txt");
    Files.writeString(humanFile, human);
    assertTrue(run(classes, "DetectText", home.toString(), generated.toString()).startsWith("watermarked, p = "));
    assertEquals("no watermark found", run(classes, "DetectText", home.toString(), humanFile.toString()).strip());

    Path jsonl = tmp.resolve("corpus.jsonl");
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    Files.writeString(jsonl, json.writeValueAsString(Map.of("id", "gen", "text", Files.readString(generated))) + "\n"
        + json.writeValueAsString(Map.of("id", "human", "text", human)) + "\n");
    String cleaned = run(classes, "CleanJsonl", home.toString(), jsonl.toString(), tmp.resolve("cleaned").toString());
    assertEquals("1 kept, 1 removed, 0 errors", cleaned.strip());

    String verdict = run(classes, "VerifyAFile", ledger.toString(), tagged.toString());
    assertTrue(verdict.startsWith("Generated by model painter-1"), verdict);
    assertTrue(verdict.strip().endsWith("origin established: true"), verdict);
    String untagged = run(classes, "VerifyAFile", ledger.toString(), humanFile.toString());
    assertTrue(untagged.strip().endsWith("origin established: false"), untagged);
  }

  @Test
  void theBomNamesEveryLibraryModule() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    int libraries = 0;
    while (m.find()) {
      String module = m.group(1);
      if (List.of("bom", "tests", "benchmarks").contains(module)) {
        continue;
      }
      String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
      Matcher a = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(pom);
      assertTrue(a.find(), module + "/pom.xml names its artifact after its parent");
      assertTrue(bom.contains("<artifactId>" + a.group(1) + "</artifactId>"), "hallmark-bom lists " + a.group(1));
      libraries++;
    }
    assertTrue(libraries >= 7, "found the library modules");
    assertFalse(bom.contains("<parent>"), "the BOM has no parent, so importing it brings no third-party pins");
  }

  private Path compile(Map<String, String> sources) throws IOException {
    Path src = tmp.resolve("src");
    Path classes = tmp.resolve("classes");
    Files.createDirectories(src);
    Files.createDirectories(classes);
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path f = src.resolve(e.getKey() + ".java");
      Files.writeString(f, e.getValue());
      files.add(f);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
          "--release", "17", "-Xlint:all", "-Werror");
      boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
      StringBuilder b = new StringBuilder();
      diagnostics.getDiagnostics().forEach(d -> b.append(d).append('\n'));
      assertTrue(ok, "the README's library code compiles without warnings:\n" + b);
    }
    return classes;
  }

  /** Runs a compiled snippet's main in this JVM and returns what it printed. */
  private static String run(Path classes, String name, String... args) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        ReadmeLibraryTest.class.getClassLoader())) {
      Method main = loader.loadClass(name).getMethod("main", String[].class);
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      main.invoke(null, (Object) args);
    } finally {
      System.setOut(saved);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    System.out.print(name + ": " + out);
    return out;
  }

  private static String cli(Path home, String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(List.of(args));
    int code = Cli.newCommandLine(new PrintWriter(o, true), new PrintWriter(e, true)).execute(all.toArray(new String[0]));
    assertEquals(0, code, e.toString());
    return o.toString();
  }
}
