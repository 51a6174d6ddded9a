package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class ZonecutTypesTest {

  @Test
  void registrationIsIdempotentAndSafeFromManyThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        fs.add(pool.submit(() -> ZonecutTypes.register()));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    ZonecutTypes.register(Codepoints.DEFAULT);
    assertThat(ZonecutTypes.registered()).contains(Codepoints.DEFAULT);
    assertThat(Type.string(66)).isEqualTo("DSYNC");
    assertThat(Type.value("HSYNC")).isEqualTo(65285);
    assertThat(Type.value("HSYNCPARAM")).isEqualTo(65286);
  }

  @Test
  void anotherProfileAfterRegistrationFailsLoudly() {
    ZonecutTypes.register();
    Codepoints other = Codepoints.builder().hsyncType(65300).hsyncParamType(65301).build();
    assertThatThrownBy(() -> ZonecutTypes.register(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("global");
    assertThat(Type.value("HSYNC")).isEqualTo(65285);
  }
}
