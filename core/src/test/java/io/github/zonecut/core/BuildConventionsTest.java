package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Build-time checks of the project's conventions over every module of the reactor: each main
 * package carries {@code @NullMarked} in its package-info (NullAway checks only null-marked
 * code), and library code never prints to the console.
 */
class BuildConventionsTest {

  private static Path reactorRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    assertThat(p).as("reactor root (directory holding mvnw)").isNotNull();
    return p;
  }

  private static List<Path> mainSourceRoots() throws IOException {
    List<Path> roots = new ArrayList<>();
    try (Stream<Path> modules = Files.list(reactorRoot())) {
      modules
          .map(m -> m.resolve("src/main/java"))
          .filter(Files::isDirectory)
          .forEach(roots::add);
    }
    return roots;
  }

  @Test
  void everyMainPackageIsNullMarked() throws IOException {
    var offenders = new TreeSet<String>();
    List<Path> roots = mainSourceRoots();
    assertThat(roots).isNotEmpty();
    for (Path root : roots) {
      var packageDirs = new TreeSet<Path>();
      try (Stream<Path> files = Files.walk(root)) {
        files
            .filter(f -> f.toString().endsWith(".java"))
            .filter(f -> !f.getFileName().toString().equals("module-info.java"))
            .forEach(f -> packageDirs.add(f.getParent()));
      }
      for (Path dir : packageDirs) {
        Path info = dir.resolve("package-info.java");
        if (!Files.exists(info)
            || !Files.readString(info, StandardCharsets.UTF_8).contains("@NullMarked")) {
          offenders.add(reactorRoot().relativize(dir).toString());
        }
      }
    }
    assertThat(offenders).as("packages without @NullMarked package-info.java").isEmpty();
  }

  @Test
  void libraryCodeDoesNotPrintToTheConsole() throws IOException {
    var offenders = new TreeSet<String>();
    for (Path root : mainSourceRoots()) {
      String module = reactorRoot().relativize(root).getName(0).toString();
      if (module.equals("examples") || module.equals("benchmarks")) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".java"))::iterator) {
          String text = Files.readString(f, StandardCharsets.UTF_8);
          if (text.contains("System.out.print") || text.contains("System.err.print")
              || text.contains("printStackTrace(")) {
            offenders.add(reactorRoot().relativize(f).toString());
          }
        }
      }
    }
    assertThat(offenders).as("library files printing to the console").isEmpty();
  }

  /**
   * The BOM manages every published library artifact and the same slf4j-api as the parent: a
   * user who imports it and adds an SLF4J 2 backend must get slf4j-api 2 (issue 14: with dnsjava's
   * 1.7 API an SLF4J 2 backend is silently ignored).
   */
  @Test
  void bomManagesEveryLibraryAndTheParentsSlf4j() throws IOException {
    String parent = Files.readString(reactorRoot().resolve("pom.xml"), StandardCharsets.UTF_8);
    String bom = Files.readString(reactorRoot().resolve("bom/pom.xml"), StandardCharsets.UTF_8);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("<slf4j.version>([^<]+)</slf4j.version>").matcher(parent);
    assertThat(m.find()).as("slf4j.version in the parent POM").isTrue();
    String slf4j = m.group(1);
    assertThat(slf4j).as("slf4j-api major version").startsWith("2.");
    assertThat(bom).contains("<slf4j.version>" + slf4j + "</slf4j.version>");
    assertThat(bom).contains("<artifactId>slf4j-api</artifactId>");
    for (String lib : List.of("core", "sig0", "keystate", "dsync", "multisigner", "testkit")) {
      assertThat(bom).as("BOM manages zonecut-" + lib).contains(
          "<artifactId>zonecut-" + lib + "</artifactId>");
    }
  }
}
