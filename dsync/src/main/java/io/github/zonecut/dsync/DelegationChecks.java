package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.dsync.internal.Dnssec;
import io.github.zonecut.sig0.RrsigVerifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The checks every delegation change passes before a parent applies it, whichever path proposed
 * it: the UPDATE receiver (draft-ietf-dnsop-delegation-mgmt-via-ddns §7.1, "the checks a scanner
 * runs") and the CDS/CDNSKEY/CSYNC scan ({@link AcceptanceChecks} ends with these). A pure
 * function of the proposed {@link DelegationChange} and fresh {@link Observations} of the child;
 * the first failing rule is reported:
 *
 * <ol>
 *   <li>NS and glue per RFC 7477 §3.2: glue only for in-bailiwick name servers (the {@link
 *       Delegation} type refuses any other) and every in-bailiwick name server has glue ({@link
 *       Reason#MISSING_GLUE});
 *   <li>not lame: at least one name server of the result answers authoritatively for the child
 *       ({@link Reason#LAME_DELEGATION}), and, when the policy says so, every added one does
 *       ({@link Reason#LAME_NAMESERVER});
 *   <li>each added DS has a digest type the parent accepts ({@link Reason#DIGEST_NOT_ACCEPTED});
 *   <li>DS continuity (RFC 7344 §4.1): at every answering server of the result the DNSKEY RRset
 *       is signed by a key that some DS of the result matches (multi-signer model 2 servers each
 *       serve their own KSK, RFC 8901 §2.1.2), and each added DS matches a key that signs a
 *       served DNSKEY RRset — or, when {@link AcceptancePolicy#prePublishedDsAllowed()}, is a
 *       pre-published DS whose algorithm already signs the DNSKEY RRset at every answering server
 *       (RFC 6781 §4.1.2 double-DS, a multi-signer join; RFC 6840 §5.11 keeps the algorithm
 *       condition), judged at {@link Observations#observedAt()} ({@link
 *       Reason#NO_CONTINUITY}).
 * </ol>
 */
public final class DelegationChecks {
  private final AcceptancePolicy policy;
  private final Dnssec dnssec;

  private DelegationChecks(AcceptancePolicy policy, RrsigVerifier verifier) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.dnssec = new Dnssec(verifier);
  }

  /**
   * The checks under {@code policy}, verifying signatures with a new {@link
   * RrsigVerifier#defaults()}.
   */
  public static DelegationChecks of(AcceptancePolicy policy) {
    return of(policy, RrsigVerifier.defaults());
  }

  /**
   * The checks under {@code policy}, verifying the child's DNSKEY RRSIGs (continuity, RFC 7344
   * §4.1) with {@code verifier}: a host's own provider selection, or the verifier its {@link
   * Observer} uses, so the two share one bounded key cache.
   */
  public static DelegationChecks of(AcceptancePolicy policy, RrsigVerifier verifier) {
    return new DelegationChecks(policy, Objects.requireNonNull(verifier, "verifier"));
  }

  /** The checks under {@link AcceptancePolicy#defaults()}. */
  public static DelegationChecks defaults() {
    return of(AcceptancePolicy.defaults());
  }

  /**
   * Whether {@code change} may be applied, given fresh observations of the child.
   *
   * @throws IllegalArgumentException if the observations are of another child
   */
  public CheckResult check(DelegationChange change, Observations observations) {
    if (!change.child().equals(observations.child())) {
      throw new IllegalArgumentException("change for " + change.child()
          + " checked against observations of " + observations.child());
    }
    Delegation desired = change.desired();
    Name child = change.child();
    for (Name ns : desired.nameservers()) {
      if (desired.isInBailiwick(ns) && !desired.glue().containsKey(ns)) {
        return new CheckResult.Failed(Reason.MISSING_GLUE,
            "in-bailiwick name server " + ns + " has no glue address");
      }
    }
    List<Name> answering = new ArrayList<>();
    for (Name ns : desired.nameservers()) {
      if (observations.answersAuthoritatively(ns)) {
        answering.add(ns);
      }
    }
    if (answering.isEmpty()) {
      return new CheckResult.Failed(Reason.LAME_DELEGATION, "none of " + desired.nameservers()
          + " answers authoritatively for " + child);
    }
    if (policy.requireAddedNsAuthoritative()) {
      for (Name ns : desired.nameservers()) {
        if (!change.expected().nameservers().contains(ns)
            && !observations.answersAuthoritatively(ns)) {
          return new CheckResult.Failed(Reason.LAME_NAMESERVER,
              "added name server " + ns + " does not answer authoritatively for " + child);
        }
      }
    }
    Set<DsData> added = new TreeSet<>(desired.ds());
    added.removeAll(change.expected().ds());
    for (DsData ds : added) {
      if (!policy.acceptedDigestTypes().contains(ds.digestType())) {
        return new CheckResult.Failed(Reason.DIGEST_NOT_ACCEPTED, "DS " + ds
            + " has digest type " + ds.digestType() + "; accepted: "
            + policy.acceptedDigestTypes());
      }
    }
    if (desired.ds().isEmpty()) {
      return new CheckResult.Passed();
    }
    return continuity(child, desired, added, answering, observations,
        policy.prePublishedDsAllowed());
  }

  private CheckResult continuity(Name child, Delegation desired, Set<DsData> added,
      List<Name> answering, Observations observations, boolean prePublishedAllowed) {
    Digests digests = new Digests(child, desired.ds());
    Set<DsData> anchoredAnywhere = new TreeSet<>();
    Set<Integer> algorithmsEverywhere = null; // signing DNSKEY sets at every answering server
    for (ServerObservation s : observations.serversOf(new TreeSet<>(answering))) {
      if (!(s instanceof ServerObservation.Reached)
          || !((ServerObservation.Reached) s).authoritativeFor(child)) {
        continue;
      }
      ServerObservation.Reached server = (ServerObservation.Reached) s;
      String where = server.nameserver() + " (" + server.endpoint() + ")";
      LookupResult r = server.result(child, Type.DNSKEY).orElse(null);
      if (r instanceof LookupResult.NoData || r instanceof LookupResult.NxDomain) {
        return new CheckResult.Failed(Reason.NO_CONTINUITY, where + " serves no DNSKEY RRset for "
            + child + ", so no DS can validate it");
      }
      if (!(r instanceof LookupResult.Answer)) {
        return new CheckResult.Failed(Reason.SERVER_UNREACHABLE, "DNSKEY of " + child
            + " not read at " + where + (r == null ? "" : ": " + r));
      }
      List<DNSKEYRecord> signing =
          dnssec.keysSigningDnskeys(((LookupResult.Answer) r).rrset(), observations.observedAt());
      Set<DsData> anchors = digests.of(signing);
      anchors.retainAll(desired.ds());
      if (anchors.isEmpty()) {
        return new CheckResult.Failed(Reason.NO_CONTINUITY, "at " + where
            + " no DS of the new set matches a key that signs the DNSKEY RRset (signing key tags "
            + tags(signing) + ")");
      }
      anchoredAnywhere.addAll(anchors);
      Set<Integer> algorithms = new TreeSet<>();
      signing.forEach(k -> algorithms.add(k.getAlgorithm()));
      if (algorithmsEverywhere == null) {
        algorithmsEverywhere = algorithms;
      } else {
        algorithmsEverywhere.retainAll(algorithms);
      }
    }
    for (DsData ds : added) {
      if (anchoredAnywhere.contains(ds)) {
        continue;
      }
      if (!prePublishedAllowed) {
        return new CheckResult.Failed(Reason.NO_CONTINUITY, "DS " + ds
            + " matches no key that signs the DNSKEY RRset of " + child
            + " (pre-published DS not allowed by the policy)");
      }
      if (algorithmsEverywhere == null || !algorithmsEverywhere.contains(ds.algorithm())) {
        return new CheckResult.Failed(Reason.NO_CONTINUITY, "DS " + ds
            + " matches no key that signs the DNSKEY RRset of " + child + ", and its algorithm "
            + ds.algorithm() + " does not sign it at every server (RFC 6840 §5.11)");
      }
    }
    return new CheckResult.Passed();
  }

  /**
   * The DS data of signing keys, each (key, digest type) digested once per check: only the
   * digest types the DS set uses, and only types that can be computed (RFC 4034 §5.1.4).
   */
  private static final class Digests {
    private final Name child;
    private final Set<Integer> types = new TreeSet<>();
    private final Map<String, Set<DsData>> memo = new HashMap<>();

    Digests(Name child, Set<DsData> ds) {
      this.child = child;
      for (DsData d : ds) {
        if (d.digestType() == DsData.SHA1 || d.digestType() == DsData.SHA256
            || d.digestType() == DsData.SHA384) {
          types.add(d.digestType());
        }
      }
    }

    Set<DsData> of(List<DNSKEYRecord> keys) {
      Set<DsData> out = new TreeSet<>();
      for (DNSKEYRecord key : keys) {
        String id = key.getAlgorithm() + "/" + Base64.getEncoder().encodeToString(key.getKey())
            + "/" + key.getFlags();
        out.addAll(memo.computeIfAbsent(id, k -> {
          Set<DsData> computed = new TreeSet<>();
          for (int t : types) {
            computed.add(DsData.compute(child, key, t));
          }
          return computed;
        }));
      }
      return out;
    }
  }

  private static List<Integer> tags(List<DNSKEYRecord> keys) {
    List<Integer> out = new ArrayList<>();
    keys.forEach(k -> out.add(k.getFootprint()));
    return out;
  }

  /**
   * These checks as the {@link UpdateReceiver}'s {@link ChangeCheck}: each change is judged
   * against fresh observations of the child, the name servers the change adds included
   * (draft-ietf-dnsop-delegation-mgmt-via-ddns §7.1: an UPDATE passes the same correctness tests
   * a CDS/CSYNC scanner runs). The receiver's worker waits for the observations up to {@code
   * timeout}; a check that cannot decide in time refuses with {@link ChangeCheck.Reason#TEMPORARY}
   * so the child retries, and never throws.
   *
   * @param observer asks the child's servers and the validating resolver
   * @param timeout how long one check may wait for its observations
   */
  public ChangeCheck asChangeCheck(Observer observer, java.time.Duration timeout) {
    java.util.Objects.requireNonNull(observer, "observer");
    java.util.Objects.requireNonNull(timeout, "timeout");
    return change -> {
      java.util.Set<Name> added = new java.util.TreeSet<>(change.desired().nameservers());
      added.removeAll(change.expected().nameservers());
      Observations seen;
      try {
        seen = observer.observe(change.child(), java.util.Optional.of(change.expected()), added)
            .toCompletableFuture().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ChangeCheck.Result.Refused(ChangeCheck.Reason.TEMPORARY, "interrupted");
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
          | RuntimeException e) {
        return new ChangeCheck.Result.Refused(ChangeCheck.Reason.TEMPORARY,
            "could not observe " + change.child() + " (" + e.getClass().getSimpleName() + ")");
      }
      CheckResult r;
      try {
        r = check(change, seen);
      } catch (RuntimeException e) {
        return new ChangeCheck.Result.Refused(ChangeCheck.Reason.TEMPORARY,
            "check failed: " + e.getMessage());
      }
      if (r instanceof CheckResult.Failed f) {
        return new ChangeCheck.Result.Refused(portReason(f.reason()),
            f.reason() + ": " + f.detail());
      }
      return ChangeCheck.Result.ACCEPTED;
    };
  }

  /** The receiver port's coarser reason for a rule (the rule itself goes into the detail). */
  static ChangeCheck.Reason portReason(Reason reason) {
    if (reason.transientCondition()) {
      return ChangeCheck.Reason.TEMPORARY;
    }
    switch (reason) {
      case NO_CONTINUITY:
      case DIGEST_NOT_ACCEPTED:
      case MIXED_DELETE:
      case CDS_CDNSKEY_MISMATCH:
        return ChangeCheck.Reason.DS_MISMATCH;
      case MISSING_GLUE:
      case INCONSISTENT:
        return ChangeCheck.Reason.NS_GLUE;
      case LAME_DELEGATION:
      case LAME_NAMESERVER:
        return ChangeCheck.Reason.LAME;
      case EMPTY_DELEGATION:
        return ChangeCheck.Reason.EMPTY;
      default:
        return ChangeCheck.Reason.POLICY;
    }
  }
}
