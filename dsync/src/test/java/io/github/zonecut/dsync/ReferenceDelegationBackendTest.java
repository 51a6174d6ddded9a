package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;

/** The contract against its in-memory reference model. */
class ReferenceDelegationBackendTest extends DelegationBackendContract {
  private ReferenceDelegationBackend.State state = new ReferenceDelegationBackend.State();

  @Override
  protected DelegationBackend newBackend() {
    state = new ReferenceDelegationBackend.State();
    return new ReferenceDelegationBackend(state, false);
  }

  @Override
  protected DelegationBackend reopen() {
    return new ReferenceDelegationBackend(state, false);
  }

  @Override
  protected DelegationBackend reopenFailingMidApply() {
    return new ReferenceDelegationBackend(state, true);
  }

  @Override
  protected void seed(DelegationBackend backend, Delegation d) {
    ((ReferenceDelegationBackend) backend).put(d);
  }
}
