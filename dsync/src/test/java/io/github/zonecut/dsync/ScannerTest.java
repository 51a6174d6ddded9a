package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class ScannerTest {
  static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir
  Path dir;

  ExecutorService executor;
  Map<Name, AtomicInteger> calls;
  AtomicInteger running;
  AtomicInteger maxRunning;

  @BeforeEach
  void setUp() {
    executor = Executors.newFixedThreadPool(4);
    calls = new ConcurrentHashMap<>();
    running = new AtomicInteger();
    maxRunning = new AtomicInteger();
  }

  @AfterEach
  void tearDown() throws Exception {
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  static Name child(int i) {
    return Name.fromConstantString("c" + i + ".test.");
  }

  static List<Name> children(int n) {
    return IntStream.range(0, n).mapToObj(ScannerTest::child).collect(Collectors.toList());
  }

  /** A deterministic result per child, completed on another thread. */
  static ScanEvent resultOf(Name child) {
    int h = Math.abs(child.toString().hashCode()) % 3;
    switch (h) {
      case 0:
        return new ScanEvent.NoChange(child, Type.CDS, AT, "no CDS");
      case 1:
        return new ScanEvent.Refused(child, Type.CDS, AT, Reason.INCONSISTENT, "ns2 differs");
      default:
        return new ScanEvent.Pending(child, Type.CDS, AT, Reason.AWAITING_OBSERVATIONS, "1 of 2",
            java.util.Optional.empty());
    }
  }

  Scanner.ChildScan fake() {
    return child -> {
      calls.computeIfAbsent(child, c -> new AtomicInteger()).incrementAndGet();
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      return CompletableFuture.supplyAsync(() -> {
        running.decrementAndGet();
        return resultOf(child);
      }, executor);
    };
  }

  static List<String[]> recorded(Path checkpoint) throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(checkpoint, StandardCharsets.UTF_8)) {
      if (line.startsWith("D\t")) {
        out.add(line.split("\t", -1));
      }
    }
    return out;
  }

  @Test
  void scansEveryChildOnceWithBoundedConcurrencyAndReportsProgress() throws Exception {
    List<Scanner.Result> results = Collections.synchronizedList(new ArrayList<>());
    List<Scanner.Progress> progress = Collections.synchronizedList(new ArrayList<>());
    Scanner scanner = Scanner.builder(fake()).concurrency(5).window(20)
        .listener(progress::add).build();

    Scanner.Progress last = scanner.run(children(300).iterator(), 300, results::add);

    assertThat(results).hasSize(300);
    assertThat(results).extracting(Scanner.Result::index).doesNotHaveDuplicates();
    assertThat(maxRunning.get()).isLessThanOrEqualTo(5);
    assertThat(last.done()).isEqualTo(300);
    assertThat(last.total()).isEqualTo(300);
    long refused = results.stream().filter(r -> r.outcome().equals("Refused:INCONSISTENT"))
        .count();
    assertThat(last.errorsByKind().get("Refused:INCONSISTENT")).isEqualTo(refused);
    assertThat(last.errorsByKind()).doesNotContainKey("NoChange");
    assertThat(progress).hasSize(300);
  }

  @Test
  void resumesAfterACrashWithoutSkippingOrRescanningAChild() throws Exception {
    Path checkpoint = dir.resolve("scan.ckpt");
    int n = 400;
    List<Scanner.Result> first = Collections.synchronizedList(new ArrayList<>());
    Scanner[] crashing = new Scanner[1];
    crashing[0] = Scanner.builder(fake()).concurrency(8).window(32).checkpoint(checkpoint)
        .listener(p -> {
          if (p.done() >= 150) {
            crashing[0].abort(); // the process dies here
          }
        }).build();

    crashing[0].run(children(n).iterator(), n, first::add);
    // a half-written line, as a crash mid-write leaves it
    Files.writeString(checkpoint, "D\t399\tc3", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertThat(first.size()).isBetween(150, 160);
    Map<Name, Integer> callsBefore = new HashMap<>();
    calls.forEach((k, v) -> callsBefore.put(k, v.get()));

    List<Scanner.Result> second = Collections.synchronizedList(new ArrayList<>());
    Scanner.Progress last = Scanner.builder(fake()).concurrency(8).window(32)
        .checkpoint(checkpoint).build().run(children(n).iterator(), n, second::add);

    assertThat(last.done()).isEqualTo(n);
    assertThat(last.resumed()).isEqualTo(first.size());
    Set<Long> firstIdx = first.stream().map(Scanner.Result::index).collect(Collectors.toSet());
    Set<Long> secondIdx = second.stream().map(Scanner.Result::index).collect(Collectors.toSet());
    assertThat(firstIdx).doesNotContainAnyElementsOf(secondIdx);
    Set<Long> all = new HashSet<>(firstIdx);
    all.addAll(secondIdx);
    assertThat(all).hasSize(n);
    // what the first run recorded is never checked again
    for (Scanner.Result r : first) {
      Name c = Name.fromString(r.child());
      assertThat(calls.get(c).get()).as(r.child()).isEqualTo(callsBefore.get(c));
    }
    // the checkpoint holds one result per child: the durable result log
    List<String[]> lines = recorded(checkpoint);
    assertThat(lines).hasSize(n);
    assertThat(lines.stream().map(l -> l[1]).collect(Collectors.toSet())).hasSize(n);
    for (String[] l : lines) {
      Name c = Name.fromString(l[2]);
      String expected = resultOf(c).getClass().getSimpleName();
      assertThat(l[3]).startsWith(expected);
    }

    // a third run on a finished checkpoint checks nothing
    calls.clear();
    Scanner.Progress third = Scanner.builder(fake()).checkpoint(checkpoint).build()
        .run(children(n).iterator(), n, r -> { });
    assertThat(third.done()).isEqualTo(n);
    assertThat(calls).isEmpty();
  }

  @Test
  void refusesToResumeOnADifferentInput() throws Exception {
    Path checkpoint = dir.resolve("scan.ckpt");
    Scanner[] s = new Scanner[1];
    s[0] = Scanner.builder(fake()).concurrency(1).window(2).checkpoint(checkpoint)
        .listener(p -> {
          if (p.done() >= 5) {
            s[0].abort();
          }
        }).build();
    s[0].run(children(20).iterator(), 20, r -> { });

    List<Name> shuffled = children(20);
    Collections.reverse(shuffled);
    assertThatThrownBy(() -> Scanner.builder(fake()).concurrency(1).checkpoint(checkpoint)
        .build().run(shuffled.iterator(), 20, r -> { }))
        .isInstanceOf(IOException.class).hasMessageContaining("input changed");
  }

  @Test
  void retriesTransientOutcomesAndTimesOut() throws Exception {
    List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
    Name hanging = child(1);
    Name flaky = child(2);
    AtomicInteger flakyCalls = new AtomicInteger();
    Scanner.ChildScan task = c -> {
      if (c.equals(hanging)) {
        return new CompletableFuture<>(); // never answers
      }
      if (c.equals(flaky) && flakyCalls.incrementAndGet() == 1) {
        return CompletableFuture.completedFuture(new ScanEvent.Pending(c, Type.CDS, AT,
            Reason.SERVER_UNREACHABLE, "ns1 silent", java.util.Optional.empty()));
      }
      return CompletableFuture.completedFuture(new ScanEvent.NoChange(c, Type.CDS, AT, "-"));
    };
    Map<String, Scanner.Result> results = new ConcurrentHashMap<>();
    Scanner.Progress p = Scanner.builder(task).timeout(Duration.ofMillis(200))
        .retries(1, Duration.ofSeconds(30)).delayer(d -> {
          delays.add(d);
          return CompletableFuture.completedFuture(null);
        }).build().run(children(4).iterator(), 4, r -> results.put(r.child(), r));

    assertThat(results.get(hanging.toString()).outcome()).isEqualTo("Failed:timeout");
    assertThat(results.get(hanging.toString()).attempts()).isEqualTo(2);
    assertThat(results.get(flaky.toString()).outcome()).isEqualTo("NoChange");
    assertThat(results.get(flaky.toString()).attempts()).isEqualTo(2);
    assertThat(delays).containsOnly(Duration.ofSeconds(30)).hasSize(2);
    assertThat(p.retries()).isEqualTo(2);
    assertThat(p.errorsByKind()).containsEntry("Failed:timeout", 1L);
  }

  @Test
  void aNameWithATabDoesNotBreakTheCheckpoint() throws Exception {
    Path names = dir.resolve("children.txt");
    Files.writeString(names, "c1.test.\nx\ty.test.\nc2.test.\n", StandardCharsets.UTF_8);
    Path checkpoint = dir.resolve("scan.ckpt");
    Scanner.builder(fake()).checkpoint(checkpoint).build().run(names, r -> { });
    calls.clear();

    Scanner.Progress again = Scanner.builder(fake()).checkpoint(checkpoint).build()
        .run(names, r -> { });

    assertThat(again.done()).isEqualTo(3);
    assertThat(calls).isEmpty();
  }

  @Test
  void readsNamesFromAFile() throws Exception {
    Path names = dir.resolve("children.txt");
    Files.writeString(names, "# registry export\nc1.test.\n\nc2.test\nbad..name\n",
        StandardCharsets.UTF_8);
    List<Scanner.Result> results = Collections.synchronizedList(new ArrayList<>());

    Scanner.Progress p = Scanner.builder(fake()).build().run(names, results::add);

    assertThat(p.total()).isEqualTo(3);
    assertThat(results).extracting(Scanner.Result::outcome).contains("Failed:invalid-name");
    assertThat(calls.keySet()).containsExactlyInAnyOrder(child(1), child(2));
  }
}
