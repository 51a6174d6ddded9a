package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Applying the built UPDATE with RFC 2136 semantics to the parent's current delegation yields the
 * desired one, in both styles, for random pairs of delegations.
 */
class UpdateBuilderProperties {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final List<Name> HOSTS = List.of(
      Name.fromConstantString("ns1.child.parent.test."),
      Name.fromConstantString("ns2.child.parent.test."),
      Name.fromConstantString("a.b.child.parent.test."),
      Name.fromConstantString("ns.provider.test."),
      Name.fromConstantString("ns.notchild.parent.test."),
      Name.fromConstantString("ns.sibling.parent.test."));

  @Provide
  Arbitrary<Delegation> delegations() {
    Arbitrary<Set<Name>> ns = Arbitraries.of(HOSTS).set().ofMinSize(1).ofMaxSize(HOSTS.size());
    Arbitrary<Set<DsData>> ds = Arbitraries.integers().between(0, 5)
        .map(i -> new DsData(1000 + i, 13, 2, digest(i))).set().ofMaxSize(4);
    Arbitrary<List<Integer>> addrs = Arbitraries.integers().between(1, 6).list().ofSize(6);
    Arbitrary<Long> ttl = Arbitraries.of(300L, 3600L, 86400L);
    return Combinators.combine(ns, ds, addrs, ttl, ttl, ttl).as((n, d, a, t1, t2, t3) -> {
      Delegation.Builder b = Delegation.builder(CHILD).nsTtl(t1).dsTtl(t2).glueTtl(t3);
      int i = 0;
      for (Name h : n) {
        b.nameservers(h);
        int code = a.get(i++ % a.size());
        if (h.subdomain(CHILD) && code != 6) {
          try {
            if ((code & 1) != 0) {
              b.glue(h, InetAddress.getByName("192.0.2." + code));
            }
            if ((code & 2) != 0 || (code & 1) == 0) {
              b.glue(h, InetAddress.getByName("2001:db8::" + code));
            }
          } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      d.forEach(b::ds);
      return b.build();
    });
  }

  static byte[] digest(int i) {
    byte[] d = new byte[32];
    java.util.Arrays.fill(d, (byte) (i * 17 + 1));
    return d;
  }

  @Property(tries = 500)
  void deltaTakesTheParentToTheDesiredDelegation(
      @ForAll("delegations") Delegation current, @ForAll("delegations") Delegation desired) {
    check(current, desired, UpdateStyle.DELTA);
  }

  @Property(tries = 500)
  void replaceTakesTheParentToTheDesiredDelegation(
      @ForAll("delegations") Delegation current, @ForAll("delegations") Delegation desired) {
    check(current, desired, UpdateStyle.REPLACE);
  }

  @Property(tries = 200)
  void noChangeIsAnEmptyDelta(@ForAll("delegations") Delegation current) {
    Message m = UpdateBuilder.of(PARENT).delta(current, current);
    assertThat(m.getSection(org.xbill.DNS.Section.UPDATE)).isEmpty();
  }

  private static void check(Delegation current, Delegation desired, UpdateStyle style) {
    Message m = UpdateBuilder.builder(PARENT).style(style).build().delegation(current, desired);
    Rfc2136Applier parent = new Rfc2136Applier(current);
    parent.apply(m, PARENT);
    Delegation after = Delegation.fromRecords(CHILD, parent.records());
    assertThat(after.nameservers()).isEqualTo(desired.nameservers());
    assertThat(after.glue()).isEqualTo(desired.glue());
    assertThat(after.ds()).isEqualTo(desired.ds());
    assertThat(after.nsTtl()).isEqualTo(desired.nsTtl());
    if (!desired.ds().isEmpty()) {
      assertThat(after.dsTtl()).isEqualTo(desired.dsTtl());
    } else {
      assertThat(parent.has(CHILD, Type.DS)).isFalse();
    }
    if (!desired.glue().isEmpty()) {
      assertThat(after.glueTtl()).isEqualTo(desired.glueTtl());
    }
    // nothing outside the delegation's own owners is touched, and no stale glue is left
    for (var r : parent.records()) {
      if (r.getType() == Type.A || r.getType() == Type.AAAA) {
        assertThat(desired.glue()).containsKey(r.getName());
      }
    }
  }
}
