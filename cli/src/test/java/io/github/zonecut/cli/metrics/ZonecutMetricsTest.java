package io.github.zonecut.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.cli.Http;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.DelegationChange;
import io.github.zonecut.dsync.NotifyEvent;
import io.github.zonecut.dsync.Reason;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.Scanner;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.keystate.KeyStateCode;
import io.github.zonecut.keystate.KeyStateEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The meters the listeners feed, as Prometheus scrapes them. */
class ZonecutMetricsTest {
  static final Instant T = Instant.parse("2026-12-05T02:00:00Z");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");

  @Test
  void listenersFeedTheMetersAndTheEndpointServesThem() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // the receiver read this clock 0.25 s before its event
    ZonecutMetrics m = new ZonecutMetrics(registry,
        Clock.fixed(T.plusMillis(250), ZoneOffset.UTC));
    InetAddress src = InetAddress.getLoopbackAddress();
    Delegation d = Delegation.builder(CHILD).nameservers(
        Name.fromConstantString("ns.example.")).build();
    DelegationChange change = new DelegationChange("c1", CHILD, d, d,
        DelegationChange.Source.UPDATE, T);
    m.updateListener().onEvent(new UpdateEvent(T, src, null, CHILD, change,
        UpdateEvent.Outcome.APPLIED, Rcode.NOERROR,
        new DelegationBackend.ApplyResult.Applied("c1"), true, ""));
    m.updateListener().onEvent(new UpdateEvent(T, src, null, CHILD, null,
        UpdateEvent.Outcome.RATE_LIMITED, Rcode.REFUSED, null, false, "over the rate"));
    m.updateListener().onEvent(new UpdateEvent(T, src, null, CHILD, null,
        UpdateEvent.Outcome.UNKNOWN_KEY, 17, null, false, ""));
    m.notifyListener().accept(new NotifyEvent(T, src, Optional.of(CHILD), Type.CDS,
        NotifyEvent.Outcome.QUEUE_FULL, Rcode.REFUSED));
    KeyStateEvent.KeyRef key = new KeyStateEvent.KeyRef(CHILD, 15, 4242);
    m.keyStateListener().onEvent(new KeyStateEvent(T, src, CHILD, key, null,
        KeyStateEvent.Outcome.ANSWERED, Rcode.NOERROR, KeyStateCode.KEY_TRUSTED, true, ""));
    m.keyStateListener().onEvent(new KeyStateEvent(T, src, CHILD, key, null,
        KeyStateEvent.Outcome.UNKNOWN_KEY, 17, null, false, "not held"));
    m.keyStateListener().onEvent(new KeyStateEvent(T, src, CHILD, key, null,
        KeyStateEvent.Outcome.CHILD_RATE_LIMITED, Rcode.REFUSED, null, false, ""));
    m.keyStateListener().onEvent(new KeyStateEvent(T, src, null, null, null,
        KeyStateEvent.Outcome.SOURCE_RATE_LIMITED, -1, null, false, ""));
    m.scanListener().accept(new ScanEvent.SignalSeen(CHILD, Type.CDS, T));
    m.scanListener().accept(new ScanEvent.Refused(CHILD, Type.CDS, T, Reason.INCONSISTENT, "x"));
    m.progressListener().accept(new Scanner.Progress(3, 10, 1, 2.5, Map.of("Refused:X", 2L), 4));

    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry)) {
      String[] r = Http.get("http://127.0.0.1:" + endpoint.address().getPort() + "/metrics");
      assertThat(r[0]).isEqualTo("200");
      assertThat(r[2]).startsWith("text/plain");
      assertThat(r[1])
          .contains("zonecut_requests_total{kind=\"update\",outcome=\"applied\"} 1.0")
          .contains("zonecut_requests_total{kind=\"update\",outcome=\"rate_limited\"} 1.0")
          .contains("zonecut_responses_total{kind=\"update\",rcode=\"BADKEY\"} 1.0")
          .contains("zonecut_responses_total{kind=\"update\",rcode=\"REFUSED\"} 1.0")
          .contains("zonecut_rate_limited_total{kind=\"update\"} 1.0")
          .contains("zonecut_rate_limited_total{kind=\"notify\"} 1.0")
          .contains("zonecut_requests_total{kind=\"keystate\",outcome=\"answered\"} 1.0")
          .contains("zonecut_requests_total{kind=\"keystate\",outcome=\"unknown_key\"} 1.0")
          .contains("zonecut_requests_total{kind=\"keystate\",outcome=\"source_rate_limited\"}"
              + " 1.0")
          .contains("zonecut_responses_total{kind=\"keystate\",rcode=\"NOERROR\"} 1.0")
          .contains("zonecut_responses_total{kind=\"keystate\",rcode=\"BADKEY\"} 1.0")
          .contains("zonecut_responses_total{kind=\"keystate\",rcode=\"none\"} 1.0")
          .contains("zonecut_rate_limited_total{kind=\"keystate\"} 2.0")
          .contains("zonecut_request_latency_seconds_count{kind=\"keystate\"} 4")
          .contains("zonecut_backend_results_total{result=\"applied\",source=\"update\"} 1.0")
          .contains("zonecut_request_latency_seconds_sum{kind=\"update\"} 0.75")
          .contains("zonecut_scan_results_total{outcome=\"refused\",type=\"CDS\"} 1.0")
          .doesNotContain("outcome=\"signalseen\"")
          .contains("zonecut_scan_done 3.0")
          .contains("zonecut_scan_children 10.0")
          .contains("zonecut_scan_errors 2.0")
          .contains("zonecut_scan_rate 2.5");
      assertThat(Http.get("http://127.0.0.1:" + endpoint.address().getPort() + "/")[0])
          .isEqualTo("404");
    }
  }
}
