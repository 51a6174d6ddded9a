package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.dsync.internal.Dnssec;
import io.github.zonecut.sig0.RrsigVerifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The parent's acceptance checks for a child's signals, as pure decisions over {@link
 * Observations}: CDS/CDNSKEY for a secure delegation (RFC 7344 §4.1, RFC 8078 §4, RFC 9975),
 * the first DS of an unsigned one (RFC 9615, RFC 8078 §3.3), and CSYNC (RFC 7477). Each returns a
 * {@link Decision}; an accepted change has passed {@link DelegationChecks} too, the same checks
 * the UPDATE receiver runs. The rules, in the order they are applied, are listed on {@link
 * #cds(Observations, Optional)} and {@link #csync(Observations)}; each refusal names its {@link
 * Reason}.
 */
public final class AcceptanceChecks {
  private static final Name DSBOOT = Name.fromConstantString("_dsboot");
  private static final Name SIGNAL = Name.fromConstantString("_signal");
  private static final Set<Integer> CSYNC_TYPES = Set.of(Type.NS, Type.A, Type.AAAA);

  private final AcceptancePolicy policy;
  private final DelegationChecks delegationChecks;
  private final Dnssec dnssec;

  private AcceptanceChecks(AcceptancePolicy policy, RrsigVerifier verifier) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.delegationChecks = DelegationChecks.of(policy, verifier);
    this.dnssec = new Dnssec(verifier);
  }

  /**
   * The checks under {@code policy}, verifying signatures with a new {@link
   * RrsigVerifier#defaults()}.
   */
  public static AcceptanceChecks of(AcceptancePolicy policy) {
    return of(policy, RrsigVerifier.defaults());
  }

  /**
   * The checks under {@code policy}, verifying the child's RRSIGs (RFC 4035 §5.3) with {@code
   * verifier}: a host's own provider selection, or the verifier its {@link Observer} uses, so the
   * two share one bounded key cache. Its {@link #delegationChecks()} use the same verifier.
   */
  public static AcceptanceChecks of(AcceptancePolicy policy, RrsigVerifier verifier) {
    return new AcceptanceChecks(policy, Objects.requireNonNull(verifier, "verifier"));
  }

  /** The policy. */
  public AcceptancePolicy policy() {
    return policy;
  }

  /** The delegation checks this instance ends with (the UPDATE path's {@code ChangeCheck}). */
  public DelegationChecks delegationChecks() {
    return delegationChecks;
  }

  /**
   * The RFC 9615 §3 signaling name {@code _dsboot.<child>._signal.<ns>}.
   *
   * @throws MalformedDataException if it is longer than 255 octets (then that name server
   *     cannot be used for bootstrapping)
   */
  public static Name dsbootName(Name child, Name nameserver) throws MalformedDataException {
    Names.requireAbsolute("child", child);
    Names.requireAbsolute("nameserver", nameserver);
    try {
      return Name.concatenate(Name.concatenate(DSBOOT, child.relativize(Name.root)),
          Name.concatenate(SIGNAL, nameserver));
    } catch (NameTooLongException e) {
      throw new MalformedDataException("signaling name", -1, "_dsboot." + child + "_signal."
          + nameserver + " is longer than 255 octets", e);
    }
  }

  /** {@link #cds(Observations, Optional)} without an accept-after-delay history. */
  public Decision cds(Observations observations) {
    return cds(observations, Optional.empty());
  }

  /**
   * Decides on the child's CDS/CDNSKEY:
   *
   * <ol>
   *   <li>the parent delegates the child ({@link Reason#NOT_DELEGATED});
   *   <li>every authoritative server of the child (parent's NS and apex NS) answered ({@link
   *       Reason#SERVER_UNREACHABLE}) with the same RRsets of each type the policy consumes
   *       ({@link Reason#INCONSISTENT}, RFC 9975); nothing published: {@link Decision.NoChange};
   *   <li>the validating resolver saw the same data, SECURE for a secure delegation ({@link
   *       Reason#BOGUS}, {@link Reason#NOT_SECURE}, RFC 7344 §4.1), and each server's copy is
   *       signed by a key of that server's DNSKEY RRset ({@link Reason#BOGUS});
   *   <li>the delete sentinel only alone ({@link Reason#MIXED_DELETE}, RFC 8078 §4), and only if
   *       the policy allows it;
   *   <li>CDS and CDNSKEY describe the same keys when both are used ({@link
   *       Reason#CDS_CDNSKEY_MISMATCH}); CDS of digest types the parent does not accept are
   *       dropped, none left is {@link Reason#DIGEST_NOT_ACCEPTED}; CDNSKEY digests are computed
   *       with the policy's digest types;
   *   <li>{@link DelegationChecks} on the resulting delegation (continuity, not lame);
   *   <li>for an unsigned delegation, one of the policy's bootstrap methods: RFC 9615 §4.2
   *       ({@link Reason#NO_SIGNALING_NAME}, {@link Reason#SIGNAL_MISSING}, {@link
   *       Reason#SIGNAL_MISMATCH}, {@link Reason#NOT_SECURE}) or RFC 8078 §3.3 accept after
   *       delay ({@link Reason#AWAITING_OBSERVATIONS} with the next {@link BootstrapHistory}),
   *       or {@link Reason#BOOTSTRAP_NOT_ALLOWED}.
   * </ol>
   *
   * @param history the accept-after-delay state the host persisted from the previous check of
   *     this child, if any
   */
  public Decision cds(Observations observations, Optional<BootstrapHistory> history) {
    Observations obs = Objects.requireNonNull(observations, "observations");
    Delegation current = obs.current().orElse(null);
    if (current == null) {
      return new Decision.Refused(Reason.NOT_DELEGATED, obs.child() + " is not delegated");
    }
    Name child = obs.child();
    List<ServerObservation> servers = obs.serversOf(obs.childNameservers());
    Decision unobserved = unobserved(obs);
    if (unobserved != null) {
      return unobserved;
    }
    boolean useCds = policy.dsSource() != AcceptancePolicy.DsSource.CDNSKEY;
    boolean useCdnskey = policy.dsSource() != AcceptancePolicy.DsSource.CDS;
    List<Record> cds = List.of();
    List<Record> cdnskey = List.of();
    if (useCds) {
      Read read = readEverywhere(servers, child, child, Type.CDS);
      if (read.problem != null) {
        return read.problem;
      }
      cds = read.records;
    }
    if (useCdnskey) {
      Read read = readEverywhere(servers, child, child, Type.CDNSKEY);
      if (read.problem != null) {
        return read.problem;
      }
      cdnskey = read.records;
    }
    if (cds.isEmpty() && cdnskey.isEmpty()) {
      return new Decision.NoChange("no " + (useCds ? "CDS" : "") + (useCds && useCdnskey
          ? "/" : "") + (useCdnskey ? "CDNSKEY" : "") + " published at " + child);
    }
    boolean secure = !current.ds().isEmpty();
    for (int type : new int[] {Type.CDS, Type.CDNSKEY}) {
      List<Record> direct = type == Type.CDS ? cds : cdnskey;
      if ((type == Type.CDS && !useCds) || (type == Type.CDNSKEY && !useCdnskey)) {
        continue;
      }
      if (direct.isEmpty() && obs.validated(child, type).isEmpty()) {
        // absent at every server and not asked of a resolver: an absent CDS/CDNSKEY means "no
        // change" (RFC 7344 §4.1), so its absence needs no proof (the Observer skips it)
        continue;
      }
      Decision problem = checkValidated(obs, child, type, direct, secure);
      if (problem == null && !direct.isEmpty()) {
        problem = checkSignedAtEachServer(obs, servers, child, type);
      }
      if (problem != null) {
        return problem;
      }
    }
    boolean cdsDelete = cds.stream().anyMatch(AcceptanceChecks::isCdsDelete);
    boolean cdnskeyDelete = cdnskey.stream().anyMatch(AcceptanceChecks::isCdnskeyDelete);
    if ((cdsDelete && cds.size() > 1) || (cdnskeyDelete && cdnskey.size() > 1)) {
      return new Decision.Refused(Reason.MIXED_DELETE,
          "the delete sentinel is mixed with other records at " + child);
    }
    if (cdsDelete || cdnskeyDelete) {
      if ((useCds && !cds.isEmpty() && !cdsDelete)
          || (useCdnskey && !cdnskey.isEmpty() && !cdnskeyDelete)) {
        return new Decision.Refused(Reason.MIXED_DELETE,
            "one of CDS/CDNSKEY asks to delete the DS, the other names keys");
      }
      if (policy.dsSource() == AcceptancePolicy.DsSource.CDS_AND_CDNSKEY
          && (cds.isEmpty() || cdnskey.isEmpty())) {
        return new Decision.Refused(Reason.CDS_CDNSKEY_MISMATCH,
            "the policy needs both CDS and CDNSKEY to delete the DS");
      }
      return delete(obs, current);
    }
    Set<DsData> candidate;
    try {
      candidate = candidate(child, cds, cdnskey);
    } catch (Rejection r) {
      return r.decision;
    }
    if (candidate.equals(current.ds())) {
      return new Decision.NoChange("the DS set already is " + candidate);
    }
    Delegation desired = withDs(current, candidate);
    CheckResult checked = delegationChecks.check(change(current, desired), obs);
    if (checked instanceof CheckResult.Failed) {
      return fromFailure((CheckResult.Failed) checked);
    }
    if (secure) {
      return new Decision.Accept(current, desired,
          "DS " + current.ds() + " -> " + candidate + " (RFC 7344 §4.1)");
    }
    return bootstrap(obs, current, desired, cds, cdnskey, history);
  }

  private Decision delete(Observations obs, Delegation current) {
    if (!policy.deleteAllowed()) {
      return new Decision.Refused(Reason.NOT_ACCEPTED_BY_POLICY,
          "the parent does not act on the delete sentinel");
    }
    if (current.ds().isEmpty()) {
      return new Decision.NoChange("delete sentinel, and the delegation is already unsigned");
    }
    Delegation desired = withDs(current, Set.of());
    CheckResult checked = delegationChecks.check(change(current, desired), obs);
    if (checked instanceof CheckResult.Failed) {
      return fromFailure((CheckResult.Failed) checked);
    }
    return new Decision.Accept(current, desired, "delete sentinel: DS removed (RFC 8078 §4)");
  }

  private Decision bootstrap(Observations obs, Delegation current, Delegation desired,
      List<Record> cds, List<Record> cdnskey, Optional<BootstrapHistory> history) {
    if (policy.bootstrap().isEmpty()) {
      return new Decision.Refused(Reason.BOOTSTRAP_NOT_ALLOWED, "the delegation of "
          + obs.child() + " is unsigned and the policy accepts no signal to secure it");
    }
    Decision dsboot = null;
    if (policy.bootstrap().contains(AcceptancePolicy.Bootstrap.DSBOOT)) {
      dsboot = dsboot(obs, current, cds, cdnskey);
      if (dsboot == null) {
        return new Decision.Accept(current, desired, "DS " + desired.ds()
            + " bootstrapped through _dsboot signals (RFC 9615 §4.2)");
      }
    }
    if (policy.bootstrap().contains(AcceptancePolicy.Bootstrap.AFTER_DELAY)) {
      BootstrapHistory previous = history.orElse(null);
      BootstrapHistory next = previous != null && previous.child().equals(obs.child())
          && previous.candidate().equals(desired.ds())
          && !obs.observedAt().isBefore(previous.lastSeen())
          ? previous.seenAgain(obs.observedAt())
          : BootstrapHistory.first(obs.child(), desired.ds(), obs.observedAt());
      Duration span = Duration.between(next.firstSeen(), next.lastSeen());
      if (next.observations() >= policy.bootstrapObservations()
          && span.compareTo(policy.bootstrapSpan()) >= 0) {
        return new Decision.Accept(current, desired, "DS " + desired.ds() + " accepted after "
            + next.observations() + " consistent observations over " + span
            + " (RFC 8078 §3.3)");
      }
      return new Decision.Pending(Reason.AWAITING_OBSERVATIONS, "seen " + next.observations()
          + " of " + policy.bootstrapObservations() + " times over " + span + " of "
          + policy.bootstrapSpan(), Optional.of(desired), Optional.of(next));
    }
    return Objects.requireNonNull(dsboot);
  }

  /** RFC 9615 §4.2 steps 1, 3, 4 (step 2 is the all-servers read already done); null = passed. */
  private @Nullable Decision dsboot(Observations obs, Delegation current, List<Record> cds,
      List<Record> cdnskey) {
    Name child = obs.child();
    List<Name> outside = new ArrayList<>();
    for (Name ns : current.nameservers()) {
      if (!Names.isAtOrBelow(ns, child)) {
        outside.add(ns);
      }
    }
    if (outside.isEmpty()) {
      return new Decision.Refused(Reason.NO_SIGNALING_NAME, "every name server of " + child
          + " is inside it; RFC 9615 cannot bootstrap it (§4.2 step 1)");
    }
    for (Name ns : outside) {
      Name signal;
      try {
        signal = dsbootName(child, ns);
      } catch (MalformedDataException e) {
        return new Decision.Refused(Reason.NO_SIGNALING_NAME, String.valueOf(e.getMessage()));
      }
      for (int type : new int[] {Type.CDS, Type.CDNSKEY}) {
        List<Record> apex = type == Type.CDS ? cds : cdnskey;
        boolean used = type == Type.CDS
            ? policy.dsSource() != AcceptancePolicy.DsSource.CDNSKEY
            : policy.dsSource() != AcceptancePolicy.DsSource.CDS;
        if (!used || apex.isEmpty()) {
          continue;
        }
        LookupResult r = obs.validated(signal, type).orElse(null);
        String what = Dnssec.label(signal, type);
        if (r == null || r instanceof LookupResult.ServFail || r instanceof LookupResult.Timeout
            || r instanceof LookupResult.Failed) {
          return new Decision.Pending(Reason.VALIDATION_UNAVAILABLE, what + " not validated"
              + (r == null ? "" : ": " + r), Optional.empty(), Optional.empty());
        }
        if (r instanceof LookupResult.Bogus) {
          return new Decision.Refused(Reason.BOGUS, what + ": "
              + ((LookupResult.Bogus) r).reason());
        }
        if (!(r instanceof LookupResult.Answer)) {
          return new Decision.Refused(Reason.SIGNAL_MISSING, what + " is missing (RFC 9615 "
              + "§4.2 step 3: every out-of-domain name server must publish it)");
        }
        LookupResult.Answer a = (LookupResult.Answer) r;
        if (a.verdict() != Verdict.SECURE) {
          return new Decision.Refused(Reason.NOT_SECURE, what + " is " + a.verdict()
              + ", RFC 9615 §4.2 step 3 requires SECURE");
        }
        if (!Dnssec.rdataSet(a.rrset().rrs()).equals(Dnssec.rdataSet(apex))) {
          return new Decision.Refused(Reason.SIGNAL_MISMATCH, what
              + " differs from the apex RRset (RFC 9615 §4.2 step 4)");
        }
      }
    }
    return null;
  }

  /**
   * Decides on the child's CSYNC (RFC 7477):
   *
   * <ol>
   *   <li>the policy processes CSYNC and the parent delegates the child;
   *   <li>every server answered and serves the same CSYNC ({@link Reason#SERVER_UNREACHABLE},
   *       {@link Reason#INCONSISTENT}, RFC 9975); none: {@link Decision.NoChange}; one record
   *       that decodes ({@link Reason#CSYNC_MALFORMED});
   *   <li>validated SECURE and signed at each server ({@link Reason#BOGUS}, {@link
   *       Reason#NOT_SECURE}; RFC 7477 §3);
   *   <li>only NS, A and AAAA in the type bit map, otherwise nothing at all is processed ({@link
   *       Reason#CSYNC_UNKNOWN_TYPE});
   *   <li>each server's SOA serial unchanged between the first and the last read ({@link
   *       Reason#SOA_MOVED}, RFC 7477 §3.1) and, with {@code soaminimum}, not below the CSYNC
   *       serial ({@link Reason#SOA_BELOW_MINIMUM});
   *   <li>the new NS RRset (if NS is in the bit map) and the glue of in-bailiwick name servers
   *       (for A and AAAA in the bit map; other families keep the parent's glue), consistent at
   *       every server and validated ({@link Reason#EMPTY_DELEGATION}, {@link
   *       Reason#MISSING_GLUE});
   *   <li>{@link DelegationChecks} on the result;
   *   <li>without {@code immediate}: {@link Reason#APPROVAL_REQUIRED} with the proposed
   *       delegation (RFC 7477 §2.1.1.2).
   * </ol>
   */
  public Decision csync(Observations observations) {
    Observations obs = Objects.requireNonNull(observations, "observations");
    if (!policy.csync()) {
      return new Decision.Refused(Reason.NOT_ACCEPTED_BY_POLICY,
          "policy " + policy.name() + " does not process CSYNC");
    }
    Delegation current = obs.current().orElse(null);
    if (current == null) {
      return new Decision.Refused(Reason.NOT_DELEGATED, obs.child() + " is not delegated");
    }
    Name child = obs.child();
    List<ServerObservation> servers = obs.serversOf(obs.childNameservers());
    Decision unobserved = unobserved(obs);
    if (unobserved != null) {
      return unobserved;
    }
    Read read = readEverywhere(servers, child, child, CsyncRecord.TYPE);
    if (read.problem != null) {
      return read.problem;
    }
    if (read.records.isEmpty()) {
      return new Decision.NoChange("no CSYNC published at " + child);
    }
    if (read.records.size() != 1) {
      return new Decision.Refused(Reason.CSYNC_MALFORMED,
          read.records.size() + " CSYNC records at " + child + ", expected one");
    }
    CsyncRecord csync;
    try {
      csync = CsyncRecord.from(read.records.get(0));
    } catch (MalformedDataException e) {
      return new Decision.Refused(Reason.CSYNC_MALFORMED, String.valueOf(e.getMessage()));
    }
    Decision problem = checkValidated(obs, child, CsyncRecord.TYPE, read.records, true);
    if (problem == null) {
      problem = checkSignedAtEachServer(obs, servers, child, CsyncRecord.TYPE);
    }
    if (problem != null) {
      return problem;
    }
    Set<Integer> types = csync.getTypes();
    for (int t : types) {
      if (!CSYNC_TYPES.contains(t)) {
        // RFC 7477: a type the parental agent cannot process stops the whole record
        return new Decision.Refused(Reason.CSYNC_UNKNOWN_TYPE, "CSYNC of " + child + " lists "
            + Type.string(t) + "; only NS, A and AAAA are processed, so nothing is");
      }
    }
    problem = checkSerials(servers, child, csync);
    if (problem != null) {
      return problem;
    }
    Delegation desired;
    try {
      desired = synced(obs, servers, current, types);
    } catch (Rejection r) {
      return r.decision;
    }
    if (desired.equals(current)) {
      return new Decision.NoChange("CSYNC asks for the delegation the parent already has");
    }
    CheckResult checked = delegationChecks.check(change(current, desired), obs);
    if (checked instanceof CheckResult.Failed) {
      return fromFailure((CheckResult.Failed) checked);
    }
    if (!csync.isImmediate()) {
      return new Decision.Pending(Reason.APPROVAL_REQUIRED, "CSYNC of " + child
          + " has no immediate flag: apply only after out-of-band approval (RFC 7477 §2.1.1.2)",
          Optional.of(desired), Optional.empty());
    }
    return new Decision.Accept(current, desired, "CSYNC " + csync.rdataToString()
        + " (RFC 7477 §3)");
  }

  private static @Nullable Decision checkSerials(List<ServerObservation> servers, Name child,
      CsyncRecord csync) {
    for (ServerObservation s : servers) {
      ServerObservation.Reached server = (ServerObservation.Reached) s; // readEverywhere checked
      LookupResult before = server.result(child, Type.SOA).orElse(null);
      LookupResult after = server.soaAfter();
      if (!(before instanceof LookupResult.Answer) || !(after instanceof LookupResult.Answer)) {
        return new Decision.Pending(Reason.SERVER_UNREACHABLE, "SOA of " + child
            + " not read at " + server.nameserver() + " (" + server.endpoint() + ")",
            Optional.empty(), Optional.empty());
      }
      long first = serial((LookupResult.Answer) before);
      long last = serial((LookupResult.Answer) after);
      if (first != last) {
        return new Decision.Pending(Reason.SOA_MOVED, "SOA serial of " + child + " at "
            + server.nameserver() + " moved from " + first + " to " + last
            + " during the scan (RFC 7477 §3.1)", Optional.empty(), Optional.empty());
      }
      if (csync.isSoaMinimum() && Dnssec.serialBefore(first, csync.getSerial())) {
        return new Decision.Pending(Reason.SOA_BELOW_MINIMUM, server.nameserver()
            + " serves serial " + first + ", below the CSYNC soaminimum " + csync.getSerial(),
            Optional.empty(), Optional.empty());
      }
    }
    return null;
  }

  private static long serial(LookupResult.Answer soa) {
    return ((org.xbill.DNS.SOARecord) soa.rrset().first()).getSerial();
  }

  private Delegation synced(Observations obs, List<ServerObservation> servers, Delegation current,
      Set<Integer> types) throws Rejection {
    Name child = obs.child();
    Set<Name> nameservers = new TreeSet<>();
    long nsTtl = current.nsTtl();
    if (types.contains(Type.NS)) {
      List<Record> ns = readValidated(obs, servers, child, Type.NS);
      for (Record r : ns) {
        nameservers.add(((NSRecord) r).getTarget());
        nsTtl = r.getTTL();
      }
      if (nameservers.isEmpty()) {
        throw new Rejection(new Decision.Refused(Reason.EMPTY_DELEGATION,
            "CSYNC asks for the NS RRset of " + child + ", and the child serves none"));
      }
    } else {
      nameservers.addAll(current.nameservers());
    }
    Delegation.Builder b = Delegation.builder(child).nsTtl(nsTtl).dsTtl(current.dsTtl())
        .glueTtl(current.glueTtl()).ds(current.ds().toArray(new DsData[0]));
    for (Name ns : nameservers) {
      b.nameservers(ns);
      if (!Names.isInBailiwick(ns, child)) {
        continue; // RFC 7477 §3.2: A/AAAA are synced for in-bailiwick names only
      }
      Set<InetAddress> addresses = new LinkedHashSet<>();
      for (int family : new int[] {Type.A, Type.AAAA}) {
        if (types.contains(family)) {
          for (Record r : readValidated(obs, servers, ns, family)) {
            addresses.add(r instanceof ARecord ? ((ARecord) r).getAddress()
                : ((AAAARecord) r).getAddress());
          }
        } else {
          for (InetAddress a : current.glue().getOrDefault(ns, Set.of())) {
            if ((a.getAddress().length == 4) == (family == Type.A)) {
              addresses.add(a);
            }
          }
        }
      }
      if (addresses.isEmpty()) {
        throw new Rejection(new Decision.Refused(Reason.MISSING_GLUE, "in-bailiwick name server "
            + ns + " would have no glue address"));
      }
      b.glue(ns, addresses.toArray(new InetAddress[0]));
    }
    return b.build();
  }

  private List<Record> readValidated(Observations obs, List<ServerObservation> servers, Name name,
      int type) throws Rejection {
    Read read = readEverywhere(servers, obs.child(), name, type);
    if (read.problem != null) {
      throw new Rejection(read.problem);
    }
    Decision problem = checkValidated(obs, name, type, read.records, true);
    if (problem == null && !read.records.isEmpty()) {
      problem = checkSignedAtEachServer(obs, servers, name, type);
    }
    if (problem != null) {
      throw new Rejection(problem);
    }
    return read.records;
  }

  private Set<DsData> candidate(Name child, List<Record> cds, List<Record> cdnskey)
      throws Rejection {
    Set<DsData> fromCds = new TreeSet<>();
    for (Record r : cds) {
      DsData d = DsData.of((DSRecord) r);
      if (policy.acceptedDigestTypes().contains(d.digestType())) {
        fromCds.add(d);
      }
    }
    if (!cds.isEmpty() && fromCds.isEmpty()) {
      throw new Rejection(new Decision.Refused(Reason.DIGEST_NOT_ACCEPTED, "no CDS of " + child
          + " has a digest type in " + policy.acceptedDigestTypes()));
    }
    Set<DsData> fromCdnskey = new TreeSet<>();
    for (Record r : cdnskey) {
      for (int t : policy.computedDigestTypes()) {
        fromCdnskey.add(DsData.compute(child, (DNSKEYRecord) r, t));
      }
    }
    switch (policy.dsSource()) {
      case CDS:
        return fromCds;
      case CDNSKEY:
        return fromCdnskey;
      case CDS_AND_CDNSKEY:
        if (cds.isEmpty() || cdnskey.isEmpty()) {
          throw new Rejection(new Decision.Refused(Reason.CDS_CDNSKEY_MISMATCH, child
              + " publishes " + (cds.isEmpty() ? "CDNSKEY without CDS" : "CDS without CDNSKEY")
              + "; the policy needs both"));
        }
        requireSameKeys(child, cds, cdnskey);
        return fromCds;
      case CDS_OR_CDNSKEY:
      default:
        if (!cds.isEmpty() && !cdnskey.isEmpty()) {
          requireSameKeys(child, cds, cdnskey);
        }
        return cds.isEmpty() ? fromCdnskey : fromCds;
    }
  }

  /** RFC 7344 §4: when both are published, CDS and CDNSKEY describe the same keys. */
  private static void requireSameKeys(Name child, List<Record> cds, List<Record> cdnskey)
      throws Rejection {
    Set<List<Integer>> cdsKeys = new TreeSet<>(AcceptanceChecks::compareLists);
    for (Record r : cds) {
      DSRecord d = (DSRecord) r;
      cdsKeys.add(List.of(d.getFootprint(), d.getAlgorithm()));
      boolean computable = d.getDigestID() == DsData.SHA1 || d.getDigestID() == DsData.SHA256
          || d.getDigestID() == DsData.SHA384;
      boolean matched = !computable;
      for (Record k : cdnskey) {
        matched |= computable && DsData.of(d).matches(child, (DNSKEYRecord) k);
      }
      if (!matched) {
        throw new Rejection(new Decision.Refused(Reason.CDS_CDNSKEY_MISMATCH, "CDS "
            + DsData.of(d) + " matches no CDNSKEY of " + child));
      }
    }
    Set<List<Integer>> cdnskeyKeys = new TreeSet<>(AcceptanceChecks::compareLists);
    for (Record r : cdnskey) {
      DNSKEYRecord k = (DNSKEYRecord) r;
      cdnskeyKeys.add(List.of(k.getFootprint(), k.getAlgorithm()));
    }
    if (!cdsKeys.equals(cdnskeyKeys)) {
      throw new Rejection(new Decision.Refused(Reason.CDS_CDNSKEY_MISMATCH, "CDS describe keys "
          + cdsKeys + ", CDNSKEY " + cdnskeyKeys + " (tag, algorithm)"));
    }
  }

  private static int compareLists(List<Integer> a, List<Integer> b) {
    return Arrays.compare(a.stream().mapToInt(Integer::intValue).toArray(),
        b.stream().mapToInt(Integer::intValue).toArray());
  }

  /** RFC 8078 §4: {@code CDS 0 0 0 00}. */
  static boolean isCdsDelete(Record r) {
    DSRecord d = (DSRecord) r;
    byte[] digest = d.getDigest();
    return d.getFootprint() == 0 && d.getAlgorithm() == 0 && d.getDigestID() == 0
        && digest.length == 1 && digest[0] == 0;
  }

  /** RFC 8078 §4: {@code CDNSKEY 0 3 0 AA==}. */
  static boolean isCdnskeyDelete(Record r) {
    CDNSKEYRecord k = (CDNSKEYRecord) r;
    byte[] key = k.getKey();
    return k.getFlags() == 0 && k.getProtocol() == 3 && k.getAlgorithm() == 0
        && key.length == 1 && key[0] == 0;
  }

  /** What every server said for (name, type): one RRset, or a problem. */
  private static final class Read {
    final @Nullable Decision problem;
    final List<Record> records;

    Read(@Nullable Decision problem, List<Record> records) {
      this.problem = problem;
      this.records = records;
    }
  }

  /**
   * Reads (name, type) at every server: each must have answered (a failure is a retry) and all
   * must agree on the data (RFC 9975); an absent RRset is the empty list.
   */
  private static Read readEverywhere(List<ServerObservation> servers, Name child, Name name,
      int type) {
    String what = Dnssec.label(name, type);
    if (servers.isEmpty()) {
      return new Read(new Decision.Pending(Reason.SERVER_UNREACHABLE, "no server of " + child
          + " was observed", Optional.empty(), Optional.empty()), List.of());
    }
    List<Record> first = null;
    String firstWhere = "";
    for (ServerObservation s : servers) {
      if (s instanceof ServerObservation.Unresolved) {
        return new Read(new Decision.Pending(Reason.SERVER_UNREACHABLE, "name server "
            + s.nameserver() + " has no address: "
            + ((ServerObservation.Unresolved) s).detail(), Optional.empty(), Optional.empty()),
            List.of());
      }
      ServerObservation.Reached server = (ServerObservation.Reached) s;
      String where = server.nameserver() + " (" + server.endpoint() + ")";
      LookupResult r = server.result(name, type).orElse(null);
      List<Record> records;
      if (r instanceof LookupResult.Answer) {
        records = ((LookupResult.Answer) r).rrset().rrs();
      } else if (r instanceof LookupResult.NoData || r instanceof LookupResult.NxDomain) {
        records = List.of();
      } else {
        return new Read(new Decision.Pending(Reason.SERVER_UNREACHABLE, what + " not read at "
            + where + (r == null ? " (not asked)" : ": " + r), Optional.empty(),
            Optional.empty()), List.of());
      }
      if (first == null) {
        first = records;
        firstWhere = where;
      } else if (!Dnssec.rdataSet(first).equals(Dnssec.rdataSet(records))) {
        return new Read(new Decision.Refused(Reason.INCONSISTENT, what + " differs between "
            + firstWhere + " and " + where + " (RFC 9975: all servers must agree)"), List.of());
      }
    }
    return new Read(null, first == null ? List.of() : first);
  }

  /** RFC 9975: a name server of the child that was not observed at all leaves consistency open. */
  private static @Nullable Decision unobserved(Observations obs) {
    for (Name ns : obs.childNameservers()) {
      if (obs.serversOf(Set.of(ns)).isEmpty()) {
        return new Decision.Pending(Reason.SERVER_UNREACHABLE, "name server " + ns + " of "
            + obs.child() + " was not observed", Optional.empty(), Optional.empty());
      }
    }
    return null;
  }

  /** The validating resolver's view of (name, type) must match and be trustworthy; null = ok. */
  private static @Nullable Decision checkValidated(Observations obs, Name name, int type,
      List<Record> direct, boolean requireSecure) {
    String what = Dnssec.label(name, type);
    LookupResult r = obs.validated(name, type).orElse(null);
    if (r instanceof LookupResult.Bogus) {
      return new Decision.Refused(Reason.BOGUS, what + " is bogus: "
          + ((LookupResult.Bogus) r).reason());
    }
    List<Record> seen;
    Verdict verdict;
    if (r instanceof LookupResult.Answer) {
      seen = ((LookupResult.Answer) r).rrset().rrs();
      verdict = ((LookupResult.Answer) r).verdict();
    } else if (r instanceof LookupResult.NoData) {
      seen = List.of();
      verdict = ((LookupResult.NoData) r).verdict();
    } else if (r instanceof LookupResult.NxDomain) {
      seen = List.of();
      verdict = ((LookupResult.NxDomain) r).verdict();
    } else {
      return new Decision.Pending(Reason.VALIDATION_UNAVAILABLE, what + " not validated"
          + (r == null ? " (not asked)" : ": " + r), Optional.empty(), Optional.empty());
    }
    if (requireSecure && verdict != Verdict.SECURE) {
      return new Decision.Refused(Reason.NOT_SECURE, what + " validated as " + verdict
          + "; a secure answer is required");
    }
    if (!Dnssec.rdataSet(seen).equals(Dnssec.rdataSet(direct))) {
      return new Decision.Refused(Reason.INCONSISTENT, what
          + " from the validating resolver differs from what the servers serve");
    }
    return null;
  }

  /** Each server's copy of (name, type) verifies with a key of its DNSKEY RRset; null = ok. */
  private @Nullable Decision checkSignedAtEachServer(Observations obs,
      List<ServerObservation> servers, Name name, int type) {
    for (ServerObservation s : servers) {
      ServerObservation.Reached server = (ServerObservation.Reached) s;
      LookupResult r = server.result(name, type).orElse(null);
      if (!(r instanceof LookupResult.Answer)) {
        continue;
      }
      LookupResult keys = server.result(obs.child(), Type.DNSKEY).orElse(null);
      if (keys != null && !(keys instanceof LookupResult.Answer)
          && !(keys instanceof LookupResult.NoData) && !(keys instanceof LookupResult.NxDomain)) {
        // a timeout or SERVFAIL says nothing about the signatures: try again later, not BOGUS
        return new Decision.Pending(Reason.SERVER_UNREACHABLE, "DNSKEY of " + obs.child()
            + " not read at " + server.nameserver() + " (" + server.endpoint() + "): " + keys,
            Optional.empty(), Optional.empty());
      }
      List<DNSKEYRecord> dnskeys = new ArrayList<>();
      if (keys instanceof LookupResult.Answer) {
        RRset set = ((LookupResult.Answer) keys).rrset();
        set.rrs().forEach(k -> dnskeys.add((DNSKEYRecord) k));
      }
      if (!dnssec.signedByOneOf(((LookupResult.Answer) r).rrset(), dnskeys, obs.observedAt())) {
        return new Decision.Refused(Reason.BOGUS, Dnssec.label(name, type) + " at "
            + server.nameserver() + " (" + server.endpoint() + ") is not signed by a key of its "
            + "DNSKEY RRset at " + obs.observedAt());
      }
    }
    return null;
  }

  private static Decision fromFailure(CheckResult.Failed f) {
    return f.reason().transientCondition()
        ? new Decision.Pending(f.reason(), f.detail(), Optional.empty(), Optional.empty())
        : new Decision.Refused(f.reason(), f.detail());
  }

  private static Delegation withDs(Delegation d, Set<DsData> ds) {
    return new Delegation(d.child(), d.nameservers(), d.glue(), ds, d.nsTtl(), d.dsTtl(),
        d.glueTtl());
  }

  private static DelegationChange change(Delegation current, Delegation desired) {
    // a provisional change for the shared checks; the host mints the real id when it applies
    return new DelegationChange("acceptance-check", current.child(), current, desired,
        DelegationChange.Source.SCAN, java.time.Instant.EPOCH);
  }

  /** A refusal found deep in a computation. */
  private static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Decision decision;

    Rejection(Decision decision) {
      super(null, null, false, false);
      this.decision = decision;
    }
  }
}
