package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DelayerTest {
  @Test
  void completesThroughTheGivenExecutor() throws Exception {
    ExecutorService ex = Executors.newSingleThreadExecutor();
    AtomicInteger used = new AtomicInteger();
    try {
      Delayer.using(r -> {
        used.incrementAndGet();
        ex.execute(r);
      }).delay(Duration.ofMillis(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(used).hasValue(1);
    } finally {
      ex.shutdownNow();
    }
  }
}
