package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.DiscoveryResult.Reason;
import io.github.zonecut.core.DsyncDiscovery.Policy;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** RFC 9859 §4.1 discovery over a pure fake lookup: every branch, the worked example, refusals. */
class DsyncDiscoveryTest {

  /** A lookup answering from a table; anything else is NXDOMAIN with the SOA of {@code zone}. */
  static final class FakeLookup implements DnsLookup {
    final Map<String, LookupResult> table = new HashMap<>();
    final List<String> asked = new ArrayList<>();
    String defaultZone = "example.";
    Verdict defaultVerdict = Verdict.SECURE;

    @Override
    public CompletionStage<LookupResult> lookup(Name name, int type) {
      String key = key(name, type);
      asked.add(key);
      LookupResult r = table.get(key);
      if (r == null) {
        r = new LookupResult.NxDomain(name, type, soa(defaultZone), defaultVerdict);
      }
      return CompletableFuture.completedFuture(r);
    }

    static String key(Name name, int type) {
      // numeric: Type.string(66) changes once the DSYNC type is registered
      return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type;
    }

    FakeLookup answer(String name, Verdict verdict, Record... records) {
      RRset set = new RRset();
      for (Record r : records) {
        set.addRR(r);
      }
      table.put(key(n(name), set.getType()),
          new LookupResult.Answer(n(name), set.getType(), set, verdict));
      return this;
    }

    FakeLookup put(String name, int type, LookupResult r) {
      table.put(key(n(name), type), r);
      return this;
    }
  }

  static Name n(String s) {
    try {
      return Name.fromString(s);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static SOARecord soa(String zone) {
    String suffix = zone.equals(".") ? "" : zone;
    return new SOARecord(n(zone), DClass.IN, 300, n("ns." + suffix), n("h." + suffix), 1, 3600,
        600, 86400, 300);
  }

  static DsyncRecord dsync(String owner, int rrType, DsyncScheme scheme, int port, String target) {
    return DsyncRecord.of(n(owner), 300, rrType, scheme, port, n(target));
  }

  static ARecord a(String name, String address) throws IOException {
    return new ARecord(n(name), DClass.IN, 300, InetAddress.getByName(address));
  }

  static AAAARecord aaaa(String name, String address) throws IOException {
    return new AAAARecord(n(name), DClass.IN, 300, InetAddress.getByName(address));
  }

  static DiscoveryResult run(CompletionStage<DiscoveryResult> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static void assertRefused(DiscoveryResult r, Reason reason) {
    assertThat(r).isInstanceOfSatisfying(DiscoveryResult.Refused.class,
        f -> assertThat(f.reason()).isEqualTo(reason));
  }

  static List<String> stepNames(DiscoveryResult r) {
    return r.steps().stream().map(s -> s.name().toString()).collect(Collectors.toList());
  }

  private static FakeLookup withScanner(FakeLookup fake) throws IOException {
    return fake.answer("scanner.example.net.", Verdict.SECURE, a("scanner.example.net.",
        "192.0.2.53")).answer("scanner.example.net.", Verdict.SECURE,
        aaaa("scanner.example.net.", "2001:db8::53"));
  }

  // ------------------------------------------------------------------ branches

  @Test
  void childSpecificRecordIsFoundOnTheFirstLookup() throws Exception {
    FakeLookup fake = withScanner(new FakeLookup()).answer("child._dsync.example.",
        Verdict.SECURE, dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359,
            "scanner.example.net."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertThat(r).isInstanceOfSatisfying(DiscoveryResult.Found.class, f -> {
      assertThat(f.record().getPort()).isEqualTo(5359);
      assertThat(f.endpoints()).containsExactly(DnsEndpoint.of("192.0.2.53", 5359),
          DnsEndpoint.of("2001:db8::53", 5359));
    });
    assertThat(stepNames(r)).containsExactly("child._dsync.example.", "scanner.example.net.",
        "scanner.example.net.");
    assertThat(r.steps()).allSatisfy(s -> assertThat(s.verdict()).contains(Verdict.SECURE));
  }

  @Test
  void workedExampleOfRfc9859() throws Exception {
    // subsub.sub.child.example is delegated from example; only _dsync.example. has DSYNC
    FakeLookup fake = withScanner(new FakeLookup()).answer("_dsync.example.", Verdict.SECURE,
        dsync("_dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("subsub.sub.child.example."), Type.CDS));

    assertThat(r).isInstanceOf(DiscoveryResult.Found.class);
    assertThat(stepNames(r).subList(0, 3)).containsExactly(
        "subsub._dsync.sub.child.example.",
        "subsub.sub.child._dsync.example.",
        "_dsync.example.");
  }

  @Test
  void secondLookupAnswersInTheWorkedExample() throws Exception {
    FakeLookup fake = withScanner(new FakeLookup()).answer("subsub.sub.child._dsync.example.",
        Verdict.SECURE, dsync("subsub.sub.child._dsync.example.", Type.CSYNC,
            DsyncScheme.NOTIFY, 5360, "scanner.example.net."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("subsub.sub.child.example."), Type.CSYNC));

    assertThat(r).isInstanceOf(DiscoveryResult.Found.class);
    assertThat(stepNames(r).subList(0, 2)).containsExactly(
        "subsub._dsync.sub.child.example.", "subsub.sub.child._dsync.example.");
  }

  @Test
  void parentWithoutWildcardIsReachedByDroppingTheLabels() throws Exception {
    FakeLookup fake = withScanner(new FakeLookup())
        .put("child._dsync.example.", DsyncRecord.TYPE, new LookupResult.NoData(
            n("child._dsync.example."), DsyncRecord.TYPE, soa("example."), Verdict.SECURE))
        .answer("_dsync.example.", Verdict.SECURE,
            dsync("_dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertThat(r).isInstanceOf(DiscoveryResult.Found.class);
    assertThat(stepNames(r).subList(0, 2)).containsExactly("child._dsync.example.",
        "_dsync.example.");
  }

  @Test
  void noDsyncAnywhereIsNotFoundAfterThreeLookups() throws Exception {
    FakeLookup fake = new FakeLookup();

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("subsub.sub.child.example."), Type.CDS));

    assertThat(r).isInstanceOf(DiscoveryResult.NotFound.class);
    assertThat(r.steps()).hasSize(3);
  }

  @Test
  void delegatedDsyncZoneIsNotHostile() throws Exception {
    // RFC 9859 §3: the parent may delegate _dsync.example. as its own zone
    FakeLookup fake = withScanner(new FakeLookup());
    fake.defaultZone = "_dsync.example.";
    fake.answer("_dsync.example.", Verdict.SECURE,
        dsync("_dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertThat(r).isInstanceOf(DiscoveryResult.Found.class);
    assertThat(stepNames(r).subList(0, 2)).containsExactly("child._dsync.example.",
        "_dsync.example.");
  }

  @Test
  void namesAreComparedLabelWiseAndCaseInsensitively() throws Exception {
    FakeLookup fake = withScanner(new FakeLookup());
    fake.defaultZone = "EXAMPLE.";
    fake.answer("_dsync.example.", Verdict.SECURE,
        dsync("_dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("SubSub.Sub.Child.Example."), Type.CDS));

    assertThat(r).isInstanceOf(DiscoveryResult.Found.class);
  }

  // ------------------------------------------------------------------ selection

  @Test
  void selectsByRrtypeAndSchemeAndIgnoresSchemeZeroAndPortZero() throws Exception {
    Codepoints cp = Codepoints.DEFAULT;
    FakeLookup fake = withScanner(new FakeLookup()).answer("child._dsync.example.",
        Verdict.SECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."),
        dsync("child._dsync.example.", Type.CSYNC, DsyncScheme.NOTIFY, 0, "scanner.example.net."),
        dsync("child._dsync.example.", Type.ANY, DsyncScheme.update(cp), 5302,
            "scanner.example.net."),
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NULL, 9999, "scanner.example.net."));
    DsyncDiscovery discovery = DsyncDiscovery.builder(fake).codepoints(cp).build();

    DiscoveryResult cds = run(discovery.discoverNotify(n("child.example."), Type.CDS));
    DiscoveryResult csync = run(discovery.discoverNotify(n("child.example."), Type.CSYNC));
    DiscoveryResult update = run(discovery.discoverUpdate(n("child.example.")));
    DiscoveryResult nullScheme = run(discovery.discover(n("child.example."), Type.CDS,
        DsyncScheme.NULL));

    assertThat(cds).isInstanceOfSatisfying(DiscoveryResult.Found.class,
        f -> assertThat(f.record().getPort()).isEqualTo(5359));
    assertThat(csync).as("port 0 is ignored").isInstanceOf(DiscoveryResult.NotFound.class);
    assertThat(update).isInstanceOfSatisfying(DiscoveryResult.Found.class,
        f -> assertThat(f.endpoints()).contains(DnsEndpoint.of("192.0.2.53", 5302)));
    assertThat(nullScheme).as("scheme 0 is ignored").isInstanceOf(DiscoveryResult.NotFound.class);
  }

  @Test
  void twoRecordsForTheSamePairAreRefused() throws Exception {
    FakeLookup fake = withScanner(new FakeLookup()).answer("child._dsync.example.",
        Verdict.SECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."),
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5360, "other.example.net."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.MULTIPLE_RECORDS);
  }

  @Test
  void nameOverrideReplacesTargetLookupAndPort() throws Exception {
    FakeLookup fake = new FakeLookup().answer("child._dsync.example.", Verdict.SECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "ns1.operator.test."));
    EndpointOverrides overrides = EndpointOverrides.builder()
        .name(n("NS1.operator.test."), DnsEndpoint.of("127.0.0.1", 5330)).build();

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).overrides(overrides).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertThat(r).isInstanceOfSatisfying(DiscoveryResult.Found.class,
        f -> assertThat(f.endpoints()).containsExactly(DnsEndpoint.of("127.0.0.1", 5330)));
    assertThat(fake.asked).containsExactly("child._dsync.example./" + DsyncRecord.TYPE);
  }

  @Test
  void addressOverrideRedirectsOneAddress() throws Exception {
    FakeLookup fake = withScanner(new FakeLookup()).answer("child._dsync.example.",
        Verdict.SECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."));
    EndpointOverrides overrides = EndpointOverrides.builder()
        .address(InetAddress.getByName("192.0.2.53"), DnsEndpoint.of("127.0.0.1", 15359)).build();

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).overrides(overrides).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertThat(r).isInstanceOfSatisfying(DiscoveryResult.Found.class,
        f -> assertThat(f.endpoints()).containsExactly(DnsEndpoint.of("127.0.0.1", 15359),
            DnsEndpoint.of("2001:db8::53", 5359)));
  }

  // ------------------------------------------------------------------ target address screen

  /** A discovery whose DSYNC target {@code t.example.net.} has exactly {@code addresses}. */
  private static DiscoveryResult discoverTarget(AddressPolicy policy, int port,
      String... addresses) throws Exception {
    FakeLookup fake = new FakeLookup().answer("child._dsync.example.", Verdict.SECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, port, "t.example.net."));
    List<Record> v4 = new ArrayList<>();
    List<Record> v6 = new ArrayList<>();
    for (String address : addresses) {
      if (address.contains(":")) {
        v6.add(aaaa("t.example.net.", address));
      } else {
        v4.add(a("t.example.net.", address));
      }
    }
    if (!v4.isEmpty()) {
      fake.answer("t.example.net.", Verdict.SECURE, v4.toArray(new Record[0]));
    }
    if (!v6.isEmpty()) {
      fake.answer("t.example.net.", Verdict.SECURE, v6.toArray(new Record[0]));
    }
    return run(DsyncDiscovery.builder(fake).addressPolicy(policy).build()
        .discoverNotify(n("child.example."), Type.CDS));
  }

  @Test
  void everyRefusedAddressClassIsRefusedByDefault() throws Exception {
    Map<String, AddressPolicy.AddressClass> cases = new java.util.LinkedHashMap<>();
    cases.put("0.0.0.0", AddressPolicy.AddressClass.UNSPECIFIED);
    cases.put("::", AddressPolicy.AddressClass.UNSPECIFIED);
    cases.put("255.255.255.255", AddressPolicy.AddressClass.BROADCAST);
    cases.put("224.0.0.1", AddressPolicy.AddressClass.MULTICAST);
    cases.put("ff02::1", AddressPolicy.AddressClass.MULTICAST);
    cases.put("240.0.0.1", AddressPolicy.AddressClass.RESERVED);
    cases.put("127.0.0.1", AddressPolicy.AddressClass.LOOPBACK);
    cases.put("127.8.9.10", AddressPolicy.AddressClass.LOOPBACK);
    cases.put("::1", AddressPolicy.AddressClass.LOOPBACK);
    cases.put("::ffff:127.0.0.1", AddressPolicy.AddressClass.LOOPBACK);
    cases.put("169.254.169.254", AddressPolicy.AddressClass.LINK_LOCAL);
    cases.put("fe80::1", AddressPolicy.AddressClass.LINK_LOCAL);
    cases.put("10.1.2.3", AddressPolicy.AddressClass.PRIVATE);
    cases.put("172.16.0.1", AddressPolicy.AddressClass.PRIVATE);
    cases.put("172.31.255.255", AddressPolicy.AddressClass.PRIVATE);
    cases.put("192.168.1.1", AddressPolicy.AddressClass.PRIVATE);
    cases.put("fc00::1", AddressPolicy.AddressClass.PRIVATE);
    cases.put("fd12:3456::1", AddressPolicy.AddressClass.PRIVATE);
    cases.put("100.64.0.1", AddressPolicy.AddressClass.SHARED);
    cases.put("100.127.255.254", AddressPolicy.AddressClass.SHARED);
    for (Map.Entry<String, AddressPolicy.AddressClass> c : cases.entrySet()) {
      DiscoveryResult r = discoverTarget(AddressPolicy.publicOnly(), 5359, c.getKey());
      assertThat(r).as(c.getKey()).isInstanceOfSatisfying(DiscoveryResult.Refused.class, f -> {
        assertThat(f.reason()).isEqualTo(Reason.TARGET_ADDRESS_REFUSED);
        assertThat(f.refusedAddresses()).singleElement().satisfies(x -> {
          assertThat(x.address()).isEqualTo(InetAddress.getByName(c.getKey()));
          assertThat(x.addressClass()).isEqualTo(c.getValue());
        });
        assertThat(f.detail()).contains(c.getValue().toString());
      });
    }
  }

  @Test
  void ordinaryAddressesNextToTheSpecialRangesAreAllowed() throws Exception {
    for (String ok : List.of("192.0.2.1", "1.1.1.1", "172.32.0.1", "172.15.255.255",
        "100.128.0.1", "100.63.255.255", "169.255.0.1", "223.255.255.255", "11.0.0.1",
        "2001:db8::1", "2a00:1450::1", "2620:fe::fe")) {
      assertThat(discoverTarget(AddressPolicy.publicOnly(), 5359, ok)).as(ok)
          .isInstanceOfSatisfying(DiscoveryResult.Found.class,
              f -> assertThat(f.refusedAddresses()).isEmpty());
    }
  }

  @Test
  void theLabPolicyAllowsLoopbackAndPrivateButNeverBroadcastOrMulticast() throws Exception {
    AddressPolicy lab = AddressPolicy.allowLoopbackAndPrivateForTesting();
    for (String ok : List.of("127.0.0.1", "::1", "10.0.0.53", "fd00::53", "169.254.1.1",
        "100.64.0.53")) {
      assertThat(discoverTarget(lab, 5359, ok)).as(ok).isInstanceOfSatisfying(
          DiscoveryResult.Found.class, f -> assertThat(f.endpoints())
              .containsExactly(DnsEndpoint.of(ok, 5359)));
    }
    for (String never : List.of("0.0.0.0", "::", "255.255.255.255", "224.0.0.1", "ff02::1")) {
      assertRefused(discoverTarget(lab, 5359, never), Reason.TARGET_ADDRESS_REFUSED);
    }
    assertThat(AddressPolicy.publicOnly().alsoAllowing(AddressPolicy.AddressClass.PRIVATE)
        .refusal(InetAddress.getByName("10.0.0.1"))).isEmpty();
    assertThat(AddressPolicy.publicOnly().alsoAllowing(AddressPolicy.AddressClass.PRIVATE)
        .refusal(InetAddress.getByName("127.0.0.1")))
        .contains(AddressPolicy.AddressClass.LOOPBACK);
    assertThatThrownBy(() -> AddressPolicy.publicOnly()
        .alsoAllowing(AddressPolicy.AddressClass.BROADCAST))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badAddressesAreDroppedAndReportedWhenGoodOnesRemain() throws Exception {
    DiscoveryResult r = discoverTarget(AddressPolicy.publicOnly(), 5359, "192.0.2.53",
        "127.0.0.1", "224.0.0.1", "2001:db8::53", "fe80::1");

    assertThat(r).isInstanceOfSatisfying(DiscoveryResult.Found.class, f -> {
      assertThat(f.endpoints()).containsExactly(DnsEndpoint.of("192.0.2.53", 5359),
          DnsEndpoint.of("2001:db8::53", 5359));
      assertThat(f.refusedAddresses()).extracting(x -> x.address().getHostAddress() + " "
          + x.addressClass()).containsExactly("127.0.0.1 LOOPBACK", "224.0.0.1 MULTICAST",
              "fe80:0:0:0:0:0:0:1 LINK_LOCAL");
    });
  }

  @Test
  void portZeroIsNeverHandedOut() throws Exception {
    // RFC 9859 §2.1: a record with port 0 is ignored, so there is no endpoint at all
    assertThat(discoverTarget(AddressPolicy.allowLoopbackAndPrivateForTesting(), 0,
        "192.0.2.53")).isInstanceOf(DiscoveryResult.NotFound.class);
    assertThatThrownBy(() -> DnsEndpoint.of("192.0.2.53", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overridesAreTheHostsOwnAndAreNotScreened() throws Exception {
    FakeLookup fake = new FakeLookup().answer("child._dsync.example.", Verdict.SECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "t.example.net."))
        .answer("t.example.net.", Verdict.SECURE, a("t.example.net.", "10.0.0.53"));
    EndpointOverrides overrides = EndpointOverrides.builder()
        .address(InetAddress.getByName("10.0.0.53"), DnsEndpoint.of("127.0.0.1", 15359))
        .build();

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).overrides(overrides).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertThat(r).isInstanceOfSatisfying(DiscoveryResult.Found.class,
        f -> assertThat(f.endpoints()).containsExactly(DnsEndpoint.of("127.0.0.1", 15359)));
  }

  // ------------------------------------------------------------------ policy and refusals

  @Test
  void insecureIsRefusedWhenSecureIsRequiredAndAcceptedOtherwise() throws Exception {
    FakeLookup fake = withScanner(new FakeLookup()).answer("child._dsync.example.",
        Verdict.INSECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."));

    DiscoveryResult strict = run(DsyncDiscovery.builder(fake).policy(Policy.REQUIRE_SECURE)
        .build().discoverNotify(n("child.example."), Type.CDS));
    DiscoveryResult lax = run(DsyncDiscovery.builder(fake).policy(Policy.ACCEPT_INSECURE)
        .build().discoverNotify(n("child.example."), Type.CDS));

    assertRefused(strict, Reason.NOT_SECURE);
    assertThat(lax).isInstanceOf(DiscoveryResult.Found.class);
    assertThat(lax.steps().get(0).verdict()).contains(Verdict.INSECURE);
  }

  @Test
  void insecureNegativeAnswerIsRefusedWhenSecureIsRequired() throws Exception {
    FakeLookup fake = new FakeLookup();
    fake.defaultVerdict = Verdict.INSECURE;

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.NOT_SECURE);
    assertThat(r.steps()).hasSize(1);
  }

  @Test
  void insecureTargetAddressIsRefusedWhenSecureIsRequired() throws Exception {
    FakeLookup fake = new FakeLookup()
        .answer("child._dsync.example.", Verdict.SECURE, dsync("child._dsync.example.",
            Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."))
        .answer("scanner.example.net.", Verdict.INSECURE, a("scanner.example.net.",
            "192.0.2.53"));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.NOT_SECURE);
  }

  @Test
  void bogusIsRefusedWhateverThePolicy() throws Exception {
    FakeLookup fake = new FakeLookup().put("child._dsync.example.", DsyncRecord.TYPE,
        new LookupResult.Bogus(n("child._dsync.example."), DsyncRecord.TYPE, 6, "sig expired"));

    for (Policy p : Policy.values()) {
      DiscoveryResult r = run(DsyncDiscovery.builder(fake).policy(p).build()
          .discoverNotify(n("child.example."), Type.CDS));
      assertThat(r).as(p.name()).isInstanceOfSatisfying(DiscoveryResult.Refused.class, f -> {
        assertThat(f.reason()).isEqualTo(Reason.BOGUS);
        assertThat(f.detail()).contains("sig expired");
      });
      assertThat(r.steps().get(0).verdict()).contains(Verdict.BOGUS);
    }
  }

  @Test
  void bogusTargetAddressIsRefused() throws Exception {
    FakeLookup fake = new FakeLookup()
        .answer("child._dsync.example.", Verdict.SECURE, dsync("child._dsync.example.",
            Type.CDS, DsyncScheme.NOTIFY, 5359, "scanner.example.net."))
        .answer("scanner.example.net.", Verdict.SECURE, a("scanner.example.net.", "192.0.2.53"))
        .put("scanner.example.net.", Type.AAAA, new LookupResult.Bogus(
            n("scanner.example.net."), Type.AAAA, 6, "bad"));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).policy(Policy.ACCEPT_INSECURE).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.BOGUS);
  }

  @Test
  void soaOfAnUnrelatedZoneIsHostile() throws Exception {
    FakeLookup fake = new FakeLookup();
    fake.defaultZone = "evil.test.";

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.HOSTILE_SOA);
  }

  @Test
  void soaThatDoesNotEncloseTheNameAskedIsHostile() throws Exception {
    // child.example. encloses nothing of child._dsync.example.: not a zone that could answer
    FakeLookup fake = new FakeLookup();
    fake.defaultZone = "child.example.";

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.HOSTILE_SOA);
  }

  @Test
  void soaLookalikeByStringSuffixIsHostile() throws Exception {
    // "badexample." ends with "example." as a string but is not an ancestor label-wise
    FakeLookup fake = new FakeLookup();
    fake.defaultZone = "ample.";

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.HOSTILE_SOA);
  }

  @Test
  void stepBoundStopsDiscovery() throws Exception {
    FakeLookup fake = new FakeLookup();

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).maxSteps(2).build()
        .discoverNotify(n("subsub.sub.child.example."), Type.CDS));

    assertRefused(r, Reason.TOO_MANY_STEPS);
    assertThat(fake.asked).hasSize(2);
  }

  @Test
  void hostileSoaWalkToTheRootAsksEveryNameOnceAndEnds() throws Exception {
    FakeLookup fake = new FakeLookup()
        .put("a._dsync.b.c.example.", DsyncRecord.TYPE, new LookupResult.NxDomain(
            n("a._dsync.b.c.example."), DsyncRecord.TYPE, soa("example."), Verdict.SECURE))
        .put("a.b.c._dsync.example.", DsyncRecord.TYPE, new LookupResult.NxDomain(
            n("a.b.c._dsync.example."), DsyncRecord.TYPE, soa("example."), Verdict.SECURE));
    // a hostile resolver answering _dsync.example. with SOA "." sends discovery up to the root
    fake.put("_dsync.example.", DsyncRecord.TYPE, new LookupResult.NxDomain(
        n("_dsync.example."), DsyncRecord.TYPE, soa("."), Verdict.SECURE));
    fake.put("a.b.c.example._dsync.", DsyncRecord.TYPE, new LookupResult.NxDomain(
        n("a.b.c.example._dsync."), DsyncRecord.TYPE, soa("."), Verdict.SECURE));
    fake.put("_dsync.", DsyncRecord.TYPE, new LookupResult.NxDomain(
        n("_dsync."), DsyncRecord.TYPE, soa("."), Verdict.SECURE));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("a.b.c.example."), Type.CDS));

    // every name is asked at most once and the walk ends
    assertThat(fake.asked).doesNotHaveDuplicates();
    assertThat(r).isInstanceOf(DiscoveryResult.NotFound.class);
    assertThat(stepNames(r)).containsExactly("a._dsync.b.c.example.", "a.b.c._dsync.example.",
        "_dsync.example.", "a.b.c.example._dsync.", "_dsync.");
  }

  @Test
  void lookupFailureIsRefusedWithTheStep() throws Exception {
    FakeLookup fake = new FakeLookup().put("child._dsync.example.", DsyncRecord.TYPE,
        new LookupResult.Timeout(n("child._dsync.example."), DsyncRecord.TYPE, "no answer"));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.LOOKUP_FAILED);
    assertThat(r.steps().get(0).verdict()).isEmpty();
  }

  @Test
  void targetWithoutAddressesIsUnresolvable() throws Exception {
    FakeLookup fake = new FakeLookup().answer("child._dsync.example.", Verdict.SECURE,
        dsync("child._dsync.example.", Type.CDS, DsyncScheme.NOTIFY, 5359, "nowhere.example."));

    DiscoveryResult r = run(DsyncDiscovery.builder(fake).build()
        .discoverNotify(n("child.example."), Type.CDS));

    assertRefused(r, Reason.TARGET_UNRESOLVABLE);
  }

  @Test
  void rootAndRelativeChildrenAreRejected() throws Exception {
    DsyncDiscovery d = DsyncDiscovery.builder(new FakeLookup()).build();

    assertThat(run(d.discoverNotify(Name.root, Type.CDS)))
        .isInstanceOfSatisfying(DiscoveryResult.Refused.class,
            f -> assertThat(f.reason()).isEqualTo(Reason.INVALID_NAME));
    assertThatThrownBy(() -> d.discoverNotify(Name.fromString("child"), Type.CDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.discoverNotify(n("child.example."), Type.NS))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
