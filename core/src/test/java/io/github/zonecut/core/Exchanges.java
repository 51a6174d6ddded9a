package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** What the transport tests share: queries, bounded waits on exchanges, and the answer read. */
final class Exchanges {
  private Exchanges() {}

  /** An A query for {@code name}. */
  static Message query(String name) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
  }

  /** The answer of {@code stage}, waiting at most 30 s. */
  static DnsResponse await(CompletionStage<DnsResponse> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The {@link DnsTransportException} {@code stage} failed with (fails the test otherwise). */
  static DnsTransportException failure(CompletionStage<DnsResponse> stage) throws Exception {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      DnsTransportException t = DnsTransportException.find(e);
      assertThat(t).as("cause of %s", e).isNotNull();
      return t;
    }
    return fail("exchange succeeded");
  }

  /** Polls {@code condition} every 2 ms until it holds; fails after 30 s. */
  static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        fail("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  /** The address of the first A record of the answer section. */
  static String firstA(DnsResponse r) {
    return ((ARecord) r.message().getSection(Section.ANSWER).get(0)).getAddress().getHostAddress();
  }
}
