package io.github.zonecut.multisigner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one planner rule decided for its resource: steps to take now, the earliest propagation wait
 * that holds a change back, the parent (or zone owner) to wait for, or a refusal. Each decision
 * carries its cause and its draft-ietf-dnsop-dnssec-automation-04 reference; {@link #merge} builds
 * the plan from the rules' decisions. Filled only by the rule that creates it.
 */
final class Decisions {

  /**
   * A propagation wait: nothing in the rule's resource may change before {@code until}.
   *
   * @param until when the wait ends
   * @param kind which §2 wait it is
   * @param draftRef the draft step that demands it, e.g. {@code "§5.5 step 3"}; empty for zonecut's own
   * @param cause why, for operators (built only when the wait becomes the plan)
   */
  record Wait(Instant until, WaitKind kind, String draftRef, Supplier<String> cause) {

    /** The operator sentence: the cause, then the draft reference. */
    String reason() {
      String c = cause.get();
      return draftRef.isEmpty() ? c : c + " (" + draftRef + ")";
    }
  }

  /**
   * A derived fact with the earliest wait that its gates are closed by; {@code blocker} is null when
   * nothing time-bound holds it.
   */
  record Gated<T>(T value, @Nullable Wait blocker) {}

  private final List<PlannedStep> steps = new ArrayList<>(4);
  private @Nullable Wait wait;
  private Plan.@Nullable AwaitChange await;
  private @Nullable Refusal refusal;

  /** Take {@code step} now. */
  void step(Step step, List<Condition> pre, String reason, String draftRef) {
    steps.add(new PlannedStep(step, pre, reason, draftRef));
  }

  /** Something waits until {@code w.until()} (ignored when that is not after {@code now}). */
  void waitFor(@Nullable Wait w, Instant now) {
    if (w == null || !w.until().isAfter(now)) {
      return;
    }
    Wait cur = wait;
    if (cur == null || w.until().isBefore(cur.until())) {
      wait = w;
    }
  }

  /** Consults a gate: records the wait that keeps it closed, returns whether it is open. */
  boolean open(Gated<Boolean> gate, Instant now) {
    if (!gate.value()) {
      waitFor(gate.blocker(), now);
    }
    return gate.value();
  }

  /** Records the waits behind a derived value and returns the value. */
  <T> T use(Gated<T> derived, Instant now) {
    waitFor(derived.blocker(), now);
    return derived.value();
  }

  /**
   * Someone else (the parent, the zone owner) must make {@code c} true; after the policy's timeout
   * counted from {@code since} the wait becomes {@link Refusal.ParentTimeout}.
   */
  void awaitParent(Condition c, Instant since, String reason, ParentPolicy policy, Instant now) {
    Instant deadline = since.plus(policy.timeout());
    if (now.isAfter(deadline)) {
      if (refusal == null) {
        refusal = new Refusal.ParentTimeout(c, since);
      }
      return;
    }
    if (await == null) {
      await = new Plan.AwaitChange(c, deadline, reason);
    }
  }

  /** Whether the rule decided to take a step. */
  boolean hasSteps() {
    return !steps.isEmpty();
  }

  /**
   * The plan: every rule's steps (in rule order) when any, checked against the signers'
   * capabilities; else the first refusal; else the earliest wait; else the first awaited change;
   * else {@code settled} if it is still ahead; else done.
   */
  static Plan merge(List<Decisions> rules, ZoneSnapshot s, Waits waits, Instant now, String done) {
    List<PlannedStep> all = new ArrayList<>();
    @Nullable Refusal refused = null;
    @Nullable Wait earliest = null;
    Plan.@Nullable AwaitChange awaited = null;
    for (Decisions d : rules) {
      all.addAll(d.steps);
      if (refused == null) {
        refused = d.refusal;
      }
      Wait w = d.wait;
      if (w != null && (earliest == null || w.until().isBefore(earliest.until()))) {
        earliest = w;
      }
      if (awaited == null) {
        awaited = d.await;
      }
    }
    if (!all.isEmpty()) {
      for (PlannedStep p : all) {
        SignerSnapshot v = s.signer(p.step().signer());
        if (v != null && !v.capabilities().contains(p.step().capability())) {
          return new Plan.Refused(new Refusal.MissingCapability(v.id(), p.step().capability(),
              p.step().getClass().getSimpleName() + ": " + p.reason()));
        }
      }
      return new Plan.Act(all);
    }
    if (refused != null) {
      return new Plan.Refused(refused);
    }
    if (earliest != null) {
      return new Plan.WaitUntil(earliest.until(), earliest.kind(), earliest.reason());
    }
    if (awaited != null) {
      return awaited;
    }
    Waits.Timed settled = waits.settled();
    if (now.isBefore(settled.at())) {
      return new Plan.WaitUntil(settled.at(), settled.kind(),
          "let the last change propagate before declaring the group stable "
              + "(zonecut: the draft's join list ends without a final wait)");
    }
    return new Plan.Done(done);
  }
}
