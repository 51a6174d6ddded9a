package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Why the planner will not proceed. Nothing has been changed when a plan is refused. */
public sealed interface Refusal {

  /** A sentence for operators. */
  String message();

  /** The intent would leave the zone without a signer. */
  record LastSignerRemoval() implements Refusal {
    @Override
    public String message() {
      return "the intent removes the last signer; a zone needs at least one";
    }
  }

  /** The intent names a signer the snapshot does not describe. */
  record UnknownSigner(SignerId signer) implements Refusal {
    /** Checks for null. */
    public UnknownSigner {
      Objects.requireNonNull(signer);
    }

    @Override
    public String message() {
      return "signer " + signer + " is not in the snapshot";
    }
  }

  /** A target signer does not meet the draft's prerequisites (§5.1): not serving, no keys. */
  record SignerNotReady(SignerId signer, String problem) implements Refusal {
    /** Checks for null. */
    public SignerNotReady {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(problem);
    }

    @Override
    public String message() {
      return "signer " + signer + " is not ready: " + problem;
    }
  }

  /** The group would use more than one algorithm and the intent does not allow it (draft §6). */
  record MixedAlgorithms(Map<SignerId, Set<Integer>> algorithms) implements Refusal {
    /** Copies the map. */
    public MixedAlgorithms {
      algorithms = Map.copyOf(algorithms);
    }

    @Override
    public String message() {
      return "signers use different algorithms " + new java.util.TreeMap<>(algorithms)
          + " (RFC 4035 §2.2); run an algorithm rollover or allow mixed algorithms explicitly";
    }
  }

  /** A signer would have to do something it does not let the controller do. */
  record MissingCapability(SignerId signer, Capability capability, String neededFor)
      implements Refusal {
    /** Checks for null. */
    public MissingCapability {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(capability);
      Objects.requireNonNull(neededFor);
    }

    @Override
    public String message() {
      return "signer " + signer + " lacks capability " + capability + " needed for " + neededFor;
    }
  }

  /** Under key-tag-modulo ownership, a signer holds a key outside its class. */
  record KeyTagOwnership(SignerId signer, DnsKeyData key, int expectedRemainder, int modulus)
      implements Refusal {
    /** Checks for null. */
    public KeyTagOwnership {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(key);
    }

    @Override
    public String message() {
      return "signer " + signer + " holds key " + key + " whose tag is not " + expectedRemainder
          + " modulo " + modulus + "; regenerate it";
    }
  }

  /** A signer serves a DNSKEY no signer claims; deleting it could break another signer. */
  record UnattributedKey(SignerId servedBy, DnsKeyData key) implements Refusal {
    /** Checks for null. */
    public UnattributedKey {
      Objects.requireNonNull(servedBy);
      Objects.requireNonNull(key);
    }

    @Override
    public String message() {
      return "signer " + servedBy + " serves DNSKEY " + key
          + " that no signer claims; add it to its owner's key list or remove it by hand";
    }
  }

  /** A rollover names a signer that is leaving the group. */
  record RolloverOfLeavingSigner(SignerId signer) implements Refusal {
    /** Checks for null. */
    public RolloverOfLeavingSigner {
      Objects.requireNonNull(signer);
    }

    @Override
    public String message() {
      return "a rollover is requested for " + signer + ", which is leaving the group";
    }
  }

  /** The parent has not acted on published CDS or CSYNC within the policy's timeout. */
  record ParentTimeout(Condition awaited, Instant since) implements Refusal {
    /** Checks for null. */
    public ParentTimeout {
      Objects.requireNonNull(awaited);
      Objects.requireNonNull(since);
    }

    @Override
    public String message() {
      return "the parent has not acted since " + since + ": still waiting until "
          + awaited.describe() + "; check the parent's CDS/CSYNC policy";
    }
  }

  /**
   * A signer's configured data TTL ({@link SignerSnapshot#dataTtl()}) is shorter than what its
   * zone is observed to serve: signatures in cached negative answers (min(SOA TTL, SOA MINIMUM),
   * RFC 2308 §5) or in the longest-lived data would outlive the signature wait.
   *
   * @param signer the signer
   * @param dataTtl the configured data TTL
   * @param observed the zone's observed TTLs
   */
  record DataTtlTooShort(SignerId signer, java.time.Duration dataTtl, ZoneTtls observed)
      implements Refusal {
    /** Checks for null. */
    public DataTtlTooShort {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(dataTtl);
      Objects.requireNonNull(observed);
    }

    @Override
    public String message() {
      return "signer " + signer + " states a data TTL of " + dataTtl + " but its zone serves "
          + "negative answers for " + observed.negativeTtl() + " and data for up to "
          + observed.largestDataTtl() + "; raise the data TTL to at least " + observed.required();
    }
  }
}
