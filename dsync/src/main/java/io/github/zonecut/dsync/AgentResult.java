package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DelegationDelta;
import io.github.zonecut.core.DiscoveryResult;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * What one {@link DelegationAgent} operation produced: nothing to do, an UPDATE sent with its
 * {@link UpdateOutcome}, or why nothing could be sent. A value, never an exception.
 */
public sealed interface AgentResult
    permits AgentResult.InSync, AgentResult.Sent, AgentResult.NoReceiver,
        AgentResult.NoSigningKey, AgentResult.NotReadable {

  /** What an UPDATE was for. */
  enum Operation {
    /** NS, glue and DS (ddns §6). */
    DELEGATION,
    /** The self-signed key bootstrap (ddns §9.4.1). */
    KEY_BOOTSTRAP,
    /** Key roll step 1: add the new KEY, signed by the trusted old key (ddns §9.6). */
    KEY_ROLL_ADD,
    /** Key roll step 2: delete the old KEY, signed by the new key (ddns §9.6). */
    KEY_ROLL_DELETE
  }

  /** The parent already publishes the delegation the child asks for; nothing was sent. */
  record InSync(Delegation published) implements AgentResult {
    /** Checks the field. */
    public InSync {
      Objects.requireNonNull(published, "published");
    }
  }

  /**
   * An UPDATE was sent.
   *
   * @param operation what it was for
   * @param delta the change asked for (delegation UPDATEs only)
   * @param outcome the receiver's (authenticated) answer, or why there was none
   * @param rebootstrap the outcome of the one re-bootstrap made after BADKEY, if one was made
   */
  record Sent(Operation operation, Optional<DelegationDelta> delta, UpdateOutcome outcome,
      Optional<UpdateOutcome> rebootstrap) implements AgentResult {
    /** Checks the fields. */
    public Sent {
      Objects.requireNonNull(operation, "operation");
      Objects.requireNonNull(delta, "delta");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(rebootstrap, "rebootstrap");
    }
  }

  /**
   * DSYNC discovery found no UPDATE receiver, or refused one (RFC 9859 §4.1; ddns §5).
   *
   * @param discovery the discovery's result, with its steps
   */
  record NoReceiver(DiscoveryResult discovery) implements AgentResult {
    /** Checks the field. */
    public NoReceiver {
      Objects.requireNonNull(discovery, "discovery");
    }
  }

  /**
   * The key store holds no usable key pair for the child (an ACTIVE key to sign with).
   *
   * @param detail what was missing
   */
  record NoSigningKey(Name child, String detail) implements AgentResult {
    /** Checks the fields. */
    public NoSigningKey {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * A delegation could not be read: the parent's servers or the child's did not answer usably,
   * disagree, or the parent zone could not be told from the DSYNC record.
   *
   * @param what which delegation ("published", "desired") or step
   * @param detail why
   */
  record NotReadable(String what, String detail) implements AgentResult {
    /** Checks the fields. */
    public NotReadable {
      Objects.requireNonNull(what, "what");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
