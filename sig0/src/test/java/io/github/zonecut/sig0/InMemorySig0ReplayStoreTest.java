package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.sig0.Sig0ReplayStore.Insert;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemorySig0ReplayStoreTest extends Sig0ReplayStoreContract {

  @Override
  Sig0ReplayStore store(int capacity) {
    return InMemorySig0ReplayStore.withCapacity(capacity);
  }

  @Test
  void expiredEntriesAreDroppedAsTheClockAdvances() {
    InMemorySig0ReplayStore store = InMemorySig0ReplayStore.withCapacity(10_000);
    for (int i = 0; i < 1000; i++) {
      store.insertIfAbsent(id(i), 1000 + i, 1000);
    }
    assertThat(store.size()).isEqualTo(1000);
    store.insertIfAbsent(id(5000), 5000, 1500);
    // 0..499 expired before 1500; 500..999 and the new one remain.
    assertThat(store.size()).isEqualTo(501);
    // A long idle gap (fewer buckets than seconds) drops the rest.
    store.insertIfAbsent(id(5001), 1_000_000, 900_000);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void concurrentInsertsOfOneIdRecordItOnce() throws Exception {
    Sig0ReplayStore store = store(100);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Insert>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> store.insertIfAbsent(id(7), 100, 10)));
      }
      int recorded = 0;
      for (Future<Insert> f : results) {
        if (f.get(30, TimeUnit.SECONDS) == Insert.RECORDED) {
          recorded++;
        }
      }
      assertThat(recorded).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void capacityMustBePositive() {
    assertThatThrownBy(() -> InMemorySig0ReplayStore.withCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
