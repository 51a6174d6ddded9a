package io.github.zonecut.multisigner;

import java.util.List;
import org.xbill.DNS.Name;

/**
 * The serving rule: a leaving signer stops answering once no NS RRset served by the parent or a
 * remaining signer names its servers, and NS-Wait-Time has passed since that was so (§5.4 steps
 * 5–6).
 */
final class ServingRule {

  private ServingRule() {}

  static Decisions decide(PlanFacts f) {
    Decisions d = new Decisions();
    for (SignerSnapshot l : f.leaving) {
      if (!l.isAnswering()) {
        continue;
      }
      boolean referenced = false;
      for (Name name : l.ownNs()) {
        referenced |= f.presentElsewhere(name, l);
      }
      if (referenced || f.parentNs == null) {
        continue;
      }
      if (f.waits.pending(f.waits.ns())) {
        d.waitFor(new Decisions.Wait(f.waits.ns(), WaitKind.NS_WAIT, "§5.4 step 5",
            () -> "NS-Wait-Time before " + l.id() + " stops answering"), f.now);
        continue;
      }
      d.step(new Step.StopServing(l.id()),
          List.of(new Condition.TimeReached(f.waits.ns(), WaitKind.NS_WAIT)),
          "no cached NS RRset points at " + l.id() + " any more", "§5.4 step 6");
    }
    return d;
  }
}
