package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.Keys.CHILD;
import static io.github.zonecut.keystate.Keys.T0;
import static io.github.zonecut.keystate.Keys.id;
import static io.github.zonecut.keystate.Keys.key;
import static io.github.zonecut.keystate.Keys.selfSigned;
import static io.github.zonecut.keystate.Keys.signedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.keystate.RegistryOutcome.Applied;
import io.github.zonecut.keystate.RegistryOutcome.Rejected;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Update;

@SuppressWarnings("deprecation") // keyState(Name, int) is tested until it goes
class TrustRegistryTest {
  private final InMemoryTrustStore store = new InMemoryTrustStore();
  private final Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
  private final RegistryPolicy policy = RegistryPolicy.of(VerificationPolicy.of(
      BootstrapMethod.AT_APEX, BootstrapMethod.UNSIGNED, BootstrapMethod.MANUAL));
  private final TrustRegistry registry = new TrustRegistry(store, policy, clock);

  private KEYRecord trustedKey(long seed) throws Exception {
    KEYRecord k = key(seed);
    registry.upload(selfSigned(k, false), "test");
    registry.startValidation(id(k), BootstrapMethod.AT_APEX, "at-apex");
    assertThat(registry.validated(id(k), "at-apex", "KEY SECURE at apex"))
        .isInstanceOf(Applied.class);
    return k;
  }

  @Test
  void aSelfSignedUploadMakesTheKeyKnownAndIsAudited() throws Exception {
    KEYRecord k = key(1);
    RegistryOutcome o = registry.upload(selfSigned(k, true), "192.0.2.1");
    assertThat(o).isInstanceOf(Applied.class);
    KeyEntry e = ((Applied) o).key();
    assertThat(e.state()).isEqualTo(TrustState.KNOWN);
    assertThat(e.supersedesOthers()).isTrue();
    assertThat(e.since()).isEqualTo(T0);
    assertThat(registry.history(CHILD)).singleElement().satisfies(a -> {
      assertThat(a.from()).isNull();
      assertThat(a.to()).isEqualTo(TrustState.KNOWN);
      assertThat(a.actor()).isEqualTo("192.0.2.1");
      assertThat(a.reason()).contains("self-signed").contains("DEL ANY KEY");
    });
    assertThat(registry.keyState(CHILD, e.keyTag())).isEqualTo(KeyStateCode.BOOTSTRAP_AUTO);
  }

  @Test
  void anUploadWithoutProofOfPossessionIsRejectedAndNothingIsStored() throws Exception {
    KEYRecord k = key(1);
    KEYRecord other = key(2);
    assertThat(registry.upload(signedBy(k, true, null), "x"))
        .isInstanceOf(Rejected.class).extracting(r -> ((Rejected) r).reason()).asString()
        .contains("proof of possession");
    assertThat(registry.upload(signedBy(k, true, other), "x"))
        .isInstanceOf(Rejected.class).extracting(r -> ((Rejected) r).reason()).asString()
        .contains("proof of possession");
    KEYRecord foreign = key(Name.fromConstantString("other.parent.example."), 3);
    assertThat(registry.upload(signedBy(k, true, foreign), "x"))
        .isInstanceOf(Rejected.class).extracting(r -> ((Rejected) r).reason()).asString()
        .contains("other.parent.example.");
    assertThat(registry.keysOf(CHILD)).isEmpty();
    assertThat(registry.history(CHILD)).isEmpty();
  }

  @Test
  void delAnyKeyNeverEvictsATrustedKeyBeforeTheNewOneIsTrusted() throws Exception {
    KEYRecord old = trustedKey(1);
    KEYRecord fresh = key(2);
    registry.upload(selfSigned(fresh, true), "child");
    assertThat(registry.isTrusted(id(old))).isTrue();
    registry.startValidation(id(fresh), BootstrapMethod.AT_APEX, "at-apex");
    assertThat(registry.validationFailed(id(fresh), "at-apex", "KEY not SECURE"))
        .isInstanceOf(Applied.class);
    assertThat(registry.isTrusted(id(old))).as("failed validation keeps the old key").isTrue();
    assertThat(registry.find(id(fresh)).orElseThrow().state())
        .isEqualTo(TrustState.VALIDATION_FAILED);
    assertThat(registry.keyState(CHILD, registry.find(id(fresh)).orElseThrow().keyTag()))
        .isEqualTo(KeyStateCode.KEY_VALIDATION_FAILED);

    registry.startValidation(id(fresh), BootstrapMethod.AT_APEX, "at-apex");
    RegistryOutcome o = registry.validated(id(fresh), "at-apex", "KEY SECURE at apex");
    assertThat(o).isInstanceOf(Applied.class);
    assertThat(((Applied) o).removed()).containsExactly(id(old));
    assertThat(registry.keysOf(CHILD)).extracting(KeyEntry::id).containsExactly(id(fresh));
    assertThat(registry.history(CHILD)).anySatisfy(a -> {
      assertThat(a.key()).isEqualTo(id(old));
      assertThat(a.to()).isNull();
      assertThat(a.reason()).startsWith("superseded by");
    });
  }

  @Test
  void anUploadWithoutDeleteKeepsTheOtherKeysAfterPromotion() throws Exception {
    KEYRecord old = trustedKey(1);
    KEYRecord fresh = key(2);
    registry.upload(selfSigned(fresh, false), "child");
    registry.startValidation(id(fresh), BootstrapMethod.AT_APEX, "at-apex");
    registry.validated(id(fresh), "at-apex", "ok");
    assertThat(registry.isTrusted(id(old))).isTrue();
    assertThat(registry.isTrusted(id(fresh))).isTrue();
  }

  @Test
  void aBogusSelfSignedUploadDoesNotEvict() throws Exception {
    KEYRecord old = trustedKey(1);
    KEYRecord attacker = key(666);
    registry.upload(selfSigned(attacker, true), "203.0.113.9");
    assertThat(registry.isTrusted(id(old))).isTrue();
    assertThat(registry.keysOf(CHILD)).hasSize(2);
  }

  @Test
  void aBareDeleteIsRefusedUnlessTrustedAndAllowed() throws Exception {
    KEYRecord old = trustedKey(1);
    UploadEvidence bare = new UploadEvidence(CHILD, List.of(), true, null, T0);
    assertThat(registry.upload(bare, "x")).isInstanceOf(Rejected.class)
        .extracting(r -> ((Rejected) r).reason()).asString().contains("trusted key");
    KEYRecord untrusted = key(2);
    registry.upload(selfSigned(untrusted, false), "x");
    assertThat(registry.upload(new UploadEvidence(CHILD, List.of(), true, id(untrusted), T0),
        "x")).isInstanceOf(Rejected.class);
    UploadEvidence byTrusted = new UploadEvidence(CHILD, List.of(), true, id(old), T0);
    assertThat(registry.upload(byTrusted, "x")).isInstanceOf(Rejected.class)
        .extracting(r -> ((Rejected) r).reason()).asString().contains("policy");
    assertThat(registry.keysOf(CHILD)).hasSize(2);

    TrustRegistry lenient = new TrustRegistry(store, new RegistryPolicy(policy.verification(),
        RegistryPolicy.DEFAULT_ALGORITHMS, true), clock);
    RegistryOutcome o = lenient.upload(byTrusted, "x");
    assertThat(((Applied) o).removed()).containsExactly(id(untrusted));
    assertThat(lenient.isTrusted(id(old))).as("the signer itself stays").isTrue();
  }

  @Test
  void rolloverByTheTrustedKeyNeedsPolicy() throws Exception {
    KEYRecord old = trustedKey(1);
    KEYRecord next = key(2);
    assertThat(registry.upload(signedBy(next, true, old), "x")).isInstanceOf(Rejected.class);
    TrustRegistry lenient = new TrustRegistry(store, new RegistryPolicy(policy.verification(),
        RegistryPolicy.DEFAULT_ALGORITHMS, true), clock);
    RegistryOutcome o = lenient.upload(signedBy(next, true, old), "x");
    assertThat(((Applied) o).key().state()).isEqualTo(TrustState.TRUSTED);
    assertThat(((Applied) o).removed()).containsExactly(id(old));
  }

  @Test
  void anAlgorithmOutsidePolicyIsRecordedAsRefused() throws Exception {
    KEYRecord rsaMd5 = new KEYRecord(CHILD, DClass.IN, 3600, 0x0200,
        KEYRecord.Protocol.DNSSEC, 1, new byte[] {1, 2, 3});
    RegistryOutcome o = registry.upload(selfSigned(rsaMd5, false), "x");
    assertThat(((Applied) o).key().state()).isEqualTo(TrustState.REFUSED);
    assertThat(registry.keyState(CHILD, rsaMd5.getFootprint()))
        .isEqualTo(KeyStateCode.KEY_REFUSED);
  }

  @Test
  void manualOnlyParentsWaitForAnOperatorWhoIsRecorded() throws Exception {
    TrustRegistry manual = new TrustRegistry(store,
        RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.MANUAL)), clock);
    KEYRecord k = key(1);
    KeyEntry e = ((Applied) manual.upload(selfSigned(k, false), "x")).key();
    assertThat(e.state()).isEqualTo(TrustState.MANUAL_REQUIRED);
    assertThat(manual.keyState(CHILD, e.keyTag())).isEqualTo(KeyStateCode.BOOTSTRAP_MANUAL);
    assertThat(manual.startValidation(id(k), BootstrapMethod.AT_APEX, "v"))
        .isInstanceOf(Rejected.class);
    assertThat(manual.approve(id(k), " ", "phone call")).isInstanceOf(Rejected.class);
    RegistryOutcome o = manual.approve(id(k), "alice@registry", "ticket 4711, called registrant");
    assertThat(((Applied) o).key().state()).isEqualTo(TrustState.TRUSTED);
    assertThat(((Applied) o).key().method()).isEqualTo(BootstrapMethod.MANUAL);
    assertThat(manual.history(CHILD)).last().satisfies(a -> {
      assertThat(a.actor()).isEqualTo("alice@registry");
      assertThat(a.reason()).contains("ticket 4711");
      assertThat(a.at()).isEqualTo(clock.instant());
    });
  }

  @Test
  void approvalIsRejectedWhenThePolicyHasNoManualMethod() throws Exception {
    TrustRegistry auto = new TrustRegistry(store,
        RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.AT_APEX)), clock);
    KEYRecord k = key(1);
    auto.upload(selfSigned(k, false), "x");
    assertThat(auto.approve(id(k), "bob", "trust me")).isInstanceOf(Rejected.class);
    assertThat(auto.startValidation(id(k), BootstrapMethod.UNSIGNED, "v"))
        .isInstanceOf(Rejected.class);
    assertThat(auto.startValidation(id(k), BootstrapMethod.MANUAL, "v"))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void illegalMovesAreRejectedNotThrown() throws Exception {
    KEYRecord k = key(1);
    registry.upload(selfSigned(k, false), "x");
    assertThat(registry.validated(id(k), "v", "skip ahead")).isInstanceOf(Rejected.class);
    assertThat(registry.validationFailed(id(k), "v", "?")).isInstanceOf(Rejected.class);
    assertThat(registry.recordProgress(id(k), new VerificationProgress(1, "x", T0)))
        .isInstanceOf(Rejected.class);
    assertThat(registry.validated(id(key(9)), "v", "?")).isInstanceOf(Rejected.class)
        .extracting(r -> ((Rejected) r).reason()).asString().startsWith("unknown key");
    KEYRecord t = trustedKey(2);
    assertThat(registry.refuse(id(t), "op", "no")).isInstanceOf(Rejected.class);
  }

  @Test
  void reuploadingAFailedKeyRestartsItsBootstrap() throws Exception {
    KEYRecord k = key(1);
    registry.upload(selfSigned(k, false), "x");
    registry.startValidation(id(k), BootstrapMethod.AT_APEX, "v");
    registry.validationFailed(id(k), "v", "bogus");
    RegistryOutcome o = registry.upload(selfSigned(k, true), "x");
    assertThat(((Applied) o).key().state()).isEqualTo(TrustState.KNOWN);
    assertThat(((Applied) o).key().supersedesOthers()).isTrue();
    // a re-upload of a key being validated keeps its progress
    registry.startValidation(id(k), BootstrapMethod.UNSIGNED, "v");
    registry.recordProgress(id(k), new VerificationProgress(1, "abc", T0));
    registry.upload(selfSigned(k, false), "x");
    assertThat(registry.find(id(k)).orElseThrow().progress()).isNotNull();
  }

  @Test
  void keyIdentityIsNotTheKeyTagNorTheTtlNorTheCase() throws Exception {
    Map<Integer, KEYRecord> byTag = new HashMap<>();
    KEYRecord a = null;
    KEYRecord b = null;
    for (long seed = 0; a == null; seed++) {
      KEYRecord k = key(seed);
      KEYRecord prev = byTag.putIfAbsent(k.getFootprint(), k);
      if (prev != null) {
        a = prev;
        b = k;
      }
    }
    assertThat(a.getFootprint()).isEqualTo(b.getFootprint());
    assertThat(id(a)).isNotEqualTo(id(b));
    KEYRecord trusted = a;
    registry.upload(selfSigned(trusted, false), "x");
    registry.startValidation(id(trusted), BootstrapMethod.AT_APEX, "v");
    registry.validated(id(trusted), "v", "ok");
    registry.upload(selfSigned(b, true), "attacker");
    assertThat(registry.keysOf(CHILD)).hasSize(2);
    assertThat(registry.keyState(CHILD, a.getFootprint()))
        .as("a colliding stranger cannot make the trusted key look untrusted")
        .isEqualTo(KeyStateCode.KEY_TRUSTED);
    assertThat(registry.keyState(CHILD, (a.getFootprint() + 1) & 0xFFFF))
        .isEqualTo(KeyStateCode.KEY_UNKNOWN);
    // Issue 9 item 5: what answers an authenticated inquiry is the state of the key itself
    assertThat(registry.keyState(id(a))).isEqualTo(KeyStateCode.KEY_TRUSTED);
    assertThat(registry.keyState(id(b))).as("the colliding key is only known")
        .isEqualTo(KeyStateCode.BOOTSTRAP_AUTO);
    assertThat(registry.keyState(id(key(999_999)))).isEqualTo(KeyStateCode.KEY_UNKNOWN);

    KEYRecord upper = new KEYRecord(Name.fromConstantString("CHILD.Parent.EXAMPLE."), DClass.IN,
        17, a.getFlags(), a.getProtocol(), a.getAlgorithm(), a.getKey());
    assertThat(id(upper)).isEqualTo(id(a)).hasSameHashCodeAs(id(a));
    assertThat(registry.isTrusted(id(upper))).isTrue();
  }

  @Test
  void evidenceIsReadFromAnUpdateMessage() throws Exception {
    KEYRecord k = key(1);
    Update u = new Update(Name.fromConstantString("parent.example."));
    u.delete(CHILD, org.xbill.DNS.Type.KEY);
    u.add(k);
    u.add(org.xbill.DNS.Record.fromString(CHILD, org.xbill.DNS.Type.NS, DClass.IN, 3600,
        "ns1.example.", Name.root));
    Message parsed = new Message(u.toWire());
    UploadEvidence ev = UploadEvidence.fromUpdate(parsed, CHILD, id(k), T0);
    assertThat(ev.deletesKeyRrset()).isTrue();
    assertThat(ev.added()).extracting(KeyIdentity::of).containsExactly(id(k));
    assertThat(UploadEvidence.fromUpdate(parsed, Name.fromConstantString("x.example."), null, T0)
        .added()).isEmpty();
  }

  @Test
  void inStateListsWhatARestartMustResume() throws Exception {
    KEYRecord k = key(1);
    registry.upload(selfSigned(k, false), "x");
    registry.startValidation(id(k), BootstrapMethod.UNSIGNED, "v");
    assertThat(registry.inState(TrustState.VALIDATING)).extracting(KeyEntry::id)
        .isEqualTo(List.of(id(k)));
    assertThat(Set.copyOf(registry.inState(TrustState.KNOWN))).isEmpty();
  }
}
