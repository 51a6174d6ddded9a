package io.github.zonecut.dsync;

import io.github.zonecut.sig0.Sig0PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Decides whether the key that signed a delegation UPDATE may make the change it asks for
 * (draft-ietf-dnsop-delegation-mgmt-via-ddns §7.1, §11.1), after its SIG(0) verified and before
 * anything is read from or written to the {@link DelegationBackend}.
 *
 * <p>Two implementations ship: {@link #childKey()} (the draft's default, name-scoped: a child's
 * own key changes its own delegation only) and {@link #registrar(Name, Set)} (the draft's
 * "alternative authorization scheme": a registrar key for a listed set of children). RFC 2136
 * §3.2 prerequisites are scoped here and evaluated by the receiver against the backend's current
 * delegation. Implementations must not throw.
 */
@FunctionalInterface
public interface UpdateAuthorizer {

  /** Judges {@code request}. */
  Authorization authorize(Request request);

  /** The draft's default rules with {@link Limits#DEFAULT} limits; see {@link ChildKeyAuthorizer}. */
  static UpdateAuthorizer childKey() {
    return new ChildKeyAuthorizer(Limits.DEFAULT);
  }

  /**
   * A registrar key (owner {@code registrar}) authorised for the delegations of {@code
   * children}; see {@link RegistrarAuthorizer}.
   */
  static UpdateAuthorizer registrar(Name registrar, Set<Name> children) {
    return new RegistrarAuthorizer(registrar, children, Limits.DEFAULT);
  }

  /**
   * What a verified UPDATE asks for.
   *
   * @param zone the zone of the UPDATE's zone section, one the receiver serves
   * @param signer the key whose SIG(0) verified (its owner is the SIG(0) signer name)
   * @param prerequisites the prerequisite section (RFC 2136 §2.4)
   * @param updates the update section (RFC 2136 §2.5)
   */
  record Request(Name zone, Sig0PublicKey signer, List<Record> prerequisites,
      List<Record> updates) {
    /** Copies the lists. */
    public Request {
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(signer, "signer");
      prerequisites = List.copyOf(prerequisites);
      updates = List.copyOf(updates);
    }
  }

  /** What kind of change an allowed UPDATE makes. */
  enum Kind {
    /** NS, DS and glue of the child's delegation, applied through the backend. */
    DELEGATION,
    /** The child's KEY RRset: bootstrap or roll, handed to the trust registry (ddns §9.4, §9.6). */
    KEY
  }

  /** An authorizer's verdict. */
  sealed interface Authorization {
    /**
     * The UPDATE may change {@code child}'s data of {@code kind}.
     *
     * @param child the delegated zone whose data changes
     * @param kind delegation data or the KEY RRset
     */
    record Allowed(Name child, Kind kind) implements Authorization {
      /** Checks the fields. */
      public Allowed {
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(kind, "kind");
      }
    }

    /**
     * The UPDATE is refused by policy (answered REFUSED, draft §8).
     *
     * @param reason in words, safe to log and to return in an EDE EXTRA-TEXT
     */
    record Denied(String reason) implements Authorization {
      /** Checks the reason. */
      public Denied {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /**
   * Bounds on what one UPDATE may carry (ddns §11: no child needs large or frequent changes).
   *
   * @param maxUpdates records in the update section, at least 1
   * @param maxPrerequisites records in the prerequisite section
   * @param maxRdataLength octets of one record's RDATA
   */
  record Limits(int maxUpdates, int maxPrerequisites, int maxRdataLength) {
    /** 64 updates, 16 prerequisites, 2048 octets of RDATA (room for a PQ KEY is larger: raise it). */
    public static final Limits DEFAULT = new Limits(64, 16, 2048);

    /** Checks the bounds. */
    public Limits {
      if (maxUpdates < 1 || maxPrerequisites < 0 || maxRdataLength < 1) {
        throw new IllegalArgumentException("limits must be positive: " + maxUpdates + ", "
            + maxPrerequisites + ", " + maxRdataLength);
      }
    }
  }
}
