package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.testkit.internal.Responder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * For random zone contents (names, empty non-terminals, a wildcard or not) and random questions,
 * dnsjava's validator finds every answer and every denial SECURE, and the RCODE matches the
 * zone's contents.
 */
class DenialPropertiesTest {
  private static final List<Integer> TYPES = List.of(Type.A, Type.TXT, Type.AAAA);

  @Provide
  Arbitrary<String> relativeName() {
    return Arbitraries.of("a", "b", "c", "d").list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, Integer>> question() {
    return Combinators.combine(relativeName(), Arbitraries.of(TYPES)).as(Tuple::of);
  }

  @Property(tries = 25)
  void everyAnswerAndDenialValidates(
      @ForAll("relativeNames") Set<String> names,
      @ForAll boolean wildcard,
      @ForAll boolean ed25519,
      @ForAll("questions") List<Tuple.Tuple2<String, Integer>> questions)
      throws Exception {
    StringBuilder text = new StringBuilder();
    for (String n : names) {
      text.append(n).append(n.length() % 2 == 0 ? " A 192.0.2.1\n" : " TXT \"t\"\n");
    }
    String wildOwner = wildcard ? "*." + names.iterator().next() : null;
    if (wildOwner != null) {
      text.append(wildOwner).append(" TXT \"w\"\n");
    }
    try (TestHierarchy h =
        TestHierarchy.builder()
            .clock(Dns.CLOCK)
            .zone("test.")
            .zone("p.test.", z -> z
                .algorithm(ed25519 ? SigningAlgorithm.ED25519 : SigningAlgorithm.ECDSAP256SHA256)
                .records(text.toString()))
            .start()) {
      ValidatingResolver validator = new ValidatingResolver(new InMemoryResolver(h), Dns.CLOCK);
      validator.loadTrustAnchors(
          new ByteArrayInputStream(h.trustAnchorsText().getBytes(StandardCharsets.US_ASCII)));
      Set<Name> owners = names.stream().map(n -> Dns.name(n + ".p.test.")).collect(Collectors.toSet());
      for (Tuple.Tuple2<String, Integer> q : questions) {
        Name qname = Dns.name(q.get1() + ".p.test.");
        Message m = validator.send(Message.newQuery(Record.newRecord(qname, q.get2(), org.xbill.DNS.DClass.IN)));
        assertThat(m.getHeader().getFlag(Flags.AD)).as("%s %s in %s\n%s", qname, Type.string(q.get2()), text, m).isTrue();
        boolean exists = owners.contains(qname) || owners.stream().anyMatch(o -> o.subdomain(qname));
        if (exists) {
          assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NOERROR);
        } else if (wildOwner == null) {
          assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NXDOMAIN);
        }
        if (owners.contains(qname) && hasType(qname, q.get2(), q.get1())) {
          assertThat(m.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == q.get2());
        }
      }
    }
  }

  private static boolean hasType(Name owner, int type, String relative) {
    return type == (relative.length() % 2 == 0 ? Type.A : Type.TXT);
  }

  @Provide
  Arbitrary<Set<String>> relativeNames() {
    return relativeName().set().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<Tuple.Tuple2<String, Integer>>> questions() {
    return question().list().ofMinSize(1).ofMaxSize(8);
  }

  /** The recursive endpoint's answer logic without sockets, through a wire round trip. */
  private static final class InMemoryResolver implements Resolver {
    private final TestHierarchy hierarchy;

    InMemoryResolver(TestHierarchy hierarchy) {
      this.hierarchy = hierarchy;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      try {
        Message q = new Message(query.toWire());
        if (q.getOPT() == null) {
          // what SimpleResolver does with the validator's setEDNS(0, 0, DO): RFC 3225 DO bit
          q.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, org.xbill.DNS.ExtendedFlags.DO), Section.ADDITIONAL);
        }
        Set<Name> all = hierarchy.zones().stream().map(TestZone::origin).collect(Collectors.toSet());
        Message answer = Responder.answer(q, hierarchy.snapshots(all), true);
        return CompletableFuture.completedFuture(new Message(Responder.render(answer, q, true)));
      } catch (java.io.IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void setPort(int port) {}

    @Override
    public void setTCP(boolean flag) {}

    @Override
    public void setIgnoreTruncation(boolean flag) {}

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

    @Override
    public void setTSIGKey(TSIG key) {}

    @Override
    public void setTimeout(Duration timeout) {}
  }
}
