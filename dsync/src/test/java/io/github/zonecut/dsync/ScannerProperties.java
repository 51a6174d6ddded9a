package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Crash anywhere, any number of times, resume: every child ends with exactly one recorded
 * result, the one its check gives, whatever the concurrency and window.
 */
class ScannerProperties {
  static final Instant AT = Instant.parse("2026-12-01T12:00:00Z");

  @Property(tries = 25)
  void crashesAndResumesNeverSkipOrRedoAChild(@ForAll @IntRange(min = 1, max = 120) int n,
      @ForAll @IntRange(min = 1, max = 8) int concurrency,
      @ForAll @IntRange(min = 1, max = 20) int window,
      @ForAll @IntRange(min = 1, max = 40) int crashEvery) throws Exception {
    Path dir = Files.createTempDirectory("scanprop");
    Path checkpoint = dir.resolve("scan.ckpt");
    ExecutorService executor = Executors.newFixedThreadPool(3);
    try {
      List<Name> children = IntStream.range(0, n)
          .mapToObj(i -> Name.fromConstantString("c" + i + ".test.")).collect(Collectors.toList());
      Scanner.ChildScan task = c -> CompletableFuture.supplyAsync(() -> (ScanEvent)
          new ScanEvent.NoChange(c, Type.CDS, AT, "h" + c.toString().hashCode()), executor);
      List<Scanner.Result> delivered = Collections.synchronizedList(new ArrayList<>());
      long done = 0;
      for (int round = 0; round < n + 2 && done < n; round++) {
        Scanner[] s = new Scanner[1];
        long[] seenThisRound = {0};
        s[0] = Scanner.builder(task).concurrency(concurrency).window(window)
            .checkpoint(checkpoint).listener(p -> {
              if (++seenThisRound[0] >= crashEvery) {
                s[0].abort();
              }
            }).build();
        done = s[0].run(children.iterator(), n, delivered::add).done();
      }
      assertThat(done).isEqualTo(n);
      Map<Long, String> recorded = new HashMap<>();
      try (Stream<String> lines = Files.lines(checkpoint, StandardCharsets.UTF_8)) {
        for (String line : (Iterable<String>) lines::iterator) {
          if (line.startsWith("D\t")) {
            String[] f = line.split("\t", -1);
            assertThat(recorded.put(Long.parseLong(f[1]), f[2])).as("twice: " + line).isNull();
            assertThat(f[4]).isEqualTo("h" + f[2].hashCode());
          }
        }
      }
      assertThat(recorded).hasSize(n);
      recorded.forEach((i, name) -> assertThat(name).isEqualTo(children.get(i.intValue())
          .toString()));
      assertThat(delivered).extracting(Scanner.Result::index).doesNotHaveDuplicates()
          .hasSize(n);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
