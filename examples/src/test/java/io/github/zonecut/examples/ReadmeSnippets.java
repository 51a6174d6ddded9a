package io.github.zonecut.examples;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Extracts the {@code ```java} blocks of a Markdown file and compiles them in-process against the
 * test class path (SDK and dependencies), the README rule of STYLE.md §8.
 *
 * <p><b>The snippet rule.</b>
 *
 * <ul>
 *   <li>A block whose first code line (comments and blank lines skipped) starts with {@code
 *       package}, {@code import} or a top-level type declaration ({@code class}, {@code record},
 *       {@code interface}, {@code enum}, with any modifiers or annotations) is a complete source
 *       file and compiles as it is, alone (two programs may share a class name).
 *   <li>Any other block is a sequence of statements. It compiles as the body of {@code Object
 *       snippet() throws Exception} (inside {@code if (true) { … } return null;}, so a block may
 *       {@code return} a value or not) in a class that imports every exported zonecut API package,
 *       {@code org.xbill.DNS}, {@code java.net}, {@code java.nio.file}, {@code java.time}, {@code
 *       java.util}, {@code java.util.concurrent} and AssertJ's {@code assertThat}.
 *   <li>The objects a README block takes as given (a {@code transport}, the {@code
 *       trustAnchors}, the host's {@code backend}…) are fields of that class, declared with the
 *       types in {@link #GIVENS}; a section whose heading names a module may retype a name (in the
 *       multi-signer section {@code executor} is a {@code StepExecutor}, not an
 *       ExecutorService). A block's own declarations shadow them.
 * </ul>
 */
final class ReadmeSnippets {

  /** One fenced block: where it starts in the file (the line after the fence), its section. */
  record Snippet(int line, String section, String code) {
    /** Whether the block is a whole source file rather than statements. */
    boolean isCompilationUnit() {
      for (String raw : code.split("\n", -1)) {
        String l = raw.strip();
        if (l.isEmpty() || l.startsWith("//") || l.startsWith("/*") || l.startsWith("*")
            || ANNOTATIONS_ONLY.matcher(l).matches()) {
          continue;
        }
        return UNIT_START.matcher(l).lookingAt();
      }
      return false;
    }
  }

  /** A block that does not compile, with the compiler's messages at README line numbers. */
  record Failure(Snippet snippet, List<String> errors) {
    @Override
    public String toString() {
      return "README.md:" + snippet.line() + " (" + snippet.section() + ")\n  "
          + String.join("\n  ", errors);
    }
  }

  private static final Pattern UNIT_START = Pattern.compile(
      "(package|import)\\s|(@\\w+(\\([^)]*\\))?\\s+)*((public|abstract|final|sealed|non-sealed"
          + "|strictfp)\\s+)*(class|record|interface|enum|@interface)\\s");
  private static final Pattern ANNOTATIONS_ONLY =
      Pattern.compile("(@\\w+(\\([^)]*\\))?\\s*)+");
  private static final Pattern TYPE_NAME =
      Pattern.compile("(?m)^(?:public\\s+)?(?:\\w+\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

  /** The packages a statement block sees, besides the single-type imports below. */
  private static final List<String> PACKAGES = List.of(
      "io.github.zonecut.core", "io.github.zonecut.sig0", "io.github.zonecut.keystate",
      "io.github.zonecut.dsync", "io.github.zonecut.multisigner",
      "io.github.zonecut.multisigner.edge", "io.github.zonecut.testkit", "org.xbill.DNS",
      "java.net", "java.nio.file", "java.time", "java.util", "java.util.concurrent");

  /** Single-type imports: names two of those packages share, and a few outside them. */
  private static final List<String> TYPES = List.of(
      "org.xbill.DNS.Record", // not java.lang.Record
      "io.github.zonecut.dsync.Observer", // not java.util.Observer
      "io.github.zonecut.dsync.Scanner", // not java.util.Scanner
      "org.xbill.DNS.dnssec.ValidatingResolver", "org.sqlite.SQLiteDataSource");

  /**
   * What the README takes as given, by variable name: a type, or a Java member declaration when
   * the given is a method. Kept in the README's words; a new README block using a new name adds
   * it here.
   */
  static final Map<String, String> GIVENS = givens();

  /** Retyped names by section: the key is a word of the section heading (lower case). */
  static final Map<String, Map<String, String>> SECTION_GIVENS = Map.of(
      "multi-signer", Map.of(
          "observer", "io.github.zonecut.multisigner.edge.DnsObserver",
          "executor", "io.github.zonecut.multisigner.edge.StepExecutor"));

  private static Map<String, String> givens() {
    Map<String, String> g = new LinkedHashMap<>();
    // DNS access
    g.put("transport", "DnsTransport");
    g.put("recursiveResolver", "DnsEndpoint");
    g.put("resolver", "DnsEndpoint");
    g.put("trustAnchors", "List<Record>");
    g.put("validating", "DnsLookup");
    g.put("executor", "ExecutorService");
    g.put("clock", "Clock");
    g.put("timeout", "Duration");
    // names, keys and messages
    g.put("child", "Name");
    g.put("zone", "Name");
    g.put("parentZone", "Name");
    g.put("target", "Name");
    g.put("nameservers", "List<Name>");
    g.put("servers", "List<DnsEndpoint>");
    g.put("addresses", "List<DnsEndpoint>");
    g.put("address", "InetAddress");
    g.put("source", "InetAddress");
    g.put("update", "Update");
    g.put("received", "byte[]");
    g.put("verified", "Sig0Outcome");
    g.put("receiverKey", "Sig0KeyPair");
    g.put("childKey", "Sig0KeyPair");
    g.put("keyDir", "Path");
    g.put("keyFileBase", "Path");
    g.put("file", "Path");
    g.put("slot", "long");
    g.put("pin", "char[]");
    g.put("base64Secret", "String");
    // the parent's parts
    g.put("registry", "TrustRegistry");
    g.put("coordinator", "BootstrapCoordinator");
    g.put("backend", "DelegationBackend");
    g.put("observer", "Observer");
    g.put("current", "Delegation");
    g.put("desired", "Delegation");
    g.put("planner", "Planner");
    g.put("intent", "Intent");
    // the host's own code the README calls
    g.put("notices", "Host");
    g.put("audit", "Host");
    g.put("delegationForBootstrap",
        "static BootstrapCoordinator.Delegation delegationForBootstrap(Name child) {"
            + " return new BootstrapCoordinator.Delegation(List.of(), List.of()); }");
    g.put("query", "static Message query(String name, int type) throws TextParseException {"
        + " return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)); }");
    return Map.copyOf(g);
  }

  private ReadmeSnippets() {}

  /** The {@code ```java} blocks of {@code markdown}, in order. */
  static List<Snippet> extract(String markdown) {
    List<Snippet> out = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    String section = "(top)";
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.startsWith("#")) {
        section = l.replaceFirst("^#+\\s*", "").strip();
      } else if (l.strip().equals("```java")) {
        int start = i + 1;
        StringBuilder code = new StringBuilder();
        int j = start;
        while (j < lines.length && !lines[j].strip().startsWith("```")) {
          code.append(lines[j]).append('\n');
          j++;
        }
        out.add(new Snippet(start + 1, section, code.toString()));
        i = j;
      }
    }
    return out;
  }

  /** The source the compiler sees for {@code snippet}, as class {@code className}. */
  static String source(Snippet snippet, String className) {
    if (snippet.isCompilationUnit()) {
      return snippet.code();
    }
    StringBuilder s = new StringBuilder();
    // line 1: every import on one line, so that README line = block line + source line - 2
    for (String p : PACKAGES) {
      s.append("import ").append(p).append(".*; ");
    }
    for (String t : TYPES) {
      s.append("import ").append(t).append("; ");
    }
    s.append("import static org.assertj.core.api.Assertions.assertThat;\n");
    s.append("@SuppressWarnings(\"all\") class ").append(className)
        .append(" { Object snippet() throws Exception { if (true) {\n");
    s.append(snippet.code());
    s.append("} return null; }\n");
    s.append("  interface Host { void tell(Object event); void record(Object event); }\n");
    Map<String, String> givens = new LinkedHashMap<>(GIVENS);
    String heading = snippet.section().toLowerCase(Locale.ROOT);
    SECTION_GIVENS.forEach((word, retyped) -> {
      if (heading.contains(word)) {
        givens.putAll(retyped);
      }
    });
    givens.forEach((name, type) -> s.append("  ")
        .append(type.contains("(") ? type : "static " + type + " " + name + ";").append('\n'));
    s.append("}\n");
    return s.toString();
  }

  /**
   * Compiles the snippets against {@code classPath}: the statement blocks together in one
   * compiler run, each whole-file block in a run of its own (two README programs may both be
   * called {@code Main}), the classes under {@code outputDir}.
   *
   * @return the snippets that do not compile, with their errors at README line numbers
   */
  static List<Failure> compile(List<Snippet> snippets, String classPath, Path outputDir)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
    }
    List<Map<String, Snippet>> runs = new ArrayList<>();
    Map<String, Snippet> statements = new LinkedHashMap<>();
    runs.add(statements);
    Map<String, String> sources = new LinkedHashMap<>();
    for (int i = 0; i < snippets.size(); i++) {
      Snippet sn = snippets.get(i);
      String className = "ReadmeSnippet" + (i + 1);
      if (sn.isCompilationUnit()) {
        Matcher m = TYPE_NAME.matcher(sn.code());
        className = m.find() ? m.group(1) : className;
      }
      String path = "/snippet" + (i + 1) + "/" + className + ".java";
      sources.put(path, source(sn, className));
      if (sn.isCompilationUnit()) {
        runs.add(Map.of(path, sn));
      } else {
        statements.put(path, sn);
      }
    }
    Map<Snippet, List<String>> errors = new LinkedHashMap<>();
    for (int r = 0; r < runs.size(); r++) {
      Map<String, Snippet> run = runs.get(r);
      if (run.isEmpty()) {
        continue;
      }
      List<JavaFileObject> files = new ArrayList<>();
      run.keySet().forEach(path -> files.add(new Source(path, sources.get(path))));
      Path out = Files.createDirectories(outputDir.resolve("run" + r));
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      boolean compiled;
      try (StandardJavaFileManager fm =
          javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
        List<String> options = List.of("-classpath", classPath, "-d", out.toString(),
            "-proc:none", "-implicit:none", "-nowarn", "-Xlint:none", "--release", "17");
        compiled = javac.getTask(null, fm, diagnostics, options, null, files).call();
      }
      boolean reported = false;
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR) {
          continue;
        }
        String message = d.getMessage(Locale.ROOT).lines().findFirst().orElse("");
        Snippet sn = d.getSource() == null ? null : run.get(d.getSource().toUri().getPath());
        if (sn == null) { // not tied to one block: every block of the run is suspect
          run.values().forEach(each -> errors.computeIfAbsent(each, k -> new ArrayList<>())
              .add("(compiling with the blocks around it) " + message));
        } else {
          long line = sn.line() + d.getLineNumber() + (sn.isCompilationUnit() ? -1 : -3);
          errors.computeIfAbsent(sn, k -> new ArrayList<>()).add("line " + line + ": " + message);
        }
        reported = true;
      }
      if (!compiled && !reported) {
        run.values().forEach(each -> errors.computeIfAbsent(each, k -> new ArrayList<>())
            .add("the compiler failed without a message"));
      }
    }
    List<Failure> failures = new ArrayList<>();
    errors.forEach((sn, e) -> failures.add(new Failure(sn, e)));
    return failures;
  }

  /** The class path the tests run with (surefire's, not its booter jar's). */
  static String testClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire
        : System.getProperty("java.class.path");
  }

  /** The reactor root: the first directory upwards holding README.md and mvnw. */
  static Path reactorRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no README.md with mvnw above " + Path.of("").toAbsolutePath());
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String path, String code) {
      super(URI.create("string://" + path), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
