package io.github.zonecut.multisigner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The propagation waits of draft-ietf-dnsop-dnssec-automation-04 §2 for one snapshot, computed
 * once: DNSKEY-, DS- and NS-Wait-Time, and zonecut's signature wait. Every TTL is first raised to
 * the resolver floor of its wait kind ({@link PlannerConfig#ttlFloor}), then multiplied by the
 * safety factor; every wait also covers the TTL history of its observation (a copy served with an
 * earlier, larger TTL may outlive the current one: {@link Observed#earlierTtl()}) and, for
 * signer-side waits, the publication latency.
 *
 * <p>Also decides which signers' RRsets may still be cached: the answering ones, and a signer that
 * stopped answering until everything it served has expired ({@link #expiry}).
 */
final class Waits {

  private final PlannerConfig cfg;
  private final Duration latency;
  private final Instant now;
  private final List<SignerSnapshot> cached;
  private final Instant dnskeyWaitEnd;
  private final Instant dsWaitEnd;
  private final Instant nsWaitEnd;

  private Waits(ZoneSnapshot s, PlannerConfig cfg, Instant now) {
    this.cfg = cfg;
    this.latency = s.publicationLatency();
    this.now = now;
    List<SignerSnapshot> c = new ArrayList<>(s.signers().size());
    for (SignerSnapshot v : s.signers()) {
      if (v.isAnswering() || now.isBefore(expiry(v))) {
        c.add(v);
      }
    }
    this.cached = List.copyOf(c);
    Duration maxDnskeyTtl = Duration.ZERO;
    Instant lastDnskey = Instant.MIN;
    Duration maxNsTtl = Duration.ZERO;
    Instant lastNs = Instant.MIN;
    Instant dnskeyHistory = Instant.MIN;
    Instant nsHistory = Instant.MIN;
    for (SignerSnapshot v : cached) {
      maxDnskeyTtl = max(maxDnskeyTtl, v.dnskey().ttl());
      lastDnskey = max(lastDnskey, v.dnskey().since());
      maxNsTtl = max(maxNsTtl, v.ns().ttl());
      lastNs = max(lastNs, v.ns().since());
      dnskeyHistory = max(dnskeyHistory, history(v.dnskey(), WaitKind.DNSKEY_WAIT));
      nsHistory = max(nsHistory, history(v.ns(), WaitKind.NS_WAIT));
    }
    // §2 DNSKEY-Wait-Time: largest DNSKEY TTL of all signers plus publication on all secondaries
    this.dnskeyWaitEnd = max(lastDnskey.plus(scale(maxDnskeyTtl, WaitKind.DNSKEY_WAIT)), dnskeyHistory)
        .plus(latency);
    Observed<?> parentDs = s.parent().agreedDs();
    // §2 DS-Wait-Time: the DS RRset's TTL after the parent published it
    this.dsWaitEnd = parentDs == null ? Instant.MIN
        : parentDs.settledAt(cfg.ttlFloor(WaitKind.DS_WAIT), cfg.safetyFactor());
    // §2 NS-Wait-Time: largest of the parent's and the signers' NS TTLs
    Instant ns = max(lastNs.plus(scale(maxNsTtl, WaitKind.NS_WAIT)), nsHistory).plus(latency);
    Observed<?> parentNs = s.parent().agreedNs();
    if (parentNs != null) {
      ns = max(ns, parentNs.settledAt(cfg.ttlFloor(WaitKind.NS_WAIT), cfg.safetyFactor()));
    }
    this.nsWaitEnd = ns;
  }

  /** The waits of {@code s} under {@code cfg}, as of {@code now}. */
  static Waits of(ZoneSnapshot s, PlannerConfig cfg, Instant now) {
    return new Waits(s, cfg, now);
  }

  /** Signers whose RRsets caches may hold: answering ones, and stopped ones until {@link #expiry}. */
  List<SignerSnapshot> cached() {
    return cached;
  }

  /** End of DNSKEY-Wait-Time (§2) after the last DNSKEY RRset change of any cached signer. */
  Instant dnskey() {
    return dnskeyWaitEnd;
  }

  /** End of DS-Wait-Time (§2) after the parent's last DS change; {@link Instant#MIN} when its servers disagree. */
  Instant ds() {
    return dsWaitEnd;
  }

  /** End of NS-Wait-Time (§2): the signers' and the parent's NS RRsets. */
  Instant ns() {
    return nsWaitEnd;
  }

  /** The latest of DS-, NS- and DNSKEY-Wait-Time, with the kind that ends last. */
  Timed settled() {
    Instant at = max(max(dsWaitEnd, nsWaitEnd), dnskeyWaitEnd);
    WaitKind kind = at.equals(nsWaitEnd) ? WaitKind.NS_WAIT
        : at.equals(dsWaitEnd) ? WaitKind.DS_WAIT : WaitKind.DNSKEY_WAIT;
    return new Timed(at, kind);
  }

  /** An instant and the kind of wait that ends there. */
  record Timed(Instant at, WaitKind kind) {}

  /** Whether {@code at} is still ahead. */
  boolean pending(Instant at) {
    return now.isBefore(at);
  }

  /** A TTL raised to the resolver floor of {@code kind}, times the safety factor. */
  Duration scale(Duration ttl, WaitKind kind) {
    Duration t = max(ttl, cfg.ttlFloor(kind));
    return Duration.ofMillis((long) Math.ceil(t.toMillis() * cfg.safetyFactor()));
  }

  /** When copies served with the observation's earlier TTL have expired (TTL history). */
  Instant history(Observed<?> o, WaitKind kind) {
    return o.earlierTtlUntil().plus(scale(o.earlierTtl(), kind));
  }

  /**
   * When what a stopped signer served (DNSKEY RRset, signed data, NS RRset) has left every cache;
   * {@link Instant#MAX} while it answers. Zonecut's signature wait for a leaving signer.
   */
  Instant expiry(SignerSnapshot v) {
    if (v.isAnswering()) {
      return Instant.MAX;
    }
    Instant stopped = v.answering().since();
    Instant end = stopped.plus(scale(v.dnskey().ttl(), WaitKind.DNSKEY_WAIT));
    end = max(end, stopped.plus(scale(dataTtl(v), WaitKind.SIGNATURE_WAIT)));
    end = max(end, stopped.plus(scale(v.ns().ttl(), WaitKind.NS_WAIT)));
    end = max(end, history(v.dnskey(), WaitKind.DNSKEY_WAIT));
    end = max(end, history(v.signing(), WaitKind.SIGNATURE_WAIT));
    end = max(end, history(v.ns(), WaitKind.NS_WAIT));
    return end.plus(latency);
  }

  /**
   * When signatures made with a key {@code owner} stopped signing with have left every cache: the
   * signer keeps serving them until it has re-signed its zone (RFC 7583 Dsgn, {@link
   * SignerSnapshot#resignInterval()}), then caches keep them for the data TTL.
   */
  Instant signatures(SignerSnapshot owner) {
    return signatures(owner, owner.resignInterval());
  }

  /** As {@link #signatures(SignerSnapshot)}, with the re-signing still to finish taking {@code resign}. */
  Instant signatures(SignerSnapshot owner, Duration resign) {
    Duration data = scale(dataTtl(owner), WaitKind.SIGNATURE_WAIT);
    Instant end = owner.signing().since().plus(resign).plus(data);
    // a re-signing observed as partial ended no sooner than the observation last changed
    end = max(end, owner.partialSigning().since().plus(data));
    return max(end, history(owner.signing(), WaitKind.SIGNATURE_WAIT)).plus(latency);
  }

  /** How long to wait before observing again a signer seen re-signing part of its zone. */
  static final Duration RESIGN_POLL_MIN = Duration.ofMinutes(1);

  /**
   * When a re-signing observed as partial ({@link SignerSnapshot#partialSigning()}) should have
   * finished: the re-signing interval after the signing change or the last progress observed;
   * once that has passed (a signer slower than configured), another interval from now (at least
   * {@link #RESIGN_POLL_MIN}).
   */
  Instant resigned(SignerSnapshot owner) {
    Duration resign = owner.resignInterval();
    Instant end = max(owner.signing().since(), owner.partialSigning().since()).plus(resign);
    return now.isBefore(end) ? end : now.plus(max(resign, RESIGN_POLL_MIN));
  }

  /**
   * When the owner's DNSKEY RRset and its RRSIGs as last changed have propagated: the later of a
   * DNSKEY change and a signing change, plus the DNSKEY TTL (with history and latency).
   */
  Instant dnskeyRrsetSettled(SignerSnapshot owner) {
    return max(max(owner.dnskey().since(), owner.signing().since())
            .plus(scale(owner.dnskey().ttl(), WaitKind.DNSKEY_WAIT)),
        history(owner.dnskey(), WaitKind.DNSKEY_WAIT)).plus(latency);
  }

  /** The signer's data TTL, raised to what its observed zone TTLs require (negative answers). */
  static Duration dataTtl(SignerSnapshot v) {
    ZoneTtls z = v.zoneTtls();
    return z == null ? v.dataTtl() : max(v.dataTtl(), z.required());
  }

  static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

}
