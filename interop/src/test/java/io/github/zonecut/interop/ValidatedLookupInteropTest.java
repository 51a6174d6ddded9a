package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Verdict;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * zonecut's {@link io.github.zonecut.core.ValidatingLookup} (dnsjava's validator over zonecut's transport) through a real
 * recursive resolver (Unbound) into a hierarchy signed by BIND and Knot, with the testnet's trust
 * anchor: the verdicts match what Unbound itself concludes (see {@link TestnetResolutionTest}).
 */
@ExtendWith(TestnetExtension.class)
class ValidatedLookupInteropTest {

  private static ZonecutLookups zonecut;

  @BeforeAll
  static void start(Testnet net) throws Exception {
    zonecut = ZonecutLookups.start(net, true);
  }

  @AfterAll
  static void stop() {
    if (zonecut != null) {
      zonecut.close();
    }
  }

  static LookupResult lookup(String name, int type) throws Exception {
    return zonecut.lookup(name, type);
  }

  static void assertKey(LookupResult result, Verdict verdict, BindKeyFiles key) {
    assertThat(result).isInstanceOfSatisfying(LookupResult.Answer.class, a -> {
      assertThat(a.verdict()).isEqualTo(verdict);
      List<Record> rrs = a.rrset().rrs();
      assertThat(rrs).singleElement().isInstanceOfSatisfying(KEYRecord.class,
          k -> assertThat(k.getFootprint()).isEqualTo(key.keyTag()));
    });
  }

  @Test
  void keyAtTheSecureChildIsSecure(Testnet net) throws Exception {
    assertKey(lookup("child.parent.test.", Type.KEY), Verdict.SECURE, net.sig0Child());
  }

  @Test
  void keyAtTheChildWithoutDsIsInsecure(Testnet net) throws Exception {
    assertKey(lookup("new.parent.test.", Type.KEY), Verdict.INSECURE, net.sig0New());
  }

  @Test
  void childWithAWrongDsIsBogus() throws Exception {
    assertThat(lookup("bogus.parent.test.", Type.SOA)).isInstanceOf(LookupResult.Bogus.class);
  }

  @Test
  void signalKeyAtTheOperatorIsSecure(Testnet net) throws Exception {
    assertKey(lookup("_sig0key.new.parent.test._signal.ns1.operator.test.", Type.KEY),
        Verdict.SECURE, net.sig0New());
  }

  @Test
  void dsyncAtTheParentIsSecure(Testnet net) throws Exception {
    assertThat(lookup("_dsync.parent.test.", DsyncRecord.TYPE))
        .isInstanceOfSatisfying(LookupResult.Answer.class, a -> {
          assertThat(a.verdict()).isEqualTo(Verdict.SECURE);
          assertThat(a.rrset().rrs()).hasSize(3).allSatisfy(r -> assertThat(r)
              .isInstanceOfSatisfying(DsyncRecord.class,
                  d -> assertThat(d.getPort()).isEqualTo(net.parent().getPort())));
        });
  }

  /**
   * What a parent-side CDS scan (RFC 7344 §4) reads: Knot publishes CDS for {@code parent.test.}
   * (cds-cdnskey-publish: always), validated, and it matches the DS that {@code test.} holds.
   */
  @Test
  void cdsOfParentIsSecureAndMatchesTheDsInTheTld(Testnet net) throws Exception {
    List<String> dsInTld = TestnetResolutionTest.answers(
            Testnet.query(net.tld(), "parent.test.", Type.DS, false), Type.DS).stream()
        .map(Record::rdataToString).toList();

    assertThat(lookup("parent.test.", Type.CDS))
        .isInstanceOfSatisfying(LookupResult.Answer.class, a -> {
          assertThat(a.verdict()).isEqualTo(Verdict.SECURE);
          assertThat(a.rrset().rrs()).extracting(Record::rdataToString)
              .containsExactlyInAnyOrderElementsOf(dsInTld);
        });
  }

  @Test
  void missingNameIsASecureNxdomain() throws Exception {
    assertThat(lookup("nothing-here.parent.test.", Type.KEY))
        .isInstanceOfSatisfying(LookupResult.NxDomain.class,
            n -> assertThat(n.verdict()).isEqualTo(Verdict.SECURE));
  }
}
