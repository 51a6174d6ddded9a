package io.github.zonecut.examples;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.dsync.InMemoryDelegationBackend;
import io.github.zonecut.dsync.NotifyReceiver;
import io.github.zonecut.dsync.ScanQueue;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.dsync.UpdateReceiver;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.KeyStateResponder;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.testkit.ReceivedQuery;
import io.github.zonecut.testkit.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/**
 * The demo's registry parent: zonecut-dsync's {@link UpdateReceiver} and keystate's {@link
 * KeyStateResponder} sharing one trust registry and one replay guard, installed as a testkit
 * {@link Service} on the DSYNC target's endpoint (UPDATEs and KeyState inquiries go to them, every
 * other query gets the zone's answer). Uploaded keys are validated at-apex and trusted as {@link
 * RegistryParent} does. The receiver's audit events become the narration.
 */
final class DemoParent {
  private final UpdateReceiver receiver;
  private final NotifyReceiver notifyReceiver;
  private final ScanQueue queue = ScanQueue.withCapacity(100);
  private final InMemoryDelegationBackend backend = new InMemoryDelegationBackend();
  private final KeyStateResponder keyState;
  private final Codepoints codepoints;
  private final List<String> journal = new CopyOnWriteArrayList<>();

  DemoParent(Name zone, List<Delegation> delegations, TrustRegistry registry,
      Sig0KeyPair receiverKey, KeyLookup validated, Executor executor, Sig0Config sig0,
      Codepoints codepoints) {
    this.codepoints = codepoints;
    // One guard for both handlers: an UPDATE cannot be replayed as an inquiry, nor the reverse.
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    for (Delegation d : delegations) {
      backend.put(d);
    }
    // NOTIFY(CDS/CSYNC) schedules a scan of the child (RFC 9859 §4); the demo runs the queue
    this.notifyReceiver = NotifyReceiver.builder(queue).parentZones(zone).clock(sig0.clock())
        .listener(e -> journal.add("NOTIFY for " + e.child().map(Name::toString).orElse("?") + ": " + e.outcome()))
        .build();
    this.receiver = UpdateReceiver.builder(Set.of(zone), receiverKey, registry, backend, guard)
        .clock(sig0.clock())
        .verifierConfig(sig0)
        .codepoints(codepoints)
        // fresh keys are validated at-apex in the background, then trusted (ddns §9.4.1)
        .bootstrap(RegistryParent.atApex(registry, validated, executor, sig0.clock()),
            RegistryParent::noServerList)
        .listener(this::narrate)
        .build();
    this.keyState = KeyStateResponder.builder(registry, receiverKey)
        .signer(Sig0Signer.create(sig0))
        .codepoints(codepoints)
        .clock(sig0.clock())
        .replayGuard(guard)
        .build();
  }

  /** The receivers as a testkit service for the DSYNC target's endpoint. */
  Service service() {
    return Service.of(q -> isUpdate(q) || isNotify(q) || carriesKeyState(q.message()),
        this::respond);
  }

  /** The scans the NOTIFYs scheduled. */
  ScanQueue queue() {
    return queue;
  }

  /** The registry's delegations. */
  InMemoryDelegationBackend backend() {
    return backend;
  }

  /** What the parent did, one line per request, for the narration. */
  List<String> drainJournal() {
    List<String> lines = new ArrayList<>(journal);
    journal.removeAll(lines);
    return lines;
  }

  private Optional<byte[]> respond(ReceivedQuery q) {
    if (isNotify(q)) {
      return Optional.of(notifyReceiver.handle(q.wire(), q.source()));
    }
    if (isUpdate(q)) {
      byte[] answer = receiver.handle(q.wire(), q.source());
      return answer.length == 0 ? Optional.empty() : Optional.of(answer);
    }
    Optional<byte[]> answer = keyState.respond(q.wire(), q.source());
    journal.add("KeyState inquiry for " + q.message().getQuestion().getName()
        + (answer.isPresent() ? " answered from the registry (signed with the receiver's key)"
            : " dropped"));
    return answer;
  }

  private void narrate(UpdateEvent e) {
    journal.add("UPDATE for " + (e.child() == null ? "?" : e.child())
        + (e.signerKey() == null ? ", unsigned" : ", SIG(0) by key tag " + e.signerKey().keyTag())
        + ": " + e.outcome() + ", answered " + Rcode.string(e.rcode())
        + (e.signed() ? " (signed)" : " (unsigned)")
        + (e.detail().isEmpty() ? "" : " — " + e.detail()));
  }

  private static boolean isNotify(ReceivedQuery q) {
    return q.message().getHeader().getOpcode() == Opcode.NOTIFY;
  }

  private static boolean isUpdate(ReceivedQuery q) {
    return q.message().getHeader().getOpcode() == Opcode.UPDATE;
  }

  private boolean carriesKeyState(Message m) {
    OPTRecord opt = m.getOPT();
    return opt != null && !opt.getOptions(codepoints.keyStateOptionCode()).isEmpty();
  }
}
