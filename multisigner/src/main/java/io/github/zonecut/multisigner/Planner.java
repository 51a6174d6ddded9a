package io.github.zonecut.multisigner;

import io.github.zonecut.core.ZonecutTypes;
import java.time.Instant;
import java.util.Objects;

/**
 * The multi-signer step planner: a pure function from what is observed to what to do next,
 * following draft-ietf-dnsop-dnssec-automation-04 for RFC 8901 model-2 groups.
 *
 * <p>{@link #plan} keeps no state between calls, performs no I/O, never sleeps and never logs:
 * the same snapshot, intent, policy and instant give the same plan, so a host can crash, restart
 * and plan again. Every wait runs from the {@code since} instants in the snapshot.
 *
 * <h2>How it plans</h2>
 *
 * <p>Instead of a state machine with a stored state (MUSIC, multi-signer-controller), the planner
 * derives the phase of every join, leave and rollover from the snapshot, and emits every change
 * whose safety rule holds. The draft's step lists are the orders these rules produce:
 *
 * <ul>
 *   <li>Every serving signer publishes every zone-signing key (ZSK or CSK) in use by any signer,
 *       and its own new keys; KSKs are never copied (§5.3 step 3, §5.5 steps 1–2, §5.6 steps 1–2,
 *       §5.7 steps 1 and 4).
 *   <li>A new key of the same algorithm signs zone data only once every signer has published it
 *       for DNSKEY-Wait-Time (§5.5 steps 3–4); a key of a new algorithm signs zone data before it
 *       is published, next to the old one (RFC 6781 §4.1.4, §5.7 step 2). A signer signs its
 *       DNSKEY RRset with every SEP key it publishes (§5.6 step 3).
 *   <li>CDS/CDNSKEY cover exactly the SEP keys that are published and signing, plus a leaving
 *       signer's while its data may be cached; they are published on every serving signer only
 *       after the DNSKEY RRsets are synchronised (§5.3 steps 4–5), and removed once the parent's
 *       DS RRset covers the final key set (§5.3 step 7, §5.4 step 11, §5.6 step 11, §5.7 step 11).
 *   <li>A joining signer's NS records are added only when the parent's DS covers its KSK/CSK for
 *       DS-Wait-Time and all DNSKEY RRsets have propagated (§5.3 steps 8–10), then CSYNC until the
 *       parent follows (§5.3 steps 11–13). A leaving signer's NS records are removed only after
 *       every join has completed and propagated (§5.4 steps 1–4); it stops answering after
 *       NS-Wait-Time (§5.4 steps 5–6).
 *   <li>A retiring key leaves DNSKEY RRsets only when nothing cached can depend on it (§5.4 step
 *       9, §5.5 steps 5–6, §5.6 steps 6–8, §5.7 step 8), then its DS goes (§5.4 steps 7–8,
 *       §5.6 step 9, §5.7 step 9), then the signer deletes it.
 * </ul>
 *
 * <h2>How the engine is built</h2>
 *
 * <p>One plan is facts → rules → decisions. The facts are built once from the snapshot: the
 * signers' roles (target, leaving, answering, still cached), each key's owner and lifecycle phase
 * (RFC 7583 §3.1: generated, published, active, retired, removed), and time-bound gates ("this key
 * may leave", "the DS may move to the new algorithm") that, when closed, carry the wait that
 * closes them. One rule per resource — key generation and deletion, DNSKEY RRsets, signing,
 * DS/CDS, NS/CSYNC, serving — turns the facts into decisions: steps, waits, awaited parent
 * changes or refusals, each with its cause and draft step. The plan is their merge: all steps if
 * any (joins, leaves and rollovers run concurrently), else the earliest wait, else what the
 * parent must do, else done. Waits (DNSKEY-, DS-, NS-Wait-Time and the signature wait) are
 * computed once, with TTL history, resolver floors, the safety factor and publication latency.
 *
 * <h2>Choices where the draft is open</h2>
 *
 * <ol>
 *   <li><b>Wait lengths.</b> Every TTL is multiplied by {@link PlannerConfig#safetyFactor()}
 *       (default 2, as multi-signer-controller); publication latency is added to signer-side
 *       waits (§2 gives only minimums).
 *   <li><b>"Wait for the parent" has a timeout</b> ({@link ParentPolicy#timeout()}, default 7
 *       days), after which the plan is {@link Refusal.ParentTimeout}; nothing is rolled back
 *       automatically, since undoing a half-published DS set is itself a change needing waits
 *       (specs §10 item 13).
 *   <li><b>The join ends with NS-Wait-Time</b> (and DS-/DNSKEY-Wait-Time): {@link Plan.Done} is
 *       returned only once the last change has propagated, and a leave never starts before the
 *       joined group's NS RRset has propagated.
 *   <li><b>Signature wait.</b> The draft removes an exiting signer's ZSK right after it stops
 *       answering (§5.4 steps 6–9) and a rolled ZSK as soon as it no longer signs (§5.5 step 5);
 *       RRSIGs made with those keys stay in caches for the data TTL. The planner waits the
 *       signer's largest data TTL (and its DNSKEY TTL) first ({@link WaitKind#SIGNATURE_WAIT}).
 *       Likewise a CSK switches zone signing to its successor only after DNSKEY-Wait-Time, and
 *       the old CSK is removed only after the signature wait (§5.6 leaves both open).
 *   <li><b>Parent sync is judged by keys, not digests.</b> The parent's DS RRset is "published"
 *       when every parent server serves at least one DS of any digest type for every expected
 *       key and no DS for another key; CDS carry the first accepted digest type only.
 *   <li><b>Optional steps are taken</b> (CDS/CDNSKEY and CSYNC removal) unless {@link
 *       PlannerConfig#removeSignalsWhenDone()} is off. During a KSK/CSK rollover, CDS stay
 *       published between the two DS changes (§5.6 steps 4–9).
 *   <li><b>The leaving signer</b> receives new zone-signing keys of concurrent rollovers while it
 *       still answers, and serves the same CDS, NS RRset and CSYNC as the remaining signers until
 *       it stops (a parent may demand consistent signals from every server of the delegation; the
 *       draft says "remaining signers", MUSIC included the leaving one). It is not cleaned up
 *       otherwise; its DS stays until its DNSKEY RRset and RRSIGs have expired from caches, and
 *       until then its last DNSKEY RRset counts for DNSKEY-Wait-Time and for "published by every
 *       signer" (the property tests found a rollover during a leave that broke without this).
 *   <li><b>Rollover during a join or leave</b>: rollovers run concurrently, under the same rules.
 *       A successor key is published on every signer, including a joining one, in the same
 *       DNSKEY synchronisation; its DS joins the same CDS change when it is ready, so one parent
 *       round trip can serve both. Retirements wait for their own conditions only. A rollover of
 *       a leaving signer is refused.
 *   <li><b>Successors.</b> A rollover names the key to retire; if the signer holds no other key of
 *       that role and algorithm, the planner asks it to generate one ({@link Step.GenerateKey}).
 *       An intent whose key is already gone is complete (idempotent).
 *   <li><b>Unattributed keys</b> (served but claimed by no signer) stop the planner unless
 *       key-tag-modulo ownership attributes them ({@link KeyOwnership}); then keys of absent
 *       signers are removed.
 *   <li><b>Reachability.</b> A joining signer counts as a member once any of its NS names is
 *       served by the parent or by another signer.
 *   <li><b>KSKs are not copied</b> to other signers (MUSIC copied every key); CSKs are, since they
 *       sign zone data.
 *   <li><b>Algorithm rollover follows RFC 6781 §4.1.4's conservative order</b>, so that validators
 *       supporting only one of the two algorithms, and validators hardened against algorithm
 *       downgrade (Unbound {@code harden-algo-downgrade}), never see bogus data: every signer
 *       signs zone data with its new-algorithm key first; after the signature wait the new keys
 *       enter every DNSKEY RRset (§5.7 steps 1–4); after DNSKEY-Wait-Time the CDS/CDNSKEY change
 *       from the old algorithm's SEP keys to the new one's in one step (§5.7 steps 5 and 9: one
 *       parent round trip instead of two); DS-Wait-Time after the parent published it, the old
 *       DNSKEYs leave every RRset (§5.7 step 8); a DNSKEY-Wait-Time later the old signatures stop.
 *   <li><b>Waits use TTL history and resolver floors.</b> Every wait covers the largest TTL
 *       served within the last TTL period ({@link Observed#earlierTtl()}), so lowering a TTL
 *       shortly before a change does not shorten the wait; and every TTL is first raised to the
 *       resolver floor configured for its wait kind ({@link PlannerConfig#ttlFloors()}, for
 *       Unbound {@code cache-min-ttl} or PowerDNS {@code minimum-ttl-override}).
 *   <li><b>Negative answers.</b> A signer's data TTL must cover min(SOA TTL, SOA MINIMUM) and its
 *       largest data TTL when the snapshot carries them ({@link SignerSnapshot#zoneTtls()});
 *       otherwise the plan is {@link Refusal.DataTtlTooShort}.
 *   <li><b>Serve-stale (RFC 8767) is out of scope.</b> A resolver that answers from expired data
 *       when it cannot refresh may keep any RRset beyond its TTL, for as long as its
 *       max-stale-ttl; no propagation wait can bound that, and such a resolver only does so while
 *       the zone's servers are unreachable. The planner's waits assume resolvers drop data at TTL
 *       expiry (raised to the configured floors).
 *   <li><b>Signing is observed zone-wide.</b> A signer re-signs gradually (RFC 7583 Dsgn), so a
 *       key counts as no longer signing only when no sampled RRset carries its signatures ({@link
 *       SignerSnapshot#partialSigning()}); while the observation is partial the planner waits for
 *       the re-signing interval, and the signature wait runs from the last partial observation.
 *       New-algorithm DNSKEYs are published only once the whole zone is signed with it.
 *   <li><b>In-zone NS targets</b> (an NS name inside the zone) enter an NS RRset, and the parent
 *       is signalled with CSYNC, only once every signer serving that NS RRset serves their A/AAAA
 *       records ({@link SignerSnapshot#inZoneAddresses()}): the parent takes the glue from the
 *       child (RFC 7477 §3.2) and resolvers need the addresses; the zone owner is awaited for
 *       them ({@link Condition.AddressesServed}).
 *   <li><b>Capabilities</b> of §4.3 are checked for every serving signer before anything starts;
 *       the others (NS management, key management, stop serving) when a step needs them.
 * </ol>
 */
public final class Planner {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private final PlannerConfig config;

  private Planner(PlannerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** A planner with {@link PlannerConfig#DEFAULT}. */
  public static Planner create() {
    return new Planner(PlannerConfig.DEFAULT);
  }

  /** A planner with this configuration. */
  public static Planner create(PlannerConfig config) {
    return new Planner(config);
  }

  /** The configuration. */
  public PlannerConfig config() {
    return config;
  }

  /**
   * Plans the next move for one zone.
   *
   * @param snapshot what every signer and every parent server serves now
   * @param intent the target group, rollovers and group policy
   * @param policy what the parent does with CDS/CDNSKEY/CSYNC
   * @param now the current instant (from the host's clock)
   * @return steps to execute now, a wait, done, or a refusal
   */
  public Plan plan(ZoneSnapshot snapshot, Intent intent, ParentPolicy policy, Instant now) {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(now, "now");
    return PlanRun.plan(snapshot, intent, policy, now, config);
  }
}
