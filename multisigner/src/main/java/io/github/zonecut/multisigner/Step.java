package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.internal.Sets;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * One change to apply to one signer. Every step is idempotent: it states the desired result
 * ("the DNSKEY RRset contains …", "the NS RRset is …"), so executing it twice, or after a crash
 * half-way, does no harm. {@link #postcondition()} is the observation that proves it done.
 */
public sealed interface Step {

  /** The signer the step is applied to. */
  SignerId signer();

  /** The capability the signer must grant for this step. */
  Capability capability();

  /** The observation that proves the step done. */
  Condition postcondition();

  /** Add DNSKEY records (own new keys, or other signers' zone-signing keys) to the signer's RRset. */
  record AddDnskeys(SignerId signer, Set<DnsKeyData> keys) implements Step {
    /** Copies the set; it must not be empty. */
    public AddDnskeys {
      Objects.requireNonNull(signer);
      keys = nonEmpty(Sets.copy(keys));
    }

    @Override
    public Capability capability() {
      return Capability.ADD_DNSKEY;
    }

    @Override
    public Condition postcondition() {
      return new Condition.DnskeyIncludes(signer, keys);
    }
  }

  /** Remove DNSKEY records from the signer's RRset. */
  record RemoveDnskeys(SignerId signer, Set<DnsKeyData> keys) implements Step {
    /** Copies the set; it must not be empty. */
    public RemoveDnskeys {
      Objects.requireNonNull(signer);
      keys = nonEmpty(Sets.copy(keys));
    }

    @Override
    public Capability capability() {
      return Capability.REMOVE_DNSKEY;
    }

    @Override
    public Condition postcondition() {
      return new Condition.DnskeyExcludes(signer, keys);
    }
  }

  /** Have the signer generate (not yet publish) a new key of this role and algorithm. */
  record GenerateKey(SignerId signer, KeyRole role, int algorithm, Set<DnsKeyData> replacing)
      implements Step {
    /** Copies the set. */
    public GenerateKey {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(role);
      replacing = Sets.copy(replacing);
    }

    @Override
    public Capability capability() {
      return Capability.MANAGE_KEYS;
    }

    @Override
    public Condition postcondition() {
      return new Condition.HasKey(signer, role, algorithm, replacing);
    }
  }

  /** Make the signer sign zone data and its DNSKEY RRset with exactly these own keys. */
  record SetSigning(SignerId signer, Signing signing) implements Step {
    /** Checks for null. */
    public SetSigning {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(signing);
    }

    @Override
    public Capability capability() {
      return Capability.MANAGE_KEYS;
    }

    @Override
    public Condition postcondition() {
      return new Condition.SigningIs(signer, signing);
    }
  }

  /** Replace the signer's CDS and CDNSKEY RRsets (both empty: remove them). */
  record SetCds(SignerId signer, Set<DsData> cds, Set<DnsKeyData> cdnskey) implements Step {
    /** Copies the sets. */
    public SetCds {
      Objects.requireNonNull(signer);
      cds = Sets.copy(cds);
      cdnskey = Sets.copy(cdnskey);
    }

    /** Whether this step removes the signals. */
    public boolean removes() {
      return cds.isEmpty() && cdnskey.isEmpty();
    }

    @Override
    public Capability capability() {
      return removes() ? Capability.REMOVE_CDS : Capability.ADD_CDS;
    }

    @Override
    public Condition postcondition() {
      return new Condition.CdsIs(signer, cds, cdnskey);
    }
  }

  /** Replace the signer's apex NS RRset. */
  record SetNs(SignerId signer, Set<Name> ns) implements Step {
    /** Copies the set; it must not be empty. */
    public SetNs {
      Objects.requireNonNull(signer);
      ns = nonEmpty(Sets.copy(ns));
    }

    @Override
    public Capability capability() {
      return Capability.MANAGE_NS;
    }

    @Override
    public Condition postcondition() {
      return new Condition.NsIs(signer, ns);
    }
  }

  /** Publish (or remove) a CSYNC record with the NS, A and AAAA bits (RFC 7477). */
  record SetCsync(SignerId signer, boolean present) implements Step {
    /** Checks for null. */
    public SetCsync {
      Objects.requireNonNull(signer);
    }

    @Override
    public Capability capability() {
      return present ? Capability.ADD_CSYNC : Capability.REMOVE_CSYNC;
    }

    @Override
    public Condition postcondition() {
      return new Condition.CsyncIs(signer, present);
    }
  }

  /** The leaving signer stops answering for the zone (draft §5.4 step 6). */
  record StopServing(SignerId signer) implements Step {
    /** Checks for null. */
    public StopServing {
      Objects.requireNonNull(signer);
    }

    @Override
    public Capability capability() {
      return Capability.STOP_SERVING;
    }

    @Override
    public Condition postcondition() {
      return new Condition.Answering(signer, false);
    }
  }

  /** The signer deletes a fully retired key of its own. */
  record DeleteKey(SignerId signer, DnsKeyData key) implements Step {
    /** Checks for null. */
    public DeleteKey {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(key);
    }

    @Override
    public Capability capability() {
      return Capability.MANAGE_KEYS;
    }

    @Override
    public Condition postcondition() {
      return new Condition.KeyDeleted(signer, key);
    }
  }

  private static <T> Set<T> nonEmpty(Set<T> s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty set in step");
    }
    return s;
  }
}
