package io.github.zonecut.core;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The outcome of DSYNC endpoint discovery for one child zone (RFC 9859 §4.1). Every case carries
 * the lookups made, in order, each with its verdict ({@link #steps()}), so a host can log or
 * audit why an endpoint was chosen or refused.
 */
public sealed interface DiscoveryResult
    permits DiscoveryResult.Found, DiscoveryResult.NotFound, DiscoveryResult.Refused {

  /** The child zone discovery ran for. */
  Name child();

  /** The lookups made, in order. */
  List<Step> steps();

  /**
   * One lookup of the discovery and what it produced.
   *
   * @param result the lookup's result (its question is {@code result.name()}/{@code type()})
   */
  record Step(LookupResult result) {
    /** Checks the field. */
    public Step {
      Objects.requireNonNull(result, "result");
    }

    /** The name looked up. */
    public Name name() {
      return result.name();
    }

    /**
     * The DNSSEC verdict of this step: that of an answer or negative answer, BOGUS for a bogus
     * one, empty when the lookup produced no answer at all (timeout, SERVFAIL, network).
     */
    public Optional<Verdict> verdict() {
      if (result instanceof LookupResult.Answer) {
        return Optional.of(((LookupResult.Answer) result).verdict());
      }
      if (result instanceof LookupResult.NxDomain) {
        return Optional.of(((LookupResult.NxDomain) result).verdict());
      }
      if (result instanceof LookupResult.NoData) {
        return Optional.of(((LookupResult.NoData) result).verdict());
      }
      if (result instanceof LookupResult.Bogus) {
        return Optional.of(Verdict.BOGUS);
      }
      return Optional.empty();
    }
  }

  /**
   * An address of the DSYNC target that the {@link AddressPolicy} refused, and the rule that
   * refused it.
   *
   * @param address the address as the target's A or AAAA record gave it
   * @param addressClass the special-purpose class it belongs to, which the policy does not allow
   */
  record RefusedAddress(InetAddress address, AddressPolicy.AddressClass addressClass) {
    /** Checks the fields. */
    public RefusedAddress {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(addressClass, "addressClass");
    }

    /** {@code 127.0.0.1 (LOOPBACK)}. */
    @Override
    public String toString() {
      return address.getHostAddress() + " (" + addressClass + ")";
    }
  }

  /**
   * The parent publishes an endpoint for the wanted (RRtype, scheme).
   *
   * @param record the one DSYNC record selected (scheme and port non-zero)
   * @param endpoints where to send: the target's addresses with the record's port, after {@link
   *     EndpointOverrides}, that the {@link AddressPolicy} allows; never empty
   * @param refusedAddresses the target's addresses the policy refused and left out of {@code
   *     endpoints}; empty when all were allowed
   */
  record Found(Name child, DsyncRecord record, List<DnsEndpoint> endpoints, List<Step> steps,
      List<RefusedAddress> refusedAddresses) implements DiscoveryResult {
    /** Copies the lists. */
    public Found {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(record, "record");
      endpoints = List.copyOf(endpoints);
      steps = List.copyOf(steps);
      refusedAddresses = List.copyOf(refusedAddresses);
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("no endpoints");
      }
    }

    /** A result in which no address was refused. */
    public Found(Name child, DsyncRecord record, List<DnsEndpoint> endpoints, List<Step> steps) {
      this(child, record, endpoints, steps, List.of());
    }
  }

  /**
   * The algorithm ended without a target (RFC 9859 §4.1 "return null"): no DSYNC RRset was found,
   * or the one found has no usable record for the wanted (RRtype, scheme).
   */
  record NotFound(Name child, List<Step> steps) implements DiscoveryResult {
    /** Copies the list. */
    public NotFound {
      Objects.requireNonNull(child, "child");
      steps = List.copyOf(steps);
    }
  }

  /**
   * Discovery stopped because going on would mean trusting something that should not be trusted,
   * or because the DNS could not be asked.
   *
   * @param reason the class of refusal
   * @param detail what exactly was wrong
   * @param refusedAddresses for {@link Reason#TARGET_ADDRESS_REFUSED}, every address of the
   *     target with the rule that refused it; otherwise empty
   */
  record Refused(Name child, Reason reason, String detail, List<Step> steps,
      List<RefusedAddress> refusedAddresses) implements DiscoveryResult {
    /** Copies the lists. */
    public Refused {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      steps = List.copyOf(steps);
      refusedAddresses = List.copyOf(refusedAddresses);
    }

    /** A refusal that names no address. */
    public Refused(Name child, Reason reason, String detail, List<Step> steps) {
      this(child, reason, detail, steps, List.of());
    }
  }

  /** Why discovery was refused. */
  enum Reason {
    /** A lookup was BOGUS (RFC 4035 §5.5); never acted upon, whatever the policy. */
    BOGUS,
    /** The policy requires SECURE and a lookup was INSECURE or unvalidated. */
    NOT_SECURE,
    /**
     * A negative answer's SOA owner is not an ancestor of both the child and the name asked: a
     * zone that answered for a name it cannot hold.
     */
    HOSTILE_SOA,
    /** More than one DSYNC record for the wanted (RRtype, scheme) (RFC 9859 §3 MUST NOT). */
    MULTIPLE_RECORDS,
    /** A DSYNC record's RDATA did not decode. */
    MALFORMED_RECORD,
    /** More lookups than the configured bound. */
    TOO_MANY_STEPS,
    /** A lookup timed out or failed (SERVFAIL, network, unexpected answer). */
    LOOKUP_FAILED,
    /** The target has no A or AAAA records. */
    TARGET_UNRESOLVABLE,
    /**
     * Every address of the target belongs to a class the {@link AddressPolicy} refuses
     * (unspecified, broadcast, multicast, reserved; by default also loopback, link-local,
     * private and shared): the parent's DNS points at something that is not a public DNS server.
     * {@link Refused#refusedAddresses()} names each address and rule.
     */
    TARGET_ADDRESS_REFUSED,
    /** A lookup name could not be built (longer than 255 octets) or the child is the root. */
    INVALID_NAME
  }
}
