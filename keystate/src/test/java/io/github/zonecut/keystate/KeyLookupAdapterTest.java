package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Verdict;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** The adapter from core's {@link DnsLookup} keeps the verdict and never throws. */
class KeyLookupAdapterTest {
  static final Name N = Keys.CHILD;

  static KeyAnswer ask(LookupResult r) throws Exception {
    DnsLookup l = (name, type) -> {
      assertThat(type).isEqualTo(Type.KEY);
      return CompletableFuture.completedFuture(r);
    };
    return KeyLookup.of(l).keys(N).toCompletableFuture().get();
  }

  @Test
  void mapsEveryCase() throws Exception {
    KEYRecord k = Keys.key(1);
    KeyAnswer secure = ask(new LookupResult.Answer(N, Type.KEY, new RRset(k), Verdict.SECURE));
    assertThat(secure.security()).isEqualTo(KeyAnswer.Security.SECURE);
    assertThat(secure.contains(KeyIdentity.of(k))).isTrue();
    assertThat(ask(new LookupResult.Answer(N, Type.KEY, new RRset(k), Verdict.UNVALIDATED))
        .security()).isEqualTo(KeyAnswer.Security.UNVALIDATED);
    assertThat(ask(new LookupResult.NoData(N, Type.KEY, null, Verdict.INSECURE)))
        .satisfies(a -> {
          assertThat(a.security()).isEqualTo(KeyAnswer.Security.INSECURE);
          assertThat(a.keys()).isEmpty();
        });
    assertThat(ask(new LookupResult.NxDomain(N, Type.KEY, null, Verdict.SECURE)).security())
        .isEqualTo(KeyAnswer.Security.SECURE);
    assertThat(ask(new LookupResult.Bogus(N, Type.KEY, 6, "DNSSEC Bogus")).security())
        .isEqualTo(KeyAnswer.Security.BOGUS);
    assertThat(ask(new LookupResult.Timeout(N, Type.KEY, "5 s")).security())
        .isEqualTo(KeyAnswer.Security.FAILED);
    KeyAnswer crashed = KeyLookup.of((name, type) ->
        CompletableFuture.failedFuture(new IllegalStateException("boom"))).keys(N)
        .toCompletableFuture().get();
    assertThat(crashed.security()).isEqualTo(KeyAnswer.Security.FAILED);
    assertThat(crashed.detail()).contains("boom");
  }
}
