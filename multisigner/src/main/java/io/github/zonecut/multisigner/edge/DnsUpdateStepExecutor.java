package io.github.zonecut.multisigner.edge;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.Step;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Applies DNSKEY, CDS/CDNSKEY, NS and CSYNC steps to signers by DNS UPDATE (RFC 2136) signed
 * with TSIG (RFC 8945), over TCP, as MUSIC did. Key generation, signing changes, stopping and key
 * deletion are signer-internal: they complete with {@link StepResult.Unsupported}, and a host
 * routes them to the provider's API.
 *
 * <p>Every update states a result, so applying a step twice changes nothing (RFC 2136 §3.4.2:
 * adding a present RR and deleting an absent one are no-ops). The response's TSIG is verified;
 * failures complete normally with a {@link StepResult}, never exceptionally. TSIG secrets stay in
 * the {@link TSIG} objects and never reach messages or logs.
 *
 * <p>Before sending, the RRsets a step touches are read from the signer over TCP; when they are
 * already as wanted the result is {@link StepResult.AlreadyApplied} and nothing is sent.
 * {@link StepResult.Applied} means the signer accepted the UPDATE, not that it kept the change:
 * Knot 3.2, for one, answers NOERROR to a foreign DNSKEY and drops it (see the interop tests). The
 * planner's loop — execute, observe again, plan again — is what proves a step done.
 */
public final class DnsUpdateStepExecutor implements StepExecutor {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  /**
   * Where and how to send UPDATEs for one signer.
   *
   * @param primary the signer's UPDATE endpoint (its primary server)
   * @param tsig the TSIG key the signer accepts
   */
  public record Target(DnsEndpoint primary, TSIG tsig) {
    /** Checks for null. */
    public Target {
      Objects.requireNonNull(primary, "primary");
      Objects.requireNonNull(tsig, "tsig");
    }

    @Override
    public String toString() {
      return "Target[" + primary + ", TSIG]"; // never the key material
    }
  }

  private final DnsTransport transport;
  private final Map<SignerId, Target> targets;
  private final Duration timeout;
  private final long ttl;

  private DnsUpdateStepExecutor(
      DnsTransport transport, Map<SignerId, Target> targets, Duration timeout, long ttl) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.targets = Map.copyOf(targets);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || ttl < 0 || ttl > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout must be positive and TTL in 0..2^31-1");
    }
    this.ttl = ttl;
  }

  /**
   * An executor sending through {@code transport} to these signers, with a 10 s timeout and TTL
   * 3600 for added records.
   */
  public static DnsUpdateStepExecutor of(DnsTransport transport, Map<SignerId, Target> targets) {
    return new DnsUpdateStepExecutor(transport, targets, Duration.ofSeconds(10), 3600);
  }

  /** This executor with another timeout per exchange and TTL for added records. */
  public DnsUpdateStepExecutor with(Duration newTimeout, long newTtl) {
    return new DnsUpdateStepExecutor(transport, targets, newTimeout, newTtl);
  }

  @Override
  public CompletionStage<StepResult> execute(Name zone, Step step) {
    Target target = targets.get(step.signer());
    if (target == null) {
      return done(new StepResult.Rejected("no UPDATE target configured for signer " + step.signer()));
    }
    try {
      if (step instanceof Step.AddDnskeys a) {
        Update u = new Update(zone);
        Set<Record> keys = new HashSet<>();
        for (DnsKeyData k : a.keys()) {
          keys.add(dnskey(zone, k));
          u.add(dnskey(zone, k));
        }
        return unlessAlready(zone, target, u, Map.of(Type.DNSKEY, cur -> cur.containsAll(keys)));
      } else if (step instanceof Step.RemoveDnskeys r) {
        Update u = new Update(zone);
        Set<Record> keys = new HashSet<>();
        for (DnsKeyData k : r.keys()) {
          keys.add(dnskey(zone, k));
          u.delete(dnskey(zone, k));
        }
        return unlessAlready(zone, target, u,
            Map.of(Type.DNSKEY, cur -> cur.stream().noneMatch(keys::contains)));
      } else if (step instanceof Step.SetCds c) {
        Update u = new Update(zone);
        u.delete(zone, Type.CDS);
        u.delete(zone, Type.CDNSKEY);
        Set<Record> cds = new HashSet<>();
        Set<Record> cdnskey = new HashSet<>();
        for (DsData d : c.cds()) {
          cds.add(new CDSRecord(zone, DClass.IN, ttl, d.keyTag(), d.algorithm(), d.digestType(), d.digest()));
        }
        for (DnsKeyData k : c.cdnskey()) {
          cdnskey.add(new CDNSKEYRecord(zone, DClass.IN, ttl, k.flags(), 3, k.algorithm(), k.publicKey()));
        }
        cds.forEach(u::add);
        cdnskey.forEach(u::add);
        return unlessAlready(zone, target, u,
            Map.of(Type.CDS, cur -> cur.equals(cds), Type.CDNSKEY, cur -> cur.equals(cdnskey)));
      } else if (step instanceof Step.SetCsync c) {
        Update u = new Update(zone);
        u.delete(zone, Type.CSYNC);
        Set<Record> csync = new HashSet<>();
        if (c.present()) {
          // RFC 7477 §2.1.1: immediate, no soaminimum (the serial is then ignored); NS, A, AAAA
          csync.add(new CsyncRecord(zone, DClass.IN, ttl, 0, CsyncRecord.FLAG_IMMEDIATE,
              List.of(Type.A, Type.NS, Type.AAAA)));
        }
        csync.forEach(u::add);
        return unlessAlready(zone, target, u, Map.of(Type.CSYNC, cur -> cur.equals(csync)));
      } else if (step instanceof Step.SetNs n) {
        return setNs(zone, target, n.ns());
      } else {
        return done(new StepResult.Unsupported(
            step.getClass().getSimpleName() + " is signer-internal; use the provider's API"));
      }
    } catch (RuntimeException e) {
      return done(new StepResult.Rejected("cannot build the UPDATE: " + e.getMessage()));
    }
  }

  /**
   * The apex NS RRset cannot be deleted as a whole (RFC 2136 §3.4.2.4), so the current RRset is
   * read first and only the names not wanted are deleted, after the wanted ones are added.
   */
  private CompletionStage<StepResult> setNs(Name zone, Target target, Set<Name> wanted) {
    Message query = Message.newQuery(Record.newRecord(zone, Type.NS, DClass.IN));
    return transport.exchange(target.primary(), query, TransportProtocol.TCP, timeout)
        .thenCompose(resp -> {
          Set<Name> current = new HashSet<>();
          for (Record r : resp.message().getSection(Section.ANSWER)) {
            if (r instanceof NSRecord ns && r.getName().equals(zone)) {
              current.add(ns.getTarget());
            }
          }
          Update u = new Update(zone);
          for (Name n : wanted) {
            u.add(new NSRecord(zone, DClass.IN, ttl, n));
          }
          for (Name n : current) {
            if (!wanted.contains(n)) {
              u.delete(new NSRecord(zone, DClass.IN, 0, n));
            }
          }
          if (current.equals(wanted)) {
            return done(new StepResult.AlreadyApplied());
          }
          return send(target, u);
        })
        .exceptionally(e -> new StepResult.Unreachable("reading the NS RRset: " + cause(e)));
  }

  /**
   * Reads the RRsets the step touches from the signer first (TCP, TTLs ignored as dnsjava's
   * {@code Record.equals} does) and reports {@link StepResult.AlreadyApplied} when every one is
   * already as wanted, so a repeated step sends nothing. When the read fails or is refused, the
   * UPDATE is sent anyway: the read only serves idempotence reporting, and the UPDATE itself is
   * idempotent (RFC 2136 §3.4.2: adding a present RR or deleting an absent one is a no-op).
   */
  private CompletionStage<StepResult> unlessAlready(Name zone, Target target, Update update,
      Map<Integer, Predicate<Set<Record>>> done) {
    CompletionStage<Boolean> all = CompletableFuture.completedFuture(true);
    for (Map.Entry<Integer, Predicate<Set<Record>>> e : done.entrySet()) {
      CompletionStage<Boolean> one = read(zone, target, e.getKey())
          .thenApply(cur -> cur != null && e.getValue().test(cur));
      all = all.thenCombine(one, (x, y) -> x && y);
    }
    return all.thenCompose(already -> already
        ? done(new StepResult.AlreadyApplied())
        : send(target, update));
  }

  /** The zone's RRset of {@code type} at the signer's primary, or null when it cannot be read. */
  private CompletionStage<@Nullable Set<Record>> read(Name zone, Target target, int type) {
    Message query = Message.newQuery(Record.newRecord(zone, type, DClass.IN));
    return transport.exchange(target.primary(), query, TransportProtocol.TCP, timeout)
        .<@Nullable Set<Record>>thenApply(resp -> {
          if (resp.message().getRcode() != Rcode.NOERROR) {
            return null;
          }
          Set<Record> current = new HashSet<>();
          for (Record r : resp.message().getSection(Section.ANSWER)) {
            if (r.getType() == type && r.getName().equals(zone)) {
              current.add(r);
            }
          }
          return current;
        })
        .exceptionally(e -> null);
  }

  private CompletionStage<StepResult> send(Target target, Update update) {
    TSIG tsig = target.tsig();
    tsig.apply(update, null);
    TSIGRecord sent = update.getTSIG();
    DnsRequest request = DnsRequest.of(update);
    return transport.exchange(target.primary(), request, TransportProtocol.TCP, timeout)
        .thenApply(resp -> judge(tsig, sent, resp))
        .exceptionally(e -> new StepResult.Unreachable(cause(e)));
  }

  private static StepResult judge(TSIG tsig, TSIGRecord sent, DnsResponse resp) {
    Message m = resp.message();
    if (!m.getHeader().getFlag(Flags.QR) || m.getHeader().getOpcode() != Opcode.UPDATE) {
      return new StepResult.Rejected("the answer is not an UPDATE response");
    }
    int rcode = m.getRcode();
    if (m.getTSIG() == null) {
      return new StepResult.Rejected("unsigned response, rcode " + Rcode.string(rcode));
    }
    int verified = tsig.verify(m, resp.wire(), sent);
    if (verified != Rcode.NOERROR) {
      return new StepResult.Rejected("response TSIG does not verify: " + Rcode.TSIGstring(verified));
    }
    if (rcode == Rcode.NOERROR) {
      return new StepResult.Applied("UPDATE accepted by " + resp.from());
    }
    return new StepResult.Rejected("UPDATE refused: " + Rcode.string(rcode)
        + (m.getTSIG().getError() != Rcode.NOERROR ? " (TSIG " + Rcode.TSIGstring(m.getTSIG().getError()) + ")" : ""));
  }

  private DNSKEYRecord dnskey(Name zone, DnsKeyData k) {
    return new DNSKEYRecord(zone, DClass.IN, ttl, k.flags(), 3, k.algorithm(), k.publicKey());
  }

  private static String cause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException
        || c instanceof java.util.concurrent.ExecutionException)) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + ": " + c.getMessage();
  }

  private static CompletionStage<StepResult> done(StepResult r) {
    return CompletableFuture.completedFuture(r);
  }
}
