package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

/**
 * Codec invariants of every zonecut record type: wire and text round trips (strict API and
 * dnsjava's hooks), canonical ordering consistent with RFC 4034 §6.3, and arbitrary RDATA either
 * parsing or raising {@link MalformedDataException} and nothing else.
 */
class RecordPropertiesTest {
  private static final Name OWNER = Name.fromConstantString("_dsync.example.");
  private static final Codepoints CP = Codepoints.DEFAULT;

  @BeforeContainer
  static void register() {
    ZonecutTypes.register();
  }

  // ---- generators

  static Arbitrary<String> labels() {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars('-', '_').ofMinLength(1).ofMaxLength(12);
  }

  static Arbitrary<Name> names() {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars('-', '\\', '.', ' ', '"').ofMinLength(1)
        .ofMaxLength(10).map(s -> s.replace("\\", "\\\\").replace(".", "\\.")
            .replace(" ", "\\032").replace("\"", "\\\""))
        .list().ofMinSize(0).ofMaxSize(4)
        .map(ls -> {
          try {
            return Name.fromString(String.join(".", ls) + ".");
          } catch (TextParseException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Provide
  Arbitrary<DsyncRecord> dsync() {
    return Combinators.combine(Arbitraries.integers().between(0, 65535),
        Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 65535), names(),
        Arbitraries.longs().between(0, 0x7FFFFFFFL))
        .as((t, s, p, n, ttl) -> new DsyncRecord(OWNER, DClass.IN, ttl, t,
            DsyncScheme.valueOf(s), p, n, CP));
  }

  @Provide
  Arbitrary<CsyncRecord> csync() {
    return Combinators.combine(Arbitraries.longs().between(0, 0xFFFFFFFFL),
        Arbitraries.integers().between(0, 65535),
        Arbitraries.integers().between(1, 65535).set().ofMaxSize(12))
        .as((serial, flags, types) -> new CsyncRecord(OWNER, DClass.IN, 60, serial, flags, types));
  }

  @Provide
  Arbitrary<HsyncRecord> hsync() {
    Arbitrary<HsyncState> states = Arbitraries.integers().between(0, 255)
        .map(v -> HsyncState.fromWire(v, CP));
    return Combinators.combine(states, labels(), names(), labels().optional())
        .as((s, l, n, u) -> new HsyncRecord(OWNER, DClass.IN, 60, s, l, n, u, CP));
  }

  @Provide
  Arbitrary<HsyncParamRecord> hsyncParam() {
    Arbitrary<HsyncParam> known = Arbitraries.oneOf(
        Arbitraries.of(HsyncParam.Role.class).map(HsyncParam::nsmgmt),
        Arbitraries.of(HsyncParam.Role.class).map(HsyncParam::parentsync),
        labels().list().ofMinSize(1).ofMaxSize(3).map(HsyncParam::servers),
        labels().list().ofMinSize(1).ofMaxSize(3).map(HsyncParam::signers),
        labels().list().ofMinSize(1).ofMaxSize(3).map(HsyncParam::auditors),
        Arbitraries.just(HsyncParam.pubkey()), Arbitraries.just(HsyncParam.pubcds()),
        labels().map(HsyncParam::suffix));
    Arbitrary<HsyncParam> unknown = Combinators.combine(
        Arbitraries.integers().between(8, 65534),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(8)).as(HsyncParam::new);
    return Arbitraries.oneOf(known, unknown).list().ofMaxSize(6)
        .uniqueElements(HsyncParam::key)
        .map(ps -> new HsyncParamRecord(OWNER, DClass.IN, 60, ps, CP));
  }

  // ---- round trips

  @Property(tries = 200)
  void dsyncRoundTrips(@ForAll("dsync") DsyncRecord r) throws Exception {
    assertRoundTrips(r, DsyncRecord.fromRdata(OWNER, DClass.IN, r.getTTL(),
        r.rdataToWireCanonical(), CP), DsyncRecord.parse(OWNER, DClass.IN, r.getTTL(),
        r.rdataToString(), CP));
  }

  @Property(tries = 200)
  void csyncRoundTrips(@ForAll("csync") CsyncRecord r) throws Exception {
    assertRoundTrips(r, CsyncRecord.fromRdata(OWNER, DClass.IN, r.getTTL(),
        r.rdataToWireCanonical()), CsyncRecord.parse(OWNER, DClass.IN, r.getTTL(),
        r.rdataToString()));
  }

  @Property(tries = 200)
  void hsyncRoundTrips(@ForAll("hsync") HsyncRecord r) throws Exception {
    assertRoundTrips(r, HsyncRecord.fromRdata(OWNER, DClass.IN, r.getTTL(),
        r.rdataToWireCanonical(), CP), HsyncRecord.parse(OWNER, DClass.IN, r.getTTL(),
        r.rdataToString(), CP));
  }

  @Property(tries = 200)
  void hsyncParamRoundTrips(@ForAll("hsyncParam") HsyncParamRecord r) throws Exception {
    assertRoundTrips(r, HsyncParamRecord.fromRdata(OWNER, DClass.IN, r.getTTL(),
        r.rdataToWireCanonical(), CP), HsyncParamRecord.parse(OWNER, DClass.IN, r.getTTL(),
        r.rdataToString(), CP));
  }

  private static void assertRoundTrips(Record r, Record fromWire, Record fromText)
      throws Exception {
    assertThat(fromWire).isEqualTo(r);
    assertThat(fromWire.rdataToString()).isEqualTo(r.rdataToString());
    assertThat(fromText).isEqualTo(r);
    // dnsjava's own paths: a whole message, and the zone-file text form
    Message m = new Message();
    m.addRecord(r, Section.ANSWER);
    Record viaMessage = new Message(m.toWire()).getSection(Section.ANSWER).get(0);
    assertThat(viaMessage).isInstanceOf(r.getClass()).isEqualTo(r);
    Record viaText = Record.fromString(r.getName(), r.getType(), r.getDClass(), r.getTTL(),
        r.rdataToString(), null);
    assertThat(viaText).isInstanceOf(r.getClass()).isEqualTo(r);
  }

  // ---- canonical ordering (RFC 4034 §6.3)

  @Property(tries = 200)
  void dsyncOrderingFollowsCanonicalRdata(@ForAll("dsync") DsyncRecord a,
      @ForAll("dsync") DsyncRecord b) throws Exception {
    assertCanonicalOrder(a, b, DsyncRecord.fromRdata(OWNER, DClass.IN, 1,
        a.rdataToWireCanonical(), CP));
  }

  @Property(tries = 200)
  void csyncOrderingFollowsCanonicalRdata(@ForAll("csync") CsyncRecord a,
      @ForAll("csync") CsyncRecord b) throws Exception {
    assertCanonicalOrder(a, b, CsyncRecord.fromRdata(OWNER, DClass.IN, 1,
        a.rdataToWireCanonical()));
  }

  @Property(tries = 200)
  void hsyncOrderingFollowsCanonicalRdata(@ForAll("hsync") HsyncRecord a,
      @ForAll("hsync") HsyncRecord b) throws Exception {
    assertCanonicalOrder(a, b, HsyncRecord.fromRdata(OWNER, DClass.IN, 1,
        a.rdataToWireCanonical(), CP));
  }

  @Property(tries = 200)
  void hsyncParamOrderingFollowsCanonicalRdata(@ForAll("hsyncParam") HsyncParamRecord a,
      @ForAll("hsyncParam") HsyncParamRecord b) throws Exception {
    assertCanonicalOrder(a, b, HsyncParamRecord.fromRdata(OWNER, DClass.IN, 1,
        a.rdataToWireCanonical(), CP));
  }

  private static void assertCanonicalOrder(Record a, Record b, Record aDecoded) {
    int expected = Integer.signum(Arrays.compareUnsigned(a.rdataToWireCanonical(),
        b.rdataToWireCanonical()));
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(expected);
    assertThat(Integer.signum(b.compareTo(a))).isEqualTo(-expected);
    assertThat(a.equals(b)).isEqualTo(expected == 0);
    // decoding does not move a record in the order (the TTL is not part of it)
    assertThat(aDecoded.compareTo(a)).isZero();
    assertThat(Integer.signum(aDecoded.compareTo(b))).isEqualTo(expected);
    List<Record> sorted = new ArrayList<>(List.of(b, a));
    sorted.sort(null);
    List<Record> again = new ArrayList<>(List.of(aDecoded, b));
    again.sort(null);
    assertThat(again).isEqualTo(sorted);
  }

  // ---- hostile bytes: parse or MalformedDataException, nothing else

  @Provide
  Arbitrary<byte[]> rdata() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
  }

  @Provide
  Arbitrary<byte[]> mutatedDsync() {
    return mutated(dsync());
  }

  @Provide
  Arbitrary<byte[]> mutatedCsync() {
    return mutated(csync());
  }

  @Provide
  Arbitrary<byte[]> mutatedHsync() {
    return mutated(hsync());
  }

  @Provide
  Arbitrary<byte[]> mutatedHsyncParam() {
    return mutated(hsyncParam());
  }

  /** Valid RDATA with one octet changed, cut short or extended: near misses find more bugs. */
  private static Arbitrary<byte[]> mutated(Arbitrary<? extends Record> records) {
    return Combinators.combine(records, Arbitraries.integers().between(0, 1000),
        Arbitraries.bytes(), Arbitraries.integers().between(0, 2))
        .as((r, pos, b, op) -> {
          byte[] w = r.rdataToWireCanonical();
          if (w.length == 0) {
            return new byte[] {b};
          }
          int i = pos % w.length;
          switch (op) {
            case 0:
              w[i] = b;
              return w;
            case 1:
              return Arrays.copyOf(w, i);
            default:
              byte[] longer = Arrays.copyOf(w, w.length + 1);
              longer[w.length] = b;
              return longer;
          }
        });
  }

  @Property(tries = 300)
  void arbitraryDsyncBytes(@ForAll("rdata") byte[] a, @ForAll("mutatedDsync") byte[] m) {
    for (byte[] b : List.of(a, m)) {
      Optional<DsyncRecord> r = parsesOrMalformed(() ->
          DsyncRecord.fromRdata(OWNER, DClass.IN, 1, b, CP));
      // DSYNC decoding is exact: what parses re-encodes to the same octets
      r.ifPresent(x -> assertThat(x.rdataToWireCanonical()).isEqualTo(b));
    }
  }

  @Property(tries = 300)
  void arbitraryCsyncBytes(@ForAll("rdata") byte[] a, @ForAll("mutatedCsync") byte[] m) {
    for (byte[] b : List.of(a, m)) {
      Optional<CsyncRecord> r = parsesOrMalformed(() ->
          CsyncRecord.fromRdata(OWNER, DClass.IN, 1, b));
      // the strict bit map has exactly one encoding per type set
      r.ifPresent(x -> assertThat(x.rdataToWireCanonical()).isEqualTo(b));
    }
  }

  @Property(tries = 300)
  void arbitraryHsyncBytes(@ForAll("rdata") byte[] a, @ForAll("mutatedHsync") byte[] m) {
    for (byte[] b : List.of(a, m)) {
      Optional<HsyncRecord> r = parsesOrMalformed(() ->
          HsyncRecord.fromRdata(OWNER, DClass.IN, 1, b, CP));
      // received octets render back unchanged, so an RRSIG over them still verifies
      r.ifPresent(x -> assertThat(x.rdataToWireCanonical()).isEqualTo(b));
    }
  }

  @Property(tries = 300)
  void arbitraryHsyncParamBytes(@ForAll("rdata") byte[] a,
      @ForAll("mutatedHsyncParam") byte[] m) {
    for (byte[] b : List.of(a, m)) {
      Optional<HsyncParamRecord> r = parsesOrMalformed(() ->
          HsyncParamRecord.fromRdata(OWNER, DClass.IN, 1, b, CP));
      r.ifPresent(x -> assertThat(x.rdataToWireCanonical()).isEqualTo(b));
    }
  }

  @Property(tries = 200)
  void arbitraryTextIsParsedOrMalformed(@ForAll("text") String text) {
    parsesOrMalformed(() -> DsyncRecord.parse(OWNER, DClass.IN, 1, text, CP));
    parsesOrMalformed(() -> CsyncRecord.parse(OWNER, DClass.IN, 1, text));
    parsesOrMalformed(() -> HsyncRecord.parse(OWNER, DClass.IN, 1, text, CP));
    parsesOrMalformed(() -> HsyncParamRecord.parse(OWNER, DClass.IN, 1, text, CP));
  }

  @Provide
  Arbitrary<String> text() {
    Arbitrary<String> words = Arbitraries.oneOf(
        Arbitraries.of("CDS", "NOTIFY", "UPDATE", "ON", "OFF", "A", "NS", ".", "x.", "a..b",
            "nsmgmt=", "servers=\"a,b\"", "pubkey", "key9=", "\"", "\\", "\\0", "\\999", "65536",
            "=", "key", "é"),
        Arbitraries.strings().ofMaxLength(6), Arbitraries.integers().between(-5, 70000)
            .map(String::valueOf));
    return words.list().ofMaxSize(6).map(ws -> String.join(" ", ws));
  }

  interface Parse<T> {
    T run() throws MalformedDataException;
  }

  private static <T> Optional<T> parsesOrMalformed(Parse<T> p) {
    try {
      return Optional.of(p.run());
    } catch (MalformedDataException e) {
      assertThat(e.getMessage()).isNotBlank();
      return Optional.empty();
    }
  }
}
