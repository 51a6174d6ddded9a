package io.github.zonecut.examples;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.keystate.KeyEntry;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.KeyStateResponder;
import io.github.zonecut.keystate.RegistryOutcome;
import io.github.zonecut.keystate.StoreException;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.TrustState;
import io.github.zonecut.keystate.UploadEvidence;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0ResponseForm;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import io.github.zonecut.testkit.ReceivedQuery;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A deliberately small parent-side receiver for the demo, installed as the script of the DSYNC
 * target's testkit endpoint: SIG(0) key-bootstrap UPDATEs go into a {@link TrustRegistry}, KeyState
 * inquiries go to a {@link KeyStateResponder}, and anything else gets the zone's normal answer.
 *
 * <p>It accepts only the self-signed bootstrap of draft-ietf-dnsop-delegation-mgmt-via-ddns §9
 * ({@code DEL child ANY KEY} + {@code ADD child KEY}, signed by the key being added) for a known
 * delegation; it is an illustration of the flow, not the dsync module's UPDATE receiver (no
 * delegation changes are applied). Every answer is SIG(0)-signed with the receiver's key, whose
 * KEY the parent publishes at the DSYNC target name.
 */
final class ParentReceiver {
  private final Name zone;
  private final List<Name> delegations;
  private final TrustRegistry registry;
  private final Sig0KeyPair receiverKey;
  private final Sig0Signer signer;
  private final Sig0Config sig0;
  private final Sig0ReplayGuard replayGuard = Sig0ReplayGuard.create();
  private final KeyStateResponder keyState;
  private final Codepoints codepoints;
  private final Clock clock;
  private final List<String> journal = new CopyOnWriteArrayList<>();

  ParentReceiver(Name zone, List<Name> delegations, TrustRegistry registry,
      Sig0KeyPair receiverKey, Sig0Config sig0, Codepoints codepoints) {
    this.zone = Objects.requireNonNull(zone, "zone");
    this.delegations = List.copyOf(delegations);
    this.registry = Objects.requireNonNull(registry, "registry");
    this.receiverKey = Objects.requireNonNull(receiverKey, "receiverKey");
    this.sig0 = Objects.requireNonNull(sig0, "sig0");
    this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
    this.clock = sig0.clock();
    this.signer = Sig0Signer.create(sig0);
    this.keyState = KeyStateResponder.builder(registry, receiverKey)
        .signer(signer)
        .codepoints(codepoints)
        .clock(clock)
        .build();
  }

  /** What the receiver did, one line per decision, for the narration. */
  List<String> drainJournal() {
    List<String> lines = new ArrayList<>(journal);
    journal.removeAll(lines);
    return lines;
  }

  /** The testkit script: never throws (an exception would be logged and treated as silence). */
  Optional<byte[]> respond(ReceivedQuery query) {
    try {
      Message m = query.message();
      if (m.getHeader().getOpcode() == Opcode.UPDATE) {
        return Optional.of(update(query.wire(), m, query.overTcp()));
      }
      if (carriesKeyState(m)) {
        Optional<byte[]> answer = keyState.respond(query.wire(), InetAddress.getLoopbackAddress());
        journal.add("KeyState inquiry for " + questionName(m) + " answered from the registry"
            + " (signed with the receiver's SIG(0) key)");
        return answer;
      }
      return query.standardAnswer().map(Message::toWire);
    } catch (RuntimeException e) {
      journal.add("receiver fault, no answer: " + e);
      return Optional.empty();
    }
  }

  private boolean carriesKeyState(Message m) {
    OPTRecord opt = m.getOPT();
    return opt != null && !opt.getOptions(codepoints.keyStateOptionCode()).isEmpty();
  }

  private static String questionName(Message m) {
    Record q = m.getQuestion();
    return q == null ? "(no question)" : q.getName().toString();
  }

  private byte[] update(byte[] wire, Message m, boolean overTcp) {
    if (!overTcp) {
      // ddns §6: UPDATEs travel over TCP (a SIG(0) answer does not fit a 512-octet datagram)
      journal.add("UPDATE over UDP refused: TCP only");
      return answer(m, wire, Rcode.REFUSED);
    }
    Record zoneRecord = m.getQuestion();
    if (zoneRecord == null || zoneRecord.getType() != Type.SOA || !zoneRecord.getName().equals(zone)) {
      journal.add("UPDATE for another zone: NOTAUTH");
      return answer(m, wire, Rcode.NOTAUTH);
    }
    Name child = keyOwner(m);
    if (child == null || !delegations.contains(child)) {
      journal.add("UPDATE touches no KEY of a delegation of " + zone + ": REFUSED");
      return answer(m, wire, Rcode.REFUSED);
    }
    List<Sig0PublicKey> candidates;
    try {
      candidates = candidateKeys(m, child);
    } catch (StoreException e) {
      journal.add("key lookup failed: SERVFAIL (" + e.getMessage() + ")");
      return answer(m, wire, Rcode.SERVFAIL);
    }
    Sig0Verifier verifier = Sig0Verifier.builder(
            Sig0KeyLookup.of(candidates.toArray(new Sig0PublicKey[0])))
        .config(sig0)
        .replayGuard(replayGuard)
        .build();
    // RFC 2931 §3.1: verified over the octets as received, never a re-rendering
    Sig0Outcome outcome = verifier.verify(wire);
    if (!(outcome instanceof Sig0Outcome.Verified verified)) {
      journal.add("SIG(0) not accepted: " + outcome);
      // RFC 8945 §5.3.2 convention: signature errors are answered NOTAUTH when no TSIG-style
      // error field exists; the outcome says which (BADSIG, BADKEY, BADTIME)
      int rcode = outcome.rcode() > 15 ? Rcode.NOTAUTH : outcome.rcode();
      return answer(m, wire, rcode);
    }
    journal.add("SIG(0) verified over the received bytes: key tag " + verified.key().keyTag()
        + " of " + verified.key().owner() + " (self-signed: the KEY being added)");
    UploadEvidence evidence = UploadEvidence.fromUpdate(m, child,
        KeyIdentity.of(verified.key().toKeyRecord(0)), clock.instant());
    RegistryOutcome registered;
    try {
      registered = registry.upload(evidence, "ddns-receiver");
    } catch (StoreException e) {
      journal.add("trust store failed: SERVFAIL (" + e.getMessage() + ")");
      return answer(m, wire, Rcode.SERVFAIL);
    }
    if (registered instanceof RegistryOutcome.Applied applied) {
      KeyEntry entry = applied.key();
      journal.add("trust registry: key " + entry.keyTag() + " of " + child + " is now "
          + entry.state() + " (awaiting automatic bootstrap validation)");
      return answer(m, wire, Rcode.NOERROR);
    }
    journal.add("trust registry refused the upload: " + registered);
    return answer(m, wire, Rcode.REFUSED);
  }

  /** The single owner of the KEY records the UPDATE adds or deletes, or null. */
  private static @Nullable Name keyOwner(Message m) {
    Name owner = null;
    for (Record r : m.getSection(Section.UPDATE)) {
      if (r.getType() != Type.KEY) {
        continue;
      }
      if (owner != null && !owner.equals(r.getName())) {
        return null;
      }
      owner = r.getName();
    }
    return owner;
  }

  /**
   * Keys that may sign an UPDATE for {@code child}: keys the registry already trusts, and for the
   * bootstrap the KEYs the UPDATE itself adds (self-signed, ddns §9.1).
   */
  private List<Sig0PublicKey> candidateKeys(Message m, Name child) throws StoreException {
    List<Sig0PublicKey> keys = new ArrayList<>();
    for (KeyEntry e : registry.keysOf(child)) {
      if (e.state() == TrustState.TRUSTED) {
        addUsable(keys, e.toKeyRecord());
      }
    }
    for (Record r : m.getSection(Section.UPDATE)) {
      if (r instanceof KEYRecord k && r.getDClass() == DClass.IN && r.getName().equals(child)) {
        addUsable(keys, k);
      }
    }
    return keys;
  }

  private static void addUsable(List<Sig0PublicKey> keys, KEYRecord k) {
    try {
      keys.add(Sig0PublicKey.fromKeyRecord(k));
    } catch (IllegalArgumentException e) {
      // not a DNSSEC-protocol key (RFC 3445): it cannot have signed anything
    }
  }

  private byte[] answer(Message query, byte[] queryWire, int rcode) {
    Message a = new Message(query.getHeader().getID());
    a.getHeader().setFlag(Flags.QR);
    a.getHeader().setOpcode(query.getHeader().getOpcode());
    a.getHeader().setRcode(rcode);
    Record zoneRecord = query.getQuestion();
    if (zoneRecord != null) {
      a.addRecord(zoneRecord, Section.ZONE);
    }
    byte[] unsigned = a.toWire();
    try {
      return signer.signResponse(unsigned, queryWire, receiverKey, Sig0ResponseForm.WITH_QUERY);
    } catch (ZonecutException e) {
      journal.add("cannot sign the answer, sending it unsigned: " + e.getMessage());
      return unsigned;
    }
  }
}
