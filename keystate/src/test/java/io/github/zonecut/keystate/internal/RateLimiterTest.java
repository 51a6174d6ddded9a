package io.github.zonecut.keystate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The LRU, prefix-keyed rate limiter (issue 9 item 4). */
class RateLimiterTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void aKeyGetsItsBurstThenRefillsAtTheRate() {
    RateLimiter l = new RateLimiter(3, Duration.ofSeconds(30), 10, clock);
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("a")).isFalse();
    assertThat(l.tryAcquire("b")).as("another key").isTrue();
    clock.advance(Duration.ofSeconds(10));
    assertThat(l.tryAcquire("a")).as("one token per 10 s").isTrue();
    assertThat(l.tryAcquire("a")).isFalse();
  }

  @Test
  void theLeastRecentlyUsedKeyIsEvictedFirst() {
    RateLimiter l = new RateLimiter(1, Duration.ofMinutes(1), 3, clock);
    l.tryAcquire("a");
    l.tryAcquire("b");
    l.tryAcquire("c");
    l.tryAcquire("a"); // a is now the most recently used (refused, but touched)
    l.tryAcquire("d"); // evicts b, the least recently used
    assertThat(l.tracks("b")).isFalse();
    assertThat(l.tracks("a")).isTrue();
    assertThat(l.tracks("c")).isTrue();
    assertThat(l.tracks("d")).isTrue();
    assertThat(l.size()).isEqualTo(3);
    assertThat(l.evictions()).isEqualTo(1);
    l.tryAcquire("e"); // then c
    assertThat(l.tracks("c")).isFalse();
    assertThat(l.tryAcquire("a")).as("a kept its empty bucket").isFalse();
  }

  @Test
  void sourcesAreKeyedByPrefix() throws Exception {
    RateLimiter l = new RateLimiter(1, Duration.ofMinutes(1), 100, clock);
    assertThat(l.tryAcquire(ip("192.0.2.1"))).isTrue();
    assertThat(l.tryAcquire(ip("192.0.2.254"))).as("same /24").isFalse();
    assertThat(l.tryAcquire(ip("192.0.3.1"))).as("next /24").isTrue();
    assertThat(l.tryAcquire(ip("2001:db8:0:ff::1"))).isTrue();
    assertThat(l.tryAcquire(ip("2001:db8:0:ff:ffff::2"))).as("same /64, so same /56").isFalse();
    assertThat(l.tryAcquire(ip("2001:db8:0:1::1"))).as("same /56").isFalse();
    assertThat(l.tryAcquire(ip("2001:db8:0:100::1"))).as("next /56").isTrue();
    assertThat(l.tryAcquire(ip("::ffff:192.0.2.9"))).as("IPv4-mapped is IPv4").isFalse();
    assertThat(l.tryAcquire(ip("::c000:209"))).as("IPv4-compatible is IPv6").isTrue();
  }

  @Test
  void prefixLengthsAreConfigurable() throws Exception {
    SourcePrefixes exact = new SourcePrefixes(32, 128);
    assertThat(exact.keyOf(ip("192.0.2.1"))).isNotEqualTo(exact.keyOf(ip("192.0.2.2")));
    assertThat(exact.keyOf(ip("2001:db8::1"))).isNotEqualTo(exact.keyOf(ip("2001:db8::2")));
    SourcePrefixes wide = new SourcePrefixes(0, 0);
    assertThat(wide.keyOf(ip("192.0.2.1"))).isEqualTo(wide.keyOf(ip("198.51.100.7")));
    assertThat(wide.keyOf(ip("2001:db8::1"))).isEqualTo(wide.keyOf(ip("fe80::1")));
    assertThat(wide.keyOf(ip("192.0.2.1"))).as("families apart")
        .isNotEqualTo(wide.keyOf(ip("::")));
    SourcePrefixes odd = new SourcePrefixes(20, 100);
    assertThat(odd.keyOf(ip("10.0.15.1"))).isEqualTo(odd.keyOf(ip("10.0.0.1")));
    assertThat(odd.keyOf(ip("10.0.16.1"))).isNotEqualTo(odd.keyOf(ip("10.0.0.1")));
    assertThat(odd.keyOf(ip("2001:db8::0fff:ffff"))).isEqualTo(odd.keyOf(ip("2001:db8::")));
    assertThat(odd.keyOf(ip("2001:db8::1000:0"))).isNotEqualTo(odd.keyOf(ip("2001:db8::")));
    assertThatThrownBy(() -> new SourcePrefixes(33, 56))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SourcePrefixes(24, 129))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFullTableOfBusyStrangersDoesNotStarveANewSource() throws Exception {
    // The earlier limiter refused every new key once the table was full of non-idle buckets
    // (after a full scan under the lock for each); LRU eviction always makes room.
    RateLimiter l = new RateLimiter(2, Duration.ofHours(1), 1000, clock);
    for (int i = 0; i < 5000; i++) {
      byte[] a = {10, (byte) (i >>> 8), (byte) i, 1};
      l.tryAcquire(InetAddress.getByAddress(a));
      l.tryAcquire(InetAddress.getByAddress(a));
    }
    assertThat(l.size()).isEqualTo(1000);
    assertThat(l.tryAcquire(ip("198.51.100.1"))).as("a new legitimate source").isTrue();
    assertThat(l.tryAcquire(ip("2001:db8::1"))).isTrue();
    assertThat(l.size()).isEqualTo(1000);
  }

  @Test
  void anActiveKeyIsNotEvictedByAFlood() throws Exception {
    RateLimiter l = new RateLimiter(1, Duration.ofHours(1), 100, clock);
    assertThat(l.tryAcquire("abuser")).isTrue();
    for (int i = 0; i < 10_000; i++) {
      l.tryAcquire("flood-" + i);
      if (i % 50 == 0) {
        assertThat(l.tryAcquire("abuser")).as("still limited while active").isFalse();
      }
    }
  }

  @Test
  void badParametersAreRefused() {
    assertThatThrownBy(() -> new RateLimiter(0, Duration.ofMinutes(1), 10, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, Duration.ZERO, 10, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(1, Duration.ofMinutes(1), 0, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
