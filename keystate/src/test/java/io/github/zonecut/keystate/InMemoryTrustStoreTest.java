package io.github.zonecut.keystate;

class InMemoryTrustStoreTest extends TrustStoreContract {
  @Override
  TrustStore store() {
    return new InMemoryTrustStore();
  }
}
