package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.core.ZonecutTypes;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Signed observations built by hand for the pure acceptance checks: real ECDSA P-256 keys and
 * RRSIGs (dnsjava's DNSSEC.sign), one {@link Zone} per server.
 */
final class Fixture {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final Name CHILD = name("child.example.");
  static final Name NS1 = name("ns1.operator.test.");
  static final Name NS2 = name("ns2.operator.test.");
  static final Name NS3 = name("ns3.child.example.");
  static final Name NS4 = name("ns4.elsewhere.test.");

  static final Key KSK1 = key(257);
  static final Key KSK2 = key(257);
  static final Key KSK3 = key(257);
  static final Key ZSK = key(256);

  static {
    ZonecutTypes.register();
  }

  private Fixture() {}

  record Key(DNSKEYRecord dnskey, PrivateKey privateKey) {
    DsData ds() {
      return DsData.compute(CHILD, dnskey, DsData.SHA256);
    }

    DsData ds(int digestType) {
      return DsData.compute(CHILD, dnskey, digestType);
    }

    CDSRecord cds() {
      return Fixture.cds(ds());
    }

    CDNSKEYRecord cdnskey() {
      return new CDNSKEYRecord(CHILD, DClass.IN, 300, dnskey.getFlags(), dnskey.getProtocol(),
          dnskey.getAlgorithm(), dnskey.getKey());
    }
  }

  static Name name(String s) {
    return Name.fromConstantString(s);
  }

  static Key key(int flags) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair kp = g.generateKeyPair();
      return new Key(new DNSKEYRecord(CHILD, DClass.IN, 3600, flags, 3,
          DNSSEC.Algorithm.ECDSAP256SHA256, kp.getPublic()), kp.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static CDSRecord cds(DsData d) {
    return new CDSRecord(CHILD, DClass.IN, 300, d.keyTag(), d.algorithm(), d.digestType(),
        d.digest());
  }

  static CDSRecord cdsDelete() {
    return new CDSRecord(CHILD, DClass.IN, 300, 0, 0, 0, new byte[] {0});
  }

  static CDNSKEYRecord cdnskeyDelete() {
    return new CDNSKEYRecord(CHILD, DClass.IN, 300, 0, 3, 0, new byte[] {0});
  }

  static CsyncRecord csync(long serial, int flags, int... types) {
    List<Integer> list = new ArrayList<>();
    for (int t : types) {
      list.add(t);
    }
    return new CsyncRecord(CHILD, DClass.IN, 300, serial, flags, list);
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Delegation secure() {
    return Delegation.builder(CHILD).nameservers(NS1, NS2).ds(KSK1.ds()).build();
  }

  static Delegation insecure() {
    return Delegation.builder(CHILD).nameservers(NS1, NS2).build();
  }

  /** What one authoritative server serves for the child, signed on demand. */
  static final class Zone {
    final Map<RRsetKey, List<Record>> data = new LinkedHashMap<>();
    List<Key> dnskeySigners = List.of(KSK1);
    Key zsk = ZSK;
    long serial = 100;
    long serialAfter = 100;
    boolean corruptSignatures;
    final java.util.Set<RRsetKey> timingOut = new java.util.HashSet<>();

    Zone() {
      serial(100);
      set(new NSRecord(CHILD, DClass.IN, 3600, NS1), new NSRecord(CHILD, DClass.IN, 3600, NS2));
      keys(KSK1, ZSK);
    }

    Zone copy() {
      Zone z = new Zone();
      z.data.clear();
      data.forEach((k, v) -> z.data.put(k, new ArrayList<>(v)));
      z.dnskeySigners = dnskeySigners;
      z.zsk = zsk;
      z.serial = serial;
      z.serialAfter = serialAfter;
      z.corruptSignatures = corruptSignatures;
      z.timingOut.addAll(timingOut);
      return z;
    }

    Zone serial(long s) {
      serial = s;
      serialAfter = s;
      set(soa(s));
      return this;
    }

    Zone serialAfter(long s) {
      serialAfter = s;
      return this;
    }

    /** Publishes {@code keys} as the DNSKEY RRset; the KSKs among them sign it. */
    Zone keys(Key... keys) {
      List<Record> rrs = new ArrayList<>();
      List<Key> signers = new ArrayList<>();
      for (Key k : keys) {
        rrs.add(k.dnskey());
        if (k.dnskey().getFlags() == 257) {
          signers.add(k);
        }
      }
      data.put(RRsetKey.of(CHILD, Type.DNSKEY), rrs);
      dnskeySigners = signers;
      return this;
    }

    /** Replaces the RRset of the first record's owner and type with {@code records}. */
    Zone set(Record... records) {
      data.put(RRsetKey.of(records[0].getName(), records[0].getType()),
          new ArrayList<>(List.of(records)));
      return this;
    }

    Zone glue(Name host, String... addresses) {
      List<Record> a = new ArrayList<>();
      List<Record> aaaa = new ArrayList<>();
      for (String s : addresses) {
        InetAddress ip = ip(s);
        if (ip.getAddress().length == 4) {
          a.add(new ARecord(host, DClass.IN, 3600, ip));
        } else {
          aaaa.add(new AAAARecord(host, DClass.IN, 3600, ip));
        }
      }
      data.remove(RRsetKey.of(host, Type.A));
      data.remove(RRsetKey.of(host, Type.AAAA));
      if (!a.isEmpty()) {
        data.put(RRsetKey.of(host, Type.A), a);
      }
      if (!aaaa.isEmpty()) {
        data.put(RRsetKey.of(host, Type.AAAA), aaaa);
      }
      return this;
    }

    /** The server does not answer this question (the observer records a timeout). */
    Zone timingOut(Name name, int type) {
      timingOut.add(RRsetKey.of(name, type));
      return this;
    }

    Zone without(Name name, int type) {
      data.remove(RRsetKey.of(name, type));
      return this;
    }

    static SOARecord soa(long serial) {
      return new SOARecord(CHILD, DClass.IN, 3600, name("ns1.operator.test."),
          name("hostmaster.child.example."), serial, 3600, 600, 86400, 300);
    }

    RRset signed(RRsetKey key) {
      RRset set = new RRset();
      data.get(key).forEach(set::addRR);
      List<Key> signers = key.type() == Type.DNSKEY ? dnskeySigners : List.of(zsk);
      try {
        for (Key k : signers) {
          var sig = DNSSEC.sign(set, k.dnskey(), k.privateKey(), NOW.minus(Duration.ofDays(1)),
              NOW.plus(Duration.ofDays(30)));
          if (corruptSignatures) {
            byte[] s = sig.getSignature();
            s[s.length - 1] ^= 1;
            sig = new org.xbill.DNS.RRSIGRecord(sig.getName(), sig.getDClass(), sig.getTTL(),
                sig.getTypeCovered(), sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(),
                sig.getTimeSigned(), sig.getFootprint(), sig.getSigner(), s);
          }
          set.addRR(sig);
        }
      } catch (DNSSEC.DNSSECException e) {
        throw new IllegalStateException(e);
      }
      return set;
    }

    LookupResult direct(Name name, int type) {
      return result(RRsetKey.of(name, type), Verdict.UNVALIDATED);
    }

    LookupResult result(RRsetKey key, Verdict verdict) {
      if (timingOut.contains(key)) {
        return new LookupResult.Timeout(key.name(), key.type(), "no answer within 2 s");
      }
      if (data.containsKey(key) && !data.get(key).isEmpty()) {
        return new LookupResult.Answer(key.name(), key.type(), signed(key), verdict);
      }
      return new LookupResult.NoData(key.name(), key.type(), soa(serial), verdict);
    }

    List<RRsetKey> questions() {
      List<RRsetKey> out = new ArrayList<>();
      for (int t : new int[] {Type.SOA, Type.DNSKEY, Type.CDS, Type.CDNSKEY, CsyncRecord.TYPE,
          Type.NS}) {
        out.add(RRsetKey.of(CHILD, t));
      }
      for (Name host : List.of(NS3)) {
        out.add(RRsetKey.of(host, Type.A));
        out.add(RRsetKey.of(host, Type.AAAA));
      }
      return out;
    }

    ServerObservation.Reached at(Name ns, int port) {
      Map<RRsetKey, LookupResult> answers = new LinkedHashMap<>();
      for (RRsetKey k : questions()) {
        answers.put(k, result(k, Verdict.UNVALIDATED));
      }
      LookupResult after = new LookupResult.Answer(CHILD, Type.SOA,
          new RRset(soa(serialAfter)), Verdict.UNVALIDATED);
      return new ServerObservation.Reached(ns, DnsEndpoint.of(ip("127.0.0.1"), port), answers,
          after);
    }
  }

  /** Observations builder: servers by name, a validated view derived from one zone. */
  static final class Obs {
    final Delegation current;
    final Map<Name, Zone> servers = new LinkedHashMap<>();
    final Map<RRsetKey, LookupResult> validated = new LinkedHashMap<>();
    final List<ServerObservation> extra = new ArrayList<>();
    Verdict verdict = Verdict.SECURE;
    Instant at = NOW;

    Obs(Delegation current) {
      this.current = current;
    }

    Obs server(Name ns, Zone zone) {
      servers.put(ns, zone);
      return this;
    }

    /** The same zone served by every name server of the current delegation. */
    Obs everywhere(Zone zone) {
      for (Name ns : current.nameservers()) {
        servers.put(ns, zone);
      }
      return this;
    }

    Obs verdict(Verdict v) {
      verdict = v;
      return this;
    }

    Obs validated(LookupResult r) {
      validated.put(RRsetKey.of(r.name(), r.type()), r);
      return this;
    }

    Obs at(Instant instant) {
      at = instant;
      return this;
    }

    Obs add(ServerObservation s) {
      extra.add(s);
      return this;
    }

    Observations build() {
      List<ServerObservation> observed = new ArrayList<>();
      int port = 5301;
      Zone reference = null;
      for (Map.Entry<Name, Zone> e : servers.entrySet()) {
        observed.add(e.getValue().at(e.getKey(), port++));
        if (reference == null) {
          reference = e.getValue();
        }
      }
      observed.addAll(extra);
      Map<RRsetKey, LookupResult> view = new LinkedHashMap<>();
      if (reference != null) {
        for (RRsetKey k : reference.questions()) {
          view.put(k, reference.result(k, verdict));
        }
      }
      view.putAll(validated);
      return new Observations(CHILD, java.util.Optional.of(current), observed, view, at);
    }
  }
}
