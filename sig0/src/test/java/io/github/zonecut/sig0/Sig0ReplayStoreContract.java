package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.Sig0ReplayStore.Insert;
import org.junit.jupiter.api.Test;

/** What every {@link Sig0ReplayStore} must do; run against each implementation. */
abstract class Sig0ReplayStoreContract {

  /** A fresh, empty store holding at most {@code capacity} live entries. */
  abstract Sig0ReplayStore store(int capacity) throws Exception;

  static byte[] id(int n) {
    byte[] id = new byte[32];
    id[0] = (byte) (n >>> 24);
    id[1] = (byte) (n >>> 16);
    id[2] = (byte) (n >>> 8);
    id[3] = (byte) n;
    return id;
  }

  @Test
  void recordsOnceThenReportsPresent() throws Exception {
    Sig0ReplayStore store = store(10);
    assertThat(store.insertIfAbsent(id(1), 100, 10)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(1), 100, 11)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(2), 100, 11)).isEqualTo(Insert.RECORDED);
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void anEntryLivesThroughItsExpirySecondAndNotAfter() throws Exception {
    Sig0ReplayStore store = store(10);
    assertThat(store.insertIfAbsent(id(1), 100, 10)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(1), 300, 100)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(1), 300, 101)).isEqualTo(Insert.RECORDED);
    // Recorded again with the new expiry, not the old one.
    assertThat(store.insertIfAbsent(id(1), 300, 250)).isEqualTo(Insert.PRESENT);
  }

  @Test
  void fullOfLiveEntriesItRefusesAndForgetsNothing() throws Exception {
    Sig0ReplayStore store = store(2);
    assertThat(store.insertIfAbsent(id(1), 100, 10)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(2), 200, 10)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(3), 300, 50)).isEqualTo(Insert.FULL);
    // Nothing was dropped to make room: both are still replays, even while full.
    assertThat(store.insertIfAbsent(id(1), 100, 50)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(2), 200, 50)).isEqualTo(Insert.PRESENT);
    // At 150 entry 1 has expired, which makes room.
    assertThat(store.insertIfAbsent(id(3), 300, 150)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(1), 400, 150)).isEqualTo(Insert.FULL);
    assertThat(store.insertIfAbsent(id(2), 200, 150)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(3), 300, 150)).isEqualTo(Insert.PRESENT);
  }

  @Test
  void aCallerWithAClockBehindNeverMakesAnEntryExpireEarly() throws Exception {
    Sig0ReplayStore store = store(10);
    assertThat(store.insertIfAbsent(id(1), 1000, 900)).isEqualTo(Insert.RECORDED);
    // Another verifier sharing the store, its clock 500 s behind.
    assertThat(store.insertIfAbsent(id(1), 1000, 400)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(2), 450, 400)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(2), 450, 450)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(1), 1000, 1000)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(1), 2000, 1001)).isEqualTo(Insert.RECORDED);
  }

  @Test
  void manyEntriesExpireAsTimePasses() throws Exception {
    Sig0ReplayStore store = store(500);
    for (int i = 0; i < 500; i++) {
      assertThat(store.insertIfAbsent(id(i), 1000 + i, 1000)).isEqualTo(Insert.RECORDED);
    }
    assertThat(store.insertIfAbsent(id(1000), 2000, 1000)).isEqualTo(Insert.FULL);
    // At 1250, entries 0..249 have expired; 250 new ones fit, the 251st does not.
    for (int i = 0; i < 250; i++) {
      assertThat(store.insertIfAbsent(id(2000 + i), 3000, 1250)).isEqualTo(Insert.RECORDED);
    }
    assertThat(store.insertIfAbsent(id(1000), 3000, 1250)).isEqualTo(Insert.FULL);
    assertThat(store.insertIfAbsent(id(250), 3000, 1250)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(249), 3000, 1250)).isEqualTo(Insert.FULL);
  }
}
