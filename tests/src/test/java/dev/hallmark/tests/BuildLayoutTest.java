package dev.hallmark.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** './mvnw install' (and deploy) leave the test and benchmark modules out of the repository. */
class BuildLayoutTest {
  static String property(Path pom, String name) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document d = f.newDocumentBuilder().parse(pom.toFile());
    org.w3c.dom.NodeList props = d.getDocumentElement().getElementsByTagName("properties");
    for (int i = 0; i < props.getLength(); i++) {
      if (props.item(i).getParentNode() == d.getDocumentElement()) {
        org.w3c.dom.NodeList l = ((org.w3c.dom.Element) props.item(i)).getElementsByTagName(name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
      }
    }
    return null;
  }

  @Test
  void testsAndBenchmarksAreNeitherInstalledNorDeployed() throws Exception {
    for (String module : new String[] {"tests", "benchmarks"}) {
      Path pom = Path.of("..", module, "pom.xml");
      assertEquals("true", property(pom, "maven.install.skip"), module + "/pom.xml");
      assertEquals("true", property(pom, "maven.deploy.skip"), module + "/pom.xml");
    }
  }
}
