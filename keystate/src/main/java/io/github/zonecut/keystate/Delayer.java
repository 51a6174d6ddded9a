package io.github.zonecut.keystate;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Waits without blocking: the scheduler port of the retrying clients. Tests inject one that
 * records the requested delays and completes at once, so backoff is checked without waiting.
 */
@FunctionalInterface
public interface Delayer {

  /** A stage that completes after {@code delay}. */
  CompletionStage<Void> delay(Duration delay);

  /** Waits with {@link CompletableFuture#delayedExecutor}, continuing on {@code executor}. */
  static Delayer using(Executor executor) {
    return d -> CompletableFuture.runAsync(() -> { },
        CompletableFuture.delayedExecutor(d.toNanos(), TimeUnit.NANOSECONDS, executor));
  }
}
