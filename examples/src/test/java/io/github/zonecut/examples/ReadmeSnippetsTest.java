package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.examples.ReadmeSnippets.Failure;
import io.github.zonecut.examples.ReadmeSnippets.Snippet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the README compiles (issue 15; the rule: {@link ReadmeSnippets}).
 */
class ReadmeSnippetsTest {

  @Test
  void everyReadmeSnippetCompiles(@TempDir Path out) throws Exception {
    String readme = Files.readString(ReadmeSnippets.reactorRoot().resolve("README.md"),
        StandardCharsets.UTF_8);
    List<Snippet> snippets = ReadmeSnippets.extract(readme);
    assertThat(snippets).as("java blocks in README.md").isNotEmpty();

    List<Failure> failures =
        ReadmeSnippets.compile(snippets, ReadmeSnippets.testClassPath(), out);

    assertThat(failures)
        .as("README snippets that do not compile (rule: ReadmeSnippets' Javadoc):%n%s",
            failures.stream().map(Failure::toString).collect(Collectors.joining("\n")))
        .isEmpty();
  }

  @Test
  void aSnippetThatDoesNotCompileFailsAtItsReadmeLine(@TempDir Path out) throws Exception {
    String markdown = "# Title\n\n## Using it\n\n```java\n"
        + "Name child = Name.fromString(\"child.example.\");\n"
        + "int wrong = child; // a Name is no int\n"
        + "```\n";

    List<Failure> failures = ReadmeSnippets.compile(ReadmeSnippets.extract(markdown),
        ReadmeSnippets.testClassPath(), out);

    assertThat(failures).singleElement().satisfies(f -> {
      assertThat(f.snippet().line()).isEqualTo(6);
      assertThat(f.snippet().section()).isEqualTo("Using it");
      assertThat(f.errors()).singleElement().asString().startsWith("line 7: ")
          .contains("incompatible types");
    });
  }

  @Test
  void anUndeclaredNameFails(@TempDir Path out) throws Exception {
    String markdown = "```java\nSystem.out.println(nobodyDeclaredMe);\n```\n";

    List<Failure> failures = ReadmeSnippets.compile(ReadmeSnippets.extract(markdown),
        ReadmeSnippets.testClassPath(), out);

    assertThat(failures).singleElement().asString().contains("README.md:2")
        .contains("line 2: cannot find symbol");
  }

  @Test
  void statementsMayReturnOrNotAndUseTheGivens(@TempDir Path out) throws Exception {
    String markdown = "## Delegation\n```java\n"
        + "if (child.labels() > 2) {\n  return \"deep\";\n}\n"
        + "DnsLookup direct = DirectLookup.of(transport, resolver);\n"
        + "```\n```java\nreturn Names.dsyncLookupName(child);\n```\n";

    assertThat(ReadmeSnippets.compile(ReadmeSnippets.extract(markdown),
        ReadmeSnippets.testClassPath(), out)).isEmpty();
  }

  @Test
  void aBlockStartingWithImportOrATypeCompilesAsAFile(@TempDir Path out) throws Exception {
    String markdown = "```java\n// a whole program\nimport org.xbill.DNS.Name;\n\n"
        + "public final class Hello {\n  public static void main(String[] a) throws Exception {\n"
        + "    System.out.println(Name.fromString(\"example.\"));\n  }\n}\n```\n"
        + "```java\n@SuppressWarnings(\"unused\")\nrecord Pair(int a, int b) {}\n```\n";
    List<Snippet> snippets = ReadmeSnippets.extract(markdown);

    assertThat(snippets).allMatch(Snippet::isCompilationUnit);
    assertThat(ReadmeSnippets.compile(snippets, ReadmeSnippets.testClassPath(), out)).isEmpty();
    assertThat(out.resolve("run1/Hello.class")).exists();
    assertThat(out.resolve("run2/Pair.class")).exists();
  }

  @Test
  void twoProgramsMayShareAClassName(@TempDir Path out) throws Exception {
    String program = "```java\nimport java.util.List;\n\npublic class Main {\n"
        + "  public static void main(String[] args) { System.out.println(List.of(args)); }\n}\n"
        + "```\n";

    assertThat(ReadmeSnippets.compile(ReadmeSnippets.extract(program + "\n" + program),
        ReadmeSnippets.testClassPath(), out)).isEmpty();
  }
}
