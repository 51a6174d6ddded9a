package io.github.zonecut.multisigner;

import java.time.Instant;
import java.util.List;

/**
 * One evaluation of {@link Planner#plan}: facts from the snapshot, one decision per resource rule,
 * and their merge. See the rules in {@link Planner}'s Javadoc; each rule class cites the draft
 * steps it implements.
 */
final class PlanRun {

  private PlanRun() {}

  static Plan plan(ZoneSnapshot s, Intent intent, ParentPolicy policy, Instant now, PlannerConfig cfg) {
    PlanFacts f = PlanFacts.of(s, intent, policy, now, cfg);
    Refusal refused = f.refusal();
    if (refused != null) {
      return new Plan.Refused(refused);
    }
    // rule order is the order of the plan's steps (and of equal waits): successors first,
    // deletions last
    List<Decisions> decided = List.of(
        RetirementRule.successors(f),
        DnskeyRule.decide(f),
        SigningRule.decide(f),
        DsRule.decide(f),
        NsRule.decide(f),
        ServingRule.decide(f),
        RetirementRule.deletions(f));
    return Decisions.merge(decided, s, f.waits, now, "group " + intent.group() + " is stable");
  }
}
