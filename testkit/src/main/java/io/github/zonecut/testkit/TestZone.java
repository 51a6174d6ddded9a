package io.github.zonecut.testkit;

import io.github.zonecut.testkit.internal.SignedZone;
import io.github.zonecut.testkit.internal.ZoneKeys;
import io.github.zonecut.testkit.internal.ZoneText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One zone of a running {@link TestHierarchy}: read its signed data, edit it at run time, and
 * set the zone-level faults (the DS its parent publishes, corrupted signatures).
 *
 * <p>Every change is atomic per zone and thread-safe: the zone is re-signed (with the
 * hierarchy's clock) into a new snapshot which replaces the old one in one step, and the parent
 * is re-signed too, since its delegation data (NS, glue, DS) is derived from this zone.
 */
public final class TestZone {
  private static final long DS_TTL = ZoneText.DEFAULT_TTL;
  /** Signatures start this long before "now", so a validator whose clock lags still accepts. */
  private static final Duration INCEPTION_SLACK = Duration.ofHours(1);

  private final Name origin;
  private final @Nullable ZoneKeys keys;
  private final Object lock;
  private final Clock clock;
  private final Duration validity;
  private final AtomicReference<@Nullable SignedZone> snapshot = new AtomicReference<>();
  private @Nullable TestZone parent;
  private final List<TestZone> children = new ArrayList<>();
  private LinkedHashSet<Record> content;
  private volatile ParentDs parentDs;
  private volatile boolean signaturesCorrupted;

  TestZone(
      Name origin,
      @Nullable ZoneKeys keys,
      ParentDs parentDs,
      Set<Record> content,
      Object lock,
      Clock clock,
      Duration validity) {
    this.origin = origin;
    this.keys = keys;
    this.parentDs = parentDs;
    this.content = new LinkedHashSet<>(content);
    this.lock = lock;
    this.clock = clock;
    this.validity = validity;
  }

  void link(@Nullable TestZone parent) {
    this.parent = parent;
    if (parent != null) {
      parent.children.add(this);
    }
  }

  /** The zone's apex name. */
  public Name origin() {
    return origin;
  }

  /** Whether the zone is signed (DNSKEY, RRSIG, NSEC). */
  public boolean isSigned() {
    return keys != null;
  }

  /** The zone this one is delegated from, if the hierarchy holds it. */
  public Optional<TestZone> parent() {
    return Optional.ofNullable(parent);
  }

  /** The SOA serial currently served; every edit increments it (RFC 1982 arithmetic not needed). */
  public long serial() {
    return current().serial();
  }

  /** What the parent publishes as DS for this zone. */
  public ParentDs parentDs() {
    return parentDs;
  }

  /** The zone's DNSKEY records (KSK first), empty when unsigned. */
  public List<DNSKEYRecord> dnskeys() {
    ZoneKeys k = keys;
    if (k == null) {
      return List.of();
    }
    return k.isCsk() ? List.of(k.ksk()) : List.of(k.ksk(), k.zsk());
  }

  /**
   * The SHA-256 DS record (RFC 4509) matching this zone's key-signing key, whatever the parent
   * currently publishes; empty when unsigned. For a top zone this is the trust anchor.
   */
  public List<DSRecord> ds() {
    ZoneKeys k = keys;
    if (k == null) {
      return List.of();
    }
    return List.of(new DSRecord(origin, DClass.IN, DS_TTL, DNSSEC.Digest.SHA256, k.ksk()));
  }

  /**
   * The RRset of {@code type} at {@code name} (relative to the origin or absolute) as currently
   * served, with its RRSIGs, including delegation NS, DS and glue.
   */
  public Optional<RRset> rrset(String name, int type) {
    return Optional.ofNullable(current().rrset(ZoneText.name(name, origin), type));
  }

  /** Every RRset currently served, with its RRSIGs, in canonical order (RFC 4034 §6.1). */
  public List<RRset> rrsets() {
    return current().allRRsets();
  }

  /**
   * The zone as currently served, in master-file form (RFC 1035 §5): every record with its RRSIGs
   * and NSECs, delegation data and glue included, one record a line in canonical order. Handy for
   * debugging and for loading the same data into another server.
   */
  public String toMasterFile() {
    StringBuilder sb = new StringBuilder();
    for (RRset set : rrsets()) {
      set.rrs(false).forEach(r -> sb.append(r).append('\n'));
      set.sigs().forEach(r -> sb.append(r).append('\n'));
    }
    return sb.toString();
  }

  /**
   * Applies {@code edits} atomically and re-signs the zone (and its parent). If {@code edits}
   * throws, or leaves the zone without an apex SOA or NS RRset, nothing changes.
   *
   * @throws IllegalArgumentException for text that does not parse or records outside the zone
   */
  public TestZone edit(Consumer<ZoneEditor> edits) {
    synchronized (lock) {
      LinkedHashSet<Record> draft = new LinkedHashSet<>(content);
      edits.accept(new Editor(draft));
      bumpSerial(draft);
      LinkedHashSet<Record> previous = content;
      List<Record> delegationBefore = delegationData();
      content = draft;
      try {
        publishWithParent(delegationBefore);
      } catch (RuntimeException e) {
        content = previous;
        publishWithParent(List.of());
        throw e;
      }
    }
    return this;
  }

  /** Adds the records in {@code zoneFileText}; shorthand for one {@link ZoneEditor#add(String)}. */
  public TestZone add(String zoneFileText) {
    return edit(e -> e.add(zoneFileText));
  }

  /** Removes the records in {@code zoneFileText}; shorthand for {@link ZoneEditor#remove(String)}. */
  public TestZone remove(String zoneFileText) {
    return edit(e -> e.remove(zoneFileText));
  }

  /** Replaces RRsets; shorthand for one {@link ZoneEditor#replace(String)}. */
  public TestZone replace(String zoneFileText) {
    return edit(e -> e.replace(zoneFileText));
  }

  /**
   * Re-signs every RRset with fresh signatures valid around the hierarchy clock's current instant
   * (for tests that move a mutable clock forward). The data and serial are unchanged. Edits, by
   * contrast, re-sign only the RRsets they change and those whose signatures are past the middle
   * of their validity.
   */
  public TestZone resign() {
    synchronized (lock) {
      sign(null);
    }
    return this;
  }

  /**
   * Changes what the parent publishes as DS for this zone and re-signs the parent.
   *
   * <p>Validators cache the DNSKEY RRsets they have validated: a {@code ValidatingLookup} (or a
   * {@code ValidatingResolver}) that has already validated this zone or a zone below it keeps
   * answering SECURE until its cache entry expires (up to 900 s). Call {@code
   * ValidatingLookup.flush()} (or {@code flush(zone)}) on every validating lookup that was used
   * before the change, or build a new one, for the fault to be seen.
   *
   * @throws IllegalStateException if this zone has no parent in the hierarchy
   */
  public TestZone setParentDs(ParentDs mode) {
    Objects.requireNonNull(mode, "mode");
    synchronized (lock) {
      TestZone p = parent;
      if (p == null) {
        throw new IllegalStateException(origin + " has no parent in this hierarchy");
      }
      parentDs = mode;
      p.publish();
    }
    return this;
  }

  /**
   * Corrupts (or restores) every signature this zone publishes, so validators find it bogus
   * (RFC 4035 §5.5), from every endpoint that serves it.
   *
   * <p>A validator that cached this zone's DNSKEY RRset before still trusts the keys, though it
   * checks each answer's signatures anew; restoring the signatures after a validator cached the
   * zone as bogus needs a flush ({@code ValidatingLookup.flush()}) or a new validator, as {@link
   * #setParentDs(ParentDs)} explains.
   */
  public TestZone setSignaturesCorrupted(boolean corrupted) {
    synchronized (lock) {
      signaturesCorrupted = corrupted;
      publish();
    }
    return this;
  }

  SignedZone current() {
    SignedZone z = snapshot.get();
    if (z == null) {
      throw new IllegalStateException("zone " + origin + " was never published");
    }
    return z;
  }

  /**
   * Publishes this zone, and its parent when what the parent holds for it changed: the parent's
   * NS, glue and DS for this zone derive from our apex. (Re-signing a parent of thousands of
   * children on every child edit made building a large hierarchy quadratic.)
   */
  private void publishWithParent(List<Record> delegationBefore) {
    publish();
    TestZone p = parent;
    if (p != null && !asText(delegationData()).equals(asText(delegationBefore))) {
      p.publish();
    }
  }

  /** Records as presentation text: TTLs count too, unlike {@code Record.equals}. */
  private static List<String> asText(List<Record> records) {
    List<String> out = new ArrayList<>(records.size());
    records.forEach(r -> out.add(r.toString()));
    return out;
  }

  /** Signs the current content plus the derived delegation data; caller holds the lock. */
  void publish() {
    sign(snapshot.get());
  }

  private void sign(@Nullable SignedZone previous) {
    List<Record> records = new ArrayList<>(content);
    for (TestZone child : children) {
      records.addAll(child.delegationData());
    }
    Instant now = clock.instant();
    snapshot.set(
        SignedZone.build(
            origin,
            records,
            keys,
            now,
            now.minus(INCEPTION_SLACK),
            now.plus(validity),
            signaturesCorrupted,
            previous));
  }

  /** What the parent holds at this zone's cut: NS, glue for in-bailiwick servers, DS. */
  private List<Record> delegationData() {
    List<Record> out = new ArrayList<>();
    for (Record r : content) {
      if (r.getName().equals(origin) && r.getType() == Type.NS) {
        out.add(r);
        Name target = ((NSRecord) r).getTarget();
        if (target.subdomain(origin)) {
          for (Record g : content) {
            if (g.getName().equals(target) && (g.getType() == Type.A || g.getType() == Type.AAAA)) {
              out.add(g);
            }
          }
        }
      }
    }
    ZoneKeys k = keys;
    if (k != null && parentDs != ParentDs.ABSENT) {
      DSRecord ds = new DSRecord(origin, DClass.IN, DS_TTL, DNSSEC.Digest.SHA256, k.ksk());
      if (parentDs == ParentDs.WRONG) {
        byte[] digest = ds.getDigest();
        digest[0] ^= (byte) 0xFF;
        ds = new DSRecord(origin, DClass.IN, DS_TTL, ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), digest);
      }
      out.add(ds);
    }
    return out;
  }

  private void bumpSerial(LinkedHashSet<Record> draft) {
    long served = current().serial();
    SOARecord soa = null;
    for (Record r : draft) {
      if (r.getType() == Type.SOA && r.getName().equals(origin)) {
        soa = (SOARecord) r;
      }
    }
    if (soa == null) {
      throw new IllegalArgumentException("an edit must not remove the SOA of " + origin);
    }
    if (soa.getSerial() == served) {
      draft.remove(soa);
      draft.add(
          new SOARecord(
              origin,
              DClass.IN,
              soa.getTTL(),
              soa.getHost(),
              soa.getAdmin(),
              (served + 1) & 0xFFFFFFFFL,
              soa.getRefresh(),
              soa.getRetry(),
              soa.getExpire(),
              soa.getMinimum()));
    }
  }

  @Override
  public String toString() {
    return "TestZone[" + origin + (keys == null ? ", unsigned" : "") + "]";
  }

  private final class Editor implements ZoneEditor {
    private final LinkedHashSet<Record> draft;

    Editor(LinkedHashSet<Record> draft) {
      this.draft = draft;
    }

    @Override
    public ZoneEditor add(String zoneFileText) {
      ZoneText.parse(zoneFileText, origin).forEach(this::add);
      return this;
    }

    @Override
    public ZoneEditor add(Record record) {
      if (!record.getName().subdomain(origin)) {
        throw new IllegalArgumentException(record.getName() + " is outside zone " + origin);
      }
      draft.add(record);
      return this;
    }

    @Override
    public ZoneEditor remove(String zoneFileText) {
      ZoneText.parse(zoneFileText, origin).forEach(this::remove);
      return this;
    }

    @Override
    public ZoneEditor remove(Record record) {
      draft.remove(record);
      return this;
    }

    @Override
    public ZoneEditor removeRRset(String name, int type) {
      Name owner = ZoneText.name(name, origin);
      draft.removeIf(r -> r.getName().equals(owner) && r.getType() == type);
      return this;
    }

    @Override
    public ZoneEditor replace(String zoneFileText) {
      List<Record> records = ZoneText.parse(zoneFileText, origin);
      for (Record r : records) {
        draft.removeIf(old -> old.getName().equals(r.getName()) && old.getType() == r.getType());
      }
      records.forEach(this::add);
      return this;
    }
  }
}
