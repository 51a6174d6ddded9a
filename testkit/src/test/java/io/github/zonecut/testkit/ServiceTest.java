package io.github.zonecut.testkit;

import static io.github.zonecut.testkit.Dns.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * A service installed on an endpoint answers its queries beside the zone data, and faults compose
 * with it instead of replacing it (issue 14, item 3: {@code Fault.silence()} replaced a scripted
 * responder and {@code clearFault()} left the endpoint answering unsigned).
 */
class ServiceTest {
  @RegisterExtension
  static final TestHierarchyExtension HIERARCHY =
      TestHierarchyExtension.of(b -> b.clock(Dns.CLOCK)
          .zone("test.", z -> z.nameservers("ns1.test.", "ns2.test.")));

  private static final AtomicInteger HANDLED = new AtomicInteger();

  /** An UPDATE "receiver" that answers NOERROR with ID echoed and counts what it handled. */
  private static final Service RECEIVER = Service.forOpcodes(q -> {
    HANDLED.incrementAndGet();
    Message ok = new Message(q.message().getHeader().getID());
    ok.getHeader().setFlag(Flags.QR);
    ok.getHeader().setOpcode(Opcode.UPDATE);
    ok.getHeader().setRcode(Rcode.NOERROR);
    return Optional.of(ok.toWire());
  }, Opcode.UPDATE);

  private static Endpoint ns1() {
    return HIERARCHY.get().nameserver("ns1.test.");
  }

  private static SimpleResolver tcp(Duration timeout) {
    SimpleResolver r = ns1().resolver();
    r.setTCP(true);
    r.setTimeout(timeout);
    return r;
  }

  private static int update(Duration timeout) throws IOException {
    return tcp(timeout).send(new Update(Dns.name("test."))).getRcode();
  }

  @AfterEach
  void reset() {
    ns1().clearFault();
    ns1().uninstall();
    HANDLED.set(0);
  }

  @Test
  void theServiceAnswersItsQueriesAndTheZonesTheRest() throws Exception {
    ns1().install(RECEIVER);
    assertThat(update(Duration.ofSeconds(5))).isEqualTo(Rcode.NOERROR);
    assertThat(send(Dns.dnssecResolver(ns1()), "test.", Type.SOA).getSection(Section.ANSWER))
        .isNotEmpty();
    assertThat(HANDLED).hasValue(1);
    assertThat(ns1().service()).containsSame(RECEIVER);
  }

  @Test
  void silenceSilencesTheServiceAndClearingItBringsTheServiceBack() throws Exception {
    ns1().install(RECEIVER);
    ns1().setFault(Fault.silence());
    assertThatThrownBy(() -> update(Duration.ofMillis(300))).isInstanceOf(IOException.class);
    ns1().clearFault();
    assertThat(update(Duration.ofSeconds(5))).as("the service, not the zones' NOTIMP")
        .isEqualTo(Rcode.NOERROR);
    assertThat(HANDLED).hasValue(1);
  }

  @Test
  void anRcodeFaultAnswersInTheServicesPlace() throws Exception {
    ns1().install(RECEIVER);
    ns1().setFault(Fault.servfail());
    assertThat(update(Duration.ofSeconds(5))).isEqualTo(Rcode.SERVFAIL);
    assertThat(HANDLED).hasValue(0);
  }

  @Test
  void aDelayDelaysTheServicesAnswer() throws Exception {
    ns1().install(RECEIVER);
    ns1().setFault(Fault.delay(Duration.ofSeconds(2)));
    assertThatThrownBy(() -> update(Duration.ofMillis(300))).isInstanceOf(IOException.class);
    assertThat(update(Duration.ofSeconds(10))).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aScriptReplacesTheServiceUntilCleared() throws Exception {
    ns1().install(RECEIVER);
    ns1().setFault(Fault.rcode(Rcode.REFUSED));
    assertThat(update(Duration.ofSeconds(5))).isEqualTo(Rcode.REFUSED);
    ns1().setFault(Fault.script(q -> Optional.empty()));
    assertThatThrownBy(() -> update(Duration.ofMillis(300))).isInstanceOf(IOException.class);
    ns1().clearFault();
    assertThat(update(Duration.ofSeconds(5))).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aServiceThatThrowsLooksLikeSilence() {
    ns1().install(Service.of(q -> true, q -> {
      throw new IllegalStateException("receiver bug");
    }));
    assertThatThrownBy(() -> update(Duration.ofMillis(300))).isInstanceOf(IOException.class);
  }
}
