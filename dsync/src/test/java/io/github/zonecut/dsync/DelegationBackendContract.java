package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.dsync.DelegationBackend.ApplyResult;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * What every {@link DelegationBackend} must do (draft-ietf-dnsop-delegation-mgmt-via-ddns §5: a
 * change is applied atomically, once, and only over the delegation it was decided against). Each
 * implementation's test extends this class and says how to make, seed, reopen and break its
 * storage; the test methods are public so that test classes in other modules (interop's
 * PostgreSQL run) can extend it too.
 */
public abstract class DelegationBackendContract {

  /** The child every test changes. */
  protected static final Name CHILD = Name.fromConstantString("child.parent.test.");
  /** Another child, to show changes stay apart. */
  protected static final Name OTHER = Name.fromConstantString("other.parent.test.");
  /** A fixed decision time. */
  protected static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private final List<ExecutorService> pools = new ArrayList<>();

  /** A backend over fresh, empty storage; later {@link #reopen()} calls reach the same storage. */
  protected abstract DelegationBackend newBackend() throws Exception;

  /**
   * A new backend instance over the storage of the last {@link #newBackend()}, as after a process
   * restart (a non-durable backend returns an instance sharing that state).
   */
  protected abstract DelegationBackend reopen() throws Exception;

  /**
   * A backend over the same storage whose {@link DelegationBackend#apply} fails with {@link
   * BackendException} after it has written part of the change but before the change is complete
   * (before the commit, for a database).
   */
  protected abstract DelegationBackend reopenFailingMidApply() throws Exception;

  /** Stores {@code d} as the parent's current data (the host's seed). */
  protected abstract void seed(DelegationBackend backend, Delegation d) throws Exception;

  @AfterEach
  void stopPools() throws InterruptedException {
    for (ExecutorService p : pools) {
      p.shutdownNow();
      p.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  // ---- fixtures ----

  /** Digest octets made of one repeated byte. */
  protected static byte[] digest(int fill, int length) {
    byte[] d = new byte[length];
    Arrays.fill(d, (byte) fill);
    return d;
  }

  /** The delegation before any change: in-bailiwick ns1 with A and AAAA glue, one DS. */
  protected static Delegation initial() throws Exception {
    return Delegation.builder(CHILD)
        .glue(Name.fromString("ns1.child.parent.test."), InetAddress.getByName("192.0.2.1"),
            InetAddress.getByName("2001:db8::1"))
        .nameservers(Name.fromString("ns.example.net."))
        .ds(new DsData(12345, 13, 2, digest(0xAB, 32)))
        .nsTtl(3600).dsTtl(600).glueTtl(1800)
        .build();
  }

  /** {@link #initial()} with another name server, with glue. */
  protected static Delegation withNs2() throws Exception {
    return Delegation.builder(CHILD)
        .glue(Name.fromString("ns1.child.parent.test."), InetAddress.getByName("192.0.2.1"),
            InetAddress.getByName("2001:db8::1"))
        .glue(Name.fromString("ns2.child.parent.test."), InetAddress.getByName("192.0.2.2"))
        .nameservers(Name.fromString("ns.example.net."))
        .ds(new DsData(12345, 13, 2, digest(0xAB, 32)))
        .nsTtl(3600).dsTtl(600).glueTtl(1800)
        .build();
  }

  /** {@link #initial()} after a DS rollover: the new DS beside the old one, SHA-384 too. */
  protected static Delegation withNewDs() throws Exception {
    return Delegation.builder(CHILD)
        .glue(Name.fromString("ns1.child.parent.test."), InetAddress.getByName("192.0.2.1"),
            InetAddress.getByName("2001:db8::1"))
        .nameservers(Name.fromString("ns.example.net."))
        .ds(new DsData(12345, 13, 2, digest(0xAB, 32)),
            new DsData(54321, 13, 4, digest(0xCD, 48)))
        .nsTtl(3600).dsTtl(300).glueTtl(1800)
        .build();
  }

  /** The delegation with no glue and no DS (unsigned, out-of-bailiwick servers only). */
  protected static Delegation unsignedOutOfBailiwick() throws Exception {
    return Delegation.builder(CHILD)
        .nameservers(Name.fromString("ns.example.net."), Name.fromString("ns.example.org."))
        .nsTtl(7200).dsTtl(600).glueTtl(1800)
        .build();
  }

  /** A change of {@link #CHILD} from {@code expected} to {@code desired}. */
  protected static DelegationChange change(String id, Delegation expected, Delegation desired) {
    return new DelegationChange(id, CHILD, expected, desired, DelegationChange.Source.UPDATE, T0);
  }

  private static Delegation other() throws Exception {
    return Delegation.builder(OTHER).nameservers(Name.fromString("ns.example.net.")).build();
  }

  // ---- the contract ----

  @Test
  public void unknownChildHasNoDelegation() throws Exception {
    DelegationBackend b = newBackend();
    assertThat(b.current(CHILD)).isEmpty();
  }

  @Test
  public void seededDelegationReadsBackWithEveryFieldAndCaseInsensitively() throws Exception {
    DelegationBackend b = newBackend();
    seed(b, initial());
    seed(b, other());
    assertThat(b.current(CHILD)).contains(initial());
    assertThat(b.current(Name.fromString("CHILD.Parent.TEST."))).contains(initial());
    assertThat(b.current(OTHER)).contains(other());
    assertThat(b.current(Name.fromString("parent.test."))).isEmpty();
  }

  @Test
  public void appliesAChangeOfNsGlueDsAndTtls() throws Exception {
    DelegationBackend b = newBackend();
    seed(b, initial());
    seed(b, other());

    assertThat(b.apply(change("c1", initial(), withNs2())))
        .isEqualTo(new ApplyResult.Applied("c1"));
    assertThat(b.current(CHILD)).contains(withNs2());
    assertThat(b.apply(change("c2", withNs2(), withNewDs())))
        .isEqualTo(new ApplyResult.Applied("c2"));
    assertThat(b.current(CHILD)).contains(withNewDs());
    assertThat(b.apply(change("c3", withNewDs(), unsignedOutOfBailiwick())))
        .isEqualTo(new ApplyResult.Applied("c3"));
    assertThat(b.current(CHILD)).contains(unsignedOutOfBailiwick());
    assertThat(b.current(OTHER)).contains(other());
  }

  @Test
  public void staleExpectedIsAConflictAndChangesNothing() throws Exception {
    DelegationBackend b = newBackend();
    seed(b, withNs2());

    ApplyResult r = b.apply(change("stale", initial(), withNewDs()));

    assertThat(r).isInstanceOf(ApplyResult.Conflict.class);
    assertThat(((ApplyResult.Conflict) r).changeId()).isEqualTo("stale");
    assertThat(b.current(CHILD)).contains(withNs2());
  }

  @Test
  public void aTtlDifferenceIsAConflictToo() throws Exception {
    DelegationBackend b = newBackend();
    Delegation shorter = Delegation.builder(CHILD)
        .glue(Name.fromString("ns1.child.parent.test."), InetAddress.getByName("192.0.2.1"),
            InetAddress.getByName("2001:db8::1"))
        .nameservers(Name.fromString("ns.example.net."))
        .ds(new DsData(12345, 13, 2, digest(0xAB, 32)))
        .nsTtl(60).dsTtl(600).glueTtl(1800)
        .build();
    seed(b, shorter);

    assertThat(b.apply(change("ttl", initial(), withNs2())))
        .isInstanceOf(ApplyResult.Conflict.class);
    assertThat(b.current(CHILD)).contains(shorter);
  }

  @Test
  public void changeOfAnUndelegatedChildIsAConflict() throws Exception {
    DelegationBackend b = newBackend();
    seed(b, other());

    assertThat(b.apply(change("none", initial(), withNs2())))
        .isInstanceOf(ApplyResult.Conflict.class);
    assertThat(b.current(CHILD)).isEmpty();
  }

  @Test
  public void theSameChangeIdIsAppliedOnce() throws Exception {
    DelegationBackend b = newBackend();
    seed(b, initial());
    DelegationChange c1 = change("once", initial(), withNs2());

    assertThat(b.apply(c1)).isEqualTo(new ApplyResult.Applied("once"));
    assertThat(b.apply(c1)).isEqualTo(new ApplyResult.AlreadyApplied("once"));
    assertThat(b.current(CHILD)).contains(withNs2());

    // a retry that arrives after a later change moved on is still "already applied", never a
    // conflict (the sender must not be told to start over) and never re-applied
    assertThat(b.apply(change("later", withNs2(), withNewDs())))
        .isEqualTo(new ApplyResult.Applied("later"));
    assertThat(b.apply(c1)).isEqualTo(new ApplyResult.AlreadyApplied("once"));
    assertThat(b.current(CHILD)).contains(withNewDs());
  }

  @Test
  public void aFailureMidApplyLeavesNothingAndTheChangeCanBeAppliedAfterwards() throws Exception {
    DelegationBackend b = newBackend();
    seed(b, initial());
    DelegationChange c = change("fails", initial(), withNs2());

    DelegationBackend failing = reopenFailingMidApply();
    assertThatThrownBy(() -> failing.apply(c)).isInstanceOf(BackendException.class);

    DelegationBackend after = reopen();
    assertThat(after.current(CHILD)).contains(initial());
    assertThat(after.apply(c)).isEqualTo(new ApplyResult.Applied("fails"));
    assertThat(after.current(CHILD)).contains(withNs2());
    assertThat(after.apply(c)).isEqualTo(new ApplyResult.AlreadyApplied("fails"));
  }

  @Test
  public void aRestartedBackendSeesAppliedChangesAndTheirIds() throws Exception {
    DelegationBackend b = newBackend();
    seed(b, initial());
    DelegationChange c = change("durable", initial(), withNewDs());
    assertThat(b.apply(c)).isEqualTo(new ApplyResult.Applied("durable"));

    DelegationBackend restarted = reopen();
    assertThat(restarted.current(CHILD)).contains(withNewDs());
    assertThat(restarted.apply(c)).isEqualTo(new ApplyResult.AlreadyApplied("durable"));
    assertThat(restarted.apply(change("stale", initial(), withNs2())))
        .isInstanceOf(ApplyResult.Conflict.class);
  }

  /**
   * Two changes decided against the same delegation, applied at once through two backend
   * instances over the same storage (two receiver nodes): exactly one wins, the other is a
   * conflict, and the stored delegation is the winner's. Repeated a few rounds, each from the
   * previous round's result.
   */
  @Test
  public void ofTwoConcurrentChangesFromTheSameStateExactlyOneWins() throws Exception {
    DelegationBackend first = newBackend();
    seed(first, initial());
    DelegationBackend second = reopen();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    pools.add(pool);
    Delegation[] states = {initial(), withNs2(), withNewDs(), unsignedOutOfBailiwick()};
    Delegation from = initial();
    for (int round = 0; round < 6; round++) {
      List<Delegation> others = new ArrayList<>();
      for (Delegation s : states) {
        if (!s.equals(from)) {
          others.add(s);
        }
      }
      Delegation a = others.get(round % others.size());
      Delegation c = others.get((round + 1) % others.size());
      DelegationChange ca = change("race-" + round + "-a", from, a);
      DelegationChange cc = change("race-" + round + "-c", from, c);
      CountDownLatch go = new CountDownLatch(1);
      Callable<ApplyResult> ta = () -> {
        go.await();
        return first.apply(ca);
      };
      Callable<ApplyResult> tc = () -> {
        go.await();
        return second.apply(cc);
      };
      Future<ApplyResult> fa = pool.submit(ta);
      Future<ApplyResult> fc = pool.submit(tc);
      go.countDown();
      ApplyResult ra = fa.get(60, TimeUnit.SECONDS);
      ApplyResult rc = fc.get(60, TimeUnit.SECONDS);

      List<ApplyResult> both = List.of(ra, rc);
      assertThat(both).as("round " + round).filteredOn(r -> r instanceof ApplyResult.Applied)
          .hasSize(1);
      assertThat(both).as("round " + round).filteredOn(r -> r instanceof ApplyResult.Conflict)
          .hasSize(1);
      Delegation winner = ra instanceof ApplyResult.Applied ? a : c;
      assertThat(first.current(CHILD)).contains(winner);
      assertThat(second.current(CHILD)).contains(winner);
      from = winner;
    }
  }
}
