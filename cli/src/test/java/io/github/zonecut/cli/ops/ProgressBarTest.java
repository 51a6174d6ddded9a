package io.github.zonecut.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.dsync.Scanner;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scan's terminal line. */
class ProgressBarTest {
  @Test
  void showsDoneTotalRateErrorsAndEta() {
    assertThat(ProgressBar.render(new Scanner.Progress(250, 1000, 0, 5.0,
        Map.of("Refused:INCONSISTENT", 3L, "Failed:timeout", 1L), 0)))
        .isEqualTo("[#######.......................] 250/1000 5.0/s, 4 errors, ETA 2m30s");
    assertThat(ProgressBar.render(new Scanner.Progress(10, 10, 2, 1.0, Map.of(), 0)))
        .isEqualTo("[##############################] 10/10 1.0/s, 0 errors, done");
    assertThat(ProgressBar.render(new Scanner.Progress(7, -1, 0, 0.0, Map.of(), 0)))
        .isEqualTo("7 done 0.0/s, 0 errors");
  }
}
