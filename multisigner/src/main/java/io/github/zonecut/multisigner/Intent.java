package io.github.zonecut.multisigner;

import io.github.zonecut.multisigner.internal.Sets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the zone owner wants: the signers that should form the group (signers in the snapshot but
 * not here leave; signers here that are not yet members join), the rollovers to run, and the
 * group's policy.
 *
 * @param group the target group; never empty (the planner refuses to remove the last signer)
 * @param rollovers rollovers to run, concurrently with any join or leave
 * @param policy who manages NS and who syncs the parent
 * @param allowMixedAlgorithms accept a group whose signers use different algorithms (draft §6: a
 *     violation of RFC 4035 §2.2 that most validators tolerate); off by default
 */
public record Intent(
    Set<SignerId> group, List<Rollover> rollovers, GroupPolicy policy, boolean allowMixedAlgorithms) {

  /** Copies the collections. */
  public Intent {
    group = Sets.copy(new java.util.TreeSet<>(group));
    rollovers = List.copyOf(rollovers);
    Objects.requireNonNull(policy, "policy");
  }

  /** The intent to have exactly these signers, fully automated, no rollovers. */
  public static Intent group(SignerId... signers) {
    return new Intent(Set.of(signers), List.of(), GroupPolicy.AUTOMATED, false);
  }

  /** The intent to have exactly these signers, fully automated, no rollovers. */
  public static Intent group(Set<SignerId> signers) {
    return new Intent(signers, List.of(), GroupPolicy.AUTOMATED, false);
  }

  /**
   * The intent a zone owner states in its apex HSYNC and HSYNCPARAM RRsets (specs §5): the
   * target group is every provider whose HSYNC state is ON and, when HSYNCPARAM lists {@code
   * signers}, that is listed there; an OFF provider is being offboarded and leaves. The policy
   * takes {@code nsmgmt} and {@code parentsync} from HSYNCPARAM, each defaulting to the agents
   * when absent.
   *
   * @param hsync the apex HSYNC records, one per provider
   * @param param the apex HSYNCPARAM record, or null if the zone has none
   * @throws IllegalArgumentException if no provider would sign (the group would be empty)
   */
  public static Intent fromHsync(
      java.util.Collection<io.github.zonecut.core.HsyncRecord> hsync,
      io.github.zonecut.core.@org.jspecify.annotations.Nullable HsyncParamRecord param) {
    Set<SignerId> group = new java.util.TreeSet<>();
    // provider labels are DNS labels: compared case-insensitively (SignerId folds case)
    Set<SignerId> signers = new java.util.HashSet<>();
    if (param != null) {
      for (String label : param.getSigners()) {
        signers.add(SignerId.of(label));
      }
    }
    for (io.github.zonecut.core.HsyncRecord h : hsync) {
      SignerId id = SignerId.of(h.getLabel());
      if (h.getState().isOn() && (signers.isEmpty() || signers.contains(id))) {
        group.add(id);
      }
    }
    if (group.isEmpty()) {
      throw new IllegalArgumentException("HSYNC/HSYNCPARAM name no signing provider that is ON");
    }
    GroupPolicy.Actor ns = GroupPolicy.Actor.AGENT;
    GroupPolicy.Actor sync = GroupPolicy.Actor.AGENT;
    if (param != null) {
      if (param.getNsmgmt().orElse(io.github.zonecut.core.HsyncParam.Role.AGENT)
          == io.github.zonecut.core.HsyncParam.Role.OWNER) {
        ns = GroupPolicy.Actor.OWNER;
      }
      if (param.getParentsync().orElse(io.github.zonecut.core.HsyncParam.Role.AGENT)
          == io.github.zonecut.core.HsyncParam.Role.OWNER) {
        sync = GroupPolicy.Actor.OWNER;
      }
    }
    return new Intent(group, List.of(), new GroupPolicy(ns, sync), false);
  }

  /** This intent with {@code more} rollovers added. */
  public Intent withRollovers(Rollover... more) {
    List<Rollover> all = new ArrayList<>(rollovers);
    all.addAll(Arrays.asList(more));
    return new Intent(group, all, policy, allowMixedAlgorithms);
  }

  /** This intent with another group policy. */
  public Intent withPolicy(GroupPolicy newPolicy) {
    return new Intent(group, rollovers, newPolicy, allowMixedAlgorithms);
  }

  /** This intent accepting a mixed-algorithm group (draft §6); the caller takes the risk. */
  public Intent allowingMixedAlgorithmsAtOwnRisk() {
    return new Intent(group, rollovers, policy, true);
  }
}
