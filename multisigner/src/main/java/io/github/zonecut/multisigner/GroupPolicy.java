package io.github.zonecut.multisigner;

import java.util.Objects;

/**
 * Who does what in the group, as the zone owner states it in HSYNCPARAM (nsmgmt, parentsync; specs
 * §5.3) or in configuration.
 *
 * @param nsManagement who maintains the apex NS RRset
 * @param parentSync who brings DS and NS changes to the parent
 */
public record GroupPolicy(Actor nsManagement, Actor parentSync) {

  /** Who performs a task. */
  public enum Actor {
    /** The signers' agents or the controller (HSYNCPARAM value "agent"). */
    AGENT,
    /** The zone owner, out of band (HSYNCPARAM value "owner"). */
    OWNER
  }

  /** The agents manage NS and publish CDS/CSYNC for the parent: full automation. */
  public static final GroupPolicy AUTOMATED = new GroupPolicy(Actor.AGENT, Actor.AGENT);

  /** Checks that nothing is null. */
  public GroupPolicy {
    Objects.requireNonNull(nsManagement, "nsManagement");
    Objects.requireNonNull(parentSync, "parentSync");
  }
}
