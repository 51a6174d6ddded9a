package io.github.zonecut.testkit;

import static io.github.zonecut.testkit.Dns.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * dnsjava's ValidatingResolver, a stub validator, against the recursive endpoint: SECURE,
 * INSECURE and BOGUS outcomes, and authenticated denial, for algorithms 13 and 15 and both key
 * schemes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationTest {
  private TestHierarchy hierarchy;

  @BeforeAll
  void start() throws IOException {
    hierarchy =
        TestHierarchy.builder()
            .clock(Dns.CLOCK)
            .zone("test.", z -> z.nameservers("ns1.test.", "ns2.test.").records("www A 192.0.2.1"))
            .zone("p256.test.", z -> z.algorithm(SigningAlgorithm.ECDSAP256SHA256).records(DATA))
            .zone("ed25519.test.", z -> z.algorithm(SigningAlgorithm.ED25519).records(DATA))
            .zone(
                "split.test.",
                z -> z.algorithm(SigningAlgorithm.ED25519).keyScheme(KeyScheme.KSK_ZSK).records(DATA))
            .zone(
                "split256.test.",
                z -> z.keyScheme(KeyScheme.KSK_ZSK).nameservers("ns.elsewhere.test.").records(DATA))
            .zone("insecure.test.", z -> z.parentDs(ParentDs.ABSENT).records(DATA))
            .zone("unsigned.test.", z -> z.unsigned().records(DATA))
            .zone("wrongds.test.", z -> z.parentDs(ParentDs.WRONG).records(DATA))
            .start();
  }

  private static final String DATA =
      String.join(
          "\n",
          "www A 192.0.2.10",
          "www TXT \"hello\"",
          "deep.ent A 192.0.2.11",
          "*.wild TXT \"synthesised\"");

  @AfterAll
  void stop() {
    hierarchy.close();
  }

  static Stream<Arguments> signedZones() {
    return Stream.of("p256.test.", "ed25519.test.", "split.test.", "split256.test.").map(Arguments::of);
  }

  private ValidatingResolver validator() {
    return hierarchy.newValidatingResolver();
  }

  @ParameterizedTest
  @MethodSource("signedZones")
  void positiveAnswerIsSecure(String zone) throws IOException {
    Message m = send(validator(), "www." + zone, Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
    assertThat(m.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == Type.A);
  }

  @ParameterizedTest
  @MethodSource("signedZones")
  void nxdomainIsSecure(String zone) throws IOException {
    Message m = send(validator(), "nope." + zone, Type.A);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("signedZones")
  void nodataIsSecure(String zone) throws IOException {
    Message m = send(validator(), "www." + zone, Type.AAAA);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("signedZones")
  void emptyNonTerminalNodataIsSecure(String zone) throws IOException {
    Message m = send(validator(), "ent." + zone, Type.A);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("signedZones")
  void wildcardAnswerIsSecure(String zone) throws IOException {
    Message m = send(validator(), "anything.wild." + zone, Type.TXT);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == Type.TXT);
    assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("signedZones")
  void wildcardNodataIsSecure(String zone) throws IOException {
    Message m = send(validator(), "anything.wild." + zone, Type.A);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
  }

  @Test
  void topZoneAnswerIsSecure() throws IOException {
    Message m = send(validator(), "www.test.", Type.A);
    assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
  }

  @Test
  void delegationWithoutDsIsInsecure() throws IOException {
    Message m = send(validator(), "www.insecure.test.", Type.A);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == Type.A);
    assertThat(m.getHeader().getFlag(Flags.AD)).isFalse();
  }

  @Test
  void unsignedZoneIsInsecure() throws IOException {
    Message m = send(validator(), "www.unsigned.test.", Type.A);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == Type.A);
    assertThat(m.getHeader().getFlag(Flags.AD)).isFalse();
  }

  @Test
  void wrongDsIsBogus() throws IOException {
    Message m = send(validator(), "www.wrongds.test.", Type.A);
    assertThat(m.getRcode()).as(m.toString()).isEqualTo(Rcode.SERVFAIL);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    // the validator explains itself: an RFC 8914 EDE and its reason TXT (class 65280)
    assertThat(m.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR)).isNotEmpty();
    assertThat(m.getSection(Section.ADDITIONAL))
        .anyMatch(r -> r.getType() == Type.TXT && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS);
  }

  @Test
  void validatorWalksDownFromTheAnchorThroughTheRecursiveEndpoint() throws IOException {
    Endpoint recursive = hierarchy.recursive();
    recursive.clearRecentQueries();
    send(validator(), "www.p256.test.", Type.A);
    assertThat(recursive.recentQueries())
        .extracting(m -> m.getQuestion().getName().toString() + "/" + Type.string(m.getQuestion().getType()))
        .contains("www.p256.test./A", "test./DNSKEY", "p256.test./DS", "p256.test./DNSKEY");
    assertThat(recursive.recentQueries())
        .allSatisfy(m -> assertThat(m.getHeader().getFlag(Flags.CD)).isTrue());
  }

  @Test
  void trustAnchorIsTheTopZonesDs() {
    assertThat(hierarchy.trustAnchors()).hasSize(1);
    assertThat(hierarchy.trustAnchors().get(0).getName()).isEqualTo(Dns.name("test."));
    assertThat(hierarchy.trustAnchorsText()).startsWith("test.").contains("DS");
  }
}
