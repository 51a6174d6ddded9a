package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class PacedTransportTest {
  @Test
  void pacesEachServerAddressSeparately() {
    List<DnsEndpoint> sent = new ArrayList<>();
    DnsTransport inner = (endpoint, request, protocol, timeout) -> {
      sent.add(endpoint);
      return new CompletableFuture<DnsResponse>();
    };
    List<Duration> delays = new ArrayList<>();
    PacedTransport paced = PacedTransport.of(inner, 10, d -> {
      delays.add(d);
      return CompletableFuture.completedFuture(null);
    }, Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));
    DnsEndpoint a = DnsEndpoint.of("127.0.0.1", 53);
    DnsEndpoint b = DnsEndpoint.of("127.0.0.2", 53);
    Message q = Message.newQuery(Record.newRecord(Name.fromConstantString("child.test."),
        Type.CDS, DClass.IN));

    for (DnsEndpoint e : List.of(a, a, a, b)) {
      paced.exchange(e, q, TransportProtocol.TCP, Duration.ofSeconds(1));
    }

    assertThat(sent).containsExactly(a, a, a, b);
    assertThat(delays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }
}
