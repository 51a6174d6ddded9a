package io.github.zonecut.dsync;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0ResponseForm;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.testkit.HostilePeer;
import io.github.zonecut.testkit.ReceivedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A scripted parent UPDATE receiver for the testkit hostile-peer hook: honest or hostile as its
 * {@link Mode} says. It records every UPDATE it receives (wire bytes) and answers non-UPDATE
 * queries with the zone's normal answer. Not a receiver implementation: it applies nothing.
 */
final class FakeReceiver implements HostilePeer {
  enum Mode {
    /** Signed NOERROR to everything. */
    ACCEPT,
    /** Signed REFUSED without EDE to everything. */
    REFUSE,
    /** Signed BADKEY to everything, bootstrap included. */
    BADKEY_FOREVER,
    /** BADKEY to delegation UPDATEs until a bootstrap arrives (NOERROR), then KNOWN-NOT-TRUSTED. */
    BADKEY_THEN_KNOWN_NOT_TRUSTED,
    /** Unsigned BADKEY to everything (a receiver that signs nothing it could not check). */
    UNSIGNED_BADKEY,
    /** Unsigned NOERROR. */
    UNSIGNED_ACCEPT,
    /** NOERROR signed by a key that is not the published receiver key. */
    FORGED_ACCEPT,
    /** NOERROR, except a KEY delete (roll step 2) is REFUSED with KEY-KNOWN-NOT-TRUSTED. */
    NEW_KEY_NOT_YET_TRUSTED,
    /** Signed {@link #rcode} with EDE {@link #ede} (-1: none) to everything. */
    FIXED,
    /** No answer to UPDATEs. */
    SILENT
  }

  private final Sig0KeyPair key;
  private final Sig0KeyPair forger;
  private final Sig0Signer signer = Sig0Signer.create();
  final List<byte[]> updates = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.ACCEPT;
  volatile int rcode;
  volatile int ede = -1;
  private volatile boolean bootstrapped;

  FakeReceiver(Sig0KeyPair key, Sig0KeyPair forger) {
    this.key = key;
    this.forger = forger;
  }

  void reset(Mode m) {
    mode = m;
    updates.clear();
    bootstrapped = false;
  }

  List<Message> updateMessages() {
    List<Message> out = new ArrayList<>();
    for (byte[] w : updates) {
      try {
        out.add(new Message(w));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  static boolean isBootstrap(Message m) {
    List<Record> up = m.getSection(Section.UPDATE);
    return !up.isEmpty() && up.get(0).getType() == Type.KEY && up.get(0).getDClass() == DClass.ANY;
  }

  @Override
  public Optional<byte[]> respond(ReceivedQuery q) {
    Message m = q.message();
    if (m.getHeader().getOpcode() != Opcode.UPDATE) {
      return Optional.of(q.standardAnswerWire());
    }
    updates.add(q.wire());
    try {
      switch (mode) {
        case ACCEPT:
          return Optional.of(answer(q, Rcode.NOERROR, -1, key, true));
        case REFUSE:
          return Optional.of(answer(q, Rcode.REFUSED, -1, key, true));
        case BADKEY_FOREVER:
          return Optional.of(answer(q, Rcode.BADKEY, -1, key, true));
        case BADKEY_THEN_KNOWN_NOT_TRUSTED:
          if (isBootstrap(m)) {
            bootstrapped = true;
            return Optional.of(answer(q, Rcode.NOERROR, -1, key, true));
          }
          return Optional.of(bootstrapped
              ? answer(q, Rcode.REFUSED, Codepoints.DEFAULT.edeKeyKnownNotTrusted(), key, true)
              : answer(q, Rcode.BADKEY, -1, key, true));
        case NEW_KEY_NOT_YET_TRUSTED:
          Record first = m.getSection(Section.UPDATE).get(0);
          boolean keyDelete = first.getType() == Type.KEY && first.getDClass() == DClass.NONE;
          return Optional.of(keyDelete
              ? answer(q, Rcode.REFUSED, Codepoints.DEFAULT.edeKeyKnownNotTrusted(), key, true)
              : answer(q, Rcode.NOERROR, -1, key, true));
        case FIXED:
          return Optional.of(answer(q, rcode, ede, key, true));
        case UNSIGNED_BADKEY:
          return Optional.of(answer(q, Rcode.BADKEY, -1, key, false));
        case UNSIGNED_ACCEPT:
          return Optional.of(answer(q, Rcode.NOERROR, -1, key, false));
        case FORGED_ACCEPT:
          return Optional.of(answer(q, Rcode.NOERROR, -1, forger, true));
        default:
          return Optional.empty();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] answer(ReceivedQuery q, int rcode, int ede, Sig0KeyPair by, boolean sign)
      throws Exception {
    Message m = q.message();
    Message r = new Message(m.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setOpcode(Opcode.UPDATE);
    r.getHeader().setRcode(rcode & 0xF);
    r.addRecord(m.getQuestion(), Section.ZONE);
    List<EDNSOption> options = new ArrayList<>();
    if (ede >= 0) {
      options.add(new ExtendedErrorCodeOption(ede, "test"));
    }
    r.addRecord(new OPTRecord(1232, rcode >>> 4, 0, 0, options), Section.ADDITIONAL);
    byte[] wire = r.toWire();
    return sign ? signer.signResponse(wire, q.wire(), by, Sig0ResponseForm.WITH_QUERY) : wire;
  }
}
