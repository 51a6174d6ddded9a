package io.github.zonecut.core;

import io.github.zonecut.core.DiscoveryResult.Reason;
import io.github.zonecut.core.DiscoveryResult.Step;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Finds where a child zone's operator sends generalized NOTIFYs or DNS UPDATEs: the DSYNC
 * endpoint discovery of RFC 9859 §4.1, exactly, over a {@link DnsLookup}.
 *
 * <ol>
 *   <li>Ask for DSYNC at the child's name with {@code _dsync} inserted after the first label
 *       ({@code child.example.} → {@code child._dsync.example.}).
 *   <li>A positive answer is the result: select the one record for the wanted (RRtype, scheme),
 *       ignoring scheme 0 and port 0 (RFC 9859 §2.1); more than one record for the pair is
 *       refused (§3). Resolve its target's A and AAAA records through the same lookup.
 *   <li>On a negative answer: if the SOA shows the parent zone is further away, insert {@code
 *       _dsync} just above that zone ({@code subsub._dsync.sub.child.example.} → {@code
 *       subsub.sub.child._dsync.example.}) and ask again; otherwise, if labels precede {@code
 *       _dsync}, drop them ({@code _dsync.example.}) and ask again; otherwise there is no target.
 * </ol>
 *
 * <p>Safety: each step's verdict is checked against the {@link Policy} (BOGUS is always refused;
 * negative answers are checked too, because they steer the next lookup); a negative answer whose
 * SOA owner could not hold the name asked, or is not an ancestor of the child (other than a
 * delegated {@code _dsync} zone), is refused. The assumed parent only ever moves up, so no name is
 * asked twice; {@link Builder#maxSteps(int)} bounds the walk as well. Names are compared
 * label-wise and case-insensitively.
 *
 * <p>The target's addresses are screened by the {@link AddressPolicy} (default {@link
 * AddressPolicy#publicOnly()}): unspecified, broadcast, multicast and reserved addresses are
 * always refused, loopback, link-local, private and shared ones unless the policy allows them.
 * Refused addresses are left out and reported ({@link DiscoveryResult.Found#refusedAddresses()});
 * if none is left, discovery is {@link DiscoveryResult.Reason#TARGET_ADDRESS_REFUSED refused}.
 * {@link EndpointOverrides} are the host's own configuration and are not screened: a target name
 * or address that is overridden goes where the override says. A record with port 0 (or scheme 0)
 * is ignored as RFC 9859 §2.1 requires, so no endpoint with port 0 is ever handed out.
 *
 * <p>The stage never completes exceptionally for anything the DNS does; see {@link
 * DiscoveryResult}.
 */
public final class DsyncDiscovery {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  /** How much DNSSEC a discovery demands. */
  public enum Policy {
    /**
     * Every lookup must be SECURE (deSEC's choice). RFC 9859 §5 lets a child ignore unsigned
     * DSYNC records; this is the default.
     */
    REQUIRE_SECURE,
    /**
     * INSECURE (and unvalidated) lookups are accepted (tdns's choice); BOGUS is still refused.
     *
     * <p>Over UDP, nothing but the transport's answer matching protects an insecure discovery:
     * with {@link NioDnsTransport} each query leaves from its own random ephemeral port with a random ID, so an
     * off-path attacker needs about 1.85 × 10⁹ forged datagrams per query (2^30.8: 28,232 default
     * Linux ports × 65,536 IDs), against 2^20 (about a million datagrams, 6 s on loopback) with the
     * 16 shared ports zonecut used before; a burst of 8 wrong IDs on the right port moves the query
     * to TCP. An on-path attacker is not stopped: use {@link ValidatingLookup} where the answer
     * authorises anything.
     */
    ACCEPT_INSECURE
  }

  private final DnsLookup lookup;
  private final Codepoints codepoints;
  private final Policy policy;
  private final EndpointOverrides overrides;
  private final AddressPolicy addressPolicy;
  private final int maxSteps;

  private DsyncDiscovery(Builder b) {
    this.lookup = b.lookup;
    this.codepoints = b.codepoints;
    this.policy = b.policy;
    this.overrides = b.overrides;
    this.addressPolicy = b.addressPolicy;
    this.maxSteps = b.maxSteps;
  }

  /** A builder over {@code lookup} (typically a {@link ValidatingLookup}). */
  public static Builder builder(DnsLookup lookup) {
    return new Builder(lookup);
  }

  /**
   * Discovers the NOTIFY endpoint for {@code notifyType} changes (RFC 9859 §4): {@link Type#CDS}
   * for DS-related changes (CDS and CDNSKEY), {@link Type#CSYNC} for NS and glue.
   */
  public CompletionStage<DiscoveryResult> discoverNotify(Name child, int notifyType) {
    if (notifyType != Type.CDS && notifyType != Type.CSYNC) {
      throw new IllegalArgumentException("NOTIFY is defined for CDS and CSYNC, not "
          + Type.string(notifyType));
    }
    return discover(child, notifyType, DsyncScheme.NOTIFY);
  }

  /**
   * Discovers the DNS UPDATE receiver (draft-ietf-dnsop-delegation-mgmt-via-ddns §5): RRtype ANY,
   * scheme UPDATE from the {@link Codepoints} profile.
   */
  public CompletionStage<DiscoveryResult> discoverUpdate(Name child) {
    return discover(child, Type.ANY, DsyncScheme.update(codepoints));
  }

  /**
   * Discovers the endpoint for any (RRtype, scheme) pair.
   *
   * @param child the absolute name of the child zone (the delegation's owner)
   */
  public CompletionStage<DiscoveryResult> discover(Name child, int rrType, DsyncScheme scheme) {
    Objects.requireNonNull(child, "child");
    Objects.requireNonNull(scheme, "scheme");
    if (!child.isAbsolute()) {
      throw new IllegalArgumentException("child must be absolute: " + child);
    }
    Run run = new Run(child, rrType, scheme);
    if (child.labels() < 2) {
      return CompletableFuture.completedFuture(
          run.refuse(Reason.INVALID_NAME, "the root zone has no parent"));
    }
    // RFC 9859 §4.1 step 1: _dsync after the first label
    return run.ask(new Name(child, 1), false);
  }

  /** The state of one discovery. */
  private final class Run {
    final Name child;
    final int rrType;
    final DsyncScheme scheme;
    final List<Step> steps = new ArrayList<>();

    Run(Name child, int rrType, DsyncScheme scheme) {
      this.child = child;
      this.rrType = rrType;
      this.scheme = scheme;
    }

    /**
     * Asks DSYNC at the child's name with {@code _dsync} inserted above {@code parent}, or at
     * {@code _dsync.parent} itself if {@code apex}.
     */
    CompletionStage<DiscoveryResult> ask(Name parent, boolean apex) {
      Name name;
      try {
        name = apex ? Names.dsyncApex(parent) : Names.dsyncLookupName(child, parent);
      } catch (MalformedDataException e) {
        return done(refuse(Reason.INVALID_NAME, String.valueOf(e.getMessage())));
      }
      if (steps.size() >= maxSteps) {
        return done(refuse(Reason.TOO_MANY_STEPS, "more than " + maxSteps + " lookups"));
      }
      return lookup.lookup(name, DsyncRecord.TYPE)
          .thenCompose(result -> {
            steps.add(new Step(result));
            return next(result, parent, apex);
          });
    }

    private CompletionStage<DiscoveryResult> next(LookupResult result, Name parent, boolean apex) {
      DiscoveryResult refused = checkTrust(result);
      if (refused != null) {
        return done(refused);
      }
      if (result instanceof LookupResult.Answer) {
        return select((LookupResult.Answer) result);
      }
      SOARecord soa = result instanceof LookupResult.NxDomain
          ? ((LookupResult.NxDomain) result).soa()
          : ((LookupResult.NoData) result).soa();
      if (soa != null) {
        Name zone = soa.getName();
        Name answering = answeringParent(zone, result.name(), parent);
        if (answering == null) {
          return done(refuse(Reason.HOSTILE_SOA, "negative answer for " + result.name()
              + " carries the SOA of " + zone + ", which cannot hold it"));
        }
        if (!answering.equals(parent)) {
          // RFC 9859 §4.1 step 3, first branch: the parent zone is further up than assumed;
          // insert _dsync just above it
          return ask(answering, false);
        }
      }
      // second branch: drop the labels in front of _dsync (parents without wildcards)
      if (!apex) {
        return ask(parent, true);
      }
      return done(new DiscoveryResult.NotFound(child, steps));
    }

    /**
     * The parent zone a negative answer's SOA owner {@code zone} stands for, or null if that zone
     * cannot have answered for {@code asked}. It must enclose the name asked (RFC 2308 §3) and
     * either enclose the child (the parent zone) or lie under {@code _dsync.parent} (RFC 9859 §3
     * lets a parent delegate {@code _dsync} as its own zone; the parent is then unchanged).
     */
    private @Nullable Name answeringParent(Name zone, Name asked, Name parent) {
      if (!Names.isAtOrBelow(asked, zone)) {
        return null;
      }
      if (Names.isBelow(child, zone)) {
        return zone;
      }
      try {
        if (Names.isAtOrBelow(zone, Names.dsyncApex(parent))) {
          return parent;
        }
      } catch (MalformedDataException e) {
        return null;
      }
      return null;
    }

    /** Applies the policy to a step; null if discovery may go on. */
    private @Nullable DiscoveryResult checkTrust(LookupResult result) {
      if (result instanceof LookupResult.Bogus) {
        LookupResult.Bogus b = (LookupResult.Bogus) result;
        return refuse(Reason.BOGUS, result.name() + "/" + Type.string(result.type())
            + " is bogus: " + b.reason());
      }
      Optional<Verdict> verdict = new Step(result).verdict();
      if (verdict.isEmpty()) {
        return refuse(Reason.LOOKUP_FAILED, result.name() + "/" + Type.string(result.type())
            + ": " + result);
      }
      if (policy == Policy.REQUIRE_SECURE && verdict.get() != Verdict.SECURE) {
        return refuse(Reason.NOT_SECURE, result.name() + "/" + Type.string(result.type())
            + " is " + verdict.get() + " and the policy requires SECURE");
      }
      return null;
    }

    private CompletionStage<DiscoveryResult> select(LookupResult.Answer answer) {
      DsyncRecord chosen = null;
      for (Record r : answer.rrset().rrs()) {
        DsyncRecord d;
        try {
          d = DsyncRecord.from(r, codepoints);
        } catch (MalformedDataException e) {
          return done(refuse(Reason.MALFORMED_RECORD, String.valueOf(e.getMessage())));
        }
        if (d.getRRType() != rrType || !d.getScheme().equals(scheme)) {
          continue;
        }
        if (chosen != null) {
          // RFC 9859 §3: MUST NOT be more than one record per (RRtype, scheme)
          return done(refuse(Reason.MULTIPLE_RECORDS, "more than one DSYNC "
              + Type.string(rrType) + " " + scheme.toString(codepoints) + " at "
              + answer.name()));
        }
        chosen = d;
      }
      if (chosen == null || chosen.isIgnored()) {
        // RFC 9859 §2.1: scheme 0 and port 0 mean "ignore"; nothing usable for this pair
        return done(new DiscoveryResult.NotFound(child, steps));
      }
      return resolve(chosen);
    }

    private CompletionStage<DiscoveryResult> resolve(DsyncRecord record) {
      Name target = record.getTarget();
      Optional<List<DnsEndpoint>> override = overrides.forName(target);
      if (override.isPresent()) {
        return done(new DiscoveryResult.Found(child, record, override.get(), steps));
      }
      return addresses(target, Type.A).thenCompose(v4 -> addresses(target, Type.AAAA)
          .thenApply(v6 -> {
            for (Step s : steps) {
              DiscoveryResult refused = checkAddressStep(s);
              if (refused != null) {
                return refused;
              }
            }
            List<DnsEndpoint> endpoints = new ArrayList<>();
            List<DiscoveryResult.RefusedAddress> refused = new ArrayList<>();
            List<InetAddress> all = new ArrayList<>(v4);
            all.addAll(v6);
            for (InetAddress a : all) {
              if (!overrides.hasAddress(a)) {
                Optional<AddressPolicy.AddressClass> rule = addressPolicy.refusal(a);
                if (rule.isPresent()) {
                  // the parent zone's data must not steer the child's NOTIFYs and UPDATEs at
                  // its own host, an internal network, broadcast or multicast
                  refused.add(new DiscoveryResult.RefusedAddress(a, rule.get()));
                  continue;
                }
              }
              DnsEndpoint e = overrides.forAddress(a, record.getPort());
              if (!endpoints.contains(e)) {
                endpoints.add(e);
              }
            }
            if (endpoints.isEmpty() && !refused.isEmpty()) {
              return new DiscoveryResult.Refused(child, Reason.TARGET_ADDRESS_REFUSED,
                  "every address of " + target + " is refused by " + addressPolicy + ": "
                      + refused, steps, refused);
            }
            if (endpoints.isEmpty()) {
              return refuse(Reason.TARGET_UNRESOLVABLE, "no A or AAAA records at " + target);
            }
            return new DiscoveryResult.Found(child, record, endpoints, steps, refused);
          }));
    }

    /** Policy for the target's address lookups: bogus or (if required) not secure refuses. */
    private @Nullable DiscoveryResult checkAddressStep(Step s) {
      int type = s.result().type();
      if (type != Type.A && type != Type.AAAA) {
        return null;
      }
      Optional<Verdict> v = s.verdict();
      if (v.isEmpty()) {
        // a failed A or AAAA lookup is not fatal if the other family answers
        return null;
      }
      return checkTrust(s.result());
    }

    private CompletionStage<List<InetAddress>> addresses(Name target, int type) {
      return lookup.lookup(target, type).thenApply(result -> {
        steps.add(new Step(result));
        List<InetAddress> out = new ArrayList<>();
        if (result instanceof LookupResult.Answer) {
          for (Record r : ((LookupResult.Answer) result).rrset().rrs()) {
            if (r instanceof ARecord) {
              out.add(((ARecord) r).getAddress());
            } else if (r instanceof AAAARecord) {
              out.add(((AAAARecord) r).getAddress());
            }
          }
        }
        return out;
      });
    }

    DiscoveryResult refuse(Reason reason, String detail) {
      return new DiscoveryResult.Refused(child, reason, detail, steps);
    }

    private CompletionStage<DiscoveryResult> done(DiscoveryResult r) {
      return CompletableFuture.completedFuture(r);
    }
  }

  /** Settings of a {@link DsyncDiscovery}. */
  public static final class Builder {
    private final DnsLookup lookup;
    private Codepoints codepoints = Codepoints.DEFAULT;
    private Policy policy = Policy.REQUIRE_SECURE;
    private EndpointOverrides overrides = EndpointOverrides.none();
    private AddressPolicy addressPolicy = AddressPolicy.publicOnly();
    private int maxSteps = 8;

    private Builder(DnsLookup lookup) {
      this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** The profile naming the UPDATE scheme (default {@link Codepoints#DEFAULT}). */
    public Builder codepoints(Codepoints codepoints) {
      this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
      return this;
    }

    /** How much DNSSEC to demand (default {@link Policy#REQUIRE_SECURE}). */
    public Builder policy(Policy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Where to really send to a target name or address (default none). */
    public Builder overrides(EndpointOverrides overrides) {
      this.overrides = Objects.requireNonNull(overrides, "overrides");
      return this;
    }

    /**
     * Which target addresses may become endpoints (default {@link AddressPolicy#publicOnly()});
     * test harnesses on loopback use {@link AddressPolicy#allowLoopbackAndPrivateForTesting()}.
     */
    public Builder addressPolicy(AddressPolicy addressPolicy) {
      this.addressPolicy = Objects.requireNonNull(addressPolicy, "addressPolicy");
      return this;
    }

    /**
     * Upper bound on DSYNC lookups per discovery (default 8; the algorithm needs at most 3 for an
     * honest parent, more only when zone cuts move between answers).
     */
    public Builder maxSteps(int maxSteps) {
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxSteps must be positive: " + maxSteps);
      }
      this.maxSteps = maxSteps;
      return this;
    }

    /** The discovery. */
    public DsyncDiscovery build() {
      return new DsyncDiscovery(this);
    }
  }
}
