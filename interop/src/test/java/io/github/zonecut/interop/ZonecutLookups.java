package io.github.zonecut.interop;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Name;

/**
 * zonecut's own lookup stack pointed at the {@link Testnet}: a {@link NioDnsTransport} and a
 * {@link ValidatingLookup} through Unbound, anchored at the testnet's trust anchor (or at nothing,
 * to see what an unanchored client concludes). Close it after the test class.
 */
final class ZonecutLookups implements AutoCloseable {

  private final ExecutorService executor;
  private final NioDnsTransport transport;
  private final ValidatingLookup lookup;

  private ZonecutLookups(ExecutorService executor, NioDnsTransport transport, ValidatingLookup lookup) {
    this.executor = executor;
    this.transport = transport;
    this.lookup = lookup;
  }

  /**
   * @param anchored whether to trust the testnet's anchor; without it everything is INSECURE
   */
  static ZonecutLookups start(Testnet net, boolean anchored) throws IOException, ZonecutException {
    ZonecutTypes.register();
    ExecutorService executor = Executors.newFixedThreadPool(2);
    NioDnsTransport transport = NioDnsTransport.create(executor);
    try {
      ValidatingLookup lookup = ValidatingLookup.builder(transport, DnsEndpoint.of(net.resolver()), executor)
          .trustAnchors(anchored ? List.of(net.trustAnchorRecord()) : List.of())
          .timeout(Duration.ofSeconds(5))
          .build();
      return new ZonecutLookups(executor, transport, lookup);
    } catch (ZonecutException | RuntimeException e) {
      transport.close();
      executor.shutdownNow();
      throw e;
    }
  }

  ValidatingLookup lookup() {
    return lookup;
  }

  LookupResult lookup(String name, int type) throws Exception {
    return await(lookup.lookup(Name.fromConstantString(name), type));
  }

  /** Waits for a stage, bounded: the stage itself never fails for DNS reasons. */
  static <T> T await(CompletionStage<T> stage)
      throws InterruptedException, ExecutionException, TimeoutException {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    transport.close();
    executor.shutdownNow();
  }
}
