package io.github.zonecut.dsync;

import io.github.zonecut.core.AddressPolicy;
import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DelegationDelta;
import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.KeyStateInquiryClient;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0KeyStore;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.StoredSig0Key;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The child's delegation agent (draft-ietf-dnsop-delegation-mgmt-via-ddns): keeps the parent's
 * NS, glue and DS for a child in step with the child's own zone, by SIG(0)-signed DNS UPDATE to
 * the receiver the parent advertises with DSYNC.
 *
 * <p>{@link #sync(Name)}: discover the receiver ({@link DsyncDiscovery}, RFC 9859 §4.1) and its
 * KEY (SECURE at the DSYNC target, ddns §9.3) → read the published delegation from the parent's
 * servers and the desired one from the child's ({@link DelegationReader}) → core's diff → nothing
 * to do, or build the UPDATE ({@link UpdateBuilder}) and send it ({@link UpdateSender}). On
 * BADKEY the agent re-bootstraps exactly once (self-signed {@code DEL ANY KEY} + {@code ADD
 * KEY}, ddns §9.7) and, if that was accepted, retries once; it never loops.
 *
 * <p>Keys come from a {@link Sig0KeyStore}: the child's {@link Sig0KeyState#ACTIVE} key pair
 * signs; {@link #rollKey} moves a new key through PUBLISHED to ACTIVE and the old one to
 * RETIRED as the parent accepts each step. The agent does not publish KEY records in the child
 * zone: the bootstrap methods need the KEY published (at the apex or a {@code _sig0key} signal
 * name) before the upload (ddns §9.4.1).
 *
 * <p>Stages complete exceptionally only for a signing failure or a key-store failure ({@link
 * ZonecutException}); everything the DNS does is an {@link AgentResult}.
 */
public final class DelegationAgent {
  private static final Logger LOG = LoggerFactory.getLogger(DelegationAgent.class);
  private static final int DNS_PORT = 53;

  private final DnsLookup lookup;
  private final Sig0KeyStore keys;
  private final DsyncDiscovery discovery;
  private final DelegationReader reader;
  private final UpdateSender sender;
  private final EndpointOverrides overrides;
  private final UpdateStyle style;
  private final long keyTtl;

  private DelegationAgent(Builder b) {
    this.lookup = b.lookup;
    this.keys = b.keys;
    this.overrides = b.overrides;
    this.style = b.style;
    this.keyTtl = b.keyTtl;
    this.discovery = DsyncDiscovery.builder(b.lookup).codepoints(b.codepoints)
        .policy(b.discoveryPolicy).overrides(b.overrides).addressPolicy(b.addressPolicy).build();
    this.reader = DelegationReader.builder(b.transport).digestPolicy(b.digestPolicy)
        .timeout(b.lookupTimeout).build();
    UpdateSender.Builder s = UpdateSender.builder(b.transport, b.delayer)
        .sig0Config(b.sig0Config).replayGuard(b.replayGuard).codepoints(b.codepoints);
    if (!b.actOnUnsignedBadkey) {
      s.ignoreUnsignedBadkey();
    }
    if (b.schedule.withinDraftGuidance()) {
      s.retrySchedule(b.schedule);
    } else {
      s.retryScheduleBelowDraftGuidance(b.schedule);
    }
    this.sender = s.build();
  }

  /**
   * A builder.
   *
   * @param transport carries the UPDATEs and the direct queries to authoritative servers
   * @param lookup a validated lookup ({@link io.github.zonecut.core.ValidatingLookup}) for DSYNC
   *     discovery, the receiver's KEY and the parent's NS and server addresses
   * @param keys the child's SIG(0) keys
   * @param delayer pauses between tries (keystate's scheduler port)
   */
  public static Builder builder(DnsTransport transport, DnsLookup lookup, Sig0KeyStore keys,
      Delayer delayer) {
    return new Builder(transport, lookup, keys, delayer);
  }

  /** Where the child's UPDATEs go, or why they cannot go anywhere. */
  public CompletionStage<Located> locate(Name child) {
    Names.requireAbsolute("child", child);
    return discovery.discoverUpdate(child).thenCompose(d -> {
      if (!(d instanceof DiscoveryResult.Found)) {
        return done(new Located(null, new AgentResult.NoReceiver(d)));
      }
      DiscoveryResult.Found f = (DiscoveryResult.Found) d;
      Name parent = parentZone(child, f.record().getName());
      if (parent == null) {
        return done(new Located(null, new AgentResult.NotReadable("parent zone",
            "cannot tell the parent zone of " + child + " from the DSYNC owner "
                + f.record().getName())));
      }
      Name receiver = f.record().getTarget();
      return KeyStateInquiryClient.receiverKeys(KeyLookup.of(lookup), receiver)
          .thenApply(rk -> new Located(new UpdateTarget(parent, receiver, f.endpoints(), rk),
              null));
    });
  }

  /**
   * Where UPDATEs go: a target, or the result that explains why there is none.
   *
   * @param target the receiver, when found
   * @param failure why there is none, otherwise
   */
  public record Located(@Nullable UpdateTarget target, @Nullable AgentResult failure) {
    /** Checks that exactly one is present. */
    public Located {
      if ((target == null) == (failure == null)) {
        throw new IllegalArgumentException("exactly one of target and failure");
      }
    }
  }

  /**
   * Brings the parent's delegation of {@code child} in line with the child's zone; see the class
   * documentation.
   */
  public CompletionStage<AgentResult> sync(Name child) {
    Optional<Sig0KeyPair> key = activeKey(child);
    if (key.isEmpty()) {
      return done(noKey(child));
    }
    return locate(child).thenCompose(loc -> {
      UpdateTarget t = loc.target();
      if (t == null) {
        return done(Objects.requireNonNull(loc.failure()));
      }
      return read(child, t.parentZone()).thenCompose(pair -> {
        if (pair.failure != null) {
          return done(pair.failure);
        }
        Delegation published = Objects.requireNonNull(pair.published);
        Delegation desired = Objects.requireNonNull(pair.desired);
        DelegationDelta delta = published.diff(desired);
        if (delta.isEmpty()) {
          return done(new AgentResult.InSync(published));
        }
        Message update = builder(t).delegation(published, desired);
        LOG.info("sending delegation UPDATE for {} to {} ({})", child, t.receiver(), style);
        return withOneRebootstrap(t, update, key.get(), Optional.of(delta));
      });
    });
  }

  /**
   * The published and the desired delegation of {@code child}, read from the parent's and the
   * child's authoritative servers (what {@link #sync} diffs).
   */
  public CompletionStage<DelegationRead> desired(Name child, Name parentZone) {
    return read(child, parentZone).thenApply(p -> p.desired != null
        ? new DelegationRead.Found(p.desired, p.desiredSources)
        : new DelegationRead.Unavailable(List.of(String.valueOf(p.failure))));
  }

  /**
   * Uploads the child's ACTIVE key to the receiver with the self-signed bootstrap UPDATE (ddns
   * §9.4.1): {@code DEL child ANY KEY}, {@code ADD child KEY}, signed by that key.
   */
  public CompletionStage<AgentResult> bootstrap(Name child) {
    Optional<Sig0KeyPair> key = activeKey(child);
    if (key.isEmpty()) {
      return done(noKey(child));
    }
    return locate(child).thenCompose(loc -> {
      UpdateTarget t = loc.target();
      if (t == null) {
        return done(Objects.requireNonNull(loc.failure()));
      }
      return bootstrapAt(t, key.get()).thenApply(o -> (AgentResult) new AgentResult.Sent(
          AgentResult.Operation.KEY_BOOTSTRAP, Optional.empty(), o, Optional.empty()));
    });
  }

  /**
   * Rolls the child's SIG(0) key to {@code newKey} with the parent (ddns §9.6): step 1 adds it,
   * signed by the ACTIVE key; once accepted, {@code newKey} is stored PUBLISHED and step 2
   * deletes the old key, signed by {@code newKey}; once accepted, {@code newKey} becomes ACTIVE
   * and the old key RETIRED. Called again with the same key after step 2 was refused, it resumes
   * at step 2.
   *
   * @throws IllegalArgumentException if {@code newKey} is not owned by {@code child}
   */
  public CompletionStage<KeyRollResult> rollKey(Name child, Sig0KeyPair newKey) {
    if (!newKey.publicKey().owner().equals(child)) {
      throw new IllegalArgumentException("new key " + newKey.publicKey() + " is not owned by "
          + child);
    }
    Optional<Sig0KeyPair> old = activeKey(child).filter(k -> !k.publicKey().equals(
        newKey.publicKey()));
    if (old.isEmpty()) {
      return CompletableFuture.completedFuture(new KeyRollResult(
          Optional.of(noKey(child)), Optional.empty()));
    }
    boolean added = keys.list().stream().anyMatch(k -> k.publicKey().equals(newKey.publicKey())
        && k.state() == Sig0KeyState.PUBLISHED);
    return locate(child).thenCompose(loc -> {
      UpdateTarget t = loc.target();
      if (t == null) {
        return CompletableFuture.completedFuture(new KeyRollResult(
            Optional.of(Objects.requireNonNull(loc.failure())), Optional.empty()));
      }
      CompletionStage<Optional<AgentResult>> step1 = added
          ? CompletableFuture.completedFuture(Optional.empty())
          : sender.send(t, builder(t).keyRollAdd(newKey.publicKey()), old.get())
              .thenApply(o -> Optional.of(new AgentResult.Sent(
                  AgentResult.Operation.KEY_ROLL_ADD, Optional.empty(), o, Optional.empty())));
      return step1.thenCompose(s1 -> {
        boolean step1Ok = s1.map(r -> ((AgentResult.Sent) r).outcome().isAccepted())
            .orElse(true);
        if (!step1Ok) {
          return CompletableFuture.completedFuture(new KeyRollResult(s1, Optional.empty()));
        }
        try {
          keys.store(newKey, Sig0KeyState.PUBLISHED);
        } catch (ZonecutException e) {
          return CompletableFuture.<KeyRollResult>failedFuture(e);
        }
        return sender.send(t, builder(t).keyRollDelete(old.get().publicKey()), newKey)
            .thenCompose(o -> {
              if (o.isAccepted()) {
                try {
                  keys.store(newKey, Sig0KeyState.ACTIVE);
                  keys.setState(old.get().publicKey(), Sig0KeyState.RETIRED);
                } catch (ZonecutException e) {
                  return CompletableFuture.<KeyRollResult>failedFuture(e);
                }
                LOG.info("SIG(0) key of {} rolled to {}", child, newKey.publicKey());
              }
              return CompletableFuture.completedFuture(new KeyRollResult(s1, Optional.of(
                  new AgentResult.Sent(AgentResult.Operation.KEY_ROLL_DELETE, Optional.empty(),
                      o, Optional.empty()))));
            });
      });
    });
  }

  private CompletionStage<AgentResult> withOneRebootstrap(UpdateTarget t, Message update,
      Sig0KeyPair key, Optional<DelegationDelta> delta) {
    return sender.send(t, update, key).thenCompose(first -> {
      if (!(first instanceof UpdateOutcome.UnknownKey)) {
        return done(new AgentResult.Sent(AgentResult.Operation.DELEGATION, delta, first,
            Optional.empty()));
      }
      // ddns §8, §9.7: BADKEY means the receiver lacks the key: bootstrap again, exactly once
      LOG.info("receiver {} does not know the key of {}: re-bootstrapping once", t.receiver(),
          key.publicKey().owner());
      return bootstrapAt(t, key).thenCompose(boot -> {
        if (!boot.isAccepted()) {
          UpdateOutcome.UnknownKey u = (UpdateOutcome.UnknownKey) first;
          return done(new AgentResult.Sent(AgentResult.Operation.DELEGATION, delta,
              new UpdateOutcome.UnknownKey(u.reply(), true, u.authenticated()), Optional.of(boot)));
        }
        return sender.send(t, update, key).thenApply(second -> {
          UpdateOutcome o = second;
          if (second instanceof UpdateOutcome.UnknownKey) {
            UpdateOutcome.UnknownKey u2 = (UpdateOutcome.UnknownKey) second;
            o = new UpdateOutcome.UnknownKey(u2.reply(), true, u2.authenticated());
          }
          return (AgentResult) new AgentResult.Sent(AgentResult.Operation.DELEGATION, delta, o,
              Optional.of(boot));
        });
      });
    });
  }

  private CompletionStage<UpdateOutcome> bootstrapAt(UpdateTarget t, Sig0KeyPair key) {
    // self-signed: proof of possession of the key being uploaded (ddns §9.4.1)
    return sender.send(t, builder(t).keyBootstrap(key.publicKey()), key);
  }

  private UpdateBuilder builder(UpdateTarget t) {
    return UpdateBuilder.builder(t.parentZone()).style(style).keyTtl(keyTtl).build();
  }

  /** The published and desired delegations, or the failure. */
  private static final class Pair {
    @Nullable Delegation published;
    @Nullable Delegation desired;
    List<DnsEndpoint> desiredSources = List.of();
    @Nullable AgentResult failure;
  }

  private CompletionStage<Pair> read(Name child, Name parentZone) {
    Pair p = new Pair();
    return parentServers(parentZone)
        .thenCompose(servers -> reader.published(child, servers))
        .thenCompose(pub -> {
          if (!(pub instanceof DelegationRead.Found)) {
            p.failure = new AgentResult.NotReadable("published", pub.toString());
            return CompletableFuture.completedFuture(p);
          }
          Delegation published = ((DelegationRead.Found) pub).delegation();
          p.published = published;
          return childServers(published)
              .thenCompose(servers -> reader.desired(child, servers, published))
              .thenApply(des -> {
                if (des instanceof DelegationRead.Found) {
                  p.desired = ((DelegationRead.Found) des).delegation();
                  p.desiredSources = ((DelegationRead.Found) des).sources();
                } else {
                  p.failure = new AgentResult.NotReadable("desired", des.toString());
                }
                return p;
              });
        });
  }

  private CompletionStage<List<DnsEndpoint>> parentServers(Name parentZone) {
    return lookup.lookup(parentZone, Type.NS).thenCompose(r -> {
      List<Name> hosts = new ArrayList<>();
      if (r instanceof LookupResult.Answer) {
        for (Record rr : ((LookupResult.Answer) r).rrset().rrs()) {
          if (rr instanceof NSRecord) {
            hosts.add(((NSRecord) rr).getTarget());
          }
        }
      }
      return endpoints(hosts, Map.of());
    });
  }

  private CompletionStage<List<DnsEndpoint>> childServers(Delegation published) {
    return endpoints(new ArrayList<>(published.nameservers()), published.glue());
  }

  /** The endpoints of name servers: overrides, else glue, else A/AAAA lookups. */
  private CompletionStage<List<DnsEndpoint>> endpoints(List<Name> hosts,
      Map<Name, Set<InetAddress>> glue) {
    List<CompletableFuture<List<DnsEndpoint>>> parts = new ArrayList<>();
    for (Name h : hosts) {
      Optional<List<DnsEndpoint>> o = overrides.forName(h);
      if (o.isPresent()) {
        parts.add(CompletableFuture.completedFuture(o.get()));
        continue;
      }
      Set<InetAddress> g = glue.get(h);
      if (g != null) {
        List<DnsEndpoint> eps = new ArrayList<>();
        g.forEach(a -> eps.add(overrides.forAddress(a, DNS_PORT)));
        parts.add(CompletableFuture.completedFuture(eps));
        continue;
      }
      CompletableFuture<LookupResult> v4 = lookup.lookup(h, Type.A).toCompletableFuture();
      CompletableFuture<LookupResult> v6 = lookup.lookup(h, Type.AAAA).toCompletableFuture();
      parts.add(v4.thenCombine(v6, (a, b) -> {
        List<DnsEndpoint> eps = new ArrayList<>();
        for (LookupResult r : List.of(a, b)) {
          if (r instanceof LookupResult.Answer) {
            for (Record rr : ((LookupResult.Answer) r).rrset().rrs()) {
              if (rr instanceof ARecord) {
                eps.add(overrides.forAddress(((ARecord) rr).getAddress(), DNS_PORT));
              } else if (rr instanceof AAAARecord) {
                eps.add(overrides.forAddress(((AAAARecord) rr).getAddress(), DNS_PORT));
              }
            }
          }
        }
        return eps;
      }));
    }
    return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<DnsEndpoint> out = new ArrayList<>();
      for (CompletableFuture<List<DnsEndpoint>> p : parts) {
        for (DnsEndpoint e : p.join()) {
          if (!out.contains(e)) {
            out.add(e);
          }
        }
      }
      return out;
    });
  }

  /**
   * The parent zone from the DSYNC owner name: the labels after the {@code _dsync} label that
   * discovery inserted just above the parent (RFC 9859 §4.1), provided the child is below them.
   */
  static @Nullable Name parentZone(Name child, Name dsyncOwner) {
    for (int i = 0; i < dsyncOwner.labels() - 1; i++) {
      if (dsyncOwner.getLabelString(i).toLowerCase(Locale.ROOT).equals("_dsync")) {
        Name candidate = new Name(dsyncOwner, i + 1);
        if (Names.isBelow(child, candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private Optional<Sig0KeyPair> activeKey(Name child) {
    List<Sig0KeyPair> active = keys.activeKeyPairs(child);
    return active.isEmpty() ? Optional.empty() : Optional.of(active.get(0));
  }

  private AgentResult noKey(Name child) {
    List<StoredSig0Key> stored = keys.list();
    return new AgentResult.NoSigningKey(child, "no ACTIVE key pair for " + child + " among "
        + stored.size() + " stored keys");
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** Settings of a {@link DelegationAgent}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final DnsLookup lookup;
    private final Sig0KeyStore keys;
    private final Delayer delayer;
    private Codepoints codepoints = Codepoints.DEFAULT;
    private DsyncDiscovery.Policy discoveryPolicy = DsyncDiscovery.Policy.REQUIRE_SECURE;
    private EndpointOverrides overrides = EndpointOverrides.none();
    private AddressPolicy addressPolicy = AddressPolicy.publicOnly();
    private UpdateStyle style = UpdateStyle.DELTA;
    private DsDigestPolicy digestPolicy = DsDigestPolicy.SHA256;
    private Sig0Config sig0Config = Sig0Config.defaults();
    private Sig0ReplayGuard replayGuard = Sig0ReplayGuard.create();
    private RetrySchedule schedule = RetrySchedule.draftDefault();
    private Duration lookupTimeout = Duration.ofSeconds(5);
    private long keyTtl = UpdateBuilder.DEFAULT_KEY_TTL;
    private boolean actOnUnsignedBadkey = true;

    private Builder(DnsTransport transport, DnsLookup lookup, Sig0KeyStore keys,
        Delayer delayer) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.lookup = Objects.requireNonNull(lookup, "lookup");
      this.keys = Objects.requireNonNull(keys, "keys");
      this.delayer = Objects.requireNonNull(delayer, "delayer");
    }

    /** The profile: DSYNC UPDATE scheme and the ddns EDE codes (default {@link Codepoints#DEFAULT}). */
    public Builder codepoints(Codepoints codepoints) {
      this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
      return this;
    }

    /** How much DNSSEC discovery demands (default {@link DsyncDiscovery.Policy#REQUIRE_SECURE}). */
    public Builder discoveryPolicy(DsyncDiscovery.Policy policy) {
      this.discoveryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Where to really send to a target or server name or address (default none; testkit). */
    public Builder endpointOverrides(EndpointOverrides overrides) {
      this.overrides = Objects.requireNonNull(overrides, "overrides");
      return this;
    }

    /**
     * Which addresses of the DSYNC target may receive the child's UPDATEs (default {@link
     * AddressPolicy#publicOnly()}: the parent zone's data must not steer them at the child's own
     * host or an internal network; see {@link DsyncDiscovery}). A lab or test harness whose receiver listens on
     * loopback at the port its DSYNC record names uses {@link
     * AddressPolicy#allowLoopbackAndPrivateForTesting()}; {@link #endpointOverrides} bypass the
     * policy for the names and addresses they list.
     */
    public Builder addressPolicy(AddressPolicy policy) {
      this.addressPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The delegation UPDATE style (default {@link UpdateStyle#DELTA}). */
    public Builder updateStyle(UpdateStyle style) {
      this.style = Objects.requireNonNull(style, "style");
      return this;
    }

    /** DS digests computed from CDNSKEY/DNSKEY (default {@link DsDigestPolicy#SHA256}). */
    public Builder digestPolicy(DsDigestPolicy policy) {
      this.digestPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Provider, clock and window for signing UPDATEs and verifying answers. */
    public Builder sig0Config(Sig0Config config) {
      this.sig0Config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The replay guard behind answer verification (default: one per agent). */
    public Builder replayGuard(Sig0ReplayGuard guard) {
      this.replayGuard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /**
     * The retry schedule (default {@link RetrySchedule#draftDefault()}).
     *
     * @throws IllegalArgumentException outside the draft's guidance
     */
    public Builder retrySchedule(RetrySchedule schedule) {
      this.schedule = schedule.requireWithinDraftGuidance();
      return this;
    }

    /** A retry schedule below the draft's guidance: for test harnesses and labs only. */
    public Builder retryScheduleBelowDraftGuidance(RetrySchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /** Deadline of each direct lookup at a parent or child server (default 5 s). */
    public Builder lookupTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.lookupTimeout = timeout;
      return this;
    }

    /** TTL of KEY records in bootstrap and roll UPDATEs (default 3600). */
    public Builder keyTtl(long ttl) {
      if (ttl < 0 || ttl > 0x7FFF_FFFFL) {
        throw new IllegalArgumentException("KEY TTL out of range: " + ttl);
      }
      this.keyTtl = ttl;
      return this;
    }

    /** See {@link UpdateSender.Builder#ignoreUnsignedBadkey()}. */
    public Builder ignoreUnsignedBadkey() {
      this.actOnUnsignedBadkey = false;
      return this;
    }

    /** The agent. */
    public DelegationAgent build() {
      return new DelegationAgent(this);
    }
  }
}
