package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.Name;

/** Invariants of {@link Delegation#diff}: the delta turns current into desired, exactly. */
class DelegationPropertiesTest {
  private static final Name CHILD = Name.fromConstantString("child.example.");
  private static final List<Name> IN = List.of(n("ns1.child.example."), n("NS2.child.example."),
      n("a.b.child.example."), n("child.example."));
  private static final List<Name> OUT = List.of(n("ns.notchild.example."), n("ns.other.net."),
      n("example."), n("ns1.example."));

  private static Name n(String s) {
    return Name.fromConstantString(s);
  }

  /**
   * Addresses of three families sharing the low octet {@code i / 3}: A 192.0.2.x, AAAA
   * 2001:db8::x and AAAA ::ffff:192.0.2.x (IPv4-mapped, which must stay AAAA).
   */
  private static InetAddress ip(int i) {
    byte x = (byte) (i / 3);
    try {
      switch (i % 3) {
        case 0:
          return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, x});
        case 1:
          return InetAddress.getByAddress(new byte[] {0x20, 1, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0,
              0, 0, 0, 0, 0, 0, x});
        default:
          return Inet6Address.getByAddress(null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, x}, -1);
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Provide
  Arbitrary<Delegation> delegations() {
    Arbitrary<List<Name>> in = Arbitraries.subsetOf(IN).map(List::copyOf);
    Arbitrary<List<Name>> out = Arbitraries.subsetOf(OUT).map(List::copyOf);
    Arbitrary<Set<Integer>> addrs = Arbitraries.integers().between(1, 9).set().ofMinSize(1)
        .ofMaxSize(3);
    Arbitrary<Set<DsData>> ds = Arbitraries.integers().between(1, 4)
        .map(i -> new DsData(i * 1000, 13, 200, new byte[] {i.byteValue(), 7}))
        .set().ofMaxSize(3);
    Arbitrary<Long> ttl = Arbitraries.of(300L, 3600L, 86400L);
    return Combinators.combine(in, out, addrs.list().ofSize(IN.size()),
        Arbitraries.integers().between(0, 15), ds, ttl, ttl, ttl)
        .filter((i, o, a, mask, d, t1, t2, t3) -> !i.isEmpty() || !o.isEmpty())
        .as((i, o, a, mask, d, t1, t2, t3) -> {
          Map<Name, Set<InetAddress>> glue = new HashMap<>();
          for (int k = 0; k < i.size(); k++) {
            if ((mask & (1 << k)) != 0) {
              Set<InetAddress> s = new java.util.HashSet<>();
              a.get(k).forEach(x -> s.add(ip(x)));
              glue.put(i.get(k), s);
            }
          }
          Set<Name> ns = new java.util.HashSet<>(i);
          ns.addAll(o);
          return new Delegation(CHILD, ns, glue, d, t1, t2, t3);
        });
  }

  @Property(tries = 300)
  void applyingTheDeltaYieldsTheDesiredDelegation(@ForAll("delegations") Delegation current,
      @ForAll("delegations") Delegation desired) {
    DelegationDelta delta = current.diff(desired);
    assertThat(delta.applyTo(current)).isEqualTo(desired);
    assertThat(delta.isEmpty()).isEqualTo(current.equals(desired));
  }

  @Property(tries = 200)
  void diffWithItselfIsEmpty(@ForAll("delegations") Delegation d) {
    assertThat(d.diff(d).isEmpty()).isTrue();
    assertThat(d.diff(d).applyTo(d)).isEqualTo(d);
  }

  @Property(tries = 300)
  void deltaNeverCarriesGlueForOutOfBailiwickHosts(@ForAll("delegations") Delegation current,
      @ForAll("delegations") Delegation desired) {
    DelegationDelta delta = current.diff(desired);
    for (Name host : delta.glueToReplace().keySet()) {
      assertThat(Names.isInBailiwick(host, CHILD)).as(host.toString()).isTrue();
      assertThat(desired.nameservers()).contains(host);
    }
    // removing an in-bailiwick name server removes its glue too
    for (Name gone : delta.nsToRemove()) {
      if (current.glue().containsKey(gone)) {
        assertThat(delta.glueToDelete()).contains(gone);
      }
    }
    // adds and removes never overlap
    assertThat(java.util.Collections.disjoint(delta.nsToAdd(), delta.nsToRemove())).isTrue();
    assertThat(java.util.Collections.disjoint(delta.dsToAdd(), delta.dsToRemove())).isTrue();
  }

  @Property(tries = 100)
  void outOfBailiwickGlueIsAlwaysRefused(@ForAll("delegations") Delegation d) {
    for (Name host : OUT) {
      Map<Name, Set<InetAddress>> glue = new HashMap<>(d.glue());
      glue.put(host, Set.of(ip(2)));
      Set<Name> ns = new java.util.HashSet<>(d.nameservers());
      ns.add(host);
      assertThatThrownBy(() -> new Delegation(CHILD, ns, glue, d.ds(), 1, 1, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out-of-bailiwick");
    }
  }

  @Property(tries = 200)
  void recordsRoundTrip(@ForAll("delegations") Delegation d) {
    Delegation back = Delegation.fromRecords(CHILD, d.toRecords());
    assertThat(back.nameservers()).isEqualTo(d.nameservers());
    assertThat(back.glue()).isEqualTo(d.glue());
    // each address keeps its family: A stays A, AAAA (IPv4-mapped included) stays AAAA
    d.glue().forEach((host, addresses) -> assertThat(back.glue().get(host))
        .extracting(a -> a.getClass().getSimpleName())
        .containsExactlyElementsOf(addresses.stream().map(a -> a.getClass().getSimpleName())
            .toList()));
    assertThat(Delegation.fromRecords(CHILD, back.toRecords()).toRecords())
        .isEqualTo(d.toRecords());
    assertThat(back.ds()).isEqualTo(d.ds());
    assertThat(back.nsTtl()).isEqualTo(d.nsTtl());
    if (!d.ds().isEmpty()) {
      assertThat(back.dsTtl()).isEqualTo(d.dsTtl());
    }
    if (!d.glue().isEmpty()) {
      assertThat(back.glueTtl()).isEqualTo(d.glueTtl());
    }
  }
}
