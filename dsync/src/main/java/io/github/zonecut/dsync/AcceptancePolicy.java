package io.github.zonecut.dsync;

import io.github.zonecut.core.DsData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parent's rules for accepting a child's CDS/CDNSKEY/CSYNC signals and delegation changes:
 * configuration, with the profiles registries run today as named presets. Not to be confused with
 * the multi-signer planner's view of a parent.
 *
 * @param name a label for logs and events (e.g. {@code "cds+dsboot"})
 * @param dsSource which RRset the DS set comes from (RFC 7344 §4)
 * @param acceptedDigestTypes the DS digest types the parent publishes; CDS of other types are
 *     ignored (SHA-256 = 2 by default, SHA-384 = 4 optional)
 * @param computedDigestTypes the digest types computed from CDNSKEY, in order, each accepted
 * @param deleteAllowed whether the delete sentinel may turn DNSSEC off (RFC 8078 §4)
 * @param bootstrap how an unsigned delegation may get its first DS (RFC 9615, RFC 8078 §3.3);
 *     empty: never by signal
 * @param bootstrapObservations accept-after-delay: how many consistent observations are needed
 * @param bootstrapSpan accept-after-delay: how long the first and the last must lie apart
 * @param csync whether CSYNC (RFC 7477) is processed
 * @param requireAddedNsAuthoritative whether every name server a change adds must already answer
 *     authoritatively for the child (not only one of the resulting set)
 * @param prePublishedDsAllowed whether an added DS may match no key that signs a served DNSKEY
 *     RRset yet, as long as every answering server stays anchored by another DS of the set and
 *     its algorithm already signs every server's DNSKEY RRset (default {@code true}): the
 *     double-DS KSK rollover (RFC 6781 §4.1.2, RFC 7583 §3.3.2) and a multi-signer join, where
 *     the joining signer's DS precedes its name servers (RFC 8901 §2.1.2, dnssec-automation
 *     §5.3), both need it; the algorithm condition keeps validators that require every DS
 *     algorithm to sign the zone (RFC 6840 §5.11, Unbound {@code harden-algo-downgrade}) safe
 * @param secDnsInterface which RFC 5910 §4 interface the registry's EPP side uses for the
 *     changes this policy accepts ({@link SecDnsMapping#secDns} or {@link SecDnsMapping#keyData})
 */
public record AcceptancePolicy(String name, DsSource dsSource, Set<Integer> acceptedDigestTypes,
    List<Integer> computedDigestTypes, boolean deleteAllowed, Set<Bootstrap> bootstrap,
    int bootstrapObservations, Duration bootstrapSpan, boolean csync,
    boolean requireAddedNsAuthoritative, boolean prePublishedDsAllowed,
    SecDnsInterface secDnsInterface) {

  /**
   * The policy with the DS data interface (RFC 5910 §4.1) and pre-published DS records allowed
   * (see {@link #prePublishedDsAllowed()}), as before those components existed.
   */
  public AcceptancePolicy(String name, DsSource dsSource, Set<Integer> acceptedDigestTypes,
      List<Integer> computedDigestTypes, boolean deleteAllowed, Set<Bootstrap> bootstrap,
      int bootstrapObservations, Duration bootstrapSpan, boolean csync,
      boolean requireAddedNsAuthoritative) {
    this(name, dsSource, acceptedDigestTypes, computedDigestTypes, deleteAllowed, bootstrap,
        bootstrapObservations, bootstrapSpan, csync, requireAddedNsAuthoritative, true,
        SecDnsInterface.DS_DATA);
  }

  /** The two interfaces of RFC 5910 §4; a registry supports one of them. */
  public enum SecDnsInterface {
    /** DS data (RFC 5910 §4.1): the registry receives DS digests ({@code <secDNS:dsData>}). */
    DS_DATA,
    /**
     * Key data (RFC 5910 §4.2): the registry receives the child's public keys ({@code
     * <secDNS:keyData>}) and computes the DS itself; natural with {@link DsSource#CDNSKEY}.
     */
    KEY_DATA
  }

  /** Where the DS set comes from. */
  public enum DsSource {
    /** CDS only; CDNSKEY is ignored (as SWITCH for .ch/.li). */
    CDS,
    /** CDNSKEY only, digests computed by the parent (as CZ.NIC's FRED for .cz). */
    CDNSKEY,
    /** CDS when published, else CDNSKEY; when both are published they must agree. */
    CDS_OR_CDNSKEY,
    /** Both must be published and describe the same keys (RFC 7344 §4, strictest reading). */
    CDS_AND_CDNSKEY
  }

  /** How an unsigned delegation may be secured from the child's own signals. */
  public enum Bootstrap {
    /** Authenticated bootstrapping through {@code _dsboot} signaling names (RFC 9615). */
    DSBOOT,
    /** Accept after a delay of consistent observations (RFC 8078 §3.3). */
    AFTER_DELAY
  }

  /** Validates and copies. */
  public AcceptancePolicy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dsSource, "dsSource");
    acceptedDigestTypes = Set.copyOf(new TreeSet<>(acceptedDigestTypes));
    if (acceptedDigestTypes.isEmpty()) {
      throw new IllegalArgumentException("no accepted DS digest type");
    }
    computedDigestTypes = List.copyOf(computedDigestTypes);
    for (int t : computedDigestTypes) {
      if (t != DsData.SHA256 && t != DsData.SHA384) {
        throw new IllegalArgumentException("digest type " + t + " cannot be computed (2 or 4)");
      }
      if (!acceptedDigestTypes.contains(t)) {
        throw new IllegalArgumentException("computed digest type " + t + " is not accepted");
      }
    }
    if (computedDigestTypes.isEmpty() && dsSource != DsSource.CDS) {
      throw new IllegalArgumentException("CDNSKEY needs at least one computed digest type");
    }
    bootstrap = bootstrap.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(bootstrap));
    if (bootstrapObservations < 1) {
      throw new IllegalArgumentException("bootstrapObservations must be >= 1");
    }
    Objects.requireNonNull(bootstrapSpan, "bootstrapSpan");
    if (bootstrapSpan.isNegative()) {
      throw new IllegalArgumentException("bootstrapSpan is negative");
    }
    Objects.requireNonNull(secDnsInterface, "secDnsInterface");
    if (secDnsInterface == SecDnsInterface.KEY_DATA && dsSource == DsSource.CDS) {
      // a CDS names a key by its digest only: no keyData can be derived from it (RFC 5910 §4.2)
      throw new IllegalArgumentException("the key data interface needs CDNSKEY, not CDS only");
    }
  }

  /**
   * The default: CDS or CDNSKEY (consistent when both), SHA-256, delete allowed, RFC 9615
   * bootstrapping, CSYNC processed, every added name server must answer.
   */
  public static AcceptancePolicy defaults() {
    return new AcceptancePolicy("default", DsSource.CDS_OR_CDNSKEY, Set.of(DsData.SHA256),
        List.of(DsData.SHA256), true, Set.of(Bootstrap.DSBOOT), 1, Duration.ZERO, true, true);
  }

  /**
   * CDS only, bootstrapping through {@code _dsboot} (RFC 9615), no CSYNC: the profile of SWITCH
   * for .ch and .li. SHA-256 and SHA-384 CDS are accepted.
   */
  public static AcceptancePolicy cdsWithDsboot() {
    return new AcceptancePolicy("cds+dsboot (.ch/.li)", DsSource.CDS,
        Set.of(DsData.SHA256, DsData.SHA384), List.of(), true, Set.of(Bootstrap.DSBOOT), 1,
        Duration.ZERO, false, true);
  }

  /**
   * CDS plus CSYNC for name servers and glue, no bootstrapping by signal: the profile of
   * Internetstiftelsen for .se and .nu.
   */
  public static AcceptancePolicy cdsWithCsync() {
    return new AcceptancePolicy("cds+csync (.se/.nu)", DsSource.CDS, Set.of(DsData.SHA256),
        List.of(), true, Set.of(), 1, Duration.ZERO, true, true);
  }

  /**
   * CDNSKEY only, digests computed by the parent, an unsigned delegation bootstrapped after
   * seven days of consistent observations over TCP (RFC 8078 §3.3), keys handed to the registry
   * as RFC 5910 §4.2 key data: the profile of CZ.NIC's FRED for .cz.
   */
  public static AcceptancePolicy cdnskeyWithDelayedBootstrap() {
    return new AcceptancePolicy("cdnskey+7d (.cz FRED)", DsSource.CDNSKEY, Set.of(DsData.SHA256),
        List.of(DsData.SHA256), true, Set.of(Bootstrap.AFTER_DELAY), 2, Duration.ofDays(7),
        false, true, true, SecDnsInterface.KEY_DATA);
  }

  /** Both CDS and CDNSKEY required and consistent, RFC 9615 bootstrapping, CSYNC processed. */
  public static AcceptancePolicy cdsAndCdnskeyConsistent() {
    return new AcceptancePolicy("cds=cdnskey", DsSource.CDS_AND_CDNSKEY, Set.of(DsData.SHA256),
        List.of(DsData.SHA256), true, Set.of(Bootstrap.DSBOOT), 1, Duration.ZERO, true, true);
  }

  /** This policy with other accepted and computed digest types. */
  public AcceptancePolicy withDigestTypes(Set<Integer> accepted, List<Integer> computed) {
    return new AcceptancePolicy(name, dsSource, accepted, computed, deleteAllowed, bootstrap,
        bootstrapObservations, bootstrapSpan, csync, requireAddedNsAuthoritative,
        prePublishedDsAllowed, secDnsInterface);
  }

  /** This policy with other bootstrap methods and accept-after-delay settings. */
  public AcceptancePolicy withBootstrap(Set<Bootstrap> methods, int observations, Duration span) {
    return new AcceptancePolicy(name, dsSource, acceptedDigestTypes, computedDigestTypes,
        deleteAllowed, methods, observations, span, csync, requireAddedNsAuthoritative,
        prePublishedDsAllowed, secDnsInterface);
  }

  /** This policy with another DS source. */
  public AcceptancePolicy withDsSource(DsSource source) {
    List<Integer> computed = new ArrayList<>(computedDigestTypes);
    if (computed.isEmpty() && source != DsSource.CDS) {
      computed.add(DsData.SHA256);
    }
    Set<Integer> accepted = new TreeSet<>(acceptedDigestTypes);
    accepted.addAll(computed);
    SecDnsInterface iface = source == DsSource.CDS ? SecDnsInterface.DS_DATA : secDnsInterface;
    return new AcceptancePolicy(name, source, accepted, computed, deleteAllowed, bootstrap,
        bootstrapObservations, bootstrapSpan, csync, requireAddedNsAuthoritative,
        prePublishedDsAllowed, iface);
  }

  /**
   * This policy with pre-published DS records allowed or not ({@link #prePublishedDsAllowed()});
   * {@code false} is the strictest reading of RFC 7344 §4.1, where every added DS must match a
   * key that signs the DNSKEY RRset now, and refuses double-DS rollovers and multi-signer joins.
   */
  public AcceptancePolicy withPrePublishedDs(boolean allowed) {
    return new AcceptancePolicy(name, dsSource, acceptedDigestTypes, computedDigestTypes,
        deleteAllowed, bootstrap, bootstrapObservations, bootstrapSpan, csync,
        requireAddedNsAuthoritative, allowed, secDnsInterface);
  }

  /** This policy with the other RFC 5910 §4 interface. */
  public AcceptancePolicy withSecDnsInterface(SecDnsInterface iface) {
    return new AcceptancePolicy(name, dsSource, acceptedDigestTypes, computedDigestTypes,
        deleteAllowed, bootstrap, bootstrapObservations, bootstrapSpan, csync,
        requireAddedNsAuthoritative, prePublishedDsAllowed, iface);
  }
}
