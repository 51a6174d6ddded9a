package io.github.zonecut.testkit;

import static io.github.zonecut.testkit.Dns.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DsyncRecord;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The RFC 9859 worked example as testkit hierarchies: {@code subsub.sub.child.example.} delegated
 * from {@code example.}, whose {@code _dsync} records sit at the child-specific name or only at
 * {@code _dsync.example.}; signed (SECURE) or below an insecure delegation (INSECURE).
 */
class DsyncFixtureTest {
  static final String CHILD = "subsub.sub.child.example.";
  static final String SPECIFIC = "subsub.sub.child._dsync.example.";
  static final String GENERAL = "_dsync.example.";

  /** {@code _dsync} at the child-specific name (RFC 9859 §4.1). */
  static final Consumer<TestHierarchy.Builder> SPECIFIC_PATH =
      b -> b.clock(Dns.CLOCK)
          .zone("example.", z -> z.records("subsub.sub.child._dsync DSYNC CDS 1 5359 ns1.example."))
          .zone(CHILD, z -> z.algorithm(SigningAlgorithm.ED25519));

  /** {@code _dsync} only at the parent-wide name, so the specific lookup is a signed NXDOMAIN. */
  static final Consumer<TestHierarchy.Builder> GENERAL_PATH =
      b -> b.clock(Dns.CLOCK)
          .zone("example.", z -> z.records("_dsync DSYNC CDS 1 5359 ns1.example."))
          .zone(CHILD);

  /** As {@link #GENERAL_PATH} below a signed fake root that has no DS for {@code example.}. */
  static final Consumer<TestHierarchy.Builder> INSECURE_PARENT =
      b -> b.clock(Dns.CLOCK)
          .zone(".", z -> z.nameservers("a.root.test."))
          .zone("example.", z -> z.parentDs(ParentDs.ABSENT).records("_dsync DSYNC CDS 1 5359 ns1.example."))
          .zone(CHILD);

  private static TestHierarchy start(Consumer<TestHierarchy.Builder> config) throws Exception {
    TestHierarchy.Builder b = TestHierarchy.builder();
    config.accept(b);
    return b.start();
  }

  @Test
  void specificDsyncValidatesSecure() throws Exception {
    try (TestHierarchy h = start(SPECIFIC_PATH)) {
      Message m = send(h.newValidatingResolver(), SPECIFIC, DsyncRecord.TYPE);
      assertThat(m.getHeader().getFlag(Flags.AD)).as(m.toString()).isTrue();
      assertThat(m.getSection(Section.ANSWER)).hasAtLeastOneElementOfType(DsyncRecord.class);
      // the child's parent is found by SOA at its ancestors: NODATA from example. (an ENT)
      Message soa = send(h.newValidatingResolver(), "sub.child.example.", Type.SOA);
      assertThat(soa.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(soa.getSection(Section.AUTHORITY)).anyMatch(r -> r.getType() == Type.SOA
          && r.getName().equals(Dns.name("example.")));
    }
  }

  @Test
  void generalDsyncValidatesSecureAndTheSpecificNameIsASecureNxdomain() throws Exception {
    try (TestHierarchy h = start(GENERAL_PATH)) {
      Message none = send(h.newValidatingResolver(), SPECIFIC, DsyncRecord.TYPE);
      assertThat(none.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(none.getHeader().getFlag(Flags.AD)).as(none.toString()).isTrue();
      Message m = send(h.newValidatingResolver(), GENERAL, DsyncRecord.TYPE);
      assertThat(m.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(m.getSection(Section.ANSWER)).hasAtLeastOneElementOfType(DsyncRecord.class);
    }
  }

  @Test
  void dsyncBelowAnInsecureDelegationIsInsecure() throws Exception {
    try (TestHierarchy h = start(INSECURE_PARENT)) {
      Message m = send(h.newValidatingResolver(), GENERAL, DsyncRecord.TYPE);
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AD)).isFalse();
      assertThat(m.getSection(Section.ANSWER)).hasAtLeastOneElementOfType(DsyncRecord.class);
    }
  }
}
