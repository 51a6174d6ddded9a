package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.RegistryOutcome;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.UploadEvidence;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Update;

/** A parent zone, a child with a trusted key, a receiver and its backend, at a fixed time. */
final class ReceiverFixture {
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final Name PARENT = name("parent.example.");
  static final Name CHILD = name("child.parent.example.");
  static final Name SIBLING = name("sibling.parent.example.");
  static final Name EVIL = name("evilchild.parent.example.");
  static final Name TARGET = name("updater.parent.example.");
  static final InetAddress SOURCE = addr("127.0.0.2");

  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final Sig0Config config = Sig0Config.builder().clock(clock).build();
  final Sig0Signer signer = Sig0Signer.create(config);
  final TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(),
      new RegistryPolicy(VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL),
          RegistryPolicy.DEFAULT_ALGORITHMS, true), clock);
  final InMemoryDelegationBackend backend = new InMemoryDelegationBackend();
  final Sig0ReplayGuard guard = Sig0ReplayGuard.create();
  final List<UpdateEvent> events = new ArrayList<>();
  final Sig0KeyPair receiverKey;
  final Sig0KeyPair childKey = generate(CHILD);
  final Sig0KeyPair siblingKey = generate(SIBLING);
  final Sig0KeyPair evilKey = generate(EVIL);
  UpdateReceiver receiver;

  ReceiverFixture() throws Exception {
    this(b -> {});
  }

  ReceiverFixture(Consumer<UpdateReceiver.Builder> config) throws Exception {
    this(generate(TARGET), config);
  }

  /** A fixture whose receiver signs its answers with {@code receiverKey} (e.g. ML-DSA). */
  ReceiverFixture(Sig0KeyPair receiverKey, Consumer<UpdateReceiver.Builder> config)
      throws Exception {
    this.receiverKey = receiverKey;
    for (Name n : List.of(CHILD, SIBLING, EVIL)) {
      backend.put(Delegation.builder(n).nameservers(name("ns1." + n), name("ns.provider.net."))
          .glue(name("ns1." + n), addr("192.0.2.1")).build());
    }
    trust(childKey);
    trust(siblingKey);
    trust(evilKey);
    UpdateReceiver.Builder b = UpdateReceiver.builder(Set.of(PARENT), receiverKey, registry,
        backend, guard).clock(clock).listener(events::add);
    config.accept(b);
    receiver = b.build();
  }

  static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Sig0KeyPair generate(Name owner) {
    try {
      return Sig0KeyPair.generate(owner, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_ZONE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyIdentity id(Sig0KeyPair k) {
    Sig0PublicKey p = k.publicKey();
    return new KeyIdentity(p.owner(), p.algorithm().number(), p.keyData());
  }

  /** Uploads {@code key} self-signed (KNOWN). */
  void know(Sig0KeyPair key) throws Exception {
    RegistryOutcome o = registry.upload(new UploadEvidence(key.publicKey().owner(),
        List.of(key.publicKey().toKeyRecord(3600)), false, id(key), NOW), "test");
    if (!(o instanceof RegistryOutcome.Applied)) {
      throw new IllegalStateException(o.toString());
    }
  }

  /** Uploads and approves {@code key} (TRUSTED). */
  void trust(Sig0KeyPair key) throws Exception {
    know(key);
    RegistryOutcome o = registry.approve(id(key), "operator", "test fixture");
    if (!(o instanceof RegistryOutcome.Applied)) {
      throw new IllegalStateException(o.toString());
    }
  }

  Update update() {
    Update u = new Update(PARENT);
    u.addRecord(new OPTRecord(1232, 0, 0, 0), org.xbill.DNS.Section.ADDITIONAL);
    return u;
  }

  byte[] sign(Message m, Sig0KeyPair key) throws Exception {
    return signer.sign(m, key);
  }

  byte[] send(byte[] wire) {
    return receiver.handle(wire, SOURCE);
  }

  Delegation current(Name child) {
    return backend.current(child).orElseThrow();
  }

  /** Whether {@code answer} carries a valid SIG(0) by the receiver over {@code request}. */
  boolean signedByReceiver(byte[] answer, byte[] request) {
    Sig0Verifier v = Sig0Verifier.builder(Sig0KeyLookup.of(receiverKey.publicKey()))
        .config(config).insecureWithoutReplayGuard().build();
    return v.verifyResponse(answer, request) instanceof Sig0Outcome.Verified;
  }

  static int rcode(byte[] answer) throws Exception {
    return new Message(answer).getRcode();
  }

  static int ede(byte[] answer) throws Exception {
    OPTRecord opt = new Message(answer).getOPT();
    if (opt == null) {
      return -1;
    }
    return opt.getOptions(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
        .map(o -> ((ExtendedErrorCodeOption) o).getErrorCode()).findFirst().orElse(-1);
  }
}
