package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DelegationDelta;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.Names;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Builds the unsigned DNS UPDATE messages a child sends across the zone cut
 * (draft-ietf-dnsop-delegation-mgmt-via-ddns §6, §9.4.1, §9.6; RFC 2136 §2): delegation changes
 * in either {@link UpdateStyle}, the SIG(0) key bootstrap, and the two steps of a key roll. Pure:
 * no I/O, no clock.
 *
 * <p>Every message has OPCODE UPDATE, the zone section {@code <parent zone> SOA IN}, no
 * prerequisites, the update section, and one OPT record in the additional section (so the
 * receiver can answer with an Extended DNS Error, RFC 8914). The SIG(0) is added last by {@link
 * io.github.zonecut.sig0.Sig0Signer} when the message is sent ({@link UpdateSender}), over the
 * bytes exactly as rendered.
 *
 * <p>RFC 2136 §2.5 encodings used: add = class IN with TTL and RDATA; delete an RRset = class
 * ANY, TTL 0, no RDATA; delete one RR = class NONE, TTL 0, its RDATA.
 */
public final class UpdateBuilder {
  /** The EDNS(0) UDP payload size advertised in the OPT record (DNS Flag Day 2020). */
  public static final int DEFAULT_PAYLOAD_SIZE = 1232;
  /** The TTL of KEY records added by bootstrap and roll UPDATEs unless set otherwise. */
  public static final long DEFAULT_KEY_TTL = 3600;

  private final Name parentZone;
  private final UpdateStyle style;
  private final int payloadSize;
  private final long keyTtl;

  private UpdateBuilder(Builder b) {
    this.parentZone = b.parentZone;
    this.style = b.style;
    this.payloadSize = b.payloadSize;
    this.keyTtl = b.keyTtl;
  }

  /** A builder of UPDATEs for children of {@code parentZone}, {@link UpdateStyle#DELTA} style. */
  public static UpdateBuilder of(Name parentZone) {
    return builder(parentZone).build();
  }

  /** Settings for UPDATEs to {@code parentZone} (the zone section's name). */
  public static Builder builder(Name parentZone) {
    return new Builder(parentZone);
  }

  /** The parent zone, the UPDATE's zone section. */
  public Name parentZone() {
    return parentZone;
  }

  /** The style of delegation UPDATEs. */
  public UpdateStyle style() {
    return style;
  }

  /**
   * The UPDATE that turns {@code published} (what the parent holds) into {@code desired}, in
   * this builder's {@link #style()}.
   *
   * @throws IllegalArgumentException if the delegations are of different children or the child
   *     is not strictly below the parent zone
   */
  public Message delegation(Delegation published, Delegation desired) {
    return style == UpdateStyle.DELTA ? delta(published, desired) : replace(published, desired);
  }

  /**
   * A {@link UpdateStyle#DELTA} UPDATE from core's diff {@code published.diff(desired)}: NS and
   * DS record by record, glue host by host (its A and AAAA RRsets rewritten whole, deleted with
   * its name server), and an RRset whose TTL changes deleted and re-added whole.
   *
   * @throws IllegalArgumentException as {@link #delegation}
   */
  public Message delta(Delegation published, Delegation desired) {
    Name child = checkChild(published, desired);
    DelegationDelta d = published.diff(desired);
    Message m = skeleton();
    boolean nsRewrite = d.nsTtl().isPresent();
    boolean dsRewrite = d.dsTtl().isPresent() && !desired.ds().isEmpty();
    // deletes first (RFC 2136 §3.4.2: the update section is applied in order)
    if (nsRewrite) {
      m.addRecord(deleteRRset(child, Type.NS), Section.UPDATE);
    } else {
      for (Name ns : d.nsToRemove()) {
        m.addRecord(deleteRecord(new NSRecord(child, DClass.IN, 0, ns)),
            Section.UPDATE);
      }
    }
    if (dsRewrite) {
      m.addRecord(deleteRRset(child, Type.DS), Section.UPDATE);
    } else {
      for (DsData ds : d.dsToRemove()) {
        m.addRecord(deleteRecord(ds.toRecord(child, 0)), Section.UPDATE);
      }
    }
    // glue of removed in-bailiwick name servers, and of hosts whose glue is rewritten; a host
    // that is new in the NS RRset had no glue (Delegation holds glue only for listed hosts)
    Set<Name> glueDeletes = new TreeSet<>(d.glueToDelete());
    for (Name host : d.glueToReplace().keySet()) {
      if (!d.nsToAdd().contains(host)) {
        glueDeletes.add(host);
      }
    }
    for (Name host : glueDeletes) {
      m.addRecord(deleteRRset(host, Type.A), Section.UPDATE);
      m.addRecord(deleteRRset(host, Type.AAAA), Section.UPDATE);
    }
    // adds
    for (Name ns : nsRewrite ? desired.nameservers() : d.nsToAdd()) {
      m.addRecord(new NSRecord(child, DClass.IN, desired.nsTtl(), ns), Section.UPDATE);
    }
    for (DsData ds : dsRewrite ? desired.ds() : d.dsToAdd()) {
      m.addRecord(ds.toRecord(child, desired.dsTtl()), Section.UPDATE);
    }
    for (Map.Entry<Name, Set<InetAddress>> e : d.glueToReplace().entrySet()) {
      addGlue(m, e.getKey(), e.getValue(), desired.glueTtl());
    }
    return m;
  }

  /**
   * A {@link UpdateStyle#REPLACE} UPDATE: delete the NS RRset, the A and AAAA RRsets of every
   * in-bailiwick name server of either delegation, and the DS RRset (when either delegation has
   * DS), then add the complete desired NS, glue and DS RRsets.
   *
   * @throws IllegalArgumentException as {@link #delegation}
   */
  public Message replace(Delegation published, Delegation desired) {
    Name child = checkChild(published, desired);
    Message m = skeleton();
    m.addRecord(deleteRRset(child, Type.NS), Section.UPDATE);
    Set<Name> hosts = new TreeSet<>();
    for (Name ns : published.nameservers()) {
      if (published.isInBailiwick(ns)) {
        hosts.add(ns);
      }
    }
    for (Name ns : desired.nameservers()) {
      if (desired.isInBailiwick(ns)) {
        hosts.add(ns);
      }
    }
    for (Name host : hosts) {
      m.addRecord(deleteRRset(host, Type.A), Section.UPDATE);
      m.addRecord(deleteRRset(host, Type.AAAA), Section.UPDATE);
    }
    if (!published.ds().isEmpty() || !desired.ds().isEmpty()) {
      m.addRecord(deleteRRset(child, Type.DS), Section.UPDATE);
    }
    for (Name ns : desired.nameservers()) {
      m.addRecord(new NSRecord(child, DClass.IN, desired.nsTtl(), ns), Section.UPDATE);
    }
    for (DsData ds : desired.ds()) {
      m.addRecord(ds.toRecord(child, desired.dsTtl()), Section.UPDATE);
    }
    for (Map.Entry<Name, Set<InetAddress>> e : desired.glue().entrySet()) {
      addGlue(m, e.getKey(), e.getValue(), desired.glueTtl());
    }
    return m;
  }

  /**
   * The SIG(0) key bootstrap UPDATE (ddns §9.4.1): {@code DEL child ANY KEY} then {@code ADD
   * child KEY}, for the key's owner; it must be signed by {@code key} itself (proof of
   * possession), which {@link DelegationAgent#bootstrap} does.
   *
   * @throws IllegalArgumentException if the key's owner is not strictly below the parent zone
   */
  public Message keyBootstrap(Sig0PublicKey key) {
    Name child = checkOwner(key);
    Message m = skeleton();
    m.addRecord(deleteRRset(child, Type.KEY), Section.UPDATE);
    m.addRecord(key.toKeyRecord(keyTtl), Section.UPDATE);
    return m;
  }

  /**
   * Key roll, step 1 (ddns §9.6): add {@code newKey} to the child's KEY RRset; to be signed by
   * the currently trusted key.
   *
   * @throws IllegalArgumentException if the key's owner is not strictly below the parent zone
   */
  public Message keyRollAdd(Sig0PublicKey newKey) {
    checkOwner(newKey);
    Message m = skeleton();
    m.addRecord(newKey.toKeyRecord(keyTtl), Section.UPDATE);
    return m;
  }

  /**
   * Key roll, step 2 (ddns §9.6): delete {@code oldKey} from the child's KEY RRset; to be signed
   * by the new key once the parent trusts it.
   *
   * @throws IllegalArgumentException if the key's owner is not strictly below the parent zone
   */
  public Message keyRollDelete(Sig0PublicKey oldKey) {
    checkOwner(oldKey);
    Message m = skeleton();
    m.addRecord(deleteRecord(oldKey.toKeyRecord(0)), Section.UPDATE);
    return m;
  }

  private Message skeleton() {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.UPDATE);
    m.addRecord(Record.newRecord(parentZone, Type.SOA, DClass.IN), Section.ZONE);
    // RFC 8914: lets the receiver explain a refusal with an Extended DNS Error
    m.addRecord(new OPTRecord(payloadSize, 0, 0, 0), Section.ADDITIONAL);
    return m;
  }

  private static Record deleteRRset(Name owner, int type) {
    return Record.newRecord(owner, type, DClass.ANY, 0);
  }

  /** RFC 2136 §2.5.4: class NONE, TTL 0, the RDATA of the record to delete. */
  private static Record deleteRecord(Record r) {
    return Record.newRecord(r.getName(), r.getType(), DClass.NONE, 0, r.rdataToWireCanonical());
  }

  private static void addGlue(Message m, Name host, Set<InetAddress> addresses, long ttl) {
    for (InetAddress a : addresses) {
      m.addRecord(a instanceof Inet4Address ? new ARecord(host, DClass.IN, ttl, a)
          : new AAAARecord(host, DClass.IN, ttl, a), Section.UPDATE);
    }
  }

  private Name checkChild(Delegation published, Delegation desired) {
    if (!published.child().equals(desired.child())) {
      throw new IllegalArgumentException("the delegations are of " + published.child() + " and "
          + desired.child());
    }
    return checkBelow(desired.child());
  }

  private Name checkOwner(Sig0PublicKey key) {
    return checkBelow(key.owner());
  }

  private Name checkBelow(Name child) {
    if (!Names.isBelow(child, parentZone)) {
      throw new IllegalArgumentException(child + " is not below the parent zone " + parentZone);
    }
    return child;
  }

  @Override
  public String toString() {
    return "UpdateBuilder[" + parentZone + ", " + style + "]";
  }

  /** Settings of an {@link UpdateBuilder}. */
  public static final class Builder {
    private final Name parentZone;
    private UpdateStyle style = UpdateStyle.DELTA;
    private int payloadSize = DEFAULT_PAYLOAD_SIZE;
    private long keyTtl = DEFAULT_KEY_TTL;

    private Builder(Name parentZone) {
      this.parentZone = Names.requireAbsolute("parent zone", parentZone);
    }

    /** The delegation UPDATE style (default {@link UpdateStyle#DELTA}). */
    public Builder style(UpdateStyle style) {
      this.style = Objects.requireNonNull(style, "style");
      return this;
    }

    /** The OPT record's UDP payload size, 512–65535 (default 1232). */
    public Builder payloadSize(int payloadSize) {
      if (payloadSize < 512 || payloadSize > 0xFFFF) {
        throw new IllegalArgumentException("payload size out of range 512..65535: " + payloadSize);
      }
      this.payloadSize = payloadSize;
      return this;
    }

    /** The TTL of added KEY records (default 3600), 0..2^31-1 (RFC 2181 §8). */
    public Builder keyTtl(long ttl) {
      if (ttl < 0 || ttl > 0x7FFF_FFFFL) {
        throw new IllegalArgumentException("KEY TTL out of range: " + ttl);
      }
      this.keyTtl = ttl;
      return this;
    }

    /** The builder. */
    public UpdateBuilder build() {
      return new UpdateBuilder(this);
    }
  }
}
