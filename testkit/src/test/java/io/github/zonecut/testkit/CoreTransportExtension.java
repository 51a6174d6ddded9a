package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.NioDnsTransport;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A zonecut core transport and its executor for one test class, closed after it. */
final class CoreTransportExtension implements BeforeAllCallback, AfterAllCallback {
  private ExecutorService executor;
  private NioDnsTransport transport;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    transport.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  NioDnsTransport transport() {
    return transport;
  }

  ExecutorService executor() {
    return executor;
  }
}
